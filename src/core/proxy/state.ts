/**
 * The backend-neutral front end: Services + EndpointSlices → every service port of one family
 * with its sorted and categorised endpoints (kube-proxy's svcPortMap + endpointsMap +
 * CategorizeEndpoints), in the renderer's fixed order.
 */
import type { Issue, Staged } from '../issues.ts'
import type { ProxyConfig } from '../model/cluster.ts'
import type { EndpointSlice, Service } from '../model/k8s.ts'
import { addSlices, duplicateAssumption, servicePortKey, slicesByService, sortedEndpoints, type EndpointSets } from './endpoints.ts'
import { gateEnabled, LOAD_BALANCER_IP_MODE, PREFER_SAME_TRAFFIC_DISTRIBUTION } from '../model/feature-gates.ts'
import { serviceToServicePorts, type ServicePortOptions } from './service-port.ts'
import { categorizeEndpoints, type TopologyContext } from './topology.ts'
import type { ProxyState, ServicePortInfo, ServicePortPlan } from './types.ts'

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The renderer's fixed service-port order (kube-proxy ranges over a Go map, and proxier_test.go
 * sortIPTablesRules orders rules by `ns/name` only, so one order must be chosen): `ns/name`, then the
 * ServicePortName string, then protocol, all byte-wise. kube-proxy itself iterates a Go map.
 */
export function compareServicePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  return (
    compareStrings(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`) ||
    compareStrings(a.spn, b.spn) ||
    compareStrings(a.protocol, b.protocol)
  )
}

/** What, besides a Service and its slices, decides its service ports (the proxy configuration read here). */
interface FrontInputs {
  readonly family: ProxyConfig['ipFamily']
  readonly nodeName: string
  readonly zone: string
  readonly nodeHints: boolean
  readonly loadBalancerIPMode: boolean
  readonly version: ProxyConfig['kubernetesVersion']
}

/** One Service's service ports as one plan built them: no issue came of its Service or slices. */
interface ServiceFront {
  readonly svc: Service
  /** Its slices (a `slicesByService` list), none when it has none. */
  readonly slices: readonly EndpointSlice[] | undefined
  /** Every service-port key its slices write. */
  readonly written: ReadonlySet<string>
  readonly plans: readonly ServicePortPlan[]
  /** Each plan's `servicePortKey`, in order (built once, when recorded). */
  readonly keys: readonly string[]
}

/** The Services' front ends one plan recorded for another (planDiff: base → head), by `ns/name`. */
export interface FrontEndMemo {
  inputs?: FrontInputs
  readonly services: Map<string, ServiceFront>
}

/** An empty memo for a plan to record into. */
export function newFrontEndMemo(): FrontEndMemo {
  return { services: new Map() }
}

/** Record this plan's front end (`record`) or take another plan's recorded one where provably the same (`reuse`). */
export interface FrontEndReuse {
  readonly record?: FrontEndMemo
  readonly reuse?: FrontEndMemo
}

const sameInputs = (a: FrontInputs, b: FrontInputs | undefined): boolean =>
  b !== undefined && a.family === b.family && a.nodeName === b.nodeName && a.zone === b.zone && a.nodeHints === b.nodeHints && a.loadBalancerIPMode === b.loadBalancerIPMode && a.version === b.version

/** The fields serviceToServicePorts reads (issues aside) are the same objects. */
const sameService = (a: Service, b: Service): boolean => a === b || (a.metadata === b.metadata && a.spec === b.spec && a.status === b.status)

/** The fields addSlice reads (issues aside) are the same objects, slice by slice (a loop: `every` with a closure per Service was ≈ 1 ms at 1k Services). */
function sameSlices(a: readonly EndpointSlice[], b: readonly EndpointSlice[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as EndpointSlice
    const y = b[i] as EndpointSlice
    if (x !== y && !(x.metadata === y.metadata && x.addressType === y.addressType && x.endpoints === y.endpoints && x.ports === y.ports)) return false
  }
  return true
}

/**
 * Like {@link buildProxyState}, also returning the issues found (unparsable cluster IPs,
 * endpoint addresses kube-proxy would ignore).
 *
 * `front.reuse`: another plan's recorded front end, taken for each Service whose own fields and
 * slices are the recorded objects, with the same configuration inputs. Exact because a Service's
 * service ports read only those, and its endpoints only the sets of its ports' keys: a recorded
 * Service had no issue and its port keys were written by its own slices only, and the checks
 * below make sure no other slice writes its keys, and its slices write no key another Service
 * reads, in this plan either. When one fails, everything is built in full.
 */
export function buildProxyStateStaged(services: readonly Service[], slices: readonly EndpointSlice[], cfg: ProxyConfig, front: FrontEndReuse = {}): Staged<ProxyState> {
  const issues: Issue[] = []
  const family = cfg.ipFamily
  // Gates at the kube-proxy release's defaults unless the KubeProxyConfiguration sets them.
  const nodeHints = gateEnabled(cfg.featureGates, PREFER_SAME_TRAFFIC_DISTRIBUTION, cfg.kubernetesVersion)
  const portOpts: ServicePortOptions = { loadBalancerIPMode: gateEnabled(cfg.featureGates, LOAD_BALANCER_IP_MODE, cfg.kubernetesVersion) }
  const inputs: FrontInputs = { family, nodeName: cfg.nodeName, zone: cfg.nodeZone ?? '', nodeHints, loadBalancerIPMode: portOpts.loadBalancerIPMode === true, version: cfg.kubernetesVersion }
  const prior = front.reuse !== undefined && sameInputs(inputs, front.reuse.inputs) ? front.reuse : undefined
  const opts = { family, nodeName: cfg.nodeName, nodeHints, version: cfg.kubernetesVersion }

  // One Service per ns/name: a later object replaces an earlier one, like the change tracker.
  const byName = new Map<string, Service>()
  for (const svc of services) byName.set(`${svc.metadata.namespace}/${svc.metadata.name}`, svc)
  const groups = slicesByService(slices, family)
  // The recorded Services taken, and the keys their slices write (with the Service writing them).
  const taken = new Map<string, ServiceFront>()
  const takenWrites = new Map<string, string>()
  if (prior !== undefined) {
    for (const [key, svc] of byName) {
      const rec = prior.services.get(key)
      const group = groups.get(key)
      if (rec === undefined || !sameService(svc, rec.svc) || (group === undefined ? rec.slices !== undefined : rec.slices === undefined || !sameSlices(group, rec.slices))) continue
      taken.set(key, rec)
      for (const k of rec.written) {
        if (takenWrites.has(k)) return buildProxyStateStaged(services, slices, cfg)
        takenWrites.set(k, key)
      }
    }
  }

  const items: { info: ServicePortInfo; plan?: ServicePortPlan }[] = []
  const infosOf = new Map<string, ServicePortInfo[]>()
  const clean = new Set<string>()
  for (const [key, svc] of byName) {
    const rec = taken.get(key)
    if (rec !== undefined) {
      for (const plan of rec.plans) items.push({ info: plan.info, plan })
      continue
    }
    const before = issues.length
    const infos = serviceToServicePorts(svc, family, issues, portOpts)
    if (front.record !== undefined) {
      if (issues.length === before) clean.add(key)
      infosOf.set(key, infos)
    }
    for (const info of infos) {
      if (takenWrites.has(servicePortKey(info.spn, info.protocol))) return buildProxyStateStaged(services, slices, cfg)
      items.push({ info })
    }
  }
  items.sort((a, b) => compareServicePorts(a.info, b.info))

  const sets: EndpointSets = new Map()
  const written = new Map<string, Set<string>>()
  const writers = new Map<string, number>()
  for (const [key, group] of groups) {
    if (taken.has(key)) continue
    if (front.record === undefined) {
      addSlices(group, opts, sets, issues)
      continue
    }
    const before = issues.length
    const touched = new Set<string>()
    addSlices(group, opts, sets, issues, touched)
    if (issues.length !== before) clean.delete(key)
    else written.set(key, touched)
    for (const k of touched) writers.set(k, (writers.get(k) ?? 0) + 1)
  }
  // Another Service's slices write a key a taken Service's slices write, or one it reads.
  for (const k of takenWrites.keys()) if (sets.has(k)) return buildProxyStateStaged(services, slices, cfg)
  for (const [key, rec] of taken) {
    for (const k of rec.keys) if (sets.has(k) || (takenWrites.get(k) ?? key) !== key) return buildProxyStateStaged(services, slices, cfg)
  }
  const endpointsMap = sortedEndpoints(sets)
  const ctx: TopologyContext = { nodeName: cfg.nodeName, zone: cfg.nodeZone ?? '', nodeHintsEnabled: nodeHints }
  let totalEndpoints = 0
  const servicePorts: ServicePortPlan[] = items.map(({ info, plan }) => {
    if (plan !== undefined) {
      totalEndpoints += plan.endpoints.length
      return plan
    }
    const endpoints = endpointsMap.get(servicePortKey(info.spn, info.protocol)) ?? []
    // largeClusterEndpointsThreshold counts every endpoint of every proxied service port.
    totalEndpoints += endpoints.length
    return { info, endpoints, categorized: categorizeEndpoints(endpoints, info, ctx) }
  })
  if (front.record !== undefined) {
    front.record.inputs = inputs
    const planOf = new Map(servicePorts.map((p) => [p.info, p] as const))
    for (const [key, svc] of byName) {
      const infos = infosOf.get(key)
      if (infos === undefined || !clean.has(key)) continue
      // Its port keys written by its own slices only (or by none).
      const own = written.get(key) ?? new Set<string>()
      const keys = infos.map((info) => servicePortKey(info.spn, info.protocol))
      const alone = keys.every((k) => {
        const n = writers.get(k) ?? 0
        return n === 0 || (n === 1 && own.has(k))
      })
      if (alone) front.record.services.set(key, { svc, slices: groups.get(key), written: own, plans: infos.map((i) => planOf.get(i) as ServicePortPlan), keys })
    }
  }
  const assumptions = issues.some((i) => i.code === 'proxy/duplicate-endpoint') ? [duplicateAssumption(cfg.kubernetesVersion)] : []
  return { value: { family, servicePorts, totalEndpoints, assumptions }, issues }
}
/**
 * kube-proxy's view of the cluster for one family: service ports sorted by (ns/name, spn,
 * protocol), each with its endpoints (sorted by `ip:port`) and categorised lists.
 *
 * @example
 * const state = buildProxyState(services, slices, cfg)
 * const ruleset = buildIptablesRuleset(state, cfg)
 */
export function buildProxyState(services: readonly Service[], slices: readonly EndpointSlice[], cfg: ProxyConfig): ProxyState {
  return buildProxyStateStaged(services, slices, cfg).value
}
