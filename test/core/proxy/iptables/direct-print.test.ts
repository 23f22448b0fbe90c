/**
 * The two ways a plan's restore text is printed give the same bytes: straight from the builders'
 * writes (`printIptablesRestore`, RestoreTextWriter: the `-o iptables-restore` path, no IR) and
 * from the IR (`printRestore(buildIptablesRuleset(…))`), over random clusters, kube-proxy
 * configurations and previous node states (whose stale chains produce `-X` lines); and the plan's
 * lazy ruleset prints and reads the same as an eagerly built one whichever is asked first.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EndpointSlice, Service } from '../../../../src/core/model/k8s.ts'
import { buildIptablesRuleset, printIptablesRestore } from '../../../../src/core/proxy/iptables/build.ts'
import { readCurrentRules } from '../../../../src/core/proxy/iptables/current-rules.ts'
import { lazyIptablesRuleset } from '../../../../src/core/proxy/iptables/lazy-ruleset.ts'
import { printRestore } from '../../../../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../../../../src/core/proxy/state.ts'
import { fakeProxierConfig } from '../../../helpers/case-config.ts'
import { endpointSliceFromRaw, serviceFromRaw } from '../../../helpers/k8s-from-raw.ts'

const arbService = fc.record({
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

const arbSlice = fc.record({
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

const arbConfig = fc.record({
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

type S = typeof arbService extends fc.Arbitrary<infer T> ? T : never
type L = typeof arbSlice extends fc.Arbitrary<infer T> ? T : never
type C = typeof arbConfig extends fc.Arbitrary<infer T> ? T : never

function cluster(ss: readonly S[], ls: readonly L[]): { services: Service[]; slices: EndpointSlice[] } {
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

function proxyConfig(c: C) {
  return fakeProxierConfig({
    masqueradeAll: c.masqueradeAll,
    localDetector: c.localDetector,
    localhostNodePorts: c.localhostNodePorts,
    nfacctCounters: { ct_state_invalid_dropped_pkts: c.nfacct, localhost_nps_accepted_pkts: c.nfacct },
  })
}

describe('restore text without the IR', () => {
  it('is byte for byte the IR printed, with and without a previous node state', () => {
    fc.assert(
      fc.property(
        fc.array(arbService, { maxLength: 5 }),
        fc.array(arbSlice, { maxLength: 5 }),
        fc.array(arbService, { maxLength: 5 }),
        fc.array(arbSlice, { maxLength: 5 }),
        arbConfig,
        (ss, ls, prevSs, prevLs, c) => {
          const cfg = proxyConfig(c)
          const now = cluster(ss, ls)
          const state = buildProxyState(now.services, now.slices, cfg)
          expect(printIptablesRestore(state, cfg)).toBe(printRestore(buildIptablesRuleset(state, cfg)))
          // A node that ran a sync of another cluster: its service chains this sync does not write are deleted.
          const prev = cluster(prevSs, prevLs)
          const prevText = printRestore(buildIptablesRuleset(buildProxyState(prev.services, prev.slices, cfg), cfg))
          const current = readCurrentRules(prevText, 'current.rules', 'IPv4').value
          expect(current).toBeDefined()
          const viaIR = printRestore(buildIptablesRuleset(state, cfg, current))
          expect(printIptablesRestore(state, cfg, current)).toBe(viaIR)
        },
      ),
      { numRuns: 300, seed: 7 },
    )
  })

  it('a lazy ruleset prints and reads like an eager one, whichever comes first', () => {
    const now = cluster(
      [{ name: 'a', type: 'LoadBalancer', etp: 'Local', itp: undefined, affinity: true, externalIPs: ['192.168.99.1'], lbIPs: ['1.2.3.4'], ranges: ['203.0.113.0/25'], ports: [{ name: 'p', protocol: 'TCP' }] }],
      [{ svc: 'a', ports: [{ name: 'p', protocol: 'TCP', port: 8080 }], endpoints: [{ ip: '10.1.0.1', node: 'test-node', ready: undefined }, { ip: '10.1.0.2', node: 'other', ready: undefined }] }],
    )
    const cfg = proxyConfig({ masqueradeAll: false, localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' }, localhostNodePorts: true, nfacct: false })
    const state = buildProxyState(now.services, now.slices, cfg)
    const eager = buildIptablesRuleset(state, cfg)
    const text = printRestore(eager)
    expect(text).toContain('KUBE-SEP-')

    const printedFirst = lazyIptablesRuleset(state, cfg)
    expect(printRestore(printedFirst)).toBe(text)
    expect(printedFirst.tables).toEqual(eager.tables)
    expect(printRestore(printedFirst)).toBe(text)

    const readFirst = lazyIptablesRuleset(state, cfg)
    expect(readFirst.tables).toEqual(eager.tables)
    expect(readFirst.tables).toBe(readFirst.tables)
    expect(printRestore(readFirst)).toBe(text)
    expect({ ...readFirst }).toEqual(eager)

    // The unit-test fake's mark style is printed from the IR.
    const short = printRestore(lazyIptablesRuleset(state, cfg), { markStyle: 'short' })
    expect(short).toBe(printRestore(eager, { markStyle: 'short' }))
    expect(short).not.toBe(text)
  })
})
