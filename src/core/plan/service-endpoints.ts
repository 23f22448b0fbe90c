/**
 * @module plan/service-endpoints
 * What a Service's EndpointSlices hold and, for a headless Service, the records CoreDNS serves
 * from them. Headless Services get no kube-proxy rules, so this is their whole answer.
 *
 * DNS follows the Kubernetes DNS specification as CoreDNS's `kubernetes` plugin implements it:
 * `<svc>.<ns>.svc.<domain>` has one A (IPv4) or AAAA (IPv6) record per ready endpoint address
 * (not-ready ones too when `publishNotReadyAddresses`, which the EndpointSlice controller already
 * marks ready), and an endpoint with a `hostname` (a Pod whose `subdomain` names the Service, e.g.
 * a StatefulSet pod under its `serviceName`) also gets `<hostname>.<svc>.<ns>.svc.<domain>`.
 */
import type { Building } from '../building.ts'
import type { EndpointSlice, IPFamily, Protocol, Service } from '../model/k8s.ts'
import { parseIPSloppy } from '../net/ip.ts'
import type { ParsedIP } from '../net/ip.ts'
import type { DnsRecord, ServiceEndpoint } from './types.ts'

/** The cluster domain when the ClusterProfile does not set `clusterDomain` (kubelet's default). */
export const DEFAULT_CLUSTER_DOMAIN = 'cluster.local'

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/** A slice endpoint with the hostname it publishes, for the DNS records. */
interface HeldEndpoint extends ServiceEndpoint {
  readonly hostname?: string
}

/** Slices of every Service by `ns/name`, as the `kubernetes.io/service-name` label ties them. */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>()
  for (const s of slices) {
    const svc = s.metadata.labels[SERVICE_NAME_LABEL]
    if (svc === undefined) continue
    const key = `${s.metadata.namespace}/${svc}`
    const list = out.get(key)
    if (list === undefined) out.set(key, [s])
    else list.push(s)
  }
  return out
}

/** An address with its parse, so sorting parses each address once rather than per comparison. */
interface IPKey {
  readonly text: string
  readonly parsed: ParsedIP | undefined
}

const ipKey = (text: string): IPKey => ({ text, parsed: parseIPSloppy(text) })

/** IPv4 before IPv6, by value; text order when either does not parse. */
function compareIP(a: IPKey, b: IPKey): number {
  const x = a.parsed
  const y = b.parsed
  if (x === undefined || y === undefined) return a.text < b.text ? -1 : a.text > b.text ? 1 : 0
  if (x.family !== y.family) return x.family === 'IPv4' ? -1 : 1
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0
}

/**
 * Every endpoint of the slices, IPv4 before IPv6, by address. Like kube-proxy
 * (endpointslicecache.go) only the first address counts and FQDN slices are skipped; nil
 * `ready` / `serving` mean true and nil `terminating` false.
 */
function heldEndpoints(slices: readonly EndpointSlice[]): HeldEndpoint[] {
  const out: HeldEndpoint[] = []
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue
    const ports = slice.ports
      .filter((p): p is typeof p & { port: number } => p.port !== undefined)
      .map((p) => ({ name: p.name ?? '', port: p.port, protocol: (p.protocol ?? 'TCP') as Protocol }))
    for (const ep of slice.endpoints) {
      const ip = ep.addresses[0]
      if (ip === undefined) continue
      const ready = ep.conditions.ready ?? true
      const t = ep.targetRef
      // Assigned field by field (building.ts), not with conditional spreads, in sorted key order:
      // the JSON report then prints the plan with V8's own stringify (report/native-json.ts).
      const e: Building<HeldEndpoint> = {}
      if (ep.hostname) e.hostname = ep.hostname
      e.ip = ip
      if (ep.nodeName !== undefined) e.node = ep.nodeName
      e.ports = ports
      e.ready = ready
      e.serving = ep.conditions.serving ?? ready
      if (t?.name) e.target = `${t.kind ?? 'Pod'} ${t.namespace ?? slice.metadata.namespace}/${t.name}`
      e.terminating = ep.conditions.terminating ?? false
      out.push(e as HeldEndpoint)
    }
  }
  // Same comparisons as sorting `out` by its addresses directly (the sort is stable), with each
  // address parsed once.
  const keys = out.map((e) => ipKey(e.ip))
  const order = (i: number, j: number): number => compareIP(keys[i] as IPKey, keys[j] as IPKey) || ((out[i] as HeldEndpoint).target ?? '').localeCompare((out[j] as HeldEndpoint).target ?? '')
  // Slices mostly list their endpoints in this order already: a stable sort of an ordered list
  // leaves it as it is, so one pass of comparisons instead of the sort and its two arrays.
  let sorted = true
  for (let i = 1; i < out.length && sorted; i++) sorted = order(i - 1, i) <= 0
  if (sorted) return out
  return out
    .map((_, i) => i)
    .sort(order)
    .map((i) => out[i] as HeldEndpoint)
}

/**
 * Records of one name: an A record set for the IPv4 addresses, an AAAA one for IPv6. With no
 * address at all, the families in `whenEmpty` are listed without addresses (the Service's own
 * name exists and answers none), so the name is always shown.
 */
function recordsFor(name: string, ips: readonly string[], whenEmpty: readonly IPFamily[] = []): DnsRecord[] {
  const unique = [...new Set(ips)].map(ipKey).sort(compareIP)
  const v4 = unique.filter((k) => k.parsed?.family === 'IPv4').map((k) => k.text)
  const v6 = unique.filter((k) => k.parsed?.family === 'IPv6').map((k) => k.text)
  const always = unique.length === 0 ? whenEmpty.slice(0, 1) : []
  const out: DnsRecord[] = []
  // Keys in sorted order, for the JSON report's native stringify (report/native-json.ts).
  if (v4.length > 0 || always.includes('IPv4')) out.push({ addresses: v4, name, type: 'A' })
  if (v6.length > 0 || always.includes('IPv6')) out.push({ addresses: v6, name, type: 'AAAA' })
  return out
}

/** The DNS answers of a headless Service: the Service name, then each hostname by name. */
function headlessRecords(svc: Service, endpoints: readonly HeldEndpoint[], domain: string): DnsRecord[] {
  const base = `${svc.metadata.name}.${svc.metadata.namespace}.svc.${domain}`
  // CoreDNS serves an endpoint when it is ready; publishNotReadyAddresses makes the controller
  // publish every endpoint ready, and a hand-written slice may still say otherwise.
  const served = endpoints.filter((e) => e.ready || svc.spec.publishNotReadyAddresses === true)
  const out = recordsFor(base, served.map((e) => e.ip), svc.spec.ipFamilies ?? [])
  const byHost = new Map<string, string[]>()
  for (const e of served) if (e.hostname !== undefined) byHost.set(e.hostname, [...(byHost.get(e.hostname) ?? []), e.ip])
  for (const host of [...byHost.keys()].sort()) out.push(...recordsFor(`${host}.${base}`, byHost.get(host) ?? []))
  return out
}

/** True for a Service kube-proxy skips as headless and DNS answers with endpoints. */
export function isHeadlessService(svc: Service): boolean {
  return svc.spec.type !== 'ExternalName' && svc.spec.clusterIP === 'None'
}

/** The endpoints (and, when headless, DNS records) of one Service. */
export function serviceEndpointsAndDns(
  svc: Service,
  slices: readonly EndpointSlice[],
  domain: string,
): { endpoints: ServiceEndpoint[]; dns?: DnsRecord[] } {
  const held = heldEndpoints(slices)
  // Without a hostname an endpoint has the fields (and order) of its copy without it: no copy.
  const endpoints: ServiceEndpoint[] = held.some((e) => e.hostname !== undefined) ? held.map(({ hostname: _hostname, ...e }) => e) : held
  return isHeadlessService(svc) ? { endpoints, dns: headlessRecords(svc, held, domain) } : { endpoints }
}
