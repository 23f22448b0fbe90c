/**
 * @module diff/node-sharing
 * Whether another node's kube-proxy writes the same rules as the default node's, decided from
 * the backends' input (configuration and front-end state) without running the backend. The
 * iptables and nftables builders (`writeIptablesRuleset`, `buildNftablesRuleset`, mirroring
 * proxier.go `syncProxyRules`) are pure functions of that input, and read of the node only:
 *
 * - the endpoint lists `CategorizeEndpoints` picked for each service port (node-local endpoints
 *   and topology hints change them per node; a port without Local policies or hints has the
 *   same lists everywhere, and its `localEndpoints` are empty);
 * - `nodeIPs`, only through `nodePortIPs` when nodePortAddresses is set;
 * - `nodeIP`, only for a KUBE-FW / firewall chain, i.e. when a port has loadBalancerSourceRanges;
 * - `nodeName`, only as the ruleset's `node` label, which the rule comparison does not read.
 *
 * So when everything else is equal, the other node's rules are the default node's: planDiff
 * then skips building, printing and comparing them again (test/diff/shortcuts.test.ts checks
 * the texts and chains are the same whenever this says so, and every diff format against the
 * full computation).
 */
import { proxyConfigFor } from '../cluster/proxy-config.ts'
import type { ProxyConfig } from '../model/cluster.ts'
import type { EndpointSlice, Protocol } from '../model/k8s.ts'
import type { PlanCommon } from '../plan/index.ts'
import type { FrontEnd } from '../plan/stages.ts'
import { SERVICE_NAME_LABEL } from '../proxy/endpoints.ts'
import type { CategorizedEndpoints, ProxyEndpoint, ProxyState, ServicePortPlan } from '../proxy/types.ts'
import { sameData } from './same-data.ts'

/** ProxyConfig fields that name the node; each is compared below only where a builder reads it. */
const NODE_FIELDS: ReadonlySet<string> = new Set(['nodeName', 'nodeIP', 'nodeIPs', 'nodeZone'])

/**
 * True when the backend would write the same tables (or nftables transaction) from `b` as from
 * `a`. False whenever unsure: the caller then builds `b`'s rules as usual.
 */
export function sameBackendInput(a: FrontEnd, b: FrontEnd): boolean {
  if (a.common.proxyMode !== b.common.proxyMode || a.common.family !== b.common.family) return false
  // nftables mode picks its rule layout from the release (nftProfileFor).
  if (a.common.cluster.value.profile.kubernetesVersion !== b.common.cluster.value.profile.kubernetesVersion) return false
  const sa = a.state.value
  const sb = b.state.value
  if (!sameState(sa, sb)) return false
  return sameConfig(a.proxy.value, b.proxy.value, hasSourceRanges(sa))
}

function hasSourceRanges(s: ProxyState): boolean {
  for (const p of s.servicePorts) if (p.info.loadBalancerSourceRanges.length > 0) return true
  return false
}

/** Every field compared, the node's own ones only where the builders read them (see the module comment). */
function sameConfig(a: ProxyConfig, b: ProxyConfig, readsNodeIP: boolean): boolean {
  const ra = a as unknown as Record<string, unknown>
  const rb = b as unknown as Record<string, unknown>
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)])) {
    if (NODE_FIELDS.has(k)) continue
    if (!sameData(ra[k], rb[k])) return false
  }
  if ((a.nodePortAddresses.length > 0 || b.nodePortAddresses.length > 0) && !sameData(a.nodeIPs, b.nodeIPs)) return false
  if (readsNodeIP && a.nodeIP !== b.nodeIP) return false
  return true
}

/**
 * The state the builders read: the family, the endpoint total (large-cluster mode) and, per
 * service port, its info and categorized endpoints. `isLocal` is left out of the endpoints: the
 * builders read locality only through the `localEndpoints` list, compared in full.
 */
function sameState(a: ProxyState, b: ProxyState): boolean {
  if (a.family !== b.family || a.totalEndpoints !== b.totalEndpoints || a.servicePorts.length !== b.servicePorts.length) return false
  for (let i = 0; i < a.servicePorts.length; i++) {
    const pa = a.servicePorts[i]
    const pb = b.servicePorts[i]
    if (pa === undefined || pb === undefined) return false
    if (!sameData(pa.info, pb.info) || !sameCategorized(pa.categorized, pb.categorized)) return false
  }
  return true
}

export function sameCategorized(a: CategorizedEndpoints, b: CategorizedEndpoints): boolean {
  return (
    a.hasAnyEndpoints === b.hasAnyEndpoints &&
    a.topologyMode === b.topologyMode &&
    sameEndpoints(a.clusterEndpoints, b.clusterEndpoints) &&
    sameEndpoints(a.localEndpoints, b.localEndpoints) &&
    // Most often the cluster list itself (CategorizeEndpoints without Local policy): compared above.
    ((a.allReachableEndpoints === a.clusterEndpoints && b.allReachableEndpoints === b.clusterEndpoints) || sameEndpoints(a.allReachableEndpoints, b.allReachableEndpoints))
  )
}

/**
 * Which ProxyEndpoint fields are compared: all but `isLocal`. Listed per field so that a field
 * added to the type fails the typecheck here until it is listed (a key walk per endpoint was a
 * third of the comparison's time: two key arrays per endpoint, 10k endpoints per node side).
 */
const ENDPOINT_FIELDS = {
  ip: true,
  port: true,
  endpoint: true,
  isLocal: false,
  ready: true,
  serving: true,
  terminating: true,
  zoneHints: true,
  nodeHints: true,
  nodeName: true,
  targetRef: true,
} as const satisfies Record<keyof ProxyEndpoint, boolean>

/** The fields {@link sameEndpoint} compares, for tests (`ENDPOINT_FIELDS` marked true). */
export const COMPARED = (Object.keys(ENDPOINT_FIELDS) as (keyof ProxyEndpoint)[]).filter((k) => ENDPOINT_FIELDS[k])

/** `sameData`, with the equal case (nearly every field) answered without a call. */
const same = (a: unknown, b: unknown): boolean => a === b || sameData(a, b)

/**
 * `sameData` of every {@link COMPARED} field, written out: reading `x[k]` for a key from a list
 * was a keyed lookup and a call per field (10k endpoints per side in a diff at 1k Services).
 * test/diff/shortcuts.test.ts checks it against the loop over `COMPARED` on generated endpoints.
 */
export function sameEndpoint(x: ProxyEndpoint, y: ProxyEndpoint): boolean {
  return (
    same(x.ip, y.ip) &&
    same(x.port, y.port) &&
    same(x.endpoint, y.endpoint) &&
    same(x.ready, y.ready) &&
    same(x.serving, y.serving) &&
    same(x.terminating, y.terminating) &&
    same(x.zoneHints, y.zoneHints) &&
    same(x.nodeHints, y.nodeHints) &&
    same(x.nodeName, y.nodeName) &&
    same(x.targetRef, y.targetRef)
  )
}

function sameEndpoints(a: readonly ProxyEndpoint[], b: readonly ProxyEndpoint[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined || y === undefined) return false
    if (x !== y && !sameEndpoint(x, y)) return false
  }
  return true
}

/**
 * True when another node's front end (`buildProxyStateStaged` for `other`, the default node's
 * stage retargeted) would give the builders what `a` gives them, decided before building it: the
 * same Services and slices, a configuration equal but for the node's own fields (compared as in
 * {@link sameBackendInput}), and a state in which the node cannot matter ({@link nodeFreeState}).
 * Then the only per-node difference is each endpoint's `isLocal`, which the builders do not read.
 * test/diff/shortcuts.test.ts checks that {@link sameBackendInput} agrees whenever this says so.
 */
export function sameBackendInputBefore(a: FrontEnd, other: PlanCommon, nodeFree: boolean): boolean {
  if (!nodeFree) return false
  if (other.services !== a.common.services || other.endpointSlices !== a.common.endpointSlices) return false
  if (a.common.proxyMode !== other.proxyMode || a.common.family !== other.family) return false
  if (a.common.cluster.value.profile.kubernetesVersion !== other.cluster.value.profile.kubernetesVersion) return false
  const proxy = proxyConfigFor(other.cluster.value, other.family, other.proxyMode).value
  return sameConfig(a.proxy.value, proxy, hasSourceRanges(a.state.value))
}

/**
 * What {@link nodeFreeState} counted of one side's slices, for the other side's count (planDiff's
 * head after its base): the listed endpoints of each slice, by its place in the list.
 */
export interface ListedMemo {
  /** Service ports that passed the per-port checks (none using local endpoints, no hints), by place. */
  ports?: readonly ServicePortPlan[]
  slices?: readonly EndpointSlice[]
  family?: string
  counts?: Int32Array
}

/**
 * Whether a front end's state is the same for every node given the same configuration: the node
 * enters `buildProxyStateStaged` only through `isLocal` (pkg/proxy/endpointslicecache.go), the
 * topology hints (topology.go `CategorizeEndpoints`, `topologyModeFromHints`) and the choice
 * between duplicate copies of an endpoint (the local one wins in older releases). So: no port
 * uses local endpoints, no endpoint carries hints, and no endpoint is listed twice, the last
 * shown by counting: every listed endpoint of every slice port of this family became its own
 * entry of a distinct service port (an invalid address or a slice without a Service also make
 * the counts differ, and the answer is then a safe false).
 *
 * `memo`: what the previous call checked (a port or slice that is the object it checked at the
 * same place is not read again; then replaced by this call's). planDiff's head lists the base's
 * port plans and slice objects in the base's order but for the changed ones: checking them
 * again read every endpoint of every port and slice a second time (10k each at 1k Services).
 */
export function nodeFreeState(a: FrontEnd, slices: readonly EndpointSlice[], memo?: ListedMemo): boolean {
  const state = a.state.value
  // Distinct service ports: one protocol list per port name (a protocol has no `/`, so a pair
  // repeats exactly when its `spn/protocol` text does).
  const protocols = new Map<string, Protocol[]>()
  const checked = memo?.ports ?? []
  const ports = state.servicePorts
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i] as ServicePortPlan
    const seen = protocols.get(p.info.spn)
    if (seen === undefined) protocols.set(p.info.spn, [p.info.protocol])
    else if (seen.includes(p.info.protocol)) return false
    else seen.push(p.info.protocol)
    if (i < checked.length && checked[i] === p) continue
    if (p.info.usesLocalEndpoints) return false
    for (const e of p.endpoints) if (e.zoneHints !== undefined || e.nodeHints !== undefined) return false
  }
  if (memo !== undefined) memo.ports = ports
  const prior = memo !== undefined && memo.family === state.family ? memo : undefined
  const priorSlices = prior?.slices ?? []
  const priorCounts = prior?.counts ?? new Int32Array(0)
  const counts = new Int32Array(slices.length)
  let listed = 0
  for (let i = 0; i < slices.length; i++) {
    const slice = slices[i] as EndpointSlice
    const n = i < priorSlices.length && priorSlices[i] === slice ? (priorCounts[i] as number) : listedEndpoints(slice, state.family)
    counts[i] = n
    listed += n
  }
  if (memo !== undefined) {
    memo.slices = slices
    memo.family = state.family
    memo.counts = counts
  }
  return listed === state.totalEndpoints
}

/** The endpoints a slice lists for a front end of `family`: each with an address, once per named, numbered port. */
function listedEndpoints(slice: EndpointSlice, family: string): number {
  if (slice.addressType !== family) return 0
  const svc = slice.metadata.labels[SERVICE_NAME_LABEL]
  if (svc === undefined || svc === '') return 0
  let withAddress = 0
  for (const e of slice.endpoints) if (e.addresses.length > 0) withAddress++
  let listed = 0
  for (const port of slice.ports) if (port.name !== undefined && port.port !== undefined && port.port !== 0) listed += withAddress
  return listed
}
