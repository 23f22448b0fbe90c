/**
 * The plan pipeline split into the benchmark's phases. Each function calls the core's stage
 * functions exactly as src/core/plan/plan.ts planFromSources does (same order, same arguments), so
 * the phases add up to a plan without adding timing code to the core. `checkPhases` verifies that
 * the phased run and planFromSources print the same iptables-restore payload.
 */
import { emulateApiserver } from '../src/core/apiserver/index.ts'
import type { ApiserverResult } from '../src/core/apiserver/types.ts'
import { proxyConfigFor } from '../src/core/cluster/proxy-config.ts'
import { resolveCluster } from '../src/core/cluster/resolve.ts'
import type { ClusterFacts } from '../src/core/cluster/types.ts'
import type { Issue, Staged } from '../src/core/issues.ts'
import type { ProxyConfig } from '../src/core/model/cluster.ts'
import type { EndpointSlice, IPFamily, Service } from '../src/core/model/k8s.ts'
import type { Inventory, SourceFile } from '../src/core/model/inventory.ts'
import { parseCIDRSloppy } from '../src/core/net/ip.ts'
import { parseSources } from '../src/core/parse/index.ts'
import type { ParseLimits } from '../src/core/parse/index.ts'
import { planFromSources } from '../src/core/plan/plan.ts'
import { planServicePorts } from '../src/core/plan/service-ports.ts'
import { planServices } from '../src/core/plan/services.ts'
import type { PlanResult } from '../src/core/plan/types.ts'
import { keyOf, mergeServiceUpdates, mergeSliceUpdates, updatedServiceKeys } from '../src/core/plan/updates.ts'
import { buildIptablesRuleset } from '../src/core/proxy/iptables/build.ts'
import type { Ruleset } from '../src/core/proxy/iptables/ir.ts'
import { JUMP_RULES } from '../src/core/proxy/iptables/jump-chains.ts'
import { printRestore } from '../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../src/core/proxy/state.ts'
import type { ProxyState } from '../src/core/proxy/types.ts'
import { renderPlanJson } from '../src/core/report/json.ts'

/** Names of the plan phases, in pipeline order. */
export const PLAN_PHASES = ['parse', 'allocate', 'endpoints', 'render', 'print', 'report'] as const
export type PlanPhase = (typeof PLAN_PHASES)[number]

export interface Parsed {
  readonly inventory: Inventory
  readonly issues: readonly Issue[]
}

export interface Allocated {
  readonly parsed: Parsed
  readonly facts: ClusterFacts
  readonly api: Staged<ApiserverResult>
  readonly proxy: Staged<ProxyConfig>
  readonly family: IPFamily
  readonly services: Service[]
  readonly endpointSlices: EndpointSlice[]
  readonly clusterIssues: readonly Issue[]
}

export interface WithState extends Allocated {
  readonly state: ProxyState
}

/** parse: source text → inventory (YAML/JSON parsing, typed objects, source positions). */
export function phaseParse(files: readonly SourceFile[], limits?: Partial<ParseLimits>): Parsed {
  const r = parseSources(files, limits)
  return { inventory: r.value, issues: r.issues }
}

/** allocate: cluster facts, apiserver emulation (validation, allocation, pods, slices), proxy config. */
export function phaseAllocate(parsed: Parsed): Allocated {
  const cluster = resolveCluster(parsed.inventory, {})
  const facts = cluster.value
  const api = emulateApiserver({ inventory: parsed.inventory, nodes: facts.nodes, profile: facts.profile, kubeProxy: facts.kubeProxy })
  const first = facts.profile.serviceClusterIPRange.split(',')[0]?.trim() ?? ''
  const family = parseCIDRSloppy(first)?.family ?? 'IPv4'
  const proxy = proxyConfigFor(facts, family)
  const services = mergeServiceUpdates(api.value.services)
  const endpointSlices = mergeSliceUpdates(api.value.endpointSlices)
  return { parsed, facts, api, proxy, family, services, endpointSlices, clusterIssues: cluster.issues }
}

/** endpoints: kube-proxy's service-port and endpoint maps (categorised, topology-filtered). */
export function phaseEndpoints(a: Allocated): WithState {
  return { ...a, state: buildProxyState(a.services, a.endpointSlices, a.proxy.value) }
}

/** render: the iptables ruleset IR plus the plan's per-Service / per-service-port views. */
export function phaseRender(s: WithState): Staged<PlanResult> {
  const ruleset: Ruleset = buildIptablesRuleset(s.state, s.proxy.value)
  const updated = updatedServiceKeys(s.parsed.inventory.services)
  const existingByKey = new Map<string, Service>(
    s.parsed.inventory.services.filter((x) => x.origin === 'existing' && updated.has(keyOf(x))).map((x) => [keyOf(x), x]),
  )
  // Issue sorting is planFromSources' only own work; it is measured in the e2e column.
  const issues = [...s.parsed.issues, ...s.clusterIssues, ...s.api.issues, ...s.proxy.issues]
  const value: PlanResult = {
    node: s.facts.nodeName,
    ipFamily: s.family,
    cluster: s.facts,
    proxyConfig: s.proxy.value,
    services: planServices(s.services, s.api.value.allocations, existingByKey),
    servicePorts: planServicePorts(s.state, s.facts.nodeName),
    ranges: s.api.value.ranges,
    assumptions: [...s.facts.assumptions, ...s.api.value.assumptions],
    issues,
    nodes: s.facts.nodes,
    pods: s.api.value.pods,
    endpointSlices: s.endpointSlices,
    proxyMode: 'iptables',
    ruleset,
    jumpRules: JUMP_RULES,
    serviceObjects: s.services,
  }
  return { value, issues }
}

/** print: the `iptables-restore` payload kube-proxy would write on a full sync. */
export function phasePrint(plan: Staged<PlanResult>): string {
  return printRestore(plan.value.ruleset)
}

/** report: the machine-readable plan (`kube-whatif plan -o json`), given the printed payload. */
export function phaseReport(plan: Staged<PlanResult>, restore: string): string {
  return renderPlanJson(plan, restore)
}

/** End to end as the CLI's `plan -o iptables-restore` does it: planFromSources + printRestore. */
export function endToEnd(files: readonly SourceFile[], limits?: Partial<ParseLimits>): string {
  const plan = planFromSources({ files, ...(limits ? { options: { limits } } : {}) })
  return printRestore(plan.value.ruleset)
}

/** Runs the phases once and checks they print what planFromSources prints; returns counts. */
export function checkPhases(files: readonly SourceFile[]): { restoreLines: number; natRules: number; issues: number; errors: number } {
  const plan = phaseRender(phaseEndpoints(phaseAllocate(phaseParse(files))))
  const text = phasePrint(plan)
  const direct = endToEnd(files)
  if (text !== direct) throw new Error('bench phases diverge from planFromSources: the bench must mirror src/core/plan/plan.ts')
  const nat = plan.value.ruleset.tables.find((t) => t.name === 'nat')
  return {
    restoreLines: text.split('\n').length - 1,
    natRules: nat ? nat.chains.reduce((n, c) => n + c.rules.length, 0) : 0,
    issues: plan.issues.length,
    errors: plan.issues.filter((i) => i.severity === 'error').length,
  }
}
