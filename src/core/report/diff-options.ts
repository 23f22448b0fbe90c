/**
 * @module report/diff-options
 * Options shared by the diff reports, and the small wording helpers they share so the comment,
 * the terminal text and the job summary say exactly the same thing.
 */
import type { DiffSummary, ServiceChangeKind } from '../diff/types.ts'

/** Context a report cannot know by itself (the core reads no environment). */
export interface DiffReportOptions {
  /** Key of the sticky comment; shown in the heading when not empty. */
  readonly target?: string
  /** Base and head commits or labels, shown as `base abc1234 → head def5678`. */
  readonly baseRef?: string
  readonly headRef?: string
  /** Tool version for the footer. */
  readonly version?: string
  /** Where the full report lives (job summary / run URL), linked from the truncation notice. */
  readonly fullReportUrl?: string
  /** Command to reproduce locally, shown in the footer. */
  readonly reproduce?: string
  /** Prefix to link `file#Lline`, e.g. `https://github.com/o/r/blob/<sha>/`. */
  readonly blobUrl?: string
  /** Size budget (default: the PR comment budget). */
  readonly maxChars?: number
  /** Count UTF-8 bytes instead of characters (job summaries are limited in bytes). */
  readonly measureBytes?: boolean
  /** How many non-error findings and Services are kept before the last degradation tier. */
  readonly keepFirst?: number
  /** Terminal colours (text format only). */
  readonly color?: boolean
}

/** Change kinds in the order reports list them (legends, tables). */
export const CHANGE_KINDS: readonly ServiceChangeKind[] = ['refused', 'delete', 'create', 'update']

/** ARM what-if symbols; `!` marks an apply the apiserver refuses. */
export const SYMBOL: Record<ServiceChangeKind, string> = { refused: '!', delete: '-', create: '+', update: '~' }
/**
 * The word for each change kind in tables and legends: ARM what-if's change types (Delete, Create,
 * Modify), as ARM's `az deployment what-if` prints them. The JSON keeps the kind `update`.
 */
export const VERB: Record<ServiceChangeKind, string> = { refused: 'refused', delete: 'delete', create: 'create', update: 'modify' }

/**
 * `Plan: 2 to add, 1 to change, 1 to destroy · 3 findings (1 error)` (terraform plan's verdict
 * line) or `No changes · no findings`.
 */
export function summaryLine(s: DiffSummary): string {
  // The refused count appears only when there is one, so plans without refusals read as before.
  const refused = s.refused > 0 ? `, ${s.refused} refused` : ''
  const changes =
    s.added + s.changed + s.destroyed + s.refused === 0
      ? s.hasChanges
        ? 'No Service changes (rules change)'
        : 'No changes'
      : `Plan: ${s.added} to add, ${s.changed} to change, ${s.destroyed} to destroy${refused}`
  const n = s.errors + s.warnings + s.notices
  const findings =
    n === 0 ? 'no findings' : `${n} finding${n === 1 ? '' : 's'}${s.errors > 0 ? ` (${s.errors} error${s.errors === 1 ? '' : 's'})` : ''}`
  return `${changes} · ${findings}`
}

/** `file:line` of a location, or `''`. */
export function fileLine(source: { file: string; line: number } | undefined): string {
  return source ? `${source.file}:${source.line}` : ''
}

/** UTF-8 length of a comment body; the parser's counter, re-exported so both budgets agree. */
export { utf8Length } from '../parse/limits.ts'

/** `iptables rules`, `nftables rules`, or `iptables → nftables rules` for a migration. */
export function rulesLabel(proxyMode: string | undefined): string {
  if (proxyMode === undefined) return 'iptables rules'
  return `${proxyMode.replace('->', ' → ')} rules`
}
