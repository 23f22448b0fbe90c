/**
 * @module diff/restore-lines
 * The lines of a ruleset's `iptables-restore` payload (proxy/iptables/print-restore.ts
 * `printRestore`, production mark style) without printing the text: the rule diff compares lines,
 * and printing both sides' payloads only to split them again was most of its cost. Each rule's
 * line is formatted once per diff (`formatRuleLine`) and kept by rule object: the head's rules of
 * unchanged service ports are the base's very objects (port-sharing.ts), so they are not
 * formatted again, and the line diff then compares those lines as the same strings.
 * test/diff/restore-lines.test.ts checks `restoreLines` against `printRestore` on seeded plans,
 * with and without the node's current rules (`-X` lines, write order).
 */
import type { ChainDeletion, Chain, Rule, Ruleset, Table } from '../proxy/iptables/ir.ts'
import { formatRuleLine } from '../proxy/iptables/print-restore.ts'
import { splitLines } from './line-diff.ts'

/**
 * Rule → its `-A CHAIN args` line, shared by the rulesets of one diff. A line is reused only for
 * the chain it was formatted for: it starts with `-A CHAIN` followed by a space or its end, and
 * neither name has a space (a chain name with one is formatted every time), so the names are equal.
 */
export type RuleLineCache = Map<Rule, string>

/** What one {@link restoreLines} call carries along: the cache, and whether a line held a `\n`. */
interface Printing {
  readonly cache: RuleLineCache | undefined
  /** A line with a line break in it (a hostile name): the lines are then those of the split text. */
  broken: boolean
}

function ruleLine(chain: string, rule: Rule, p: Printing, cacheable: boolean): string {
  const cache = cacheable ? p.cache : undefined
  if (cache !== undefined) {
    const hit = cache.get(rule)
    if (hit !== undefined && hit.startsWith(chain, 3) && (hit.length === chain.length + 3 || hit.charCodeAt(chain.length + 3) === 0x20)) return hit
  }
  const line = formatRuleLine(chain, rule)
  // Only lines without a break are kept, so a hit never hides one.
  if (line.includes('\n')) p.broken = true
  else cache?.set(rule, line)
  return line
}

/** printTable of print-restore.ts, line by line (no `\n`). */
function tableLines(table: Table, out: string[], p: Printing): void {
  out.push(`*${table.name}`)
  for (const chain of table.chains) {
    if (chain.name.includes('\n')) p.broken = true
    out.push(`:${chain.name} - [0:0]`)
  }
  if (table.writeOrder) {
    // As printTable: the last chain of a name is the one a reference reads.
    const byName = new Map<string, Chain>(table.chains.map((c) => [c.name, c]))
    const deletions = table.deletions ?? []
    let d = 0
    const deleteUpTo = (at: number): void => {
      for (; d < deletions.length && (deletions[d] as ChainDeletion).at <= at; d++) {
        const chain = (deletions[d] as ChainDeletion).chain
        if (chain.includes('\n')) p.broken = true
        out.push(`-X ${chain}`)
      }
    }
    let lastChain = ''
    let cacheable = true
    table.writeOrder.forEach((ref, i) => {
      deleteUpTo(i)
      const rule = byName.get(ref.chain)?.rules[ref.index]
      if (rule === undefined) return
      if (ref.chain !== lastChain) {
        lastChain = ref.chain
        cacheable = !ref.chain.includes(' ')
      }
      out.push(ruleLine(ref.chain, rule, p, cacheable))
    })
    deleteUpTo(Number.POSITIVE_INFINITY)
  } else {
    for (const chain of table.chains) {
      const cacheable = !chain.name.includes(' ')
      for (const rule of chain.rules) out.push(ruleLine(chain.name, rule, p, cacheable))
    }
  }
  out.push('COMMIT')
}

/**
 * `printRestore(ruleset)` split into lines (`line-diff.ts` `splitLines`): the text is
 * {@link joinLines} of them. Reads the IR (`tables`), building it if the ruleset is a lazy one.
 * With `cache`, rule lines are taken from it and added to it (see {@link RuleLineCache}).
 */
export function restoreLines(ruleset: Ruleset, cache?: RuleLineCache): string[] {
  const out: string[] = []
  const p: Printing = { cache, broken: false }
  for (const table of ruleset.tables) tableLines(table, out, p)
  // A name with a line break spans lines of the text: split it as the text would be.
  if (p.broken) return splitLines(joinLines(out))
  return out
}

/** The payload text of {@link restoreLines}' lines. */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}
