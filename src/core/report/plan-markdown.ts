/**
 * @module report/plan-markdown
 * The plan as Markdown for chat bots and issue comments (the Worker's `/v1/plan?format=markdown`):
 * the core's own renderings (the text report and the iptables-restore payload or nft transaction) in safe fences
 * rather than a second report layout; diffs have their own Markdown report (`markdown.ts`).
 */
import type { Staged } from '../issues.ts'
import type { PlanResult } from '../plan/types.ts'
import { fencedBlock, inlineCode } from './fence.ts'
import { renderPlan } from './render-plan.ts'

/** Renders a plan as Markdown: heading, counts, the text report, and the rules collapsed. */
export function renderPlanMarkdown(result: Staged<PlanResult>): string {
  const p = result.value
  const errors = result.issues.filter((i) => i.severity === 'error').length
  const warnings = result.issues.filter((i) => i.severity === 'warning').length
  const nft = p.nftables !== undefined
  const rules = renderPlan(result, nft ? 'nft' : 'iptables-restore')
  return [
    `### kube-whatif plan · node ${inlineCode(p.node)} · ${p.ipFamily}`,
    '',
    `${p.services.length} Service${p.services.length === 1 ? '' : 's'} · ${p.servicePorts.length} service port${p.servicePorts.length === 1 ? '' : 's'} · ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    '',
    `${fencedBlock(renderPlan(result, 'text'), 'text')}\n`,
    nft ? '<details><summary>nftables rules (nft -f)</summary>' : '<details><summary>iptables-restore rules</summary>',
    '',
    `${fencedBlock(rules, '')}\n`,
    '</details>',
    '',
  ].join('\n')
}
