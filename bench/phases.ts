/**
 * The plan pipeline split into the benchmark's phases: the core's own named stages
 * (`PLAN_STAGES`, declared once in src/core/plan/stages.ts) timed one by one, plus printing and
 * the JSON report. Nothing of the pipeline is copied here; `checkPhases` still verifies that the
 * phased run prints what planFromSources prints.
 */
import { PLAN_STAGES, planFromSources, renderPlan, renderPlanJson, printNftTransaction, printRestore } from '#core'
import type { ParseLimits, PlanResult, SourceFile, Staged } from '#core'

/** Names of the plan phases, in pipeline order. */
export const PLAN_PHASES = ['parse', 'allocate', 'endpoints', 'render', 'print', 'report'] as const
export type PlanPhase = (typeof PLAN_PHASES)[number]

export type Parsed = ReturnType<typeof PLAN_STAGES.parse>
export type Allocated = ReturnType<typeof PLAN_STAGES.apiserver>
export type WithState = ReturnType<typeof PLAN_STAGES.frontEnd>

/** parse: source text → inventory (YAML/JSON parsing, typed objects, source positions). */
export function phaseParse(files: readonly SourceFile[], limits?: Partial<ParseLimits>): Parsed {
  return PLAN_STAGES.parse({ files, ...(limits ? { options: { limits } } : {}) })
}

/** allocate: cluster facts, apiserver emulation (validation, allocation, pods, slices), update merge. */
export function phaseAllocate(parsed: Parsed): Allocated {
  return PLAN_STAGES.apiserver(parsed)
}

/** endpoints: kube-proxy's configuration and its service-port and endpoint maps (categorised, topology-filtered). */
export function phaseEndpoints(a: Allocated): WithState {
  return PLAN_STAGES.frontEnd(a)
}

/** render: the iptables ruleset IR plus the plan's per-Service / per-service-port views. */
export function phaseRender(s: WithState): Staged<PlanResult> {
  return PLAN_STAGES.assemble(s, PLAN_STAGES.ruleset(s))
}

/** print: the `iptables-restore` payload kube-proxy would write on a full sync. */
export function phasePrint(plan: Staged<PlanResult>): string {
  return renderPlan(plan, 'iptables-restore')
}

/** report: the machine-readable plan (`kube-whatif plan -o json`), given the printed payload. */
export function phaseReport(plan: Staged<PlanResult>, restore: string): string {
  return renderPlanJson(plan, restore)
}

export type BackendOutput = ReturnType<typeof PLAN_STAGES.ruleset>

/** One backend's ruleset stage on a front end (the kube-proxy mode switched, nothing else). */
export function phaseBackend(front: WithState, mode: 'iptables' | 'nftables'): BackendOutput {
  return PLAN_STAGES.ruleset({ ...front, common: { ...front.common, proxyMode: mode } })
}

/** What that backend sends: the `iptables-restore` payload or the `nft -f` transaction. */
export function phaseBackendPrint(out: BackendOutput): string {
  return out.nftables !== undefined ? printNftTransaction(out.nftables) : printRestore(out.ruleset)
}

/** End to end as the CLI's `plan -o iptables-restore` does it: planFromSources + printing. */
export function endToEnd(files: readonly SourceFile[], limits?: Partial<ParseLimits>): string {
  const plan = planFromSources({ files, ...(limits ? { options: { limits } } : {}) })
  return renderPlan(plan, 'iptables-restore')
}

/** Runs the phases once and checks they print what planFromSources prints; returns counts. */
export function checkPhases(files: readonly SourceFile[]): { restoreLines: number; natRules: number; issues: number; errors: number } {
  const plan = phaseRender(phaseEndpoints(phaseAllocate(phaseParse(files))))
  const text = phasePrint(plan)
  const direct = endToEnd(files)
  if (text !== direct) throw new Error('bench phases diverge from planFromSources')
  const nat = plan.value.ruleset.tables.find((t) => t.name === 'nat')
  return {
    restoreLines: text.split('\n').length - 1,
    natRules: nat ? nat.chains.reduce((n, c) => n + c.rules.length, 0) : 0,
    issues: plan.issues.length,
    errors: plan.issues.filter((i) => i.severity === 'error').length,
  }
}
