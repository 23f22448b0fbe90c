/**
 * @module plan/services
 * The per-Service part of the plan: effective type, addresses, ports and where each allocated
 * value came from (the apiserver stage's allocation report merged in).
 */
import type { Building } from '../building.ts'
import { sortedSpan } from '../issues.ts'
import type { PortAllocation, ServiceAllocation, ValueOrigin } from '../apiserver/types.ts'
import type { EndpointSlice, Service } from '../model/k8s.ts'
import { DEFAULT_CLUSTER_DOMAIN, isHeadlessService, serviceEndpointsAndDns, slicesByService } from './service-endpoints.ts'
import { existingOfUpdates, keyOf } from './updates.ts'
import { readOnce } from './read-once.ts'
import type { PlannedPort, PlannedService } from './types.ts'

/**
 * Summarises every Service kube-proxy will see, sorted by namespace/name.
 *
 * @param services the Services after updates were merged (one per name)
 * @param allocations the apiserver stage's allocation report
 * @param existingByKey the existing side of every updated Service, so values carried over from
 *   it are labelled `existing` even when the stage labelled them `requested`
 * @param slices the EndpointSlices kube-proxy sees, for each Service's endpoints
 * @param clusterDomain the DNS domain of headless Services' records
 * @param lazyEndpoints each Service's `endpoints` and `dns` built on first read ({@link addEndpointsOnRead});
 *   `false`: built here (test/core/plan/lazy-endpoints.test.ts compares both)
 */
export function planServices(
  services: readonly Service[],
  allocations: readonly ServiceAllocation[],
  existingByKey: ReadonlyMap<string, Service>,
  slices: readonly EndpointSlice[],
  clusterDomain: string,
  lazyEndpoints = true,
  views: ServiceViews = {},
): PlannedService[] {
  const bySvc = slicesByService(slices)
  const allocByKey = allocationsByKey(allocations)
  // Each Service's `ns/name` once: the sort compared two keys built per comparison.
  const keyed = services.map((s) => {
    const key = keyOf(s)
    const allocs = allocByKey.get(key) ?? []
    const existing = existingByKey.get(key)
    const prior = views.reuse?.get(key)
    const slices = s.spec.type === 'ExternalName' ? [] : (bySvc.get(key) ?? [])
    // `dns` and `endpoints` go in their sorted place among planService's fields.
    const withEndpoints = (planned: Building<PlannedService>): void => {
      if (lazyEndpoints) addEndpointsOnRead(planned, s, slices, clusterDomain)
      else {
        const { endpoints, dns } = serviceEndpointsAndDns(s, slices, clusterDomain)
        if (dns !== undefined) planned.dns = dns
        planned.endpoints = endpoints
      }
    }
    const planned =
      prior !== undefined && sameViewInputs(prior, s, allocs, existing) ? copiedService(prior.planned, s, withEndpoints) : planService(s, allocs, existing, withEndpoints)
    views.record?.set(key, { s, allocs, existing, planned: planned as PlannedService })
    // The planned Service's `namespace/name`, as the sort read it.
    return { key, planned: planned as PlannedService }
  })
  return keyed.sort((a, b) => cmp(a.key, b.key)).map((k) => k.planned)
}

/**
 * The allocation report's entries by the `namespace/name` of their Service, in report order.
 * `prior`: another report and its entries' keys, taken for an entry that is its object at the
 * same place (the key is a function of the entry).
 */
function allocationsByKey(allocations: readonly ServiceAllocation[], prior?: Placed['allocations'], keys?: string[]): Map<string, ServiceAllocation[]> {
  const allocByKey = new Map<string, ServiceAllocation[]>()
  for (let i = 0; i < allocations.length; i++) {
    const a = allocations[i] as ServiceAllocation
    const key = prior !== undefined && prior.list[i] === a ? (prior.keys[i] as string) : `${a.namespace}/${a.name}`
    keys?.push(key)
    const list = allocByKey.get(key)
    if (list === undefined) allocByKey.set(key, [a])
    else list.push(a)
  }
  return allocByKey
}

/** The Services and allocation entries an index was built from, and the key of each, by place. */
interface Placed {
  readonly services: { readonly list: readonly Service[]; readonly keys: readonly string[] }
  readonly allocations: { readonly list: readonly ServiceAllocation[]; readonly keys: readonly string[] }
}

/** What each index was built from (for another side's index, {@link serviceIndex} `prior`). */
const placed = new WeakMap<ServiceIndex, Placed>()

/** What {@link planService} builds one Service's view from (its endpoints and records aside). */
export interface ServiceInputs {
  readonly s: Service
  readonly allocs: readonly ServiceAllocation[]
  readonly existing: Service | undefined
}

/** What {@link planService} made one Service's view of, and the view. */
export interface ServiceView extends ServiceInputs {
  readonly planned: PlannedService
}

/**
 * One plan's Services by `namespace/name`, as {@link planServices} takes them: the inputs of
 * each one's view, and the view itself built when first asked. planDiff compares most Services
 * by their inputs (the same objects on both sides: the same view but for `source` and
 * endpoints) and asks for the views of the others only: building all 1k views of each side was
 * most of its Service comparison (bench diff-1kx10), for 10 changed Services.
 */
export interface ServiceIndex {
  /** Every Service's `namespace/name`, in planServices' order. */
  readonly keys: readonly string[]
  inputs(key: string): ServiceInputs | undefined
  /** The view planServices gives the Service (the same fields in the same order), built once. */
  view(key: string): PlannedService | undefined
}

/** What {@link serviceIndexOf} reads of a plan's common stages (plan/stages.ts `PlanCommon`, not imported: stages.ts imports this module). */
export interface IndexedCommon {
  readonly inventory: { readonly services: readonly Service[] }
  readonly services: readonly Service[]
  readonly endpointSlices: readonly EndpointSlice[]
  readonly api: { readonly value: { readonly allocations: readonly ServiceAllocation[] } }
  readonly cluster: { readonly value: { readonly profile: { readonly clusterDomain?: string | undefined } } }
}

/**
 * {@link serviceIndex} of the Services assemblePlan (plan/stages.ts) gives planServices: the
 * same Services, allocation report, slices and cluster domain, and the existing side of every
 * updated Service computed as it computes it.
 */
export function serviceIndexOf(common: IndexedCommon, prior?: ServiceIndex): ServiceIndex | undefined {
  const domain = common.cluster.value.profile.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN
  return serviceIndex(common.services, common.api.value.allocations, existingOfUpdates(common.inventory.services), common.endpointSlices, domain, prior)
}

/**
 * The {@link ServiceIndex} of {@link planServices}' arguments (lazy endpoints). Undefined when
 * two Services have one `namespace/name` (planServices lists both; a key then names neither).
 * `prior`: another side's index (planDiff's base for its head), whose keys are taken for the
 * Services (same metadata object) and allocation entries (same object) at the same place: the
 * head's Services are mostly the base's in the base's order, and their keys were built, hashed
 * and looked up once more (1k of each at 1k Services), now shared strings compared by pointer.
 */
export function serviceIndex(
  services: readonly Service[],
  allocations: readonly ServiceAllocation[],
  existingByKey: ReadonlyMap<string, Service>,
  slices: readonly EndpointSlice[],
  clusterDomain: string,
  prior?: ServiceIndex,
): ServiceIndex | undefined {
  const before = prior !== undefined ? placed.get(prior) : undefined
  const allocationKeys: string[] = []
  const allocByKey = allocationsByKey(allocations, before?.allocations, allocationKeys)
  const byKey = new Map<string, ServiceInputs>()
  const serviceKeys: string[] = []
  for (let i = 0; i < services.length; i++) {
    const s = services[i] as Service
    // keyOf reads the metadata only.
    const key = before !== undefined && before.services.list[i]?.metadata === s.metadata ? (before.services.keys[i] as string) : keyOf(s)
    if (byKey.has(key)) return undefined
    byKey.set(key, { s, allocs: allocByKey.get(key) ?? [], existing: existingByKey.get(key) })
    serviceKeys.push(key)
  }
  // planServices' order: by key (its sort is stable and the keys are distinct).
  const keys = [...byKey.keys()].sort(cmp)
  let bySvc: ReadonlyMap<string, readonly EndpointSlice[]> | undefined
  const views = new Map<string, PlannedService>()
  const index: ServiceIndex = {
    keys,
    inputs: (key) => byKey.get(key),
    view(key) {
      let planned = views.get(key)
      if (planned !== undefined) return planned
      const i = byKey.get(key)
      if (i === undefined) return undefined
      // planServices' slices of the Service and lazy endpoints; the slices grouped only when
      // some view's endpoints are read (a diff reads those of created Services only).
      const own = (): readonly EndpointSlice[] => {
        if (i.s.spec.type === 'ExternalName') return []
        bySvc ??= slicesByService(slices)
        return bySvc.get(key) ?? []
      }
      planned = planService(i.s, i.allocs, i.existing, (o) => addEndpointsOnRead(o, i.s, own, clusterDomain)) as PlannedService
      views.set(key, planned)
      return planned
    },
  }
  placed.set(index, { services: { list: services, keys: serviceKeys }, allocations: { list: allocations, keys: allocationKeys } })
  return index
}

/** The two sides' inputs are the same objects: {@link planService} gives both the same fields but `source` (and endpoints, from their slices). */
export function sameServiceInputs(a: ServiceInputs, b: ServiceInputs): boolean {
  return sameViewInputs(a, b.s, b.allocs, b.existing)
}

/**
 * Views one plan records for another (`record`, planDiff's base) or takes from another where
 * their inputs are the same objects (`reuse`, planDiff's head), by `namespace/name`.
 */
export interface ServiceViews {
  readonly record?: Map<string, ServiceView>
  readonly reuse?: ReadonlyMap<string, ServiceView>
}

/**
 * {@link planService} reads of the Service its `spec`, `status`, `origin`, namespace, name and
 * `source`, the allocation entries and the existing object: with all but `source` the same
 * objects it builds the same fields but `source`.
 */
function sameViewInputs(v: ServiceInputs, s: Service, allocs: readonly ServiceAllocation[], existing: Service | undefined): boolean {
  if (v.existing !== existing || v.allocs.length !== allocs.length) return false
  for (let i = 0; i < allocs.length; i++) if (v.allocs[i] !== allocs[i]) return false
  const b = v.s
  return b === s || (b.spec === s.spec && b.status === s.status && b.origin === s.origin && b.metadata.namespace === s.metadata.namespace && b.metadata.name === s.metadata.name)
}

/**
 * {@link planService} of a Service whose other inputs another plan's view `b` was built from
 * ({@link sameViewInputs}): `b`'s fields, assigned in the same order and under the same
 * conditions (each optional field is set there only with a defined value), with `s`'s source and
 * its own endpoints.
 * The data is shared with `b` (read-only); test/core/plan/lazy-endpoints.test.ts compares both.
 */
function copiedService(b: PlannedService, s: Service, withEndpoints: (o: Building<PlannedService>) => void): Building<PlannedService> {
  // planService's order (sorted keys, for the JSON report's native stringify).
  const o: Building<PlannedService> = {}
  if (b.clusterIPOrigin !== undefined) o.clusterIPOrigin = b.clusterIPOrigin
  o.clusterIPs = b.clusterIPs
  withEndpoints(o)
  o.externalIPs = b.externalIPs
  o.externalTrafficPolicy = b.externalTrafficPolicy
  if (b.healthCheckNodePort !== undefined) {
    o.healthCheckNodePort = b.healthCheckNodePort
    o.healthCheckNodePortOrigin = b.healthCheckNodePortOrigin as NonNullable<PlannedService['healthCheckNodePortOrigin']>
  }
  o.internalTrafficPolicy = b.internalTrafficPolicy
  o.ipFamilies = b.ipFamilies
  if (b.ipFamilyPolicy !== undefined) o.ipFamilyPolicy = b.ipFamilyPolicy
  o.loadBalancerIngress = b.loadBalancerIngress
  o.loadBalancerSourceRanges = b.loadBalancerSourceRanges
  o.name = b.name
  o.namespace = b.namespace
  if (b.notProxied !== undefined) o.notProxied = b.notProxied
  if (b.operation !== undefined) o.operation = b.operation
  o.origin = b.origin
  o.ports = b.ports
  if (b.selector !== undefined) o.selector = b.selector
  o.sessionAffinity = b.sessionAffinity
  o.source = sortedSpan(s.source)
  o.type = b.type
  o.update = b.update
  return o
}

/**
 * Adds `endpoints` (and, for a headless Service, `dns`) to a planned Service as enumerable
 * properties computed on first read, in the place and with the values assigning them here gives
 * (JSON, spreads and comparisons read them as data; `dns` exactly when `serviceEndpointsAndDns`
 * returns it, i.e. for a headless Service), as `PlanResult.services` itself is built on first
 * read. A diff reads the views of every Service but the endpoints of none (its endpoint changes
 * come from the service ports): building them was half of both sides' views (bench diff-1kx10:
 * 10k endpoints a side), work a diff of 10 changed Services threw away.
 */
function addEndpointsOnRead(planned: Building<PlannedService>, s: Service, slices: readonly EndpointSlice[] | (() => readonly EndpointSlice[]), clusterDomain: string): void {
  ENDPOINTS_AND_DNS.define(planned, { s, slices, clusterDomain }, isHeadlessService(s) ? ['dns', 'endpoints'] : ['endpoints'])
}

/** A planned Service's endpoints and records, built from its Service, slices (or what gives them) and domain. */
const ENDPOINTS_AND_DNS = readOnce(
  (h: { readonly s: Service; readonly slices: readonly EndpointSlice[] | (() => readonly EndpointSlice[]); readonly clusterDomain: string }) =>
    serviceEndpointsAndDns(h.s, typeof h.slices === 'function' ? h.slices() : h.slices, h.clusterDomain),
  ['endpoints', 'dns'],
)

/** A planned Service's `type`: the spec's, `ClusterIP` when unset. */
export function plannedType(s: Service): PlannedService['type'] {
  return s.spec.type === '' ? 'ClusterIP' : s.spec.type
}

function portKey(name: string, protocol: string, port: number): string {
  return `${name}\0${protocol}\0${port}`
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Where a value came from: `existing` when an update keeps the existing object's value, else
 * what the apiserver stage says for that value, else `requested` (proposed) / `existing`.
 */
function originOf(s: Service, keptFromExisting: boolean, reported: ValueOrigin | undefined): ValueOrigin {
  if (keptFromExisting) return 'existing'
  return reported ?? (s.origin === 'existing' ? 'existing' : 'requested')
}

function ipsOf(s: Service | undefined): readonly string[] {
  if (s === undefined) return []
  return s.spec.clusterIPs && s.spec.clusterIPs.length > 0 ? s.spec.clusterIPs : s.spec.clusterIP ? [s.spec.clusterIP] : []
}

/**
 * Values come from the Service as kube-proxy sees it (the apiserver stage fills in what it
 * allocates); the allocation report only contributes origins and the values the spec lacks. An
 * update may have an allocation entry per side, so entries are matched by value.
 */
function planService(
  s: Service,
  allocs: readonly ServiceAllocation[],
  existing: Service | undefined,
  withEndpoints: (o: Building<PlannedService>) => void,
): Building<PlannedService> {
  const spec = s.spec
  const type = plannedType(s)
  const specIPs = ipsOf(s)
  const clusterIPs = specIPs.length > 0 ? specIPs : (allocs.find((a) => a.clusterIPs.length > 0)?.clusterIPs ?? [])
  const ipKey = clusterIPs.join(',')
  const ipAlloc = allocs.find((a) => a.clusterIPs.join(',') === ipKey)
  const clusterIPOrigin = originOf(s, existing !== undefined && ipsOf(existing).join(',') === ipKey, ipAlloc?.clusterIPOrigin)

  // Indexed once per Service: filtering every allocation for every port was O(ports²), 102 s
  // for one valid Service with 100k ports.
  const entriesByPort = new Map<string, PortAllocation[]>()
  for (const a of allocs) {
    for (const ap of a.ports) {
      const k = portKey(ap.name, ap.protocol, ap.port)
      const list = entriesByPort.get(k)
      if (list === undefined) entriesByPort.set(k, [ap])
      else list.push(ap)
    }
  }
  const oldNodePorts = new Map<string, number>()
  for (const op of existing?.spec.ports ?? []) if (!oldNodePorts.has(op.name)) oldNodePorts.set(op.name, op.nodePort ?? 0)
  const ports: PlannedPort[] = spec.ports.map((p) => {
    const entries = entriesByPort.get(portKey(p.name, p.protocol, p.port)) ?? []
    const nodePort = p.nodePort || (entries.find((e) => e.nodePort)?.nodePort ?? 0)
    const reported = entries.find((e) => e.nodePort === nodePort)?.nodePortOrigin
    const oldNodePort = oldNodePorts.get(p.name) ?? 0
    const nodePortOrigin = originOf(s, existing !== undefined && nodePort === oldNodePort, reported)
    // Assigned field by field (building.ts), not with conditional spreads, in sorted key order
    // (the JSON report's native stringify, report/native-json.ts).
    const planned: Building<PlannedPort> = { name: p.name, nodePort }
    if (nodePort !== 0) planned.nodePortOrigin = nodePortOrigin
    planned.port = p.port
    planned.protocol = p.protocol
    if (p.targetPort !== undefined) planned.targetPort = p.targetPort
    return planned as PlannedPort
  })
  const hcnp = spec.healthCheckNodePort || allocs.find((a) => a.healthCheckNodePort)?.healthCheckNodePort
  const hcnpReported = allocs.find((a) => a.healthCheckNodePort === hcnp)?.healthCheckNodePortOrigin
  const hcnpOrigin = originOf(s, existing !== undefined && hcnp === existing.spec.healthCheckNodePort, hcnpReported)
  const ipFamilyPolicy = spec.ipFamilyPolicy ?? allocs.find((a) => a.ipFamilyPolicy)?.ipFamilyPolicy
  const operation = allocs.find((a) => a.operation)?.operation ?? (s.origin === 'existing' ? 'existing' : existing ? 'update' : 'create')
  const notProxied =
    type === 'ExternalName'
      ? 'ExternalName Service: resolved by DNS only, kube-proxy writes no rules'
      : clusterIPs.length === 0 || clusterIPs[0] === 'None'
        ? 'headless Service: no cluster IP, kube-proxy writes no rules (DNS returns the endpoints)'
        : undefined

  // Assigned field by field (building.ts), not with conditional spreads, in sorted key order: the
  // JSON report then prints the plan with V8's own stringify (report/native-json.ts).
  const o: Building<PlannedService> = {}
  if (clusterIPs.length > 0 && !notProxied) o.clusterIPOrigin = clusterIPOrigin
  o.clusterIPs = clusterIPs
  withEndpoints(o)
  o.externalIPs = spec.externalIPs ?? []
  o.externalTrafficPolicy = spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster'
  if (hcnp) {
    o.healthCheckNodePort = hcnp
    o.healthCheckNodePortOrigin = hcnpOrigin
  }
  o.internalTrafficPolicy = spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster'
  o.ipFamilies = spec.ipFamilies && spec.ipFamilies.length > 0 ? spec.ipFamilies : (ipAlloc?.ipFamilies ?? [])
  if (ipFamilyPolicy) o.ipFamilyPolicy = ipFamilyPolicy
  o.loadBalancerIngress = (s.status.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((x) => x !== '')
  o.loadBalancerSourceRanges = spec.loadBalancerSourceRanges ?? []
  o.name = s.metadata.name
  o.namespace = s.metadata.namespace
  if (notProxied) o.notProxied = notProxied
  if (operation) o.operation = operation
  o.origin = s.origin
  o.ports = ports
  if (spec.selector !== undefined) o.selector = spec.selector
  o.sessionAffinity = spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None'
  o.source = sortedSpan(s.source)
  o.type = type
  o.update = existing !== undefined
  return o
}
