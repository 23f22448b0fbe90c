/**
 * @module plan/plan
 * The plan pipeline: parse → cluster facts → apiserver emulation → kube-proxy configuration →
 * kube-proxy front end → iptables ruleset. Stages never call the next stage; this module
 * orchestrates them and adds no logic of its own beyond merging their outputs.
 */
import { emulateApiserver } from '../apiserver/index.ts'
import { proxyConfigFor } from '../cluster/proxy-config.ts'
import { resolveCluster } from '../cluster/resolve.ts'
import type { Issue, Staged } from '../issues.ts'
import type { ClusterProfile } from '../model/cluster.ts'
import type { IPFamily, Service } from '../model/k8s.ts'
import { parseCIDRSloppy } from '../net/ip.ts'
import { parseSources } from '../parse/index.ts'
import { buildIptablesRuleset } from '../proxy/iptables/build.ts'
import { JUMP_RULES } from '../proxy/iptables/jump-chains.ts'
import { buildProxyStateStaged } from '../proxy/state.ts'
import { planServicePorts } from './service-ports.ts'
import { planServices } from './services.ts'
import type { PlanInput, PlanResult } from './types.ts'
import { keyOf, mergeServiceUpdates, mergeSliceUpdates, updatedServiceKeys } from './updates.ts'

/**
 * Plans what kube-proxy on one node will do with the Services after the change.
 *
 * Positional files are `proposed`, `--cluster` files `existing`; both sides are planned
 * together, a Service on both sides being an update. Bad objects are left out with error
 * issues and the rest is planned.
 *
 * @example
 * const plan = planFromSources({ files: [{ path: 'svc.yaml', text, origin: 'proposed' }] })
 * console.log(renderPlan(plan, 'iptables-restore'))
 */
export function planFromSources(input: PlanInput): Staged<PlanResult> {
  const options = input.options ?? {}
  const parsed = parseSources(input.files, options.limits)
  const inventory = parsed.value
  const cluster = resolveCluster(inventory, options.node !== undefined ? { node: options.node } : {})
  const facts = cluster.value
  const api = emulateApiserver({ inventory, nodes: facts.nodes, profile: facts.profile, kubeProxy: facts.kubeProxy })
  const family = options.ipFamily ?? primaryFamily(facts.profile)
  const proxy = proxyConfigFor(facts, family)

  const services = mergeServiceUpdates(api.value.services)
  const endpointSlices = mergeSliceUpdates(api.value.endpointSlices)
  const updated = updatedServiceKeys(inventory.services)
  const existingByKey = new Map<string, Service>(
    inventory.services.filter((s) => s.origin === 'existing' && updated.has(keyOf(s))).map((s) => [keyOf(s), s]),
  )

  const staged = buildProxyStateStaged(services, endpointSlices, proxy.value)
  const state = staged.value
  const ruleset = buildIptablesRuleset(state, proxy.value)
  const issues = sortIssues([...parsed.issues, ...cluster.issues, ...api.issues, ...proxy.issues, ...staged.issues])

  const value: PlanResult = {
    node: facts.nodeName,
    ipFamily: family,
    cluster: facts,
    proxyConfig: proxy.value,
    services: planServices(services, api.value.allocations, existingByKey),
    servicePorts: planServicePorts(state, facts.nodeName),
    ranges: api.value.ranges,
    assumptions: [...facts.assumptions, ...api.value.assumptions],
    issues,
    nodes: facts.nodes,
    pods: api.value.pods,
    endpointSlices,
    ruleset,
    jumpRules: JUMP_RULES,
  }
  return { value, issues }
}

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
