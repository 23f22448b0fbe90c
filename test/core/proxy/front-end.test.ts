import type { KubernetesVersion } from '../../../src/core/model/version.ts'
import { describe, expect, it } from 'vitest'
import type { Issue } from '../../../src/core/issues.ts'
import { buildEndpointsMap, servicePortKey } from '../../../src/core/proxy/endpoints.ts'
import { clusterIPForFamily, serviceToServicePorts, servicePortNameString } from '../../../src/core/proxy/service-port.ts'
import { buildProxyState, buildProxyStateStaged } from '../../../src/core/proxy/state.ts'
import { categorizeEndpoints, topologyMode } from '../../../src/core/proxy/topology.ts'
import type { ProxyEndpoint, ServicePortInfo } from '../../../src/core/proxy/types.ts'
import { fakeProxierConfig } from '../../helpers/case-config.ts'
import { endpointSliceFromRaw, objectsFromYaml, serviceFromRaw } from '../../helpers/k8s-from-raw.ts'

const service = (spec: Record<string, unknown>, status: Record<string, unknown> = {}) =>
  serviceFromRaw({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc1', namespace: 'ns1' }, spec: { ports: [{ name: 'p80', port: 80, protocol: 'TCP' }], ...spec }, status })

describe('service ports (serviceport.go)', () => {
  it('names ports ns/name[:port] without a trailing colon', () => {
    expect(servicePortNameString('ns1', 'svc1', '')).toBe('ns1/svc1')
    expect(servicePortNameString('ns1', 'svc1', 'p80')).toBe('ns1/svc1:p80')
  })
  it('chooses the cluster IP per family', () => {
    expect(clusterIPForFamily(service({ clusterIP: '172.30.0.41' }), 'IPv4')).toBe('172.30.0.41')
    expect(clusterIPForFamily(service({ clusterIP: '172.30.0.41' }), 'IPv6')).toBe('')
    const dual = service({ clusterIP: 'fd00::1', clusterIPs: ['fd00::1', '10.0.0.1'], ipFamilies: ['IPv6', 'IPv4'] })
    expect(clusterIPForFamily(dual, 'IPv4')).toBe('10.0.0.1')
    expect(clusterIPForFamily(dual, 'IPv6')).toBe('fd00::1')
    expect(clusterIPForFamily(service({ clusterIP: '10.0.0.1', ipFamilies: ['IPv4'] }), 'IPv4')).toBe('')
  })
  it('normalises addresses and derives the flags', () => {
    const [info] = serviceToServicePorts(
      service(
        {
          type: 'LoadBalancer',
          clusterIP: '172.30.0.041',
          externalIPs: ['192.168.099.022', '', 'x', 'fd00::1'],
          loadBalancerSourceRanges: [' 203.0.113.000/025 ', '10.0.0.0/33'],
          externalTrafficPolicy: 'Local',
          healthCheckNodePort: 30000,
          sessionAffinity: 'ClientIP',
          ports: [{ name: 'p80', port: 80, protocol: 'TCP', nodePort: 3001 }],
        },
        { loadBalancer: { ingress: [{ ip: '1.2.3.004' }, { ip: '5.6.7.8', ipMode: 'Proxy' }, { ip: '' }] } },
      ),
      'IPv4',
    ) as [ServicePortInfo]
    expect(info).toMatchObject({
      spn: 'ns1/svc1:p80',
      clusterIP: '172.30.0.41',
      externalIPs: ['192.168.99.22'],
      loadBalancerVIPs: ['1.2.3.4'],
      loadBalancerSourceRanges: ['203.0.113.0/25'],
      externalPolicyLocal: true,
      internalPolicyLocal: false,
      healthCheckNodePort: 30000,
      stickyMaxAgeSeconds: 10800,
      externallyAccessible: true,
      usesClusterEndpoints: true,
      usesLocalEndpoints: true,
    })
  })
  it('keeps ipMode Proxy LB IPs only when the LoadBalancerIPMode gate is off (TestLoadBalancerIngressRouteTypeProxy)', () => {
    const lb = service({ type: 'LoadBalancer', clusterIP: '10.20.30.41' }, { loadBalancer: { ingress: [{ ip: '1.2.3.4', ipMode: 'Proxy' }, { ip: '5.6.7.8', ipMode: 'VIP' }] } })
    const vips = (opts?: { loadBalancerIPMode?: boolean }) => serviceToServicePorts(lb, 'IPv4', [], opts)[0]?.loadBalancerVIPs
    expect(vips()).toEqual(['5.6.7.8'])
    expect(vips({ loadBalancerIPMode: true })).toEqual(['5.6.7.8'])
    expect(vips({ loadBalancerIPMode: false })).toEqual(['1.2.3.4', '5.6.7.8'])
    // The gate reaches the front end through the kube-proxy feature gates; it can be turned off
    // only in 1.31 (upstream's test emulates 1.31), from 1.32 it is GA and locked on.
    const lbVIPs = (gates: Record<string, boolean>, kubernetesVersion: KubernetesVersion) =>
      buildProxyState([lb], [], { ...fakeProxierConfig({ featureGates: gates }), kubernetesVersion }).servicePorts[0]?.info.loadBalancerVIPs
    expect(lbVIPs({}, '1.31')).toEqual(['5.6.7.8'])
    expect(lbVIPs({ LoadBalancerIPMode: false }, '1.31')).toEqual(['1.2.3.4', '5.6.7.8'])
    expect(lbVIPs({ LoadBalancerIPMode: false }, '1.32')).toEqual(['5.6.7.8'])
  })
  it('ignores ETP=Local on an unset type (upstream compares with ClusterIP literally)', () => {
    const [a] = serviceToServicePorts(service({ clusterIP: '10.0.0.1', externalIPs: ['1.1.1.1'], externalTrafficPolicy: 'Local' }), 'IPv4') as [ServicePortInfo]
    const [b] = serviceToServicePorts(service({ type: 'ClusterIP', clusterIP: '10.0.0.1', externalIPs: ['1.1.1.1'], externalTrafficPolicy: 'Local' }), 'IPv4') as [ServicePortInfo]
    expect(a.externalPolicyLocal).toBe(false)
    expect(b.externalPolicyLocal).toBe(true)
  })
  it('skips headless, ExternalName and other-family services; reports unparsable cluster IPs', () => {
    const issues: Issue[] = []
    expect(serviceToServicePorts(service({ clusterIP: 'None' }), 'IPv4')).toEqual([])
    expect(serviceToServicePorts(service({ clusterIP: '' }), 'IPv4')).toEqual([])
    expect(serviceToServicePorts(service({ type: 'ExternalName', clusterIP: '10.0.0.1' }), 'IPv4')).toEqual([])
    expect(serviceToServicePorts(service({ clusterIP: 'fd00::1' }), 'IPv4')).toEqual([])
    expect(serviceToServicePorts(service({ clusterIP: '10.0.0.300' }), 'IPv4', issues)).toEqual([])
    expect(issues.map((i) => [i.code, i.path])).toEqual([['proxy/invalid-cluster-ip', 'spec.clusterIP']])
  })
  it('collapses ports with the same name and protocol to the last one', () => {
    const ports = serviceToServicePorts(
      service({ clusterIP: '10.0.0.1', ports: [{ name: 'a', port: 80, protocol: 'TCP' }, { name: 'a', port: 81, protocol: 'TCP' }, { name: 'a', port: 80, protocol: 'UDP' }] }),
      'IPv4',
    )
    expect(ports.map((p) => `${p.protocol}/${p.port}`)).toEqual(['TCP/81', 'UDP/80'])
  })
})

const sliceOf = (endpoints: unknown[], ports: unknown[] = [{ name: 'p80', port: 80, protocol: 'TCP' }], extra: Record<string, unknown> = {}) =>
  endpointSliceFromRaw({ kind: 'EndpointSlice', metadata: { name: 's1', namespace: 'ns1', labels: { 'kubernetes.io/service-name': 'svc1' } }, addressType: 'IPv4', endpoints, ports, ...extra })

describe('endpoints (endpointslicecache.go)', () => {
  const opts = { family: 'IPv4' as const, nodeName: 'test-node', nodeHints: false, version: '1.35' as const }
  const key = servicePortKey('ns1/svc1:p80', 'TCP')
  it('applies condition defaults, locality and sloppy normalisation', () => {
    const m = buildEndpointsMap([sliceOf([{ addresses: ['10.0.0.01', '10.9.9.9'], nodeName: 'test-node' }, { addresses: ['10.0.0.2'], conditions: { ready: false } }])], opts)
    expect(m.get(key)).toEqual([
      { ip: '10.0.0.1', port: 80, endpoint: '10.0.0.1:80', isLocal: true, ready: true, serving: true, terminating: false, nodeName: 'test-node' },
      { ip: '10.0.0.2', port: 80, endpoint: '10.0.0.2:80', isLocal: false, ready: false, serving: true, terminating: false },
    ])
  })
  it('ignores nil-name and zero ports, unlabelled and other-family slices; defaults protocol to TCP', () => {
    const ep = [{ addresses: ['10.0.0.1'] }]
    const m = buildEndpointsMap(
      [
        sliceOf(ep, [{ port: 80, protocol: 'TCP' }, { name: 'p80', port: 0 }, { name: 'p80' }, { name: 'p80', port: 8080 }]),
        sliceOf(ep, [{ name: 'p80', port: 80 }], { metadata: { name: 's2', namespace: 'ns1', labels: {} } }),
        sliceOf([{ addresses: ['fd00::1'] }], [{ name: 'p80', port: 80 }], { addressType: 'IPv6' }),
      ],
      opts,
    )
    expect([...m.keys()]).toEqual([key])
    expect(m.get(key)?.map((e) => e.endpoint)).toEqual(['10.0.0.1:8080'])
  })
  it('sorts byte-wise by ip:port and prefers the non-terminating duplicate', () => {
    const a = sliceOf([{ addresses: ['10.0.0.1'], conditions: { terminating: true, ready: false } }, { addresses: ['10.0.0.10'] }])
    const b = endpointSliceFromRaw({ ...a.raw, metadata: { name: 's0', namespace: 'ns1', labels: { 'kubernetes.io/service-name': 'svc1' } }, endpoints: [{ addresses: ['10.0.0.1'] }] })
    for (const order of [[a, b], [b, a]]) {
      const eps = buildEndpointsMap(order, opts).get(key) ?? []
      expect(eps.map((e) => `${e.endpoint}/${e.terminating}`)).toEqual(['10.0.0.10:80/false', '10.0.0.1:80/false'])
    }
  })
  it('duplicates by release: 1.34+ keeps the non-terminating copy, 1.31-1.33 the first unless a later one is local', () => {
    // One slice: the terminating copy first, then a ready one (remote), then (1.33 case) a local terminating one.
    const one = sliceOf([
      { addresses: ['10.0.0.1'], conditions: { terminating: true, ready: false } },
      { addresses: ['10.0.0.1'] },
    ])
    const issues: Issue[] = []
    expect(buildEndpointsMap([one], opts, issues).get(key)?.map((e) => e.terminating)).toEqual([false])
    expect(issues.map((i) => [i.code, i.message])).toEqual([
      ['proxy/duplicate-endpoint', 'EndpointSlice ns1/s1: endpoint 10.0.0.1:80 of svc1 is listed more than once with different conditions; kube-proxy 1.35 uses the ready copy.'],
    ])
    for (const version of ['1.31', '1.32', '1.33'] as const) {
      expect(buildEndpointsMap([one], { ...opts, version }).get(key)?.map((e) => e.terminating)).toEqual([true])
    }
    const local = sliceOf([{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.1'], nodeName: 'test-node', conditions: { terminating: true, ready: false } }])
    expect(buildEndpointsMap([local], { ...opts, version: '1.33' }).get(key)?.map((e) => `${e.isLocal}/${e.terminating}`)).toEqual(['true/true'])
    expect(buildEndpointsMap([local], opts).get(key)?.map((e) => `${e.isLocal}/${e.terminating}`)).toEqual(['false/false'])
  })
  it('reports unparsable addresses with their field path', () => {
    const issues: Issue[] = []
    const m = buildEndpointsMap([sliceOf([{ addresses: ['bogus'] }, { addresses: [] }])], opts, issues)
    expect(m.get(key)).toEqual([])
    expect(issues.map((i) => i.path)).toEqual(['endpoints[0].addresses[0]'])
  })
  it('keeps node hints only with the feature gate', () => {
    const s = sliceOf([{ addresses: ['10.0.0.1'], hints: { forZones: [{ name: 'z' }], forNodes: [{ name: 'n' }] } }])
    expect(buildEndpointsMap([s], opts).get(key)?.[0]).toMatchObject({ zoneHints: ['z'] })
    expect(buildEndpointsMap([s], opts).get(key)?.[0]?.nodeHints).toBeUndefined()
    expect(buildEndpointsMap([s], { ...opts, nodeHints: true }).get(key)?.[0]?.nodeHints).toEqual(['n'])
  })
})

const ep = (endpoint: string, o: Partial<ProxyEndpoint> = {}): ProxyEndpoint => ({
  ip: endpoint.split(':')[0]!,
  port: 80,
  endpoint,
  isLocal: false,
  ready: true,
  serving: true,
  terminating: false,
  ...o,
})
const info = (o: Partial<ServicePortInfo>): ServicePortInfo =>
  ({ usesClusterEndpoints: true, usesLocalEndpoints: false, ...o }) as ServicePortInfo
const ctx = { nodeName: 'n1', zone: 'z1', nodeHintsEnabled: true }

describe('CategorizeEndpoints (topology.go)', () => {
  it('cluster only: ready endpoints, else serving+terminating', () => {
    const c = categorizeEndpoints([ep('a:80'), ep('b:80', { ready: false })], info({}), ctx)
    expect(c.clusterEndpoints.map((e) => e.endpoint)).toEqual(['a:80'])
    expect(c.allReachableEndpoints).toBe(c.clusterEndpoints)
    const t = categorizeEndpoints([ep('a:80', { ready: false, terminating: true }), ep('b:80', { ready: false, serving: false, terminating: true })], info({}), ctx)
    expect(t.clusterEndpoints.map((e) => e.endpoint)).toEqual(['a:80'])
    expect(t.hasAnyEndpoints).toBe(true)
  })
  it('local only (ITP Local): local ready endpoints, else local serving+terminating', () => {
    const svc = info({ usesClusterEndpoints: false, usesLocalEndpoints: true })
    const c = categorizeEndpoints([ep('a:80'), ep('b:80', { isLocal: true })], svc, ctx)
    expect(c.localEndpoints.map((e) => e.endpoint)).toEqual(['b:80'])
    expect(c.allReachableEndpoints).toBe(c.localEndpoints)
    expect(c.clusterEndpoints).toEqual([])
    const none = categorizeEndpoints([ep('a:80')], svc, ctx)
    expect(none.localEndpoints).toEqual([])
    expect(none.hasAnyEndpoints).toBe(true)
  })
  it('both: unions cluster and terminating local endpoints deterministically', () => {
    const svc = info({ usesClusterEndpoints: true, usesLocalEndpoints: true })
    const c = categorizeEndpoints([ep('a:80', { isLocal: true, ready: false, terminating: true }), ep('b:80')], svc, ctx)
    expect(c.clusterEndpoints.map((e) => e.endpoint)).toEqual(['b:80'])
    expect(c.localEndpoints.map((e) => e.endpoint)).toEqual(['a:80'])
    expect(c.allReachableEndpoints.map((e) => e.endpoint)).toEqual(['b:80', 'a:80'])
  })
  it('topology mode is decided over ready endpoints only', () => {
    expect(topologyMode([ep('a:80', { zoneHints: ['z1'] }), ep('b:80', { ready: false })], ctx)).toBe('PreferSameZone')
    expect(topologyMode([ep('a:80', { zoneHints: ['z2'] })], ctx)).toBe('')
    expect(topologyMode([ep('a:80', { zoneHints: ['z1'], nodeHints: ['n1'] })], ctx)).toBe('PreferSameNode')
    expect(topologyMode([ep('a:80', { zoneHints: ['z1'], nodeHints: ['n2'] })], ctx)).toBe('PreferSameZone')
    expect(topologyMode([ep('a:80', { zoneHints: ['z1'], nodeHints: ['n1'] })], { ...ctx, nodeHintsEnabled: false })).toBe('PreferSameZone')
  })
})

describe('buildProxyState', () => {
  it('sorts service ports by ns/name, spn, protocol and counts endpoints', () => {
    const yaml = `
apiVersion: v1
kind: Service
metadata: {name: b, namespace: ns1}
spec: {clusterIP: 10.0.0.2, ports: [{name: z, port: 1, protocol: UDP}, {name: z, port: 1, protocol: TCP}, {name: a, port: 2, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: a, namespace: ns2}
spec: {clusterIP: 10.0.0.3, ports: [{name: '', port: 3, protocol: TCP}]}
---
apiVersion: v1
kind: Service
metadata: {name: a-b, namespace: ns1}
spec: {clusterIP: 10.0.0.1, ports: [{name: x, port: 4, protocol: TCP}]}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: b-1, namespace: ns1, labels: {kubernetes.io/service-name: b}}
addressType: IPv4
endpoints: [{addresses: [10.1.0.1]}, {addresses: [10.1.0.2]}]
ports: [{name: z, port: 80, protocol: UDP}, {name: nope, port: 80, protocol: UDP}]
`
    const { services, slices } = objectsFromYaml(yaml)
    const state = buildProxyState(services, slices, fakeProxierConfig())
    expect(state.servicePorts.map((p) => `${p.info.spn}/${p.info.protocol}`)).toEqual(['ns1/a-b:x/TCP', 'ns1/b:a/TCP', 'ns1/b:z/TCP', 'ns1/b:z/UDP', 'ns2/a/TCP'])
    expect(state.totalEndpoints).toBe(2)
    expect(state.family).toBe('IPv4')
    expect(buildProxyStateStaged(services, slices, fakeProxierConfig()).issues).toEqual([])
  })
})
