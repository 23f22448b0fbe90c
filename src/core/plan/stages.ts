/**
 * @module plan/stages
 * The plan pipeline split where the rendered node starts to matter:
 *
 * - {@link planCommon}: parse → cluster facts → apiserver emulation → update merge. None of it
 *   depends on which node is rendered (as long as the node set is the same, see
 *   {@link retargetCommon}), so `planDiff` runs it once per side.
 * - {@link planNodeProxy}: kube-proxy configuration → front end → iptables ruleset, for the node
 *   named in the cluster facts.
 * - {@link assemblePlan}: the {@link PlanResult} of both.
 *
 * `planFromSources` is exactly `assemblePlan(c, planNodeProxy(c))` with `c = planCommon(input)`;
 * {@link PLAN_STAGES} names the finer stages these are made of.
 */
import { emulateApiserver } from '../apiserver/index.ts'
import type { ApiserverResult } from '../apiserver/types.ts'
import { proxyConfigFor } from '../cluster/proxy-config.ts'
import { resolveCluster } from '../cluster/resolve.ts'
import type { ClusterFacts, ResolveClusterOptions } from '../cluster/types.ts'
import type { Issue, Staged } from '../issues.ts'
import type { ClusterProfile, ProxyConfig } from '../model/cluster.ts'
import type { Inventory } from '../model/inventory.ts'
import type { EndpointSlice, IPFamily, Node, Service } from '../model/k8s.ts'
import { parseCIDRSloppy } from '../net/ip.ts'
import { parseSources } from '../parse/index.ts'
import { buildIptablesRuleset } from '../proxy/iptables/build.ts'
import type { Ruleset } from '../proxy/iptables/ir.ts'
import { JUMP_RULES } from '../proxy/iptables/jump-chains.ts'
import { buildProxyStateStaged } from '../proxy/state.ts'
import type { ProxyState } from '../proxy/types.ts'
import { planServicePorts } from './service-ports.ts'
import { DEFAULT_CLUSTER_DOMAIN, isHeadlessService } from './service-endpoints.ts'
import { planServices } from './services.ts'
import type { PlanInput, PlanOptions, PlanResult } from './types.ts'
import { keyOf, mergeServiceUpdates, mergeSliceUpdates, updatedServiceKeys } from './updates.ts'

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
  /** Services and EndpointSlices kube-proxy sees, proposed updates merged over existing objects. */
  readonly services: readonly Service[]
  readonly endpointSlices: readonly EndpointSlice[]
}

/** The node-dependent stages: kube-proxy of `common.cluster.value.nodeName`. */
export interface NodeProxyPlan {
  readonly proxy: Staged<ProxyConfig>
  readonly state: Staged<ProxyState>
  readonly ruleset: Ruleset
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

/** Stage `apiserver`: cluster facts → apiserver emulation (validation, allocation, Pods, slices) → update merge. */
export function apiserverStage(parsed: ParsedInput): PlanCommon {
  const { inventory, options } = parsed
  const cluster = resolveCluster(inventory, clusterOptions(options, options.node))
  const facts = cluster.value
  const api = emulateApiserver({ inventory, nodes: facts.nodes, profile: facts.profile, kubeProxy: facts.kubeProxy })
  return {
    inventory,
    options,
    parseIssues: parsed.parseIssues,
    cluster,
    api,
    family: options.ipFamily ?? primaryFamily(facts.profile),
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

/** Stage `frontEnd`: kube-proxy's configuration for the rendered node, then its backend-neutral front end. */
export function frontEndStage(common: PlanCommon): FrontEnd {
  const proxy = proxyConfigFor(common.cluster.value, common.family)
  return { common, proxy, state: buildProxyStateStaged(common.services, common.endpointSlices, proxy.value) }
}

/** Stage `ruleset`: the iptables backend lowers the front end to the rule IR. */
export function rulesetStage(front: FrontEnd): NodeProxyPlan {
  return { proxy: front.proxy, state: front.state, ruleset: buildIptablesRuleset(front.state.value, front.proxy.value) }
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
  const api = emulateApiserver({ inventory: common.inventory, nodes: facts.nodes, profile: facts.profile, kubeProxy: facts.kubeProxy })
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

/** kube-proxy configuration → front end → iptables ruleset for the rendered node of `common`. */
export function planNodeProxy(common: PlanCommon): NodeProxyPlan {
  return rulesetStage(frontEndStage(common))
}

/** The {@link PlanResult} of the common and node stages, issues in a stable order. */
export function assemblePlan(common: PlanCommon, node: NodeProxyPlan): Staged<PlanResult> {
  const { inventory, cluster, api } = common
  const facts = cluster.value
  const updated = updatedServiceKeys(inventory.services)
  const existingByKey = new Map<string, Service>(
    inventory.services.filter((s) => s.origin === 'existing' && updated.has(keyOf(s))).map((s) => [keyOf(s), s]),
  )
  const issues = sortIssues([...common.parseIssues, ...cluster.issues, ...api.issues, ...node.proxy.issues, ...node.state.issues])
  const domain = facts.profile.clusterDomain ?? DEFAULT_CLUSTER_DOMAIN
  const dnsAssumption = common.services.some(isHeadlessService)
    ? [
        `Headless Services: DNS records as CoreDNS serves them in the cluster domain ${domain}${facts.profile.clusterDomain === undefined ? ' (the default; set ClusterProfile clusterDomain)' : ''}: ready endpoint addresses (every one with publishNotReadyAddresses), and <hostname>.<service> names for Pods whose subdomain is the Service`,
      ]
    : []
  const value: PlanResult = {
    node: facts.nodeName,
    ipFamily: common.family,
    cluster: facts,
    proxyConfig: node.proxy.value,
    services: planServices(common.services, api.value.allocations, existingByKey, common.endpointSlices, domain),
    servicePorts: planServicePorts(node.state.value, facts.nodeName),
    ranges: api.value.ranges,
    assumptions: [...facts.assumptions, ...api.value.assumptions, ...(node.state.value.assumptions ?? []), ...dnsAssumption],
    issues,
    nodes: facts.nodes,
    pods: api.value.pods,
    endpointSlices: common.endpointSlices,
    ruleset: node.ruleset,
    jumpRules: JUMP_RULES,
    serviceObjects: common.services,
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
      return sa.line - sb.line || sa.column - sb.column || a.n - b.n
    })
    .map((x) => x.i)
}
