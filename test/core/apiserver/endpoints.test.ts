/** EndpointSlice controller emulation and endpoint findings. */
import { describe, expect, it } from 'vitest'
import type { EndpointSlice } from '../../../src/core/model/k8s.ts'
import { node, pod, run, svc } from './helpers.ts'

type Rec = Record<string, unknown>
const NODES = [node('n1', ['10.244.0.0/24'], { 'topology.kubernetes.io/zone': 'z1' }), node('n2', ['10.244.1.0/24'])]
const service = (spec: Rec, name = 'web'): ReturnType<typeof svc> => svc({ metadata: { name, labels: { team: 'a' } }, spec })
const slicesOf = (r: ReturnType<typeof run>, name = 'web'): EndpointSlice[] =>
  r.value.endpointSlices.filter((s) => s.metadata.labels['kubernetes.io/service-name'] === name)
const ready = (name: string, ip: string, nodeName = 'n1', extra: Rec = {}): ReturnType<typeof pod> =>
  pod(name, { app: 'web' }, { podIPs: [ip], nodeName, phase: 'Running', ready: true, containerPorts: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }], ...extra })

describe('EndpointSlice controller', () => {
  it('selects pods of the same namespace, skips terminal and unscheduled pods, and sets conditions', () => {
    const r = run(
      {
        services: [service({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] })],
        pods: [
          ready('a', '10.244.0.5'),
          ready('b', '10.244.1.5', 'n2', { ready: false }),
          ready('c', '10.244.0.6', 'n1', { terminating: true }),
          ready('done', '10.244.0.7', 'n1', { phase: 'Succeeded' }),
          ready('pending', '', 'n1', { podIPs: [] }),
          ready('ghost', '10.244.0.8', 'gone'),
          pod('other-ns', { app: 'web' }, { podIPs: ['10.244.0.9'], nodeName: 'n1' }, 'elsewhere'),
        ],
      },
      { nodes: NODES },
    )
    const [s] = slicesOf(r)
    expect(slicesOf(r)).toHaveLength(1)
    expect(s?.computed).toBe(true)
    expect(s?.addressType).toBe('IPv4')
    expect(s?.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 8080 }])
    expect(s?.endpoints.map((e) => [e.targetRef?.name, e.conditions])).toEqual([
      ['a', { ready: true, serving: true, terminating: false }],
      ['b', { ready: false, serving: false, terminating: false }],
      ['c', { ready: false, serving: true, terminating: true }],
    ])
    expect(s?.endpoints[0]).toMatchObject({ addresses: ['10.244.0.5'], nodeName: 'n1', zone: 'z1' })
    expect(s?.metadata.labels).toEqual({
      team: 'a',
      'kubernetes.io/service-name': 'web',
      'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    })
    expect(s?.metadata.name).toMatch(/^web-[a-z0-9]{5}$/)
  })
  it('publishNotReadyAddresses makes every endpoint ready and keeps pods on unknown nodes', () => {
    const r = run(
      {
        services: [service({ selector: { app: 'web' }, publishNotReadyAddresses: true, ports: [{ port: 80 }] })],
        pods: [ready('b', '10.244.1.5', 'n2', { ready: false }), ready('ghost', '10.244.0.8', 'gone')],
      },
      { nodes: NODES },
    )
    expect(slicesOf(r)[0]?.endpoints.map((e) => [e.targetRef?.name, e.conditions.ready])).toEqual([
      ['b', true],
      ['ghost', true],
    ])
  })
  it('resolves named targetPorts per pod by name and protocol; pods without it form another group', () => {
    const r = run(
      {
        services: [service({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'm', port: 9000 }] })],
        pods: [
          ready('a', '10.244.0.5'),
          ready('b', '10.244.0.6', 'n1', { containerPorts: [{ name: 'http', containerPort: 9090, protocol: 'TCP' }] }),
          ready('c', '10.244.0.7', 'n1', { containerPorts: [{ name: 'http', containerPort: 8080, protocol: 'UDP' }] }),
        ],
      },
      { nodes: NODES },
    )
    const groups = slicesOf(r).map((s) => [s.ports.map((p) => `${p.name}:${p.port}`).join(','), s.endpoints.map((e) => e.targetRef?.name).join(',')])
    expect(groups.sort()).toEqual([
      ['http:8080,m:9000', 'a'],
      ['http:9090,m:9000', 'b'],
      ['m:9000', 'c'],
    ])
    const w = r.issues.find((i) => i.code === 'endpoints/named-port-unresolved')
    expect(w?.severity).toBe('warning')
    expect(w?.message).toContain('1 of 3 selected Pods do not define')
  })
  it('packs at most 100 endpoints per slice', () => {
    const pods = Array.from({ length: 250 }, (_, i) => ready(`p${String(i).padStart(3, '0')}`, `10.244.${Math.floor(i / 200)}.${(i % 200) + 2}`, i < 200 ? 'n1' : 'n2'))
    const r = run({ services: [service({ selector: { app: 'web' }, ports: [{ port: 80 }] })], pods }, { nodes: NODES })
    expect(slicesOf(r).map((s) => s.endpoints.length).sort((a, b) => b - a)).toEqual([100, 100, 50])
    expect(new Set(slicesOf(r).map((s) => s.metadata.name)).size).toBe(3)
  })
  it('a selector matching nothing: placeholder slice and a warning', () => {
    const r = run({ services: [service({ selector: { app: 'nope' }, ports: [{ port: 80 }] })], pods: [ready('a', '10.244.0.5')] }, { nodes: NODES })
    expect(slicesOf(r).map((s) => [s.endpoints.length, s.ports.length])).toEqual([[0, 0]])
    const w = r.issues.find((i) => i.code === 'endpoints/selector-matches-nothing')
    expect(w).toMatchObject({ severity: 'warning', path: 'spec.selector' })
    expect(w?.message).toContain('kube-proxy will REJECT')
  })
  it('a numeric targetPort no container declares is reported', () => {
    const r = run({ services: [service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8081 }] })], pods: [ready('a', '10.244.0.5')] }, { nodes: NODES })
    expect(r.issues.find((i) => i.code === 'endpoints/port-not-exposed')).toMatchObject({ severity: 'warning', path: 'spec.ports[0].targetPort' })
    const ok = run({ services: [service({ selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] })], pods: [ready('a', '10.244.0.5')] }, { nodes: NODES })
    expect(ok.issues).toEqual([])
  })
  it('dual-stack Services get one slice set per family; single-stack pods only in theirs', () => {
    const r = run(
      {
        services: [service({ selector: { app: 'web' }, ipFamilyPolicy: 'RequireDualStack', ports: [{ port: 80 }] })],
        pods: [ready('a', '10.244.0.5', 'n1', { podIPs: ['10.244.0.5', 'fd00:244::5'] }), ready('b', '10.244.0.6')],
      },
      { nodes: NODES, profile: { serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112' } },
    )
    expect(slicesOf(r).map((s) => [s.addressType, s.endpoints.map((e) => e.addresses[0]).join(',')]).sort()).toEqual([
      ['IPv4', '10.244.0.5,10.244.0.6'],
      ['IPv6', 'fd00:244::5'],
    ])
  })
  it('trafficDistribution PreferClose adds zone hints to ready endpoints with a zone', () => {
    const r = run(
      { services: [service({ selector: { app: 'web' }, trafficDistribution: 'PreferClose', ports: [{ port: 80 }] })], pods: [ready('a', '10.244.0.5'), ready('b', '10.244.1.5', 'n2')] },
      { nodes: NODES },
    )
    expect(slicesOf(r)[0]?.endpoints.map((e) => e.hints ?? null)).toEqual([{ forZones: [{ name: 'z1' }] }, null])
  })
  it('the topology annotation takes precedence over trafficDistribution (deprecated one first; only Auto/auto enable it)', () => {
    const withAnn = (annotations: Record<string, string>, origin: 'proposed' | 'existing' = 'proposed'): ReturnType<typeof run> =>
      run(
        {
          services: [
            svc({ metadata: { name: 'web', annotations }, spec: { selector: { app: 'web' }, trafficDistribution: 'PreferClose', ports: [{ port: 80 }] } }, origin),
          ],
          pods: [ready('a', '10.244.0.5')],
        },
        { nodes: NODES },
      )
    const hintsOf = (r: ReturnType<typeof run>): unknown[] => slicesOf(r)[0]?.endpoints.map((e) => e.hints ?? null) ?? []
    const auto = withAnn({ 'service.kubernetes.io/topology-mode': 'Auto' })
    expect(hintsOf(auto)).toEqual([null])
    expect(auto.issues.map((i) => i.code)).toContain('endpoints/topology-hints-not-predicted')
    expect(hintsOf(withAnn({ 'service.kubernetes.io/topology-mode': 'auto' }))).toEqual([null])
    // The deprecated annotation wins when both are set: Disabled there means the heuristic applies.
    // (Validation refuses differing values on create, so this is a stored object from older times.)
    const both = withAnn({ 'service.kubernetes.io/topology-mode': 'Auto', 'service.kubernetes.io/topology-aware-hints': 'Disabled' }, 'existing')
    expect(hintsOf(both)).toEqual([{ forZones: [{ name: 'z1' }] }])
    expect(hintsOf(withAnn({ 'service.kubernetes.io/topology-mode': 'Disabled' }))).toEqual([{ forZones: [{ name: 'z1' }] }])
  })
  it('an empty zone label is no zone (no zone field, no hint)', () => {
    const r = run(
      { services: [service({ selector: { app: 'web' }, trafficDistribution: 'PreferClose', ports: [{ port: 80 }] })], pods: [ready('a', '10.244.0.5', 'n3')] },
      { nodes: [...NODES, node('n3', ['10.244.2.0/24'], { 'topology.kubernetes.io/zone': '' })] },
    )
    const [e] = slicesOf(r)[0]?.endpoints ?? []
    expect(e?.zone).toBeUndefined()
    expect(e?.hints).toBeUndefined()
  })
  it('headless Services get the headless label; selector-less Services keep the slices given', () => {
    const h = run({ services: [service({ clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] })], pods: [ready('a', '10.244.0.5')] }, { nodes: NODES })
    expect(slicesOf(h)[0]?.metadata.labels['service.kubernetes.io/headless']).toBe('')
    const given: EndpointSlice = {
      kind: 'EndpointSlice',
      ref: { kind: 'EndpointSlice', namespace: 'default', name: 'ext-1' },
      metadata: { name: 'ext-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'ext' }, annotations: {} },
      source: { file: 'x', line: 1, column: 1 },
      locate: () => ({ file: 'x', line: 1, column: 1 }),
      origin: 'proposed',
      raw: {},
      addressType: 'IPv4',
      endpoints: [{ addresses: ['192.0.2.10'], conditions: { ready: true } }],
      ports: [{ name: '', port: 5432, protocol: 'TCP' }],
    }
    const r = run({ services: [service({ ports: [{ port: 5432 }] }, 'ext')], endpointSlices: [given] })
    expect(r.value.endpointSlices).toEqual([given])
    expect(r.issues).toEqual([])
  })
  it('unchanged cluster state keeps its given slices; a changed Service is recomputed', () => {
    const existingSvc = svc({ metadata: { name: 'web' }, spec: { clusterIP: '10.96.0.40', clusterIPs: ['10.96.0.40'], selector: { app: 'web' }, ports: [{ port: 80 }] } }, 'existing')
    const snap: EndpointSlice = {
      kind: 'EndpointSlice',
      ref: { kind: 'EndpointSlice', namespace: 'default', name: 'web-abcde' },
      metadata: { name: 'web-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' }, annotations: {} },
      source: { file: 'x', line: 1, column: 1 },
      locate: () => ({ file: 'x', line: 1, column: 1 }),
      origin: 'existing',
      raw: {},
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }],
      ports: [{ name: '', port: 80, protocol: 'TCP' }],
    }
    const p = pod('a', { app: 'web' }, { podIPs: ['10.244.0.5'], nodeName: 'n1' }, 'default', 'existing')
    const same = run({ services: [existingSvc], endpointSlices: [snap], pods: [p] }, { nodes: NODES })
    expect(same.value.endpointSlices).toEqual([snap])
    const proposed = svc({ metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } })
    const changed = run({ services: [existingSvc, proposed], endpointSlices: [snap], pods: [p] }, { nodes: NODES })
    expect(changed.value.endpointSlices.map((s) => [s.computed ?? false, s.ports[0]?.port])).toEqual([[true, 8080]])
  })
  it('with synthesised Nodes the node-existence rule is skipped (a snapshot without Nodes keeps its endpoints)', () => {
    const synth = NODES.map((n) => ({ ...n, synthesised: true }))
    const r = run({ services: [service({ selector: { app: 'web' }, ports: [{ port: 80 }] })], pods: [ready('ghost', '10.244.0.8', 'worker-7')] }, { nodes: synth })
    expect(slicesOf(r)[0]?.endpoints.map((e) => e.targetRef?.name)).toEqual(['ghost'])
  })
})
