/**
 * EndpointSlices → the sorted endpoint list of every service port, for one IP family.
 *
 * Mirrors pkg/proxy/endpointslicecache.go (endpointInfoByServicePort, addEndpoints and the
 * byEndpoint sort) and pkg/proxy/endpoint.go newBaseEndpointInfo.
 */
import { issue, type Issue } from '../issues.ts'
import type { EndpointSlice, IPFamily, Protocol } from '../model/k8s.ts'
import { versionAtLeast, type KubernetesVersion } from '../model/version.ts'
import { joinHostPort } from '../net/ip.ts'
import { canonicalIP } from './canonical-ip.ts'
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
  /** kube-proxy's release: how a duplicated endpoint is resolved ({@link duplicateRule}). */
  readonly version: KubernetesVersion
}

/**
 * Which copy of an endpoint (same `ip:port` for one service port) endpointslicecache.go
 * addEndpoints keeps when it meets it again:
 * - `local` (1.31–1.33): the first copy, unless the later one is on this node
 *   (`if _, exists := endpointSet[key]; !exists || isLocal`);
 * - `non-terminating` (1.34+): the later copy, unless it is terminating, so a ready copy wins over
 *   a terminating one. The release that switched is UNVERIFIED (seen in code of the 1.34–1.35 era).
 */
export type DuplicateRule = 'local' | 'non-terminating'

/** The duplicate rule of a kube-proxy release. */
export function duplicateRule(v: KubernetesVersion): DuplicateRule {
  return versionAtLeast(v, '1.34') ? 'non-terminating' : 'local'
}

/** What the plan assumes when it met a duplicated endpoint with different conditions. */
export function duplicateAssumption(v: KubernetesVersion): string {
  return duplicateRule(v) === 'non-terminating'
    ? `kube-proxy ${v} keeps the non-terminating copy of an endpoint listed twice (same IP and port; endpointslicecache.go addEndpoints); the release that introduced this is UNVERIFIED (1.34 assumed; earlier releases keep the first copy unless a later one is local)`
    : `kube-proxy ${v} keeps the first copy of an endpoint listed twice (same IP and port), unless a later copy is on the rendered node (endpointslicecache.go addEndpoints); slices are read in Go map order upstream, by name here. Newer releases (1.34 assumed, UNVERIFIED) prefer the non-terminating copy`
}

/**
 * Builds every service port's endpoints from `slices`.
 *
 * - Slices of another `addressType` (and FQDN) or without the service-name label are ignored.
 * - Slice ports with a nil name or a nil/0 port are ignored; the key is (ns, svc, name, protocol).
 * - Only `addresses[0]` is used, sloppy-parsed and printed canonically.
 * - Duplicates (same `ip:port`, in one slice or across slices): resolved by the release's
 *   {@link duplicateRule}. Upstream iterates slices in Go map order; we use slice-name order so
 *   the outcome is deterministic. Copies with different conditions are reported (info).
 * - Each list is sorted byte-wise by `ip:port` (`10.0.0.10:80` before `10.0.0.1:80`).
 *
 * @returns endpoints keyed by {@link servicePortKey}.
 */
export function buildEndpointsMap(slices: readonly EndpointSlice[], opts: EndpointOptions, issues: Issue[] = []): Map<string, ProxyEndpoint[]> {
  const sets: EndpointSets = new Map()
  for (const group of slicesByService(slices, opts.family).values()) addSlices(group, opts, sets, issues)
  return sortedEndpoints(sets)
}

/** Each service port's endpoints by `ip:port`, keyed by {@link servicePortKey}. */
export type EndpointSets = Map<string, Map<string, ProxyEndpoint>>

/**
 * The slices of `family` labelled with a Service, per `ns/service` (first-seen order), each list
 * in slice-name order: the order {@link buildEndpointsMap} reads them in.
 */
export function slicesByService(slices: readonly EndpointSlice[], family: IPFamily): Map<string, EndpointSlice[]> {
  const byService = new Map<string, EndpointSlice[]>()
  for (const slice of slices) {
    if (slice.addressType !== family) continue
    const svcName = slice.metadata.labels[SERVICE_NAME_LABEL]
    if (svcName === undefined || svcName === '') continue
    const key = `${slice.metadata.namespace}/${svcName}`
    const list = byService.get(key)
    if (list) list.push(slice)
    else byService.set(key, [slice])
  }
  for (const group of byService.values()) group.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
  return byService
}

/** Adds one Service's slices (a {@link slicesByService} list) to `sets`; `touched` gets every key they write. */
export function addSlices(group: readonly EndpointSlice[], opts: EndpointOptions, sets: EndpointSets, issues: Issue[], touched?: Set<string>): void {
  for (const slice of group) addSlice(slice, opts, sets, issues, touched)
}

/** The sets as lists sorted byte-wise by `ip:port`. */
export function sortedEndpoints(sets: EndpointSets): Map<string, ProxyEndpoint[]> {
  const out = new Map<string, ProxyEndpoint[]>()
  for (const [key, set] of sets) {
    out.set(
      key,
      [...set.values()].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0)),
    )
  }
  return out
}

function addSlice(slice: EndpointSlice, opts: EndpointOptions, sets: EndpointSets, issues: Issue[], touched: Set<string> | undefined): void {
  const ns = slice.metadata.namespace
  const svcName = slice.metadata.labels[SERVICE_NAME_LABEL] ?? ''
  // Parse each endpoint once per slice, not once per slice port.
  const parsed = slice.endpoints.map((_ep, i) => parseEndpoint(slice, i, opts, issues))
  for (const port of slice.ports) {
    if (port.name === undefined) continue
    if (port.port === undefined || port.port === 0) continue
    // The apiserver defaults a slice port's protocol to TCP.
    const key = servicePortKey(servicePortNameString(ns, svcName, port.name), port.protocol ?? 'TCP')
    touched?.add(key)
    let set = sets.get(key)
    if (!set) {
      set = new Map()
      sets.set(key, set)
    }
    for (const base of parsed) {
      if (base === undefined) continue
      const ep = withPort(base, port.port)
      const prev = set.get(ep.endpoint)
      if (prev === undefined) {
        set.set(ep.endpoint, ep)
        continue
      }
      const replace = duplicateRule(opts.version) === 'non-terminating' ? !ep.terminating : ep.isLocal
      if (replace) set.set(ep.endpoint, ep)
      if (prev.ready !== ep.ready || prev.serving !== ep.serving || prev.terminating !== ep.terminating || prev.isLocal !== ep.isLocal) {
        const kept = replace ? ep : prev
        issues.push(
          issue(
            'proxy/duplicate-endpoint',
            'info',
            `EndpointSlice ${ns}/${slice.metadata.name}: endpoint ${ep.endpoint} of ${svcName} is listed more than once with different conditions; kube-proxy ${opts.version} uses the ${conditionsText(kept)} copy.`,
            { ref: slice.ref, path: 'endpoints', source: slice.locate('endpoints') },
          ),
        )
      }
    }
  }
}

type EndpointBase = Omit<ProxyEndpoint, 'port' | 'endpoint'>

/**
 * `{ ...base, port, endpoint }` written out: bases differ in which optional fields they carry, so
 * an object spread here took V8's generic copy for each of the ≈ 10⁵ endpoints of a large plan.
 */
function withPort(base: EndpointBase, port: number): ProxyEndpoint {
  const ep: { -readonly [K in keyof ProxyEndpoint]: ProxyEndpoint[K] } = {
    ip: base.ip,
    isLocal: base.isLocal,
    ready: base.ready,
    serving: base.serving,
    terminating: base.terminating,
    port,
    endpoint: joinHostPort(base.ip, port),
  }
  if (base.zoneHints !== undefined) ep.zoneHints = base.zoneHints
  if (base.nodeHints !== undefined) ep.nodeHints = base.nodeHints
  if (base.nodeName !== undefined) ep.nodeName = base.nodeName
  if (base.targetRef !== undefined) ep.targetRef = base.targetRef
  return ep
}

function conditionsText(ep: ProxyEndpoint): string {
  const state = ep.ready ? 'ready' : ep.terminating ? (ep.serving ? 'serving terminating' : 'terminating') : ep.serving ? 'serving not-ready' : 'not-ready'
  return `${state}${ep.isLocal ? ', local' : ''}`
}

function parseEndpoint(slice: EndpointSlice, i: number, opts: EndpointOptions, issues: Issue[]): EndpointBase | undefined {
  const ep = slice.endpoints[i]
  if (ep === undefined || ep.addresses.length === 0) return undefined
  const text = ep.addresses[0] ?? ''
  const ip = canonicalIP(text, opts.family)
  if (ip === undefined) {
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
  // Built by assignment, not conditional spreads (V8's generic copy per endpoint; see withPort).
  const base: { -readonly [K in keyof EndpointBase]: EndpointBase[K] } = {
    ip,
    isLocal: ep.nodeName !== undefined && ep.nodeName === opts.nodeName,
    ready: ep.conditions.ready ?? true,
    serving: ep.conditions.serving ?? true,
    terminating: ep.conditions.terminating ?? false,
  }
  if (zoneHints.length > 0) base.zoneHints = zoneHints
  if (nodeHints.length > 0) base.nodeHints = nodeHints
  if (ep.nodeName !== undefined) base.nodeName = ep.nodeName
  if (ref?.name !== undefined) base.targetRef = { kind: ref.kind ?? 'Pod', namespace: ref.namespace ?? slice.metadata.namespace, name: ref.name }
  return base
}
