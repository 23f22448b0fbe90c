import { describe, expect, it } from 'vitest'
import { allocationChanges, exposures, specChanges } from '../../src/core/diff/services.ts'
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
