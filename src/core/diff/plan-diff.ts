/**
 * @module diff/plan-diff
 * `planDiff`: plans the base and the head manifests against the same cluster facts and diffs the
 * results (Services, allocations, endpoints, exposure, rules per node, findings, probes). The
 * comparison itself is pure data-to-data (services.ts, rules.ts, findings.ts, probes.ts); this
 * file only orchestrates the planner calls.
 */
import type { Issue, Staged } from '../issues.ts'
import type { IPFamily } from '../model/k8s.ts'
import type { KubernetesVersion } from '../model/version.ts'
import type { SourceFile } from '../model/inventory.ts'
import type { ParseLimits } from '../parse/index.ts'
import { assemblePlan, planCommon, planNodeProxy, retargetCommon, type PlanCommon } from '../plan/index.ts'
import type { PlanResult } from '../plan/types.ts'
import type { Ruleset } from '../proxy/iptables/ir.ts'
import { printRestore } from '../proxy/iptables/print-restore.ts'
import { traceProbes } from '../trace/index.ts'
import type { ProbeSpec } from '../trace/types.ts'
import { diffDiagrams } from './diagrams.ts'
import { collectFindings } from './findings.ts'
import { diffProbes } from './probes.ts'
import { diffRulesByNode } from './rules.ts'
import { cmp, diffServices } from './services.ts'
import type { DiffSummary, Finding, PlanDiff, ProbeChange, RulesChange, ServiceChange } from './types.ts'


/** Options of {@link planDiff}. */
export interface PlanDiffOptions {
  /** Compare only this node's rules (default: every node, up to `maxNodes`). */
  readonly node?: string
  readonly ipFamily?: IPFamily
  /** The release the base side is planned at (default: the ClusterProfile's, else 1.35). */
  readonly baseKubernetesVersion?: KubernetesVersion
  /** The release the head side is planned at; differing from the base makes an upgrade preview. */
  readonly headKubernetesVersion?: KubernetesVersion
  readonly limits?: Partial<ParseLimits>
  /** How many nodes' rules to compare at most (each costs the kube-proxy stages once per side). Default 20. */
  readonly maxNodes?: number
}

/** Input of {@link planDiff}. Side tags on the files are overridden: base/head are proposed, cluster existing. */
export interface PlanDiffInput {
  readonly base: readonly SourceFile[]
  readonly head: readonly SourceFile[]
  readonly cluster?: readonly SourceFile[]
  readonly options?: PlanDiffOptions
  readonly probes?: readonly ProbeSpec[]
}

/** Default cap on nodes compared. */
export const DEFAULT_MAX_NODES = 20

const as = (files: readonly SourceFile[], origin: SourceFile['origin']): SourceFile[] => files.map((f) => ({ ...f, origin }))

/**
 * Plans base and head against the same cluster facts and diffs the results.
 *
 * @example
 * const d = planDiff({ base: [{ path: 'svc.yaml', text: before, origin: 'proposed' }], head: [...], cluster: [] })
 * diffSummary(d.value) // { added: 1, changed: 0, destroyed: 0, ... }
 */
export function planDiff(input: PlanDiffInput): Staged<PlanDiff> {
  const cluster = as(input.cluster ?? [], 'existing')
  const baseFiles = [...cluster, ...as(input.base, 'proposed')]
  const headFiles = [...cluster, ...as(input.head, 'proposed')]
  const opts = input.options ?? {}
  const planOpts = {
    ...(opts.ipFamily ? { ipFamily: opts.ipFamily } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  }
  // Parse, cluster facts and apiserver emulation run once per side; each compared node re-runs
  // only the kube-proxy stages (before: one full plan per node and side, 5.3× a plan at 3 nodes).
  const common = (files: SourceFile[], kubernetesVersion: KubernetesVersion | undefined): PlanCommon =>
    planCommon({
      files,
      options: {
        ...planOpts,
        ...(opts.node !== undefined ? { node: opts.node } : {}),
        ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
      },
    })
  const baseCommon = common(baseFiles, opts.baseKubernetesVersion)
  const headCommon = common(headFiles, opts.headKubernetesVersion)
  const base = assemblePlan(baseCommon, planNodeProxy(baseCommon))
  const head = assemblePlan(headCommon, planNodeProxy(headCommon))
  const services = diffServices(base.value, head.value)

  // Rules: every node known on both sides (or just --node), the kube-proxy stages per node and side.
  const baseNodes = new Set(base.value.nodes.map((n) => n.metadata.name))
  const shared = opts.node !== undefined ? [opts.node] : head.value.nodes.map((n) => n.metadata.name).filter((n) => baseNodes.has(n)).sort(cmp)
  const max = Math.max(1, opts.maxNodes ?? DEFAULT_MAX_NODES)
  const compared = shared.slice(0, max)
  const rulesetFor = (c: PlanCommon, node: string): Ruleset => planNodeProxy(retargetCommon(c, node)).ruleset
  const pairs = compared.map((node) => ({
    node,
    base: node === base.value.node ? base.value : { ipFamily: baseCommon.family, ruleset: rulesetFor(baseCommon, node) },
    head: node === head.value.node ? head.value : { ipFamily: headCommon.family, ruleset: rulesetFor(headCommon, node) },
  }))
  // The default node's rulesets are printed for the rule diff and again for probe locations:
  // keep those two texts only (other nodes' texts are dropped as soon as they are diffed).
  const printed = new Map<Ruleset, string>()
  const keep = new Set<Ruleset>([base.value.ruleset, head.value.ruleset])
  const print = (r: Ruleset): string => {
    let text = printed.get(r)
    if (text === undefined) {
      text = printRestore(r)
      if (keep.has(r)) printed.set(r, text)
    }
    return text
  }
  const rules = diffRulesByNode(pairs, print)
  const issues: Issue[] = [...head.issues]
  let probes: ProbeChange[] = []
  let traceIssues: readonly Issue[] = []
  if (input.probes && input.probes.length > 0) {
    const bt = traceProbes(base.value, input.probes, [], print(base.value.ruleset))
    const ht = traceProbes(head.value, input.probes, [], print(head.value.ruleset))
    probes = diffProbes(input.probes, bt.value, ht.value)
    traceIssues = ht.issues
    issues.push(...ht.issues)
  }
  // Probe problems (e.g. an unresolvable pod:NS/NAME) are findings too, so reports show them.
  const findings = collectFindings(base.value, { ...head.value, issues: [...head.value.issues, ...traceIssues] }, services)

  const value: Omit<PlanDiff, 'summary'> = {
    node: head.value.node,
    ipFamily: head.value.ipFamily,
    services,
    rules,
    nodesCompared: compared,
    nodesNotCompared: shared.length - compared.length,
    findings,
    probes,
    assumptions: withBaseVersion(head.value.assumptions, base.value, head.value),
    diagrams: diffDiagrams(base.value, head.value, services, (p) => print(p.ruleset)),
  }
  return { value: { ...value, summary: summarise(services, rules, findings) }, issues }
}

/** The head side's assumptions, plus the base side's release when the two sides differ (an upgrade preview). */
function withBaseVersion(assumptions: readonly string[], base: PlanResult, head: PlanResult): readonly string[] {
  const b = base.cluster.profile.kubernetesVersion
  const h = head.cluster.profile.kubernetesVersion
  if (b === h) return assumptions
  return [...assumptions, `Upgrade preview: the base side is planned at Kubernetes ${b}, the head side at ${h}; changes include what the upgrade itself changes.`]
}

function summarise(services: readonly ServiceChange[], rules: readonly RulesChange[], findings: readonly Finding[]): DiffSummary {
  const n = (k: ServiceChange['kind']): number => services.filter((s) => s.kind === k).length
  const sev = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length
  return {
    added: n('create'),
    changed: n('update'),
    destroyed: n('delete'),
    errors: sev('error'),
    warnings: sev('warning'),
    notices: sev('notice'),
    hasChanges: services.length > 0 || rules.length > 0,
  }
}

/** The counts behind the summary line and the exit code. */
export function diffSummary(d: PlanDiff): DiffSummary {
  return d.summary
}

/**
 * `terraform plan -detailed-exitcode` semantics: 1 when any finding is an error, else 2 when
 * something changes, else 0.
 */
export function diffExitCode(s: DiffSummary): 0 | 1 | 2 {
  if (s.errors > 0) return 1
  return s.hasChanges ? 2 : 0
}
