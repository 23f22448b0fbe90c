/**
 * @module report/budget
 * Keeps a report under a size limit by dropping whole blocks in tiers, never by cutting text in
 * the middle of a code fence or a `<details>` element. The #1 complaint about plan commenters is
 * GitHub's 65,536-character comment limit (tfcmt#227, argocd-diff-preview#42, ...): a 422 posts
 * nothing at all. We degrade like Pulumi's `always-include-summary`: the rules diff goes first,
 * then the packet-path diagrams, then per-Service detail, then findings beyond the first few; marker, summary and errors stay,
 * and a visible notice says where the full report is.
 */

/** GitHub's hard limit for an issue comment body (API error "Body is too long"). */
export const GITHUB_COMMENT_LIMIT = 65_536

/**
 * Default budget for a PR comment: below the hard limit with a margin, because GitHub may count
 * some characters differently from JavaScript's UTF-16 length (e.g. line endings).
 */
export const DEFAULT_COMMENT_BUDGET = 65_000

/**
 * How early a block is dropped: 1 = rules diff, 2 = packet-path diagrams, 3 = per-Service detail,
 * 4 = findings beyond the first N (and other long lists). 0 = essential (dropped only as a last
 * resort, from the end).
 */
export type Tier = 0 | 1 | 2 | 3 | 4

/** One unit of a report. `text` is included verbatim (it carries its own newlines). */
export interface Block {
  readonly text: string
  readonly tier: Tier
  /** Never dropped: the marker, the heading and the summary line. */
  readonly pinned?: boolean
  /** Where the truncation notice goes; its own text is ignored. At most one. */
  readonly notice?: boolean
  /** An essential block that goes only after every other unpinned one (the error findings). */
  readonly important?: boolean
}

/** What had to go, for the notice text. */
export interface Dropped {
  /** Tiers removed entirely, in order. */
  readonly tiers: readonly Tier[]
  /** Essential blocks removed as a last resort. */
  readonly essential: number
}

/** Result of fitting. */
export interface Fitted {
  readonly text: string
  readonly dropped: Dropped
}

/**
 * Joins `blocks`, dropping tiers 1, 2, 3 and 4 in turn while the result is longer than `maxChars`;
 * then, if still too long, unpinned tier-0 blocks from the end (`important` ones last). `notice(dropped)` is rendered at
 * the notice block whenever anything was dropped. The result is never longer than `maxChars`
 * (a last-resort hard cut applies if pinned blocks alone exceed it).
 */
export function fitBlocks(
  blocks: readonly Block[],
  maxChars: number,
  notice: (d: Dropped) => string,
  measure: (s: string) => number = (s) => s.length,
): Fitted {
  const sizes = new Map<Block, number>(blocks.map((b) => [b, measure(b.text)]))
  const total = (keep: (b: Block) => boolean, d: Dropped | undefined): number => {
    let n = 0
    for (const b of blocks) {
      if (b.notice) n += d ? measure(notice(d)) : 0
      else if (keep(b)) n += sizes.get(b) as number
    }
    return n
  }
  const join = (keep: (b: Block) => boolean, d: Dropped | undefined): string => {
    let s = ''
    for (const b of blocks) {
      if (b.notice) s += d ? notice(d) : ''
      else if (keep(b)) s += b.text
    }
    return s
  }

  if (total(() => true, undefined) <= maxChars) return { text: join(() => true, undefined), dropped: { tiers: [], essential: 0 } }

  const tiers: Tier[] = []
  for (const level of [1, 2, 3, 4] as const) {
    if (!blocks.some((b) => b.tier === level)) continue
    tiers.push(level)
    const keep = (b: Block): boolean => b.tier === 0 || b.tier > level
    const d: Dropped = { tiers: [...tiers], essential: 0 }
    if (total(keep, d) <= maxChars) return { text: join(keep, d), dropped: d }
  }

  // Last resort: drop unpinned essential blocks from the end until it fits, the important ones
  // (errors) only after all the others.
  const unpinned = blocks.filter((b) => b.tier === 0 && !b.pinned && !b.notice)
  const essentials = [...unpinned.filter((b) => b.important), ...unpinned.filter((b) => !b.important)]
  let size = total((b) => b.tier === 0, { tiers, essential: essentials.length })
  let removed = 0
  const removedSet = new Set<Block>()
  for (let i = essentials.length - 1; i >= 0 && size > maxChars; i--) {
    const b = essentials[i] as Block
    removedSet.add(b)
    removed++
    size -= sizes.get(b) as number
  }
  // The notice length depends on the count; recompute with the final count.
  const d: Dropped = { tiers, essential: removed }
  let text = join((b) => b.tier === 0 && !removedSet.has(b), d)
  if (measure(text) > maxChars) text = hardCut(text, maxChars, measure)
  return { text, dropped: d }
}

/** Cuts at a line boundary and marks the cut; shrinks until `measure` fits. */
function hardCut(text: string, maxChars: number, measure: (s: string) => number): string {
  const tail = '\n\n… (truncated)\n'
  let budget = maxChars - measure(tail)
  let out = text
  while (measure(out) + measure(tail) > maxChars && budget > 0) {
    let cut = out.lastIndexOf('\n', Math.min(out.length - 1, budget))
    if (cut <= 0) cut = Math.max(0, Math.min(out.length - 1, budget))
    out = out.slice(0, cut)
    budget = Math.floor(budget * 0.9)
  }
  return out + tail
}
