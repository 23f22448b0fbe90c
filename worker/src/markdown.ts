/**
 * @module worker/markdown
 * `/v1/plan?format=markdown`: the plan for chat bots and issue comments. It wraps the core's own
 * renderings (the text report and the iptables-restore payload or nft transaction) in safe fences rather than
 * inventing a second report layout; diffs have their own Markdown report in the core.
 */
import { renderPlan } from '#core'
import type { PlanResult, Staged } from '#core'

/** A fenced block whose fence is longer than any backtick run inside (CommonMark §4.5). */
function fenced(body: string, lang: string): string {
  let longest = 0
  for (const m of body.matchAll(/`+/g)) longest = Math.max(longest, m[0].length)
  const fence = '`'.repeat(Math.max(3, longest + 1))
  return `${fence}${lang}\n${body.endsWith('\n') ? body : body + '\n'}${fence}\n`
}

/** A code span for a name from user input (node names are DNS labels; backticks are dropped). */
function code(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, '')}\``
}

/** Renders a plan as Markdown: heading, counts, the text report, and the rules collapsed. */
export function renderPlanMarkdown(result: Staged<PlanResult>): string {
  const p = result.value
  const errors = result.issues.filter((i) => i.severity === 'error').length
  const warnings = result.issues.filter((i) => i.severity === 'warning').length
  const nft = p.nftables !== undefined
  const rules = renderPlan(result, nft ? 'nft' : 'iptables-restore')
  return [
    `### kube-whatif plan · node ${code(p.node)} · ${p.ipFamily}`,
    '',
    `${p.services.length} Service${p.services.length === 1 ? '' : 's'} · ${p.servicePorts.length} service port${p.servicePorts.length === 1 ? '' : 's'} · ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`,
    '',
    fenced(renderPlan(result, 'text'), 'text'),
    nft ? '<details><summary>nftables rules (nft -f)</summary>' : '<details><summary>iptables-restore rules</summary>',
    '',
    fenced(rules, ''),
    '</details>',
    '',
  ].join('\n')
}
