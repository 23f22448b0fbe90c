/**
 * @module trace/rule-lines
 * Finds each rule of a ruleset in its restore text, so a trace can say "line 42". The printer may
 * reorder rules (kube-proxy's test form sorts KUBE-SERVICES / KUBE-NODEPORTS by service), so a
 * rule is found by its text first (the k-th identical rule of a chain ↔ the k-th identical line),
 * and by its position among the chain's `-A` lines when the spelling differs (a user's file).
 */
import type { Chain, Rule, Table, TableName } from '../proxy/iptables/ir.ts'
import type { PathStep, RuleRef } from './types.ts'

/** Formats a rule's arguments after `-A CHAIN ` (the renderer's `formatRuleArgs`). */
export type RuleArgsFormatter = (rule: Rule) => string

export interface Line {
  readonly line: number
  /** The rule's arguments as written; squashed only when its chain is located. */
  readonly args: string
}

/** Whitespace that squashing would change: at an end, other than a space, or two in a row. */
const UNSQUASHED = /^\s|\s$|[^\S ]| {2}/

/**
 * Trimmed, each whitespace run one space. Printed rules are already so: returned as they are
 * (the replace built a new string per line, a third of locating a long chain such as KUBE-SERVICES).
 */
export const squash = (s: string): string => (UNSQUASHED.test(s) ? s.trim().replace(/\s+/g, ' ') : s)

/** A code unit other than printable ASCII and LF: whitespace other than the space, CR, U+2028 … */
const NOT_PLAIN = /[^\x20-\x7e\n]/

/**
 * `-A` lines of the text per `table/chain`, in order. A printed payload is printable ASCII and
 * LF only (checked with one regex scan): then the lines are read in place, trimming spaces and
 * cutting at spaces as the general reading does, without an array of every line and a regex
 * match per line (half of locating the rules of a 1k-Service payload). Anything else is read the
 * general way ({@link indexTextGeneral}); test/core/trace/rule-lines-index.test.ts compares both.
 */
export function indexText(text: string): Map<string, Line[]> {
  if (NOT_PLAIN.test(text)) return indexTextGeneral(text)
  const out = new Map<string, Line[]>()
  let table = ''
  let lineNo = 0
  for (let start = 0; start <= text.length; ) {
    lineNo++
    const nl = text.indexOf('\n', start)
    let end = nl === -1 ? text.length : nl
    const next = end + 1
    // trim(): only spaces can occur here.
    while (start < end && text.charCodeAt(start) === 0x20) start++
    while (end > start && text.charCodeAt(end - 1) === 0x20) end--
    const first = text.charCodeAt(start)
    if (first === 0x2a /* * */) table = text.slice(start + 1, end).trim()
    // /^-A\s+(\S+)\s*(.*)$/ on the trimmed line.
    else if (first === 0x2d /* - */ && text.charCodeAt(start + 1) === 0x41 /* A */ && start + 2 < end && text.charCodeAt(start + 2) === 0x20) {
      let c = start + 3
      while (c < end && text.charCodeAt(c) === 0x20) c++
      // The trimmed line does not end in a space, so a chain name follows.
      let ce = text.indexOf(' ', c)
      if (ce === -1 || ce > end) ce = end
      let a = ce
      while (a < end && text.charCodeAt(a) === 0x20) a++
      const key = `${table}/${text.slice(c, ce)}`
      const entry = { line: lineNo, args: text.slice(a, end) }
      const list = out.get(key)
      if (list === undefined) out.set(key, [entry])
      else list.push(entry)
    }
    if (nl === -1) break
    start = next
  }
  return out
}

/** {@link indexText} for any text: each line trimmed and matched as an `-A` line. */
export function indexTextGeneral(text: string): Map<string, Line[]> {
  const out = new Map<string, Line[]>()
  let table = ''
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line.startsWith('*')) table = line.slice(1).trim()
    const m = /^-A\s+(\S+)\s*(.*)$/.exec(line)
    if (m === null) return
    const key = `${table}/${m[1] ?? ''}`
    const list = out.get(key)
    if (list === undefined) out.set(key, [{ line: i + 1, args: m[2] ?? '' }])
    else list.push({ line: i + 1, args: m[2] ?? '' })
  })
  return out
}

/**
 * Builds a locator: RuleRef → PathStep with the rule's text and its 1-based line in `text`.
 * Rules `text` does not hold (built-in-chain jump rules added for tracing) get no line; without
 * `text` no rule has one, and no chain's rules are formatted to look for it.
 * `knownLines` (the parser's record for a file that was read) wins over searching. The locator
 * takes the rule `ref` names as a second argument when the caller has it (trace/slice.ts).
 */
export function ruleLocator(
  tables: readonly Table[],
  text: string | undefined,
  format: RuleArgsFormatter,
  knownLines?: ReadonlyMap<Rule, number>,
): (ref: RuleRef, given?: Rule) => PathStep {
  const locator = new Locator(tables, text, format, knownLines)
  return (ref, given) => locator.locate(ref, given)
}

/**
 * {@link ruleLocator}'s state and steps. Methods, not closures made per locator: a diff draws once
 * per report, and the optimized code of a closure lives only as long as some closure of its site
 * does (V8 holds it weakly from the shared feedback), so each drawing's locators died with it and
 * every later drawing located its steps unoptimized while they were recompiled.
 */
class Locator {
  private readonly lines: Map<string, Line[]>
  private readonly sourceLines: readonly string[]
  private readonly byTable: Map<TableName, Table>
  // Steps by table, chain and index: no `table/chain/index` string built and hashed per step
  // located (every step of every outcome of a trace is located, most of them again).
  private readonly cache = new Map<TableName, Map<string, PathStep[]>>()
  // Chain by name per table, built on first use: a `find` over every chain per located rule
  // was most of the diagrams' time at 1k Services (≈ 12k chains, one scan per path step), and
  // quadratic in the cluster (test/perf/linearity.test.ts, planDiff case).
  private readonly chainIndex = new Map<TableName, Map<string, Chain>>()
  private readonly located = new Map<string, (number | undefined)[]>()

  constructor(
    tables: readonly Table[],
    private readonly text: string | undefined,
    private readonly format: RuleArgsFormatter,
    private readonly knownLines: ReadonlyMap<Rule, number> | undefined,
  ) {
    this.lines = text === undefined ? new Map<string, Line[]>() : indexText(text)
    this.sourceLines = knownLines === undefined || text === undefined ? [] : text.split(/\r?\n/)
    this.byTable = new Map<TableName, Table>(tables.map((t) => [t.name, t]))
  }

  private chainOf(table: TableName, name: string): Chain | undefined {
    let byName = this.chainIndex.get(table)
    if (byName === undefined) {
      byName = new Map()
      // First chain of a name wins, as `find` picked it.
      for (const c of this.byTable.get(table)?.chains ?? []) if (!byName.has(c.name)) byName.set(c.name, c)
      this.chainIndex.set(table, byName)
    }
    return byName.get(name)
  }

  private lineNumbers(table: TableName, chain: string): (number | undefined)[] {
    const key = `${table}/${chain}`
    const hit = this.located.get(key)
    if (hit !== undefined) return hit
    const rules = this.chainOf(table, chain)?.rules ?? []
    const candidates = this.lines.get(key) ?? []
    const used = new Set<number>()
    // The k-th rule with some text ↔ the k-th unused line with it: a queue of positions per text
    // (a findIndex per rule made a chain of N rules cost N², e.g. KUBE-SERVICES of a big cluster).
    const byArgs = new Map<string, number[]>()
    candidates.forEach((c, k) => {
      // Squashed here, for the chains a trace meets, not for every line of the text.
      const args = squash(c.args)
      const q = byArgs.get(args)
      if (q === undefined) byArgs.set(args, [k])
      else q.push(k)
    })
    const result: (number | undefined)[] = rules.map((r) => {
      const i = byArgs.get(squash(this.format(r)))?.shift()
      if (i === undefined) return undefined
      used.add(i)
      return candidates[i]?.line
    })
    // Same number of rules and lines but spelled differently (a user's own file): by position.
    if (result.some((l) => l === undefined) && candidates.length === rules.length) {
      rules.forEach((_, k) => {
        if (result[k] === undefined && !used.has(k)) result[k] = candidates[k]?.line
      })
    }
    this.located.set(key, result)
    return result
  }

  locate(ref: RuleRef, given: Rule | undefined): PathStep {
    let byChain = this.cache.get(ref.table)
    if (byChain === undefined) this.cache.set(ref.table, (byChain = new Map()))
    let steps = byChain.get(ref.chain)
    if (steps === undefined) byChain.set(ref.chain, (steps = []))
    const hit = steps[ref.index]
    if (hit !== undefined) return hit
    // A slice hands over the rule it holds: the chains of a whole table are then never indexed
    // by name (≈ 11k at 1k Services, per side of a diff, for the few rules its traces pass).
    const rule = given ?? this.chainOf(ref.table, ref.chain)?.rules[ref.index]
    const known = rule === undefined ? undefined : this.knownLines?.get(rule)
    const line = known ?? (this.text === undefined ? undefined : this.lineNumbers(ref.table, ref.chain)[ref.index])
    // A rule read from a file is shown as the file spells it; a rendered one as the printer does.
    const own = known !== undefined ? this.sourceLines[known - 1]?.trim() : undefined
    const step: PathStep = {
      ...ref,
      text: own ?? `-A ${ref.chain}${rule === undefined ? '' : ` ${this.format(rule)}`}`.trimEnd(),
      ...(line !== undefined ? { line } : {}),
    }
    steps[ref.index] = step
    return step
  }
}
