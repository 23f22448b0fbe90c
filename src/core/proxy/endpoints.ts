/**
 * EndpointSlices → the sorted endpoint list of every service port, for one IP family.
 *
 * Mirrors pkg/proxy/endpointslicecache.go (endpointInfoByServicePort, addEndpoints and the
 * byEndpoint sort) and pkg/proxy/endpoint.go newBaseEndpointInfo.
 */
import { issue, type Issue } from '../issues.ts'
import type { EndpointSlice, IPFamily, Protocol } from '../model/k8s.ts'
import { formatIP, joinHostPort, parseIPSloppy } from '../net/ip.ts'
import { servicePortNameString } from './service-port.ts'
import type { ProxyEndpoint } from './types.ts'

/** Label that ties an EndpointSlice to its Service (discovery.LabelServiceName). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/** Map key for a service port: ServicePortName plus protocol, as kube-proxy's maps are keyed. */
export function servicePortKey(spn: string, protocol: Protocol): string {
  return `${spn}\u0000${protocol}`
}

/** What decides whether an endpoint is local and which hints it keeps. */
export interface EndpointOptions {
  readonly family: IPFamily
  /** kube-proxy's node name. */
  readonly nodeName: string
  /** Feature gate PreferSameTrafficDistribution: node hints are read only when it is on. */
  readonly nodeHints: boolean
}

/**
 * Builds every service port's endpoints from `slices`.
 *
 * - Slices of another `addressType` (and FQDN) or without the service-name label are ignored.
 * - Slice ports with a nil name or a nil/0 port are ignored; the key is (ns, svc, name, protocol).
 * - Only `addresses[0]` is used, sloppy-parsed and printed canonically.
 * - Duplicates (same `ip:port`) across slices: a later one replaces an earlier one only when the
 *   later one is not terminating. Upstream iterates slices in Go map order; we use slice-name
 *   order so the outcome is deterministic.
 * - Each list is sorted byte-wise by `ip:port` (`10.0.0.10:80` before `10.0.0.1:80`).
 *
 * @returns endpoints keyed by {@link servicePortKey}.
 */
export function buildEndpointsMap(slices: readonly EndpointSlice[], opts: EndpointOptions, issues: Issue[] = []): Map<string, ProxyEndpoint[]> {
  const byService = new Map<string, EndpointSlice[]>()
  for (const slice of slices) {
    if (slice.addressType !== opts.family) continue
    const svcName = slice.metadata.labels[SERVICE_NAME_LABEL]
    if (svcName === undefined || svcName === '') continue
    const key = `${slice.metadata.namespace}/${svcName}`
    const list = byService.get(key)
    if (list) list.push(slice)
    else byService.set(key, [slice])
  }

  const sets = new Map<string, Map<string, ProxyEndpoint>>()
  for (const group of byService.values()) {
    group.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
    for (const slice of group) addSlice(slice, opts, sets, issues)
  }

  const out = new Map<string, ProxyEndpoint[]>()
  for (const [key, set] of sets) {
    out.set(
      key,
      [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)),
    )
  }
  return out
}

function addSlice(slice: EndpointSlice, opts: EndpointOptions, sets: Map<string, Map<string, ProxyEndpoint>>, issues: Issue[]): void {
  const ns = slice.metadata.namespace
  const svcName = slice.metadata.labels[SERVICE_NAME_LABEL] ?? ''
  // Parse each endpoint once per slice, not once per slice port.
  const parsed = slice.endpoints.map((_ep, i) => parseEndpoint(slice, i, opts, issues))
  for (const port of slice.ports) {
    if (port.name === undefined) continue
    if (port.port === undefined || port.port === 0) continue
    // The apiserver defaults a slice port's protocol to TCP.
    const key = servicePortKey(servicePortNameString(ns, svcName, port.name), port.protocol ?? 'TCP')
    let set = sets.get(key)
    if (!set) {
      set = new Map()
      sets.set(key, set)
    }
    for (const base of parsed) {
      if (base === undefined) continue
      const ep: ProxyEndpoint = { ...base, port: port.port, endpoint: joinHostPort(base.ip, port.port) }
      const prev = set.get(ep.endpoint)
      // Prefer a non-terminating copy of a duplicated endpoint (newest endpointslicecache.go).
      if (prev === undefined || !ep.terminating) set.set(ep.endpoint, ep)
    }
  }
}

type EndpointBase = Omit<ProxyEndpoint, 'port' | 'endpoint'>

function parseEndpoint(slice: EndpointSlice, i: number, opts: EndpointOptions, issues: Issue[]): EndpointBase | undefined {
  const ep = slice.endpoints[i]
  if (ep === undefined || ep.addresses.length === 0) return undefined
  const text = ep.addresses[0] ?? ''
  const ip = parseIPSloppy(text)
  if (ip === undefined || ip.family !== opts.family) {
    const path = `endpoints[${i}].addresses[0]`
    issues.push(
      issue('proxy/invalid-endpoint-address', 'warning', `EndpointSlice ${slice.metadata.namespace}/${slice.metadata.name}: ${path}: "${text}" is not a valid ${opts.family} address; kube-proxy ignores this endpoint.`, {
        ref: slice.ref,
        path,
        source: slice.locate(path),
      }),
    )
    return undefined
  }
  const zoneHints = ep.hints?.forZones?.map((z) => z.name) ?? []
  const nodeHints = opts.nodeHints ? (ep.hints?.forNodes?.map((n) => n.name) ?? []) : []
  const ref = ep.targetRef
  return {
    ip: formatIP(ip),
    isLocal: ep.nodeName !== undefined && ep.nodeName === opts.nodeName,
    ready: ep.conditions.ready ?? true,
    serving: ep.conditions.serving ?? true,
    terminating: ep.conditions.terminating ?? false,
    ...(zoneHints.length > 0 ? { zoneHints } : {}),
    ...(nodeHints.length > 0 ? { nodeHints } : {}),
    ...(ep.nodeName !== undefined ? { nodeName: ep.nodeName } : {}),
    ...(ref?.name !== undefined
      ? { targetRef: { kind: ref.kind ?? 'Pod', namespace: ref.namespace ?? slice.metadata.namespace, name: ref.name } }
      : {}),
  }
}
