/**
 * @module trace/nftables/ruleset-index
 * An nftables ruleset prepared for tracing: chains by name, set and map contents by key, and
 * where each rule is in the `nft -f` text (for "line 42" in a trace).
 */
import type { NftChain, NftRuleset } from '../../proxy/nftables/ir.ts'
import { printNftTransaction, ruleText } from '../../proxy/nftables/print-transaction.ts'
import { markText } from '../../proxy/nftables/build-static.ts'
import type { PathStep } from '../types.ts'

/** A rule's position: chain name and 0-based index. */
export interface NftRuleRef {
  readonly chain: string
  readonly index: number
}

export interface NftIndex {
  readonly ruleset: NftRuleset
  readonly chains: ReadonlyMap<string, NftChain>
  /** `container` → (key joined with ` . `) → element value (`''` for plain sets). */
  readonly contents: ReadonlyMap<string, ReadonlyMap<string, string>>
  readonly locate: (ref: NftRuleRef) => PathStep
}

/**
 * Indexes a ruleset. `text` is its `nft -f` transaction when the caller printed it already.
 *
 * @example
 * const idx = indexNftRuleset(plan.nftables)
 */
export function indexNftRuleset(rs: NftRuleset, text?: string): NftIndex {
  const chains = new Map(rs.chains.map((c) => [c.name, c]))
  const contents = new Map<string, Map<string, string>>()
  for (const e of rs.elements) {
    const m = contents.get(e.container) ?? new Map<string, string>()
    m.set(e.key.join(' . '), e.value ?? '')
    contents.set(e.container, m)
  }
  const prefix = `add rule ${rs.family} ${rs.table} `
  const lines = new Map<string, number[]>()
  ;(text ?? printNftTransaction(rs)).split('\n').forEach((line, i) => {
    if (!line.startsWith(prefix)) return
    const chain = line.slice(prefix.length).split(' ', 1)[0] ?? ''
    const list = lines.get(chain) ?? []
    list.push(i + 1)
    lines.set(chain, list)
  })
  const table = `${rs.family} ${rs.table}` as const
  const cache = new Map<string, PathStep>()
  const locate = (ref: NftRuleRef): PathStep => {
    const key = `${ref.chain}\u0000${ref.index}`
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const rule = chains.get(ref.chain)?.rules[ref.index]
    const line = lines.get(ref.chain)?.[ref.index]
    const step: PathStep = {
      table,
      chain: ref.chain,
      index: ref.index,
      text: `${prefix}${ref.chain}${rule === undefined ? '' : ` ${ruleText(rule, rs.family, markText)}`}`,
      ...(line !== undefined ? { line } : {}),
    }
    cache.set(key, step)
    return step
  }
  return { ruleset: rs, chains, contents, locate }
}
