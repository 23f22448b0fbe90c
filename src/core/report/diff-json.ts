/**
 * @module report/diff-json
 * The diff as stable JSON for other tools: every object's keys sorted, arrays in the diff's own
 * deterministic order, no timestamps, two-space indent, trailing newline. Schema (version 1):
 *
 * ```
 * { schemaVersion: 1, kind: "kube-whatif/diff", exitCode: 0|1|2,
 *   node, ipFamily, summary: {added, changed, destroyed, errors, warnings, notices, hasChanges},
 *   services: [{kind: create|update|delete, namespace, name, type, source?: {file,line,column},
 *               note, fields: [{field, before?, after?}], allocations: [...same],
 *               endpoints: [{servicePort, added[], removed[], after}],
 *               opened: [{kind, service, text}], closed: [...]}],
 *   findings: [{severity: error|warning|notice, code, message, ref?, path?, source?, side}],
 *   rules: [{nodes[], family, proxyMode?, tables: [{table, chainsAdded[], chainsRemoved[], chainsChanged[]}],
 *            unified, linesAdded, linesRemoved}],
 *   nodesCompared[], nodesNotCompared, probes: [{name, from, to, protocol, before, after, changed}],
 *   assumptions[],
 *   proxyMode?: {base, head},                       (when a side is in nftables mode)
 *   migration?: [{servicePort, difference, iptables, nftables}] }   (iptables on one side, nftables on the other)
 * ```
 * New fields may be added within version 1; removals or meaning changes bump `schemaVersion`.
 */
import { diffExitCode } from '../diff/index.ts'
import type { PlanDiff } from '../diff/types.ts'
import type { Staged } from '../issues.ts'
import { writeSorted } from './sorted-json.ts'

/** Version of the JSON layout above. */
export const DIFF_JSON_SCHEMA_VERSION = 1

/** Renders a diff as the stable JSON document described above. */
export function renderDiffJson(diff: Staged<PlanDiff>): string {
  // Diagrams are a drawing of the rules and outcomes above (Markdown and `-o mermaid` show them).
  // The key is skipped without being read: planDiff draws them on first read (diff/plan-diff.ts
  // `drawnOnRead`), and a destructuring `{ diagrams, ...rest }` would draw them only to drop them.
  const rest: Record<string, unknown> = {}
  const value = diff.value as unknown as Record<string, unknown>
  for (const k of Object.keys(value)) if (k !== 'diagrams') rest[k] = value[k]
  const doc = {
    ...rest,
    schemaVersion: DIFF_JSON_SCHEMA_VERSION,
    kind: 'kube-whatif/diff',
    exitCode: diffExitCode(diff.value.summary),
  }
  // Same bytes as JSON.stringify(sortKeys(doc), null, 2), without the sorted copy (sorted-json.ts).
  // The writer itself, not stringifySorted: the diff's builders keep their own key order, so the
  // native path's walk would copy most of the document and give up (diff of the bench PR: 1.02-1.05×).
  return `${writeSorted(doc)}\n`
}
