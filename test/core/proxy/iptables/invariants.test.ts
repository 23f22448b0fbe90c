/**
 * Properties of the renderer over random clusters: the payload always passes upstream's jump
 * check, does not depend on input order, and renders with work linear in the input (counted element
 * visits, test/perf/work-counter.ts: the bench measures time, a test must not).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { EndpointSlice, Service } from '../../../../src/core/model/k8s.ts'
import { buildIptablesRuleset } from '../../../../src/core/proxy/iptables/build.ts'
import { checkIptablesRuleJumps, sortIptablesRules } from '../../../../src/core/proxy/iptables/normalize.ts'
import { printRestore } from '../../../../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../../../../src/core/proxy/state.ts'
import { fakeProxierConfig } from '../../../helpers/case-config.ts'
import { endpointSliceFromRaw, serviceFromRaw } from '../../../helpers/k8s-from-raw.ts'
import { countWork } from '../../../perf/work-counter.ts'

const arbService = fc.record({
  name: fc.constantFrom('a', 'b', 'c', 'd'),
  type: fc.constantFrom('', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'),
  headless: fc.boolean(),
  etp: fc.constantFrom(undefined, 'Cluster', 'Local'),
  itp: fc.constantFrom(undefined, 'Cluster', 'Local'),
  affinity: fc.boolean(),
  externalIPs: fc.subarray(['192.168.99.1', '192.168.99.2', 'fd00::9']),
  lbIPs: fc.subarray(['1.2.3.4', '5.6.7.8']),
  ranges: fc.subarray(['203.0.113.0/25', '192.168.0.0/16']),
  ports: fc.uniqueArray(fc.record({ name: fc.constantFrom('', 'p', 'q'), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP'), nodePort: fc.constantFrom(0, 30001, 30002) }), {
    minLength: 1,
    maxLength: 3,
    selector: (p) => `${p.name}/${p.protocol}`,
  }),
})

const arbEndpoint = fc.record({
  ip: fc.constantFrom('10.1.0.1', '10.1.0.2', '10.1.0.10', '010.1.0.3', 'bad'),
  node: fc.constantFrom(undefined, 'test-node', 'other'),
  ready: fc.constantFrom(undefined, true, false),
  serving: fc.constantFrom(undefined, true, false),
  terminating: fc.constantFrom(undefined, true, false),
  zone: fc.constantFrom(undefined, 'z1', 'z2'),
})

const arbSlice = fc.record({
  svc: fc.constantFrom('a', 'b', 'c', 'd'),
  n: fc.nat(3),
  ports: fc.subarray([
    { name: 'p', protocol: 'TCP', port: 8080 },
    { name: '', protocol: 'TCP', port: 80 },
    { name: 'q', protocol: 'UDP', port: 53 },
    { name: 'p', protocol: 'SCTP', port: 9 },
  ]),
  endpoints: fc.array(arbEndpoint, { maxLength: 4 }),
})

type S = typeof arbService extends fc.Arbitrary<infer T> ? T : never
type L = typeof arbSlice extends fc.Arbitrary<infer T> ? T : never

function toService(s: S, i: number): Service {
  return serviceFromRaw({
    kind: 'Service',
    metadata: { name: s.name, namespace: 'ns' },
    spec: {
      type: s.type,
      clusterIP: s.headless ? 'None' : `172.30.0.${i + 1}`,
      externalIPs: s.externalIPs,
      loadBalancerSourceRanges: s.ranges,
      ...(s.etp ? { externalTrafficPolicy: s.etp } : {}),
      ...(s.itp ? { internalTrafficPolicy: s.itp } : {}),
      ...(s.affinity ? { sessionAffinity: 'ClientIP' } : {}),
      healthCheckNodePort: 31000,
      ports: s.ports.map((p, k) => ({ ...p, port: 80 + k })),
    },
    status: { loadBalancer: { ingress: s.lbIPs.map((ip) => ({ ip })) } },
  })
}

function toSlice(l: L, i: number): EndpointSlice {
  return endpointSliceFromRaw({
    kind: 'EndpointSlice',
    metadata: { name: `${l.svc}-${i}`, namespace: 'ns', labels: { 'kubernetes.io/service-name': l.svc } },
    addressType: 'IPv4',
    ports: l.ports,
    endpoints: l.endpoints.map((e) => ({
      addresses: [e.ip],
      ...(e.node ? { nodeName: e.node } : {}),
      conditions: { ...(e.ready !== undefined ? { ready: e.ready } : {}), ...(e.serving !== undefined ? { serving: e.serving } : {}), ...(e.terminating !== undefined ? { terminating: e.terminating } : {}) },
      ...(e.zone ? { hints: { forZones: [{ name: e.zone }] } } : {}),
    })),
  })
}

function renderAll(services: readonly Service[], slices: readonly EndpointSlice[]): string {
  const cfg = fakeProxierConfig({ nodeZone: 'z1' })
  return printRestore(buildIptablesRuleset(buildProxyState(services, slices, cfg), cfg))
}

describe('renderer invariants', () => {
  it('always passes checkIptablesRuleJumps and is independent of input order', () => {
    fc.assert(
      fc.property(fc.array(arbService, { maxLength: 5 }), fc.array(arbSlice, { maxLength: 5 }), (ss, ls) => {
        // Unique service names (a later duplicate would replace the earlier one anyway).
        const seen = new Set<string>()
        const services = ss.filter((s) => !seen.has(s.name) && seen.add(s.name)).map(toService)
        const slices = ls.map(toSlice)
        const text = renderAll(services, slices)
        expect(checkIptablesRuleJumps(text)).toEqual([])
        expect(renderAll([...services].reverse(), [...slices].reverse())).toBe(text)
        expect(sortIptablesRules(sortIptablesRules(text))).toBe(sortIptablesRules(text))
      }),
      { numRuns: 300, seed: 42 },
    )
  })

  // Counted work, not a timer: performance is measured by the bench; this check only has to
  // catch a quadratic renderer, and element visits do that the same way on a loaded machine.
  it('renders a large cluster with work linear in the input (counted, not timed)', () => {
    const make = (nServices: number) => {
      const services: Service[] = []
      const slices: EndpointSlice[] = []
      for (let i = 0; i < nServices; i++) {
        services.push(serviceFromRaw({ kind: 'Service', metadata: { name: `s${i}`, namespace: 'ns' }, spec: { type: 'NodePort', clusterIP: `172.30.${i >> 8}.${i & 255}`, ports: [{ name: 'p', port: 80, protocol: 'TCP', nodePort: 30000 + (i % 2000) }] } }))
        slices.push(
          endpointSliceFromRaw({
            kind: 'EndpointSlice',
            metadata: { name: `s${i}-1`, namespace: 'ns', labels: { 'kubernetes.io/service-name': `s${i}` } },
            addressType: 'IPv4',
            ports: [{ name: 'p', port: 8080, protocol: 'TCP' }],
            endpoints: Array.from({ length: 5 }, (_, k) => ({ addresses: [`10.${k}.${i >> 8}.${i & 255}`] })),
          }),
        )
      }
      return { services, slices }
    }
    const work = (n: number) => {
      const { services, slices } = make(n)
      const { value: text, visits } = countWork(() => renderAll(services, slices))
      expect(text.split('\n').length).toBeGreaterThan(n * 10)
      return visits
    }
    const small = work(60)
    const large = work(600)
    expect(small).toBeGreaterThan(0)
    // 10× the Services: linear work is ~10× (plus per-ruleset constants); quadratic would be ~100×.
    expect(large / small, `${small} → ${large} visits`).toBeLessThanOrEqual(11)
  })
})
