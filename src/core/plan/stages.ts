/**
 * @module plan/stages
 * The plan pipeline split where the rendered node starts to matter:
 *
 * - {@link planCommon}: parse → cluster facts → apiserver emulation → update merge. None of it
 *   depends on which node is rendered (as long as the node set is the same, see
 *   {@link retargetCommon}), so `planDiff` runs it once per side.
 * - {@link planNodeProxy}: kube-proxy configuration → front end → iptables ruleset or nftables
 *   table (the proxy mode), for the node named in the cluster facts.
 * - {@link assemblePlan}: the {@link PlanResult} of both.
 *
 * `planFromSources` is exactly `assemblePlan(c, planNodeProxy(c))` with `c = planCommon(input)`;
 * {@link PLAN_STAGES} names the finer stages these are made of.
 */
import { emulateApiserver } from '../apiserver/index.ts'
import type { ApiserverResult } from '../apiserver/types.ts'
import type { CreateReplay } from '../apiserver/service/reuse.ts'
import { proxyConfigFor } from '../cluster/proxy-config.ts'
import { resolveCluster } from '../cluster/resolve.ts'
import type { ClusterFacts, ResolveClusterOptions } from '../cluster/types.ts'
import { issue, type Issue, type Staged } from '../issues.ts'
import { compareSpans } from '../deferred-span.ts'
import type { ClusterProfile, KubeProxyConfiguration, ProxyConfig, ProxyMode } from '../model/cluster.ts'
import type { Inventory } from '../model/inventory.ts'
import type { EndpointSlice, IPFamily, Node, Service } from '../model/k8s.ts'
import { parseCIDRSloppy } from '../net/ip.ts'
import { parseSources } from '../parse/index.ts'
import { resolveWorkLimits, type WorkLimits } from '../limits.ts'
import { clipIssue, clipValue } from '../clip.ts'
import { lazyIptablesRuleset } from '../proxy/iptables/lazy-ruleset.ts'
import { deletionsInUse, readCurrentRules, type CurrentRules } from '../proxy/iptables/current-rules.ts'
import type { Ruleset } from '../proxy/iptables/ir.ts'
import { JUMP_RULES } from '../proxy/iptables/jump-chains.ts'
import { lazyNftablesRuleset } from '../proxy/nftables/lazy-ruleset.ts'
import type { NftRuleset } from '../proxy/nftables/ir.ts'
import { nftAssumptions } from '../proxy/nftables/assumptions.ts'
import { nftProfileFor } from '../proxy/nftables/version.ts'
import { buildProxyStateStaged, type FrontEndReuse } from '../proxy/state.ts'
import type { ProxyState } from '../proxy/types.ts'
import { planServicePorts, type PriorPortViews } from './service-ports.ts'
import { DEFAULT_CLUSTER_DOMAIN, isHeadlessService } from './service-endpoints.ts'
import { planServices, type ServiceViews } from './services.ts'
import type { PlanInput, PlanOptions, PlanResult } from './types.ts'
import { existingOfUpdates, mergeServiceUpdates, mergeSliceUpdates } from './updates.ts'

/** The node-independent stages of one plan (one side of a diff). */
export interface PlanCommon {
  readonly inventory: Inventory
  /** The options the plan was made with (the Kubernetes version is re-applied when retargeting). */
  readonly options: PlanOptions
  readonly parseIssues: readonly Issue[]
  /** Cluster facts, with `nodeName` the rendered node. */
  readonly cluster: Staged<ClusterFacts>
  readonly api: Staged<ApiserverResult>
  readonly family: IPFamily
  /** The kube-proxy backend rendered: `options.proxyMode`, else the KubeProxyConfiguration's mode. */
  readonly proxyMode: ProxyMode
  /** Services and EndpointSlices kube-proxy sees, proposed updates merged over existing objects. */
  readonly services: readonly Service[]
  readonly endpointSlices: readonly EndpointSlice[]
  /** The work limits in force (trace and report stages read them too). */
  readonly limits: WorkLimits
}

/** The node-dependent stages: kube-proxy of `common.cluster.value.nodeName`. */
export interface NodeProxyPlan {
  readonly proxy: Staged<ProxyConfig>
  readonly state: Staged<ProxyState>
  /** The iptables payload; no tables in nftables mode. */
  readonly ruleset: Ruleset
  /** The node's rules before the sync, when known, and the problems reading them. */
  readonly current?: Staged<CurrentRules | undefined>
  /** The nftables transaction, in nftables mode only. */
  readonly nftables?: NftRuleset
  /** What the backend's rendering assumed (nftables mode), for the plan's assumptions. */
  readonly assumptions?: readonly string[]
}

/** What the parse stage hands on: the typed objects, their issues, and the plan options. */
export interface ParsedInput {
  readonly inventory: Inventory
  readonly parseIssues: readonly Issue[]
  readonly options: PlanOptions
}

/** Stage `parse`: YAML/JSON text → typed objects with positions (`parseSources`). */
export function parseStage(input: PlanInput): ParsedInput {
  const options = input.options ?? {}
  const parsed = parseSources(input.files, options.limits)
  return { inventory: parsed.value, parseIssues: parsed.issues, options }
}

/**
 * Stage `apiserver`: cluster facts → apiserver emulation (validation, allocation, Pods, slices) → update merge.
 * `services`: record the Service creates for another plan, or replay another plan's (apiserver/service/reuse.ts).
 */
export function apiserverStage(parsed: ParsedInput, services: CreateReplay = {}): PlanCommon {
  const { inventory, options } = parsed
  const cluster = resolveCluster(inventory, clusterOptions(options, options.node))
  const facts = cluster.value
  const limits = resolveWorkLimits(options.limits)
  const api = emulateApiserver({ inventory, nodes: facts.nodes, profile: facts.profile, kubeProxy: facts.kubeProxy, limits }, services)
  return {
    limits,
    inventory,
    options,
    parseIssues: parsed.parseIssues,
    cluster,
    api,
    family: options.ipFamily ?? primaryFamily(facts.profile),
    proxyMode: options.proxyMode ?? modeOf(facts.kubeProxy),
    services: mergeServiceUpdates(api.value.services),
    endpointSlices: mergeSliceUpdates(api.value.endpointSlices),
  }
}

/** Runs parse → cluster → apiserver → update merge for `input` (rendered node: `options.node` etc.). */
export function planCommon(input: PlanInput): PlanCommon {
  return apiserverStage(parseStage(input))
}

/** What the front-end stage hands on: the node's kube-proxy configuration and its service/endpoint maps. */
export interface FrontEnd {
  readonly common: PlanCommon
  readonly proxy: Staged<ProxyConfig>
  readonly state: Staged<ProxyState>
}

/**
 * Stage `frontEnd`: kube-proxy's configuration for the rendered node, then its backend-neutral front end.
 * `front`: record the Services' front ends for another plan, or take another plan's (proxy/state.ts).
 */
export function frontEndStage(common: PlanCommon, front: FrontEndReuse = {}): FrontEnd {
  const proxy = proxyConfigFor(common.cluster.value, common.family, common.proxyMode)
  return { common, proxy, state: buildProxyStateStaged(common.services, common.endpointSlices, proxy.value, front) }
}

/**
 * Stage `ruleset`: the proxy mode's backend (iptables or nftables) lowers the front end to its IR;
 * in iptables mode a full sync from `current` (the node's rules before it, `--current-rules`) also
 * deletes the stale service chains. `--current-rules` is iptables-save text, so nftables mode
 * reports it as not applied instead of silently ignoring it.
 */
export function rulesetStage(front: FrontEnd, current?: Staged<CurrentRules | undefined>): NodeProxyPlan {
  const { common, proxy, state } = front
  if (common.proxyMode === 'nftables') {
    const profile = nftProfileFor(common.cluster.value.profile.kubernetesVersion)
    const nftables = lazyNftablesRuleset(state.value, proxy.value, profile)
    const assumptions = nftAssumptions(proxy.value, profile)
    const plan: NodeProxyPlan = { proxy, state, ruleset: { backend: 'iptables', family: common.family, node: proxy.value.nodeName, tables: [] }, nftables, assumptions }
    if (current?.value === undefined) return plan
    const at = { source: { file: current.value.file, line: 1, column: 1 } }
    return { ...plan, current: { value: undefined, issues: [...current.issues, issue('proxy/current-rules', 'warning', `${current.value.file} is iptables-save text; kube-proxy in nftables mode does not read it, so it is not applied`, at)] } }
  }
  const ruleset = lazyIptablesRuleset(state.value, proxy.value, current?.value)
  if (current === undefined) return { proxy, state, ruleset }
  const inUse = current.value ? deletionsInUse(current.value, ruleset) : []
  return { proxy, state, ruleset, current: inUse.length === 0 ? current : { ...current, issues: [...current.issues, ...inUse] } }
}

/** The backend a KubeProxyConfiguration selects: `nftables`, else iptables (`''`, `ipvs` …). */
function modeOf(kubeProxy: KubeProxyConfiguration): ProxyMode {
  return kubeProxy.mode === 'nftables' ? 'nftables' : 'iptables'
}

/**
 * The common stages as `planCommon` would have produced them with `node` as the rendered node,
 * reusing the apiserver emulation when the cluster stage yields the same node set. It does for
 * given Nodes; synthesised nodes are named after the preferred node (`synthesiseNodes`), so a
 * different `--node` can change the set, and then the apiserver emulation is re-run (pods are
 * placed on nodes) exactly as a separate plan would.
 */
export function retargetCommon(common: PlanCommon, node: string): PlanCommon {
  const cluster = resolveCluster(common.inventory, clusterOptions(common.options, node))
  const facts = cluster.value
  const prev = common.cluster.value
  if (sameNodeSet(facts.nodes, prev.nodes)) return { ...common, cluster: { value: { ...facts, nodes: prev.nodes }, issues: cluster.issues } }
  const api = emulateApiserver({ inventory: common.inventory, nodes: facts.nodes, profile: facts.profile, kubeProxy: facts.kubeProxy, limits: common.limits })
  return {
    ...common,
    cluster,
    api,
    services: mergeServiceUpdates(api.value.services),
    endpointSlices: mergeSliceUpdates(api.value.endpointSlices),
  }
}

/** The cluster stage's options: the rendered node and the requested Kubernetes version. */
function clusterOptions(options: PlanOptions, node: string | undefined): ResolveClusterOptions {
  return {
    ...(node !== undefined ? { node } : {}),
    ...(options.kubernetesVersion !== undefined ? { kubernetesVersion: options.kubernetesVersion } : {}),
  }
}

/**
 * Same nodes in the same order. Given Nodes are the same objects whatever the rendered node;
 * synthesised ones are rebuilt per call but derive only from their name and index.
 */
function sameNodeSet(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Node
    const y = b[i] as Node
    if (x !== y && !(x.synthesised === true && y.synthesised === true && x.metadata.name === y.metadata.name)) return false
  }
  return true
}

/**
 * kube-proxy configuration → front end → iptables ruleset for the rendered node of `common`;
 * a full sync from `current` (the node's rules before it) when given.
 */
export function planNodeProxy(common: PlanCommon, current?: Staged<CurrentRules | undefined>, front: FrontEndReuse = {}): NodeProxyPlan {
  return rulesetStage(frontEndStage(common, front), current)
}

/** `--current-rules` read for the family `common` renders. */
export function readCurrentRulesFor(common: PlanCommon, file: { readonly path: string; readonly text: string }): Staged<CurrentRules | undefined> {
  return readCurrentRules(file.text, file.path, common.family)
}

/** The assumption a sync from known rules makes: the order of the `-X` lines it writes. */
function currentRulesNote(current: CurrentRules, ruleset: Ruleset): string {
  const deleted = ruleset.tables.find((t) => t.name === 'nat')?.deletions?.length ?? 0
  return (
    `The node's rules before the sync are ${current.file}: this full sync declares and deletes (-X) the ${deleted} service chain${deleted === 1 ? '' : 's'} ` +
    'it holds that are no longer needed, in byte order of their names (kube-proxy walks them in Go map order, at random; the kernel state after the restore is the same); ' +
    'other chains and the built-in chains\' rules in it are kept as iptables-restore --noflush keeps them'
  )
}

/**
 * Views another plan built, for {@link assemblePlan} to take where provably the same (planDiff's
 * head from its base): the Services' ({@link ServiceViews}) and the service ports' of the other
 * plan (read when this plan's are first read).
 */
export interface PlanViews {
  readonly services?: ServiceViews
  readonly ports?: () => PriorPortViews
}

/** The {@link PlanResult} of the common and node stages, issues in a stable order. */
export function assemblePlan(common: PlanCommon, node: NodeProxyPlan, views: PlanViews = {}): Staged<PlanResult> {
  const { inventory, cluster, api } = common
  const facts = cluster.value
  const existingByKey = existingOfUpdates(inventory.services)
  const max = common.limits.maxValueBytes
  const issues = sortIssues([...common.parseIssues, ...cluster.issues, ...api.issues, ...node.proxy.issues, ...node.state.issues, ...(node.current?.issues ?? [])]).map((i) => clipIssue(i, max))
  const current = node.current?.value
  const domain = facts.profile.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN
  const dnsAssumption = common.services.some(isHeadlessService)
    ? [
        `Headless Services: DNS records as CoreDNS serves them in the cluster domain ${domain}${facts.profile.clusterDomain === undefined ? ' (the default; set ClusterProfile clusterDomain)' : ''}: ready endpoint addresses (every one with publishNotReadyAddresses), and <hostname>.<service> names for Pods whose subdomain is the Service`,
      ]
    : []
  let services: PlanResult['services'] | undefined
  let servicePorts: PlanResult['servicePorts'] | undefined
  const value: PlanResult = {
    node: facts.nodeName,
    ipFamily: common.family,
    cluster: facts,
    proxyConfig: node.proxy.value,
    // Reports, diagrams, traces and diffs read these; the rule formats (-o iptables-restore …) never do: built on first read.
    get services() {
      return (services ??= planServices(common.services, api.value.allocations, existingByKey, common.endpointSlices, domain, true, views.services))
    },
    get servicePorts() {
      return (servicePorts ??= planServicePorts(node.state.value, facts.nodeName, true, views.ports?.()))
    },
    ranges: api.value.ranges,
    assumptions: [...facts.assumptions, ...api.value.assumptions, ...(node.state.value.assumptions ?? []), ...(node.assumptions ?? []), ...dnsAssumption, ...(current ? [currentRulesNote(current, node.ruleset)] : [])].map((a) => clipValue(a, max)),
    issues,
    nodes: facts.nodes,
    pods: api.value.pods,
    endpointSlices: common.endpointSlices,
    proxyMode: common.proxyMode,
    ruleset: node.ruleset,
    ...(node.nftables !== undefined ? { nftables: node.nftables } : {}),
    jumpRules: JUMP_RULES,
    ...(current ? { currentRules: current } : {}),
    serviceObjects: common.services,
    limits: common.limits,
  }
  return { value, issues }
}

/**
 * The plan pipeline, declared once as named stages in order: `planFromSources` is
 * `assemble(c, ruleset(frontEnd(c)))` with `c = apiserver(parse(input))`, and the benchmark
 * times these same functions one by one instead of copying them.
 */
export const PLAN_STAGES = {
  parse: parseStage,
  apiserver: apiserverStage,
  frontEnd: frontEndStage,
  ruleset: rulesetStage,
  assemble: (front: FrontEnd, node: NodeProxyPlan): Staged<PlanResult> => assemblePlan(front.common, node),
} as const

/** The cluster's primary family: that of the first service CIDR (IPv4 when unparsable). */
function primaryFamily(profile: ClusterProfile): IPFamily {
  const first = profile.serviceClusterIPRange.split(',')[0]?.trim() ?? ''
  return parseCIDRSloppy(first)?.family ?? 'IPv4'
}

/**
 * Issues in a stable order: cluster-wide ones (no source) first, then by file, line and column;
 * ties keep stage order.
 */
function sortIssues(issues: readonly Issue[]): Issue[] {
  return issues
    .map((i, n) => ({ i, n }))
    .sort((a, b) => {
      const sa = a.i.source
      const sb = b.i.source
      if (!sa || !sb) return (sa ? 1 : 0) - (sb ? 1 : 0) || a.n - b.n
      if (sa.file !== sb.file) return sa.file < sb.file ? -1 : 1
      // By position without computing deferred spans in other documents (deferred-span.ts).
      return compareSpans(sa, sb) || a.n - b.n
    })
    .map((x) => x.i)
}
