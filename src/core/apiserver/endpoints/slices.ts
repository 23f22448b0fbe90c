/**
 * @module apiserver/endpoints/slices
 * What the EndpointSlice controller writes for one Service with a selector, mirroring
 * pkg/controller/endpointslice/endpointslice_controller.go syncService and
 * staging/src/k8s.io/endpointslice reconciler.go / utils.go (podToEndpoint, ShouldPodBeInEndpoints):
 * matching pods of the Service's namespace, one group per (address type, port list), at most
 * `maxEndpointsPerSlice` endpoints per slice, and a placeholder slice for a family with none.
 * Which endpoint lands in which slice is unspecified upstream; we fill in sorted order.
 */
import type { Building } from '../../building.ts'
import type { Endpoint, EndpointPort, EndpointSlice, IPFamily, Node, Pod, Service } from '../../model/k8s.ts'
import { trafficDistributions } from '../../model/feature-gates.ts'
import type { KubernetesVersion } from '../../model/version.ts'
import { ipFamilyOf } from '../../net/ip.ts'
import { safeSuffix } from '../allocate/seed.ts'
import { endpointPorts, portsKey } from './ports.ts'

/** kube-controller-manager --max-endpoints-per-slice default. */
export const MAX_ENDPOINTS_PER_SLICE = 100
/** The controller's managed-by label value. */
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io'
const ZONE_LABEL = 'topology.kubernetes.io/zone'

/** Equality-based selector match (all keys). An empty selector selects nothing here (callers skip it). */
export function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  // Keys, not Object.entries: an array of pairs per pod and Service otherwise.
  for (const k of Object.keys(selector)) if (labels[k] !== selector[k]) return false
  return true
}

/**
 * Pods by namespace, then by each of their labels (key, then value), in input order. Scanning
 * every pod for every Service made endpoint computation O(Services × Pods) — quadratic for
 * workload-heavy repositories (bench: 3 000 Deployment-backed Services took 7 s); the upstream
 * controller uses a pod informer indexed the same way. Nested maps, not a joined string key: a
 * key string per pod label and per selector term was built and hashed on every lookup. Cached
 * per pods array (the stage passes the same array for every Service); the length check guards
 * against an array reused after being appended to.
 */
type PodIndex = Map<string, Map<string, Map<string, Pod[]>>>

const podIndexes = new WeakMap<readonly Pod[], { readonly size: number; readonly index: PodIndex }>()

function podIndex(pods: readonly Pod[]): PodIndex {
  const cached = podIndexes.get(pods)
  if (cached !== undefined && cached.size === pods.length) return cached.index
  const index: PodIndex = new Map()
  // Replicas of one workload share their labels object (workloads/expand.ts): the buckets of the
  // previous pod are reused when the next one has the same labels and namespace.
  let prevLabels: Readonly<Record<string, string>> | undefined
  let prevNs = ''
  let prevBuckets: Pod[][] = []
  for (const p of pods) {
    const ns = p.metadata.namespace
    const labels = p.metadata.labels
    if (labels === prevLabels && ns === prevNs) {
      for (const b of prevBuckets) b.push(p)
      continue
    }
    let byKey = index.get(ns)
    if (byKey === undefined) {
      byKey = new Map()
      index.set(ns, byKey)
    }
    const buckets: Pod[][] = []
    for (const k of Object.keys(labels)) {
      const v = labels[k] as string
      let byValue = byKey.get(k)
      if (byValue === undefined) {
        byValue = new Map()
        byKey.set(k, byValue)
      }
      const list = byValue.get(v)
      if (list === undefined) byValue.set(v, [p])
      else list.push(p)
      buckets.push(list ?? (byValue.get(v) as Pod[]))
    }
    prevLabels = labels
    prevNs = ns
    prevBuckets = buckets
  }
  podIndexes.set(pods, { size: pods.length, index })
  return index
}

/** Pods of the Service's namespace its selector matches (before endpoint filtering), in input order. */
export function selectedPods(svc: Service, pods: readonly Pod[]): Pod[] {
  const sel = svc.spec.selector
  if (sel === undefined || Object.keys(sel).length === 0) return []
  // Every match carries each selector label, so the smallest such bucket holds all matches, in
  // input order; filtering it with the full selector gives exactly the linear scan's result.
  const byKey = podIndex(pods).get(svc.metadata.namespace)
  if (byKey === undefined) return []
  let smallest: Pod[] | undefined
  for (const k of Object.keys(sel)) {
    const bucket = byKey.get(k)?.get(sel[k] as string)
    if (bucket === undefined) return []
    if (smallest === undefined || bucket.length < smallest.length) smallest = bucket
  }
  return (smallest ?? []).filter((p) => p.metadata.namespace === svc.metadata.namespace && selects(sel, p.metadata.labels))
}

/** The address families the Service's slices use (spec.ipFamilies, else the clusterIPs' families). */
export function serviceFamilies(svc: Service, primary: IPFamily): IPFamily[] {
  if (svc.spec.ipFamilies && svc.spec.ipFamilies.length > 0) return [...svc.spec.ipFamilies]
  const fams = (svc.spec.clusterIPs ?? (svc.spec.clusterIP ? [svc.spec.clusterIP] : []))
    .map((ip) => ipFamilyOf(ip))
    .filter((f): f is IPFamily => f !== undefined)
  return fams.length > 0 ? fams : [primary]
}

/** ShouldPodBeInEndpoints(includeTerminating=true) plus the node-existence rule of syncService. */
export function podEligible(pod: Pod, svc: Service, nodeNames: ReadonlySet<string> | undefined): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return false
  if (pod.podIPs.length === 0) return false
  if (nodeNames !== undefined && !svc.spec.publishNotReadyAddresses && (pod.nodeName === undefined || !nodeNames.has(pod.nodeName))) {
    return false
  }
  return true
}

const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode'
const ANNOTATION_TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints'

/**
 * Topology Aware Routing requested by annotation (staging/src/k8s.io/endpointslice utils.go
 * hintsEnabled): the deprecated `topology-aware-hints` wins over `topology-mode` when both are
 * set; only `Auto`/`auto` enable it. The reconciler then takes the topology-cache path and the
 * `trafficDistribution` heuristic is not applied at all.
 */
export function topologyHintsEnabled(annotations: Readonly<Record<string, string>>): boolean {
  const val = annotations[ANNOTATION_TOPOLOGY_HINTS] ?? annotations[ANNOTATION_TOPOLOGY_MODE]
  return val === 'Auto' || val === 'auto'
}

/**
 * The hints trafficdist.go writes for a ready endpoint, for the values this release's controller
 * knows (PreferSameZone/PreferSameNode need PreferSameTrafficDistribution): PreferClose and
 * PreferSameZone hint the endpoint's zone; PreferSameNode hints its node, and its zone too so a
 * kube-proxy without node hints falls back to the zone (UNVERIFIED: the zone hint).
 */
function hintsFor(svc: Service, version: KubernetesVersion, node: string | undefined, zone: string | undefined): Endpoint['hints'] {
  const td = svc.spec.trafficDistribution
  if (td === undefined || topologyHintsEnabled(svc.metadata.annotations) || !trafficDistributions(version).includes(td)) return undefined
  if (td === 'PreferSameNode') {
    if (node === undefined) return undefined
    return { forNodes: [{ name: node }], ...(zone !== undefined ? { forZones: [{ name: zone }] } : {}) }
  }
  return zone !== undefined ? { forZones: [{ name: zone }] } : undefined
}

function toEndpoint(pod: Pod, ip: string, svc: Service, nodes: ReadonlyMap<string, Node>, version: KubernetesVersion): Endpoint {
  // podToEndpoint: serving is podutil.IsPodReady, true only for a Ready condition with status
  // "True"; a Pod that says nothing about readiness (phase Running, no conditions) is not ready.
  const serving = pod.ready === true
  const terminating = pod.terminating
  const ready = svc.spec.publishNotReadyAddresses === true || (serving && !terminating)
  // podToEndpoint sets the zone only for a non-empty label.
  const zone = (pod.nodeName ? nodes.get(pod.nodeName)?.metadata.labels[ZONE_LABEL] : undefined) || undefined
  // trafficdist.go: only ready endpoints get hints, and none when the topology annotation took
  // over (its CPU-proportional hints are not predicted).
  const hints = ready ? hintsFor(svc, version, pod.nodeName, zone) : undefined
  // Assigned field by field in the literal order (building.ts), not with conditional spreads.
  const e: Building<Endpoint> = { addresses: [ip], conditions: { ready, serving, terminating } }
  if (pod.nodeName !== undefined) e.nodeName = pod.nodeName
  if (zone !== undefined) e.zone = zone
  if (hints !== undefined) e.hints = hints
  e.targetRef = { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name }
  // podToEndpoint: the hostname is published only under the Service the Pod names as subdomain.
  if (pod.hostname !== undefined && pod.subdomain === svc.metadata.name) e.hostname = pod.hostname
  return e as Endpoint
}

const RESERVED_LABELS = new Set(['kubernetes.io/service-name', 'endpointslice.kubernetes.io/managed-by', 'service.kubernetes.io/headless'])

function sliceOf(svc: Service, family: IPFamily, group: string, idx: number, endpoints: Endpoint[], ports: readonly EndpointPort[]): EndpointSlice {
  const ns = svc.metadata.namespace
  const name = `${svc.metadata.name}-${safeSuffix(`${ns}/${svc.metadata.name}#slice#${family}#${group}#${idx}`, 5)}`
  const labels: Record<string, string> = {}
  const own = svc.metadata.labels
  for (const k of Object.keys(own)) if (!RESERVED_LABELS.has(k)) labels[k] = own[k] as string
  labels['kubernetes.io/service-name'] = svc.metadata.name
  labels['endpointslice.kubernetes.io/managed-by'] = CONTROLLER_NAME
  if (svc.spec.clusterIP === 'None' || !svc.spec.clusterIP) labels['service.kubernetes.io/headless'] = ''
  const metadata = {
    name,
    namespace: ns,
    labels,
    annotations: {},
    ownerReferences: [{ kind: 'Service', name: svc.metadata.name, controller: true }],
  }
  return {
    kind: 'EndpointSlice',
    ref: { kind: 'EndpointSlice', namespace: ns, name },
    metadata,
    source: svc.source,
    locate: () => svc.locate('spec.selector'),
    origin: svc.origin,
    raw: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: family },
    addressType: family,
    endpoints,
    ports,
    computed: true,
  }
}

/** The Nodes as {@link computeSlices} reads them, built once for all Services. */
export interface SliceNodes {
  readonly byName: ReadonlyMap<string, Node>
  /** Names for the "pod's Node must exist" rule; undefined when the rule is skipped. */
  readonly names: ReadonlySet<string> | undefined
}

/** {@link SliceNodes} of `nodes`. */
export function sliceNodes(nodes: readonly Node[]): SliceNodes {
  const byName = new Map(nodes.map((n) => [n.metadata.name, n]))
  // The "pod's Node must exist" rule needs real Nodes: with synthesised ones (none were given) a
  // snapshot's pods would all be dropped, so the rule is skipped then.
  const names = nodes.length > 0 && nodes.every((n) => n.synthesised) ? undefined : new Set(byName.keys())
  return { byName, names }
}

/**
 * Computes the Service's slices from `matched`, its {@link selectedPods} (the caller has them
 * already for its limits and findings; selecting again cost a second index walk per Service).
 */
export function computeSlices(
  svc: Service,
  matched: readonly Pod[],
  nodes: SliceNodes,
  primary: IPFamily,
  version: KubernetesVersion,
  maxPerSlice = MAX_ENDPOINTS_PER_SLICE,
): EndpointSlice[] {
  const nodeMap = nodes.byName
  const nodeNames = nodes.names
  const candidates = matched
    .filter((p) => podEligible(p, svc, nodeNames))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
  const out: EndpointSlice[] = []
  for (const family of serviceFamilies(svc, primary)) {
    const groups = new Map<string, { ports: EndpointPort[]; endpoints: Endpoint[] }>()
    // getEndpointPorts reads nothing of the pod but its container ports, and the replicas of a
    // workload share one containerPorts array (their template's): the port list and its key are
    // built once per run of pods with the same array, not once per pod.
    let lastContainerPorts: Pod['containerPorts'] | undefined
    let ports: EndpointPort[] = []
    let key = ''
    for (const pod of candidates) {
      const ip = pod.podIPs.find((x) => ipFamilyOf(x) === family)
      if (ip === undefined) continue
      if (pod.containerPorts !== lastContainerPorts) {
        ports = endpointPorts(pod, svc.spec.ports)
        key = portsKey(ports)
        lastContainerPorts = pod.containerPorts
      }
      let g = groups.get(key)
      if (g === undefined) {
        g = { ports, endpoints: [] }
        groups.set(key, g)
      }
      g.endpoints.push(toEndpoint(pod, ip, svc, nodeMap, version))
    }
    if (groups.size === 0) {
      out.push(sliceOf(svc, family, 'placeholder', 0, [], []))
      continue
    }
    for (const key of [...groups.keys()].sort()) {
      const g = groups.get(key) as { ports: EndpointPort[]; endpoints: Endpoint[] }
      for (let i = 0; i * maxPerSlice < g.endpoints.length; i++) {
        out.push(sliceOf(svc, family, key, i, g.endpoints.slice(i * maxPerSlice, (i + 1) * maxPerSlice), g.ports))
      }
    }
  }
  return out
}
