/**
 * plan/service-endpoints.ts: a Service's endpoints skip the sort when the slices list them in
 * order already, and are not copied when no endpoint has a hostname. Both must give what sorting
 * and copying always gave: compared with that computation (kept below as the reference) on
 * generated slices (IPv4 and IPv6, equal addresses with and without targets, hostnames,
 * addresses that do not parse), in and out of order, headless and not.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { serviceEndpointsAndDns } from '../../src/core/plan/service-endpoints.ts'
import type { EndpointSlice, Service } from '../../src/core/model/k8s.ts'
import { parseIPSloppy } from '../../src/core/net/ip.ts'
import { endpointSliceFromRaw, serviceFromRaw } from '../helpers/k8s-from-raw.ts'

/** The endpoints as serviceEndpointsAndDns computed them before the shortcuts: always sorted, always copied. */
function reference(slices: readonly EndpointSlice[]): unknown[] {
  const out: Record<string, unknown>[] = []
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue
    const ports = slice.ports.filter((p) => p.port !== undefined).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' }))
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0]
      if (ip === undefined) continue
      const ready = ep.conditions.ready ?? true
      const t = ep.targetRef
      // Sorted key order (the JSON report's native stringify).
      const e: Record<string, unknown> = {}
      if (ep.hostname) e['hostname'] = ep.hostname
      e['ip'] = ip
      if (ep.nodeName !== undefined) e['node'] = ep.nodeName
      e['ports'] = ports
      e['ready'] = ready
      e['serving'] = ep.conditions.serving ?? ready
      if (t?.name) e['target'] = `${t.kind ?? 'Pod'} ${t.namespace ?? slice.metadata.namespace}/${t.name}`
      e['terminating'] = ep.conditions.terminating ?? false
      out.push(e)
    }
  }
  const key = (s: string) => ({ text: s, parsed: parseIPSloppy(s) })
  const cmp = (a: ReturnType<typeof key>, b: ReturnType<typeof key>): number => {
    const x = a.parsed
    const y = b.parsed
    if (x === undefined || y === undefined) return a.text < b.text ? -1 : a.text > b.text ? 1 : 0
    if (x.family !== y.family) return x.family === 'IPv4' ? -1 : 1
    return x.value < y.value ? -1 : x.value > y.value ? 1 : 0
  }
  return out
    .map((e) => ({ e, k: key(e['ip'] as string) }))
    .sort((a, b) => cmp(a.k, b.k) || ((a.e['target'] as string | undefined) ?? '').localeCompare((b.e['target'] as string | undefined) ?? ''))
    .map(({ e }) => {
      const { hostname: _h, ...rest } = e
      return rest
    })
}

const arbEndpoint = fc.record({
  ip: fc.constantFrom('10.1.0.1', '10.1.0.2', '10.1.0.10', '9.0.0.1', 'fd00::1', 'fd00::a', 'not-an-ip', '010.1.0.1'),
  target: fc.constantFrom(undefined, 'p1', 'p2', 'P3'),
  hostname: fc.constantFrom(undefined, undefined, undefined, 'h1', 'h2'),
  ready: fc.constantFrom(undefined, true, false),
})

describe('serviceEndpointsAndDns', () => {
  it('gives the sorted, hostname-free endpoints of the reference, in order or not', () => {
    let inOrder = 0
    let outOfOrder = 0
    let withHostname = 0
    fc.assert(
      fc.property(fc.array(fc.array(arbEndpoint, { maxLength: 6 }), { maxLength: 3 }), fc.boolean(), fc.boolean(), (raw, sortFirst, headless) => {
        const order = (xs: typeof raw[number]) => (sortFirst ? [...xs].sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0)) : xs)
        // The raw-object helper reads no targetRef or hostname: they are set on its result.
        const slices = raw.map((eps, i) => {
          const slice = endpointSliceFromRaw({
            kind: 'EndpointSlice',
            metadata: { name: `s-${i}`, namespace: 'ns', labels: { 'kubernetes.io/service-name': 'svc' } },
            addressType: 'IPv4',
            ports: [{ name: 'p', protocol: 'TCP', port: 80 }],
            endpoints: order(eps).map((e) => ({
              addresses: [e.ip],
              conditions: e.ready === undefined ? {} : { ready: e.ready },
            })),
          })
          const endpoints = slice.endpoints.map((ep, k) => {
            const e = order(eps)[k] as (typeof eps)[number]
            return { ...ep, ...(e.target ? { targetRef: { kind: 'Pod', name: e.target } } : {}), ...(e.hostname ? { hostname: e.hostname } : {}) }
          })
          return { ...slice, endpoints } as EndpointSlice
        })
        const svc: Service = serviceFromRaw({
          kind: 'Service',
          metadata: { name: 'svc', namespace: 'ns' },
          spec: { clusterIP: headless ? 'None' : '172.30.0.1', ports: [{ name: 'p', port: 80, protocol: 'TCP' }] },
        })
        const got = serviceEndpointsAndDns(svc, slices, 'cluster.local')
        if (slices.some((sl) => sl.endpoints.some((e) => e.hostname !== undefined))) withHostname++
        const want = reference(slices)
        expect(JSON.stringify(got.endpoints)).toBe(JSON.stringify(want))
        for (const e of got.endpoints) expect(Object.keys(e)).not.toContain('hostname')
        const ips = slices.flatMap((s) => s.endpoints.map((e) => e.addresses[0] as string))
        if (JSON.stringify(ips) === JSON.stringify(want.map((e) => (e as { ip: string }).ip))) inOrder++
        else outOfOrder++
      }),
      { numRuns: 600, seed: 16 },
    )
    expect(inOrder).toBeGreaterThan(100)
    expect(outOfOrder).toBeGreaterThan(100)
    expect(withHostname).toBeGreaterThan(100)
  })
})
