/**
 * @module plan/service-ports
 * The per-service-port part of the plan: which endpoints internal and external traffic reach on
 * the rendered node, with what odds, and what happens when there are none. Mirrors the
 * decisions of pkg/proxy/iptables/proxier.go syncProxyRules (hasEndpoints, usesClusterPolicyChain, …) on the front end's
 * categorised endpoints, so the summary and the rules cannot disagree.
 */
import type { Building } from '../building.ts'
import type { ProxyEndpoint, ProxyState, ServicePortPlan } from '../proxy/types.ts'
import type { PlannedEndpoint, PlannedServicePort, TrafficOutcome } from './types.ts'
import { readOnce } from './read-once.ts'

/**
 * Summarises every service port of the proxy state, in the renderer's order. `lazyEndpoints`:
 * each port's `endpoints` built on first read ({@link addEndpointsOnRead}); `false`: built here
 * (test/core/plan/lazy-endpoints.test.ts compares both).
 */
export function planServicePorts(state: ProxyState, nodeName: string, lazyEndpoints = true, prior?: PriorPortViews): PlannedServicePort[] {
  const taken = lazyEndpoints && prior !== undefined && prior.nodeName === nodeName ? viewsByPlan(prior.ports) : undefined
  if (taken === undefined) return state.servicePorts.map((sp) => planServicePort(sp, nodeName, lazyEndpoints))
  return state.servicePorts.map((sp) => taken.get(sp) ?? planServicePort(sp, nodeName, lazyEndpoints))
}

/**
 * Another plan's service-port views, for a plan whose front end took some of that plan's port
 * plans (planDiff's head, proxy/state.ts `FrontEndReuse`): a view is a function of its port plan
 * and the node's name only ({@link planServicePort}), so a port plan that is the other plan's
 * object, on the same node, has that plan's view. Its fields are read-only data and its endpoints
 * are built once, on the first read of either plan.
 */
export interface PriorPortViews {
  readonly nodeName: string
  readonly ports: readonly PlannedServicePort[]
}

/** Lazily built views by the port plan each was built from. */
function viewsByPlan(ports: readonly PlannedServicePort[]): Map<ServicePortPlan, PlannedServicePort> {
  const out = new Map<ServicePortPlan, PlannedServicePort>()
  for (const v of ports) {
    const held = ENDPOINTS.held(v)
    if (held !== undefined) out.set(held.sp, v)
  }
  return out
}

/** The endpoints internal and external traffic is spread over (the chains they enter). */
function trafficSets(sp: ServicePortPlan): { readonly internalSet: readonly ProxyEndpoint[]; readonly externalSet: readonly ProxyEndpoint[] } {
  const { info, categorized } = sp
  const local = categorized.localEndpoints
  return {
    // The chain internal traffic enters: KUBE-SVL (local endpoints) under ITP Local, else KUBE-SVC.
    internalSet: info.internalPolicyLocal ? local : categorized.clusterEndpoints,
    // External traffic from outside the node enters KUBE-SVL under ETP Local, else KUBE-SVC.
    externalSet: info.externalPolicyLocal ? local : categorized.clusterEndpoints,
  }
}

function planServicePort(sp: ServicePortPlan, nodeName: string, lazyEndpoints: boolean): PlannedServicePort {
  const { info, categorized } = sp
  const hasEndpoints = categorized.hasAnyEndpoints
  const local = categorized.localEndpoints
  const { internalSet, externalSet } = trafficSets(sp)
  const hasInternalEndpoints = hasEndpoints && !(info.internalPolicyLocal && local.length === 0)
  const hasExternalEndpoints = hasEndpoints && !(info.externalPolicyLocal && local.length === 0)

  const internal = outcome(hasEndpoints, hasInternalEndpoints, internalSet.length, 'internal', info.internalPolicyLocal, nodeName)
  const external = info.externallyAccessible
    ? outcome(hasEndpoints, hasExternalEndpoints, externalSet.length, 'external', info.externalPolicyLocal, nodeName)
    : undefined

  // Assigned field by field (building.ts), in sorted key order: the JSON report then prints the
  // plan with V8's own stringify (report/native-json.ts).
  const o: Building<PlannedServicePort> = { clusterIP: info.clusterIP }
  if (lazyEndpoints) addEndpointsOnRead(o, { sp, internal, external })
  else o.endpoints = plannedEndpoints(sp, internal, external)
  if (external) o.external = external
  o.externalIPs = info.externalIPs
  o.externalTrafficPolicy = info.externalPolicyLocal ? 'Local' : 'Cluster'
  o.healthCheckNodePort = info.healthCheckNodePort
  o.internal = internal
  o.internalTrafficPolicy = info.internalPolicyLocal ? 'Local' : 'Cluster'
  o.loadBalancerIPs = info.loadBalancerVIPs
  o.loadBalancerSourceRanges = info.loadBalancerSourceRanges
  o.name = info.name
  o.namespace = info.namespace
  o.nodePort = info.nodePort
  o.port = info.port
  o.portName = info.portName
  o.protocol = info.protocol
  if (info.stickyMaxAgeSeconds > 0) o.sessionAffinityTimeoutSeconds = info.stickyMaxAgeSeconds
  o.spn = info.spn
  o.topologyMode = categorized.topologyMode
  return o as PlannedServicePort
}

/** A service port's endpoints with the share of internal and external traffic each gets. */
function plannedEndpoints(sp: ServicePortPlan, internal: TrafficOutcome, external: TrafficOutcome | undefined): PlannedEndpoint[] {
  const { internalSet, externalSet } = trafficSets(sp)
  // Membership by a Set: `set.some(...)` per endpoint made this O(endpoints²) per service port.
  // Built only for traffic that is forwarded (the share is 0 otherwise), and once when both kinds
  // of traffic enter the same list (no Local policy: both are the cluster endpoints).
  const internalOn = internal.verdict === 'forward'
  const externalOn = external !== undefined && external.verdict === 'forward'
  const internalMembers = internalOn ? memberSet(internalSet) : EMPTY
  const externalMembers = !externalOn ? EMPTY : internalOn && externalSet === internalSet ? internalMembers : memberSet(externalSet)
  const share = (set: readonly ProxyEndpoint[], members: ReadonlySet<string>, ep: ProxyEndpoint, on: boolean): number =>
    on && members.has(ep.endpoint) ? 1 / set.length : 0

  // Assigned field by field (building.ts), not with conditional spreads, in sorted key order (the
  // JSON report's native stringify, report/native-json.ts).
  return sp.endpoints.map((ep) => {
    const e: Building<PlannedEndpoint> = { endpoint: ep.endpoint }
    if (external) e.externalProbability = share(externalSet, externalMembers, ep, externalOn)
    e.internalProbability = share(internalSet, internalMembers, ep, internalOn)
    e.ip = ep.ip
    e.local = ep.isLocal
    if (ep.nodeName !== undefined) e.node = ep.nodeName
    e.port = ep.port
    e.ready = ep.ready
    e.serving = ep.serving
    if (ep.targetRef) e.target = `${ep.targetRef.kind} ${ep.targetRef.namespace ? `${ep.targetRef.namespace}/` : ''}${ep.targetRef.name}`
    e.terminating = ep.terminating
    return e as PlannedEndpoint
  })
}

/** What a planned service port's endpoints are built from. */
interface PortHeld {
  readonly sp: ServicePortPlan
  readonly internal: TrafficOutcome
  readonly external: TrafficOutcome | undefined
}

/** A planned service port's endpoints, built from its front-end plan and traffic outcomes. */
const ENDPOINTS = readOnce(
  (h: PortHeld) => ({ endpoints: plannedEndpoints(h.sp, h.internal, h.external) }),
  ['endpoints'],
)

/**
 * Adds `endpoints` to a planned service port as an enumerable property computed on first read,
 * in the place and with the value assigning it gives (JSON, spreads and comparisons read it as
 * data), as `PlanResult.servicePorts` itself is built on first read. A diff reads every port of
 * both sides but the endpoints of its changed Services only (and compares the others'
 * {@link endpointSources}): building them all was most of both sides' port views (bench
 * diff-1kx10: 10k endpoints a side).
 */
function addEndpointsOnRead(o: Building<PlannedServicePort>, held: PortHeld): void {
  ENDPOINTS.define(o, held, ['endpoints'])
}

/**
 * The front end's endpoints a planned service port's `endpoints` are built from, one for one and
 * in order (`endpoint`, `ready`, `serving` and `terminating` are copied as they are), read without
 * building them; undefined for a port whose endpoints were built at once.
 */
export function endpointSources(sp: PlannedServicePort): readonly ProxyEndpoint[] | undefined {
  return ENDPOINTS.held(sp)?.sp.endpoints
}

const EMPTY: ReadonlySet<string> = new Set()

/** The `endpoint` strings of a list. */
function memberSet(set: readonly ProxyEndpoint[]): ReadonlySet<string> {
  const out = new Set<string>()
  for (const e of set) out.add(e.endpoint)
  return out
}

/** A traffic outcome; its keys in sorted order (the JSON report's native stringify). */
function outcome(
  hasEndpoints: boolean,
  hasPolicyEndpoints: boolean,
  count: number,
  kind: 'internal' | 'external',
  policyLocal: boolean,
  nodeName: string,
): TrafficOutcome {
  const what = kind === 'internal' ? 'Connections to the cluster IP' : 'Connections from outside (NodePort, external IPs, load balancer)'
  if (!hasEndpoints || (count === 0 && !policyLocal)) {
    return { endpoints: 0, summary: `${what} are rejected: the Service has no ready or serving endpoints.`, verdict: 'reject' }
  }
  if (!hasPolicyEndpoints) {
    const policy = kind === 'internal' ? 'internalTrafficPolicy' : 'externalTrafficPolicy'
    const tail = kind === 'external' ? ' Pods and processes on the node still reach the cluster-wide endpoints.' : ''
    return {
      endpoints: 0,
      summary: `${what} on node ${nodeName} are dropped: ${policy} is Local and no endpoint runs on this node.${tail}`,
      verdict: 'drop',
    }
  }
  const scope = policyLocal ? ` on node ${nodeName}` : ''
  const spread = count === 1 ? `go to the only endpoint${scope}` : `are spread over ${count} endpoints${scope}, 1/${count} each`
  const tail = kind === 'external' && policyLocal ? ' (client source IP is kept; pods and the node itself use the cluster-wide endpoints)' : ''
  return { endpoints: count, summary: `${what} ${spread}${tail}.`, verdict: 'forward' }
}
