/**
 * @module diff/restore-lines
 * The lines of a ruleset's `iptables-restore` payload (proxy/iptables/print-restore.ts
 * `printRestore`, production mark style) without printing the text: the rule diff compares lines,
 * and printing both sides' payloads only to split them again was most of its cost. Each rule's
 * line is formatted once per diff (`formatRuleLine`) and kept per table, chain and rule object:
 * the head's rules of unchanged service ports are the base's very objects (port-sharing.ts), so
 * they are not formatted again, and the line diff then compares those lines as the same strings.
 * A table whose writer kept its lines as it wrote them (writer.ts `writtenLines`, planDiff's
 * default rulesets) gives those instead, and is not read rule by rule at all.
 * test/diff/restore-lines.test.ts checks `restoreLines` against `printRestore` on seeded plans,
 * with and without the node's current rules (`-X` lines, write order).
 */
import type { ChainDeletion, Chain, Rule, RuleRef, Ruleset, Table } from '../proxy/iptables/ir.ts'
import { formatRuleLine } from '../proxy/iptables/print-restore.ts'
import { writtenLines, type WrittenLines } from '../proxy/iptables/writer.ts'
import { pushAll } from '../append.ts'
import { splitLines } from './line-diff.ts'

/**
 * The lines of one diff's rule formatting, per table and chain name: a line depends only on the
 * chain's name and the rule object (`formatRuleLine`), so a rule that is the same object in a
 * chain of the same name and table takes the line formatted before. The head's chains of unchanged
 * ports hold the base's rule objects at the same indexes, so a hit is mostly one array read and
 * one identity compare (a Map keyed by every rule object cost more than formatting most lines).
 */
export type RuleLineCache = Map<string, Map<string, ChainLines>>

/** One chain's rules as the ruleset that formatted them holds them, and the line of each. */
interface ChainLines {
  readonly rules: readonly Rule[]
  /** `undefined`: not formatted yet (or the line held a `\n`, which is never kept). */
  readonly lines: (string | undefined)[]
  /** Index of each rule object, built on the first lookup that misses its own index. */
  at?: Map<Rule, number>
}

/** What one {@link restoreLines} call carries along: the cache, and whether a line held a `\n`. */
interface Printing {
  readonly cache: RuleLineCache | undefined
  /** A line with a line break in it (a hostile name): the lines are then those of the split text. */
  broken: boolean
}

/** The line cached for `rule` at `index` of a chain of this name, if any. */
function cachedLine(e: ChainLines, rule: Rule, index: number): string | undefined {
  if (e.rules[index] === rule) return e.lines[index]
  // Shifted (a port added or removed before it in the chain): look the object up.
  let at = e.at
  if (at === undefined) {
    at = new Map()
    for (let i = 0; i < e.rules.length; i++) if (!at.has(e.rules[i] as Rule)) at.set(e.rules[i] as Rule, i)
    e.at = at
  }
  const i = at.get(rule)
  return i === undefined ? undefined : e.lines[i]
}

/** Cached lines of one table's chain runs: finds (or starts) a chain's entry once per run. */
class ChainRun {
  private chain: string | undefined
  private rules: readonly Rule[] | undefined
  /** Entry of another ruleset's chain of this name (read only), or this chain's own (filled). */
  private entry: ChainLines | undefined
  private own = false

  /** The cache's chains of this table (made on the first line kept). */
  private table: Map<string, ChainLines> | undefined

  constructor(
    private readonly tableName: string,
    private readonly p: Printing,
  ) {
    this.table = p.cache?.get(tableName)
  }

  /** Switches to `chain` whose rules are `rules` (`undefined`: the chain does not exist). */
  enter(chain: string, rules: readonly Rule[] | undefined): void {
    this.chain = chain
    this.rules = rules
    this.entry = this.table?.get(chain)
    this.own = this.entry !== undefined && this.entry.rules === rules
  }

  line(rule: Rule, index: number): string {
    const e = this.entry
    if (e !== undefined) {
      const hit = this.own ? e.lines[index] : cachedLine(e, rule, index)
      if (hit !== undefined) return hit
    }
    const chain = this.chain as string
    const line = formatRuleLine(chain, rule)
    // Only lines without a break are kept, so a hit never hides one.
    if (line.includes('\n')) this.p.broken = true
    else if (this.p.cache !== undefined && this.rules !== undefined) {
      if (e === undefined) {
        if (this.table === undefined) {
          this.table = new Map()
          this.p.cache.set(this.tableName, this.table)
        }
        this.entry = { rules: this.rules, lines: [] }
        this.own = true
        this.table.set(chain, this.entry)
      }
      if (this.own) (this.entry as ChainLines).lines[index] = line
    }
    return line
  }
}

/** {@link chainsOf}' index of each table read, built once per table (the diff reads it twice). */
const chainIndex = new WeakMap<Table, ReadonlyMap<string, Chain>>()

/**
 * A table's chains by name; as printTable, the last chain of a name is the one a reference
 * reads. Kept per table: the rule diff reads each side's index for its lines here and for its
 * chain comparison (rules.ts `diffChains`), ≈ 11k chains per side at 1k Services. Set one by
 * one: the array of [name, chain] pairs a Map is usually built from cost as much as the lookups.
 */
export function chainsOf(table: Table): ReadonlyMap<string, Chain> {
  let byName = chainIndex.get(table)
  if (byName === undefined) {
    const m = new Map<string, Chain>()
    for (const c of table.chains) m.set(c.name, c)
    chainIndex.set(table, m)
    byName = m
  }
  return byName
}

/** printTable of print-restore.ts, line by line (no `\n`). */
function tableLines(table: Table, out: string[], p: Printing): void {
  out.push(`*${table.name}`)
  // Formatted as the table was written (writer.ts `writtenLines`): the same lines, no pass here.
  const written = writtenLines(table)
  if (written !== undefined) {
    pushAll(out, written.declarations)
    pushAll(out, written.rules)
    out.push('COMMIT')
    return
  }
  for (const chain of table.chains) {
    if (chain.name.includes('\n')) p.broken = true
    out.push(`:${chain.name} - [0:0]`)
  }
  const run = new ChainRun(table.name, p)
  if (table.writeOrder) {
    const byName = chainsOf(table)
    const deletions = table.deletions ?? []
    let d = 0
    const deleteUpTo = (at: number): void => {
      for (; d < deletions.length && (deletions[d] as ChainDeletion).at <= at; d++) {
        const chain = (deletions[d] as ChainDeletion).chain
        if (chain.includes('\n')) p.broken = true
        out.push(`-X ${chain}`)
      }
    }
    // Consecutive rules mostly go to one chain: its rules and cached lines are looked up once
    // per run, and the `-X` check is a compare per rule, not a call.
    const order = table.writeOrder
    let lastChain: string | undefined
    let rules: readonly Rule[] | undefined
    let nextDeletion = deletions.length > 0 ? (deletions[0] as ChainDeletion).at : Number.POSITIVE_INFINITY
    for (let i = 0; i < order.length; i++) {
      if (i >= nextDeletion) {
        deleteUpTo(i)
        nextDeletion = d < deletions.length ? (deletions[d] as ChainDeletion).at : Number.POSITIVE_INFINITY
      }
      const ref = order[i] as RuleRef
      if (ref.chain !== lastChain) {
        lastChain = ref.chain
        rules = byName.get(ref.chain)?.rules
        run.enter(ref.chain, rules)
      }
      const rule = rules?.[ref.index]
      if (rule === undefined) continue
      out.push(run.line(rule, ref.index))
    }
    deleteUpTo(Number.POSITIVE_INFINITY)
  } else {
    for (const chain of table.chains) {
      run.enter(chain.name, chain.rules)
      for (let i = 0; i < chain.rules.length; i++) out.push(run.line(chain.rules[i] as Rule, i))
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
  // Every table's lines kept by its writer (planDiff's default rulesets): the same lines as
  // tableLines pushes, joined by `concat` (a copy of each list at once, not a push per line).
  const written = ruleset.tables.map((t) => writtenLines(t))
  if (written.every((w) => w !== undefined)) {
    const parts: (readonly string[])[] = []
    ruleset.tables.forEach((t, i) => {
      const w = written[i] as Readonly<WrittenLines>
      parts.push([`*${t.name}`], w.declarations, w.rules, ['COMMIT'])
    })
    return ([] as string[]).concat(...parts)
  }
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
