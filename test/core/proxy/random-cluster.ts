/**
 * Small random clusters and kube-proxy configurations for the tests that compare the direct
 * printers (no IR) with the IR printers of both backends.
 */
import fc from 'fast-check'
import type { EndpointSlice, Service } from '../../../src/core/model/k8s.ts'
import { fakeProxierConfig } from '../../helpers/case-config.ts'
import { endpointSliceFromRaw, serviceFromRaw } from '../../helpers/k8s-from-raw.ts'

export const arbService = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  type: fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer'),
  etp: fc.constantFrom(undefined, 'Local'),
  itp: fc.constantFrom(undefined, 'Local'),
  affinity: fc.boolean(),
  externalIPs: fc.subarray(['192.168.99.1', 'fd00::9']),
  lbIPs: fc.subarray(['1.2.3.4']),
  ranges: fc.subarray(['203.0.113.0/25', 'has space']),
  ports: fc.uniqueArray(fc.record({ name: fc.constantFrom('', 'p', 'q'), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP') }), { minLength: 1, maxLength: 2, selector: (p) => p.name }),
})

export const arbSlice = fc.record({
  svc: fc.constantFrom('a', 'b', 'c', 'd', 'e'),
  ports: fc.subarray([
    { name: 'p', protocol: 'TCP', port: 8080 },
    { name: '', protocol: 'TCP', port: 80 },
    { name: 'q', protocol: 'UDP', port: 53 },
  ]),
  endpoints: fc.array(
    fc.record({
      ip: fc.constantFrom('10.1.0.1', '10.1.0.2', '10.1.0.3'),
      node: fc.constantFrom(undefined, 'test-node', 'other'),
      ready: fc.constantFrom(undefined, false),
    }),
    { maxLength: 3 },
  ),
})

export const arbConfig = fc.record({
  masqueradeAll: fc.boolean(),
  localDetector: fc.constantFrom(
    { mode: 'NoOp' },
    { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' },
    { mode: 'BridgeInterface', interface: 'cbr0' },
    { mode: 'InterfaceNamePrefix', prefix: 'veth' },
  ),
  localhostNodePorts: fc.boolean(),
  nfacct: fc.boolean(),
})

export type S = typeof arbService extends fc.Arbitrary<infer T> ? T : never
export type L = typeof arbSlice extends fc.Arbitrary<infer T> ? T : never
export type C = typeof arbConfig extends fc.Arbitrary<infer T> ? T : never

export function cluster(ss: readonly S[], ls: readonly L[]): { services: Service[]; slices: EndpointSlice[] } {
  const seen = new Set<string>()
  const services = ss
    .filter((s) => !seen.has(s.name) && seen.add(s.name))
    .map((s, i) =>
      serviceFromRaw({
        kind: 'Service',
        metadata: { name: s.name, namespace: 'ns' },
        spec: {
          type: s.type,
          clusterIP: `172.30.0.${i + 1}`,
          externalIPs: s.externalIPs,
          loadBalancerSourceRanges: s.ranges,
          ...(s.etp && s.type !== 'ClusterIP' ? { externalTrafficPolicy: s.etp } : {}),
          ...(s.itp ? { internalTrafficPolicy: s.itp } : {}),
          ...(s.affinity ? { sessionAffinity: 'ClientIP' } : {}),
          ports: s.ports.map((p, k) => ({ ...p, port: 80 + k, ...(s.type !== 'ClusterIP' ? { nodePort: 30000 + i * 4 + k } : {}) })),
        },
        status: { loadBalancer: { ingress: s.lbIPs.map((ip) => ({ ip })) } },
      }),
    )
  const slices = ls.map((l, i) =>
    endpointSliceFromRaw({
      kind: 'EndpointSlice',
      metadata: { name: `${l.svc}-${i}`, namespace: 'ns', labels: { 'kubernetes.io/service-name': l.svc } },
      addressType: 'IPv4',
      ports: l.ports,
      endpoints: l.endpoints.map((e) => ({ addresses: [e.ip], ...(e.node ? { nodeName: e.node } : {}), conditions: e.ready === undefined ? {} : { ready: e.ready } })),
    }),
  )
  return { services, slices }
}

export function proxyConfig(c: C) {
  return fakeProxierConfig({
    masqueradeAll: c.masqueradeAll,
    localDetector: c.localDetector,
    localhostNodePorts: c.localhostNodePorts,
    nfacctCounters: { ct_state_invalid_dropped_pkts: c.nfacct, localhost_nps_accepted_pkts: c.nfacct },
  })
}

