/**
 * @module report/render-plan
 * One entry point for every output format of a plan.
 */
import { planDiagrams } from '../diagram/plan-diagrams.ts'
import { renderDot } from '../diagram/dot.ts'
import { renderMermaid } from '../diagram/mermaid.ts'
import { renderSvgDocument } from '../diagram/svg.ts'
import type { Staged } from '../issues.ts'
import { printList } from '../proxy/iptables/print-list.ts'
import { printRestore } from '../proxy/iptables/print-restore.ts'
import { printSave } from '../proxy/iptables/print-save.ts'
import { printNftList } from '../proxy/nftables/print-list.ts'
import { printNftTransaction } from '../proxy/nftables/print-transaction.ts'
import type { ProxyMode } from '../model/cluster.ts'
import { renderPlanJson } from './json.ts'
import { renderPlanText } from './text.ts'
import type { PlanResult } from '../plan/types.ts'
import { renderSarif, type SarifOptions } from './sarif.ts'

/** Every format `renderPlan` (and `kube-whatif plan -o`) accepts. */
export const PLAN_FORMATS = ['text', 'json', 'iptables-restore', 'iptables-save', 'iptables-list', 'nft', 'nft-list', 'mermaid', 'dot', 'svg', 'sarif'] as const

/** One of {@link PLAN_FORMATS}. */
export type PlanFormat = (typeof PLAN_FORMATS)[number]

/**
 * Renders a plan.
 *
 * - `text`: the human summary; `json`: the stable JSON document (README "JSON output");
 * - `iptables-restore`: the exact payload kube-proxy passes to `iptables-restore` on a full sync;
 * - `iptables-save` / `iptables-list`: what `iptables-save` / `iptables -L -n` print after that
 *   payload and the base-chain jump rules are loaded (iptables 1.8.9) into empty tables, or over
 *   the node's current rules when the plan has them;
 * - `nft`: the `nft -f` transaction of a full sync in nftables mode; `nft-list`: what
 *   `nft list table` (nftables 1.0.6) prints once it is loaded. Both need a plan made in
 *   nftables mode ({@link proxyModeOfFormat}); the iptables formats need one in iptables mode.
 * - `mermaid` / `dot` / `svg`: the packet paths of every service port (diagram/), traced through
 *   the rendered ruleset, as a Mermaid `flowchart LR`, a Graphviz digraph or an SVG document;
 * - `sarif`: the issues as a SARIF 2.1.0 log for code scanning (`options.version` names the tool version).
 *
 * @example
 * renderPlan(planFromSources({ files }), 'iptables-restore')
 */
export function renderPlan(result: Staged<PlanResult>, format: PlanFormat, options: SarifOptions = {}): string {
  const plan = result.value
  switch (format) {
    case 'text':
      return renderPlanText(result)
    case 'json':
      return renderPlanJson(result, plan.nftables ? undefined : printRestore(plan.ruleset), plan.nftables ? printNftTransaction(plan.nftables) : undefined)
    case 'nft':
      return plan.nftables ? printNftTransaction(plan.nftables) : ''
    case 'nft-list':
      return plan.nftables ? printNftList(plan.nftables) : ''
    case 'iptables-restore':
      return printRestore(plan.ruleset)
    case 'iptables-save':
      return printSave(plan.ruleset, { jumpRules: plan.jumpRules, ...(plan.currentRules ? { initial: plan.currentRules } : {}) })
    case 'iptables-list':
      return printList(plan.ruleset, { jumpRules: plan.jumpRules, ...(plan.currentRules ? { initial: plan.currentRules } : {}) })
    case 'mermaid':
    case 'dot':
    case 'svg': {
      const set = planDiagrams(plan)
      const notes = [...set.notes, ...plan.assumptions]
      if (format === 'mermaid') return renderMermaid(set.diagrams, notes)
      return format === 'dot' ? renderDot(set.diagrams, notes) : renderSvgDocument(set.diagrams, notes)
    }
    case 'sarif':
      return renderSarif(
        result.issues.map((i) => ({ ...i, level: i.severity === 'info' ? 'note' : i.severity })),
        options,
      )
  }
}

/** The proxy mode a format belongs to (`text`/`json` show either). */
export function proxyModeOfFormat(format: PlanFormat): ProxyMode | undefined {
  if (format === 'nft' || format === 'nft-list') return 'nftables'
  if (format.startsWith('iptables-')) return 'iptables'
  return undefined
}
