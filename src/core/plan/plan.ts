/**
 * @module plan/plan
 * The plan pipeline: parse → cluster facts → apiserver emulation → kube-proxy configuration →
 * kube-proxy front end → iptables ruleset. Stages never call the next stage; `stages.ts`
 * orchestrates them (split where the rendered node starts to matter, so `planDiff` can re-run
 * only the node stages) and adds no logic of its own beyond merging their outputs.
 */
import type { Staged } from '../issues.ts'
import { assemblePlan, planCommon, planNodeProxy, readCurrentRulesFor } from './stages.ts'
import type { PlanInput, PlanResult } from './types.ts'

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
  const common = planCommon(input)
  const file = input.options?.currentRules
  return assemblePlan(common, planNodeProxy(common, file ? readCurrentRulesFor(common, file) : undefined))
}
