import { describe, expect, it } from 'vitest'
import { allocationChanges, diffServices, endpointChanges, exposures, portsByService, specChanges, unchangedService } from '../../src/core/diff/services.ts'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { seededPair } from './seeded-pairs.ts'
import { summariseTrace } from '../../src/core/diff/probes.ts'
import type { PlannedService, PlannedServicePort } from '../../src/core/plan/types.ts'
import type { Trace } from '../../src/core/trace/types.ts'

const service = (over: Partial<PlannedService> = {}): PlannedService => ({
  namespace: 'ns',
  name: 'web',
  type: 'NodePort',
  origin: 'proposed',
  update: false,
  clusterIPs: ['10.96.0.5'],
  clusterIPOrigin: 'preview',
  ipFamilies: ['IPv4'],
  ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080, nodePortOrigin: 'preview' }],
  endpoints: [],
  externalIPs: [],
  loadBalancerIngress: [],
  loadBalancerSourceRanges: [],
  externalTrafficPolicy: 'Cluster',
  internalTrafficPolicy: 'Cluster',
  sessionAffinity: 'None',
  source: { file: 'a.yaml', line: 1, column: 1 },
  ...over,
})

describe('allocationChanges', () => {
  it('ignores two differing previews (both hypothetical) but reports a real move', () => {
    expect(allocationChanges(service(), service({ clusterIPs: ['10.96.0.9'] }))).toEqual([])
    expect(allocationChanges(service({ clusterIPOrigin: 'existing' }), service({ clusterIPs: ['10.96.0.9'], clusterIPOrigin: 'requested' }))).toEqual([
      { field: 'spec.clusterIPs', before: '10.96.0.5', after: '10.96.0.9' },
    ])
  })

  it('does not report an origin relabel of the same value', () => {
    expect(allocationChanges(service({ clusterIPOrigin: 'existing' }), service({ clusterIPOrigin: 'requested' }))).toEqual([])
  })

  it('shows NodePorts appearing with their origin', () => {
    const before = service({ type: 'ClusterIP', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 0 }] })
    expect(allocationChanges(before, service())).toEqual([{ field: 'spec.ports[http].nodePort', after: '30080 (preview)' }])
  })
})

describe('specChanges', () => {
  it('names ports by name (or port/protocol) and shows targetPort changes', () => {
    const b = service()
    const h = service({ ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 'web', nodePort: 30080 }], sessionAffinity: 'ClientIP' })
    expect(specChanges(b, h)).toEqual([
      { field: 'spec.ports[http].targetPort', before: '8080', after: 'web' },
      { field: 'spec.sessionAffinity', before: 'None', after: 'ClientIP' },
    ])
  })
})

describe('specChanges: selector', () => {
  it('shows a changed selector (keys sorted) even when it picks the same Pods', () => {
    expect(specChanges(service({ selector: { tier: 'fe', app: 'web' } }), service({ selector: { app: 'web2', tier: 'fe' } }))).toEqual([
      { field: 'spec.selector', before: 'app=web,tier=fe', after: 'app=web2,tier=fe' },
    ])
    expect(specChanges(service({ selector: { app: 'web' } }), service())).toEqual([{ field: 'spec.selector', before: 'app=web' }])
  })

  it('treats an empty selector like none (the API drops {}) and key order as noise', () => {
    expect(specChanges(service({ selector: {} }), service())).toEqual([])
    expect(specChanges(service({ selector: { a: '1', b: '2' } }), service({ selector: { b: '2', a: '1' } }))).toEqual([])
  })
})

describe('exposures', () => {
  const sp = (over: Partial<PlannedServicePort>): PlannedServicePort =>
    ({ namespace: 'ns', name: 'lb', protocol: 'TCP', port: 443, nodePort: 0, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], ...over }) as PlannedServicePort
  it('lists NodePorts, external IPs and LB VIPs per source range (open to all without ranges)', () => {
    expect(exposures([sp({ nodePort: 31000, externalIPs: ['192.0.2.1'], loadBalancerIPs: ['2001:db8::1'] })]).map((e) => e.text)).toEqual([
      'NodePort 31000/TCP',
      'externalIP 192.0.2.1:443/TCP',
      'LoadBalancer [2001:db8::1]:443/TCP from ::/0',
    ])
    expect(exposures([sp({ loadBalancerIPs: ['198.51.100.1'], loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.0.0/16'] })]).map((e) => e.text)).toEqual([
      'LoadBalancer 198.51.100.1:443/TCP from 10.0.0.0/8',
      'LoadBalancer 198.51.100.1:443/TCP from 192.168.0.0/16',
    ])
  })
})

describe('summariseTrace', () => {
  const outcome = (verdict: string, probability: number, dnat?: string, masquerade = false) => ({ verdict, probability, dnat, masquerade })
  it('sums the odds of identical fates and prints percentages', () => {
    const t = { outcomes: [outcome('DNAT', 0.25, '10.0.0.1:80'), outcome('DNAT', 0.25, '10.0.0.1:80'), outcome('DNAT', 0.5, '10.0.0.2:80', true)] } as unknown as Trace
    expect(summariseTrace(t)).toBe('DNAT 10.0.0.1:80 50%, DNAT 10.0.0.2:80 +masq 50%')
    expect(summariseTrace({ outcomes: [outcome('REJECT', 1)] } as unknown as Trace)).toBe('REJECT')
    expect(summariseTrace(undefined)).toBe('unresolved')
  })
})

describe('unchangedService (diffServices skips the views of unchanged Services)', () => {
  // Seeded base/head pairs planned in full: whenever the quick check says "unchanged", every view
  // the full comparison builds is empty, and diffServices gives the same rows either way.
  it('says unchanged only where the full comparison finds nothing, and diffServices agrees with it off', () => {
    let skipped = 0
    let changed = 0
    for (let seed = 0; seed < 150; seed++) {
      const p = seededPair(seed, seed % 2 === 0 ? 0.9 : 0)
      const base = planFromSources({ files: [...p.cluster, ...p.base] }).value
      const head = planFromSources({ files: [...p.cluster, ...p.head] }).value
      const bp = portsByService(base.servicePorts)
      const hp = portsByService(head.servicePorts)
      for (const b of base.services) {
        const h = head.services.find((s) => s.namespace === b.namespace && s.name === b.name)
        if (h === undefined) continue
        const k = `${b.namespace}/${b.name}`
        const [bports, hports] = [bp.get(k) ?? [], hp.get(k) ?? []]
        const views = [specChanges(b, h), allocationChanges(b, h), endpointChanges(bports, hports), ...Object.values(exposureSets(bports, hports))]
        if (unchangedService(b, h, bports, hports)) {
          skipped++
          for (const v of views) expect(v, `seed ${seed} ${k}`).toEqual([])
        } else if (views.some((v) => v.length > 0)) changed++
      }
      expect(diffServices(base, head, [], true), `seed ${seed}`).toEqual(diffServices(base, head, [], false))
    }
    expect(skipped).toBeGreaterThan(300)
    expect(changed).toBeGreaterThan(100)
  })

  it('a change in any field it reads is not unchanged', () => {
    const sp = (over: Partial<PlannedServicePort> = {}): PlannedServicePort =>
      ({ spn: 'ns/web:http', namespace: 'ns', name: 'web', protocol: 'TCP', port: 80, nodePort: 30080, externalIPs: [], loadBalancerIPs: [], loadBalancerSourceRanges: [], endpoints: [{ endpoint: '10.0.0.1:8080', ready: true, serving: true, terminating: false }], ...over }) as unknown as PlannedServicePort
    expect(unchangedService(service(), service(), [sp()], [sp()])).toBe(true)
    const edits: [Partial<PlannedService>, Partial<PlannedServicePort>][] = [
      [{ selector: { app: 'x' } }, {}],
      [{ ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8081, nodePort: 30080, nodePortOrigin: 'preview' }] }, {}],
      [{ clusterIPs: ['10.96.0.6'] }, {}],
      [{ healthCheckNodePort: 31000 }, {}],
      [{ loadBalancerIngress: ['1.2.3.4'] }, {}],
      [{}, { loadBalancerIPs: ['1.2.3.4'] }],
      [{}, { endpoints: [{ endpoint: '10.0.0.1:8080', ready: false, serving: true, terminating: true }] as unknown as PlannedServicePort['endpoints'] }],
      [{}, { nodePort: 30081 }],
    ]
    for (const [s, p] of edits) expect(unchangedService(service(), service(s), [sp()], [sp(p)]), JSON.stringify([s, p])).toBe(false)
  })
})

/** The exposure diff's two lists, as diffServices computes them. */
function exposureSets(b: readonly PlannedServicePort[], h: readonly PlannedServicePort[]): { opened: string[]; closed: string[] } {
  const bt = new Set(exposures(b).map((e) => e.text))
  const ht = new Set(exposures(h).map((e) => e.text))
  return { opened: [...ht].filter((t) => !bt.has(t)), closed: [...bt].filter((t) => !ht.has(t)) }
}
