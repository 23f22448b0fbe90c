/**
 * Accumulates a restore payload the way kube-proxy's LineBuffers do: chain declarations in the
 * order they are written, rules in the order they are written (recorded in `writeOrder`).
 * Mirrors the filterChains/filterRules/natChains/natRules buffers of pkg/proxy/iptables/proxier.go:
 * declarations and rules are separate buffers, so a rule may be written before its chain's
 * declaration (the S7 masquerade rule precedes `:KUBE-SVC-…`).
 */
import { InvariantError } from '../../invariant.ts'
import type { IPFamily } from '../../model/k8s.ts'
import type { Chain, ChainDeletion, Rule, RuleRef, Ruleset, Table, TableName } from './ir.ts'
import { formatRuleLine } from './print-restore.ts'

/**
 * What the builders write to: {@link RulesetWriter} keeps the rules as IR (trace, diff, save and
 * list views), {@link RestoreTextWriter} prints each rule as it is written and keeps only the
 * text (the `-o iptables-restore` path, where an IR of every rule and match would only be garbage).
 */
export interface RuleSink {
  /** `:CHAIN - [0:0]`. Declaring twice is a builder bug. */
  declare(table: TableName, chain: string): void
  /** True when `chain` was declared in `table`. */
  isDeclared(table: TableName, chain: string): boolean
  /** `-A CHAIN …`. */
  append(table: TableName, chain: string, rule: Rule): void
  /** `:CHAIN - [0:0]` then, at this point of the rules, `-X CHAIN`. */
  deleteChain(table: TableName, chain: string): void
}

/** Each table's draft of a writer, found by name (kube-proxy's LineBuffers, one set per table). */
abstract class TableDrafts<T> {
  protected readonly tables = new Map<TableName, T>()
  /** The table of the previous write: the builders write runs of rules to one table (nat mostly). */
  private lastName: TableName | undefined
  private lastTable: T | undefined

  constructor(tableOrder: readonly TableName[], draft: () => T) {
    for (const t of tableOrder) this.tables.set(t, draft())
  }

  protected table(name: TableName): T {
    if (name === this.lastName) return this.lastTable as T
    const t = this.tables.get(name)
    if (!t) throw new InvariantError(`table ${name} was not set up`)
    this.lastName = name
    this.lastTable = t
    return t
  }
}

/**
 * One chain of a table a {@link RulesetWriter} writes: its declaration and its rules, found by
 * name once per declaration and once per run of rules (one Map of these per table, where a Map
 * of positions, one of rules and one of borrowed counts were each hashed per chain).
 */
interface ChainDraft {
  /** Its index in `declared` (the finished table's `chains`); -1 while rules were written to it undeclared. */
  at: number
  /** Its rules; `undefined` while none were written. Another build's array while `borrowed`. */
  rules: Rule[] | undefined
  /**
   * `rules` is the array of the build whose spans were replayed (see `TableDraft.src`): the chain
   * holds its first `partial` rules (all of them when -1), and is copied before this build writes
   * to it otherwise (see `own`).
   */
  borrowed: boolean
  partial: number
  /** A replayed declaration: its index in that build's table (-1: declared here). */
  from: number
}

/** Each declared name's position (the finished table's `chains`), read from the chain drafts. */
class DeclaredAt implements ReadonlyMap<string, number> {
  constructor(
    private readonly byName: ReadonlyMap<string, ChainDraft>,
    private readonly names: readonly string[],
  ) {}

  get size(): number {
    return this.names.length
  }

  get(name: string): number | undefined {
    const c = this.byName.get(name)
    return c !== undefined && c.at >= 0 ? c.at : undefined
  }

  has(name: string): boolean {
    return this.get(name) !== undefined
  }

  forEach(f: (at: number, name: string, map: ReadonlyMap<string, number>) => void, thisArg?: unknown): void {
    this.names.forEach((name, i) => f.call(thisArg, i, name, this))
  }

  *entries(): IterableIterator<[string, number]> {
    for (let i = 0; i < this.names.length; i++) yield [this.names[i] as string, i]
  }

  keys(): IterableIterator<string> {
    return this.names.values()
  }

  values(): IterableIterator<number> {
    return this.names.keys()
  }

  [Symbol.iterator](): IterableIterator<[string, number]> {
    return this.entries()
  }
}

interface TableDraft {
  readonly declared: string[]
  /** The draft of each declared chain, by its index in `declared`. */
  readonly declaredChains: ChainDraft[]
  /** Every chain declared or written to, by name. */
  readonly chains: Map<string, ChainDraft>
  /** How many of `chains` received rules undeclared so far (see {@link RulesetWriter.declare}). */
  undeclared: number
  /** How many rules were written (the next rule's position in the write order). */
  written: number
  /**
   * The write order, as runs of consecutive rules to one chain: where each run starts in the
   * write order, its chain, the index of its first rule in the chain's rules (the next ones
   * follow), and that chain's rules array. Not a RuleRef per rule, nor a chain and index per
   * rule: the diff reads the lines, not the order, so the Table's `writeOrder` is made of the
   * runs only when read (≈ 32k rules per side at 1k Services, in ≈ 12k runs). `append` finds a
   * chain's rules once per run (as RestoreTextWriter adds to its `written` set once per run), and a replay
   * of this build's writes copies a run at a time, its chain's array at hand, nothing found by
   * name again. `mark` ends the run, so a span's rules are whole runs (`WriteSpan.at`'s fifth
   * number: its first run).
   */
  readonly runStart: number[]
  readonly runChain: string[]
  readonly runFirst: number[]
  readonly runRules: Rule[][]
  /** The chain of the run `append` is in (`undefined`: none, the next rule starts one), and its rules. */
  lastChain: string | undefined
  lastRules: Rule[]
  readonly deletions: ChainDeletion[]
  /**
   * With lines kept: the chain declarations' lines in order, and each rule's `formatRuleLine` and
   * each `-X` line in write order (no `\n`). `undefined` when not kept, or dropped once a line held
   * a `\n` (a hostile name: the lines of the printed text then differ, and restore-lines.ts splits
   * the text instead).
   */
  lines: WrittenLines | undefined
  /**
   * The table of the finished build whose spans were replayed ({@link RulesetWriter.replay}; one
   * build at most), and its draft. A chain whose rules here are that build's array itself
   * (`ChainDraft.borrowed`) holds its first `partial` rules. At `finish` a chain still holding all
   * of them keeps that array (and that build's Chain object, see `ChainDraft.from`).
   */
  source: Table | undefined
  src: TableDraft | undefined
}

/** A table's lines as printRestore prints them (production mark style), without `*name` and `COMMIT`. */
export interface WrittenLines {
  /** `:CHAIN - [0:0]` per declared chain, in order. */
  readonly declarations: string[]
  /** The rule and `-X` lines in write order. */
  readonly rules: string[]
}

/** Each table's lines kept by a {@link RulesetWriter} made with `keepLines` (see {@link writtenLines}). */
const keptLines = new WeakMap<Table, WrittenLines>()

/**
 * The declaration, rule and `-X` lines of a table, as printRestore prints them between `*name`
 * and `COMMIT` (production mark style), when the writer that built the table
 * kept them (`keepLines`, and no line held a `\n`). planDiff reads a ruleset's lines for its rule
 * diff: formatted as the rules are written, they need no second pass over the IR, and a replayed
 * span (build.ts `PortWrites`) brings the lines its first build formatted.
 */
export function writtenLines(table: Table): Readonly<WrittenLines> | undefined {
  return keptLines.get(table)
}

/** Each writer-built table's chain list, with its names' positions in it (see {@link declaredPositions}). */
const positions = new WeakMap<readonly unknown[], ReadonlyMap<string, number>>()

/**
 * The position of each chain of `chains` by name, when a {@link RulesetWriter} built that list
 * (a table's `chains`): the writer declares each name once (a second declaration throws) and
 * keeps the position where it checks that, so a name's only chain is found without hashing every
 * name of the list again. trace/chain-names.ts `chainNamesOf` reads it: a diff's diagrams look up
 * a few hundred chains in both sides' ≈ 11k at 1k Services, and indexing those names was a sixth
 * of the drawing. Undefined for any other list.
 */
export function declaredPositions(chains: readonly unknown[]): ReadonlyMap<string, number> | undefined {
  return positions.get(chains)
}

/** Per table whose writer replayed another build's spans: that build's table and the Chain objects taken. */
const sharedChains = new WeakMap<Table, SharedChains>()

/** The Chain objects a table holds of another writer-built table (see {@link chainsSharedWith}). */
export interface SharedChains {
  /** The table of the build whose writes were replayed. */
  readonly from: Table
  /** Per chain of the table: the index in `from.chains` of the same Chain object, or -1. */
  readonly at: Int32Array
}

/**
 * The Chain objects `table` shares with the table of the build it replayed writes of
 * ({@link RulesetWriter.replay}): planDiff's head shares the base's chains of unchanged service
 * ports. Both tables come from a RulesetWriter, which declares each chain name once, so a shared
 * chain is the only chain of its name on both sides. Undefined when the table replayed nothing.
 */
export function chainsSharedWith(table: Table): SharedChains | undefined {
  return sharedChains.get(table)
}

/**
 * Where some consecutive writes of a {@link RulesetWriter} (one service port's, build.ts
 * `PortWrites`) sit in its buffers: per table of its table order, the range of its declarations
 * and of its rules in write order. Each table's writes of a service port are contiguous in both
 * buffers (the declarations and the rules are separate buffers, like kube-proxy's LineBuffers).
 */
export interface WriteSpan {
  readonly writer: RulesetWriter
  /** Per table, five numbers: declarations from, to; rules (write order) from, to; the first run of those rules. */
  readonly at: readonly number[]
}

/** Collects chains and rules per table; `finish` freezes them into a {@link Ruleset}. */
export class RulesetWriter extends TableDrafts<TableDraft> implements RuleSink {
  /** The finished tables, by name (set by `finish`; a replayed span reads its Chain objects). */
  private finished: Map<TableName, Table> | undefined

  /** `keepLines`: also format each rule's line as it is written (see {@link writtenLines}). */
  constructor(tableOrder: readonly TableName[], keepLines = false) {
    super(tableOrder, () => ({
      declared: [],
      declaredChains: [],
      chains: new Map(),
      undeclared: 0,
      written: 0,
      runStart: [],
      runChain: [],
      runFirst: [],
      runRules: [],
      lastChain: undefined,
      lastRules: [],
      deletions: [],
      lines: keepLines ? { declarations: [], rules: [] } : undefined,
      source: undefined,
      src: undefined,
    }))
  }

  /** `:CHAIN - [0:0]`, its line kept when lines are. Declaring twice is a builder bug. */
  declare(table: TableName, chain: string): void {
    const t = this.table(table)
    declareIn(t, table, chain, -1)
    if (t.lines !== undefined) keepLine(t, `:${chain} - [0:0]`, t.lines.declarations)
  }

  /** True when `chain` was declared in `table`. */
  isDeclared(table: TableName, chain: string): boolean {
    const c = this.table(table).chains.get(chain)
    return c !== undefined && c.at >= 0
  }

  /** `-A CHAIN …`. */
  append(table: TableName, chain: string, rule: Rule): void {
    const t = this.table(table)
    let rules = t.lastRules
    if (chain !== t.lastChain) {
      const c = chainIn(t, chain)
      if (c.rules === undefined) rules = c.rules = []
      else rules = c.borrowed ? own(c) : c.rules
      t.lastChain = chain
      t.lastRules = rules
      t.runStart.push(t.written)
      t.runChain.push(chain)
      t.runFirst.push(rules.length)
      t.runRules.push(rules)
    }
    t.written++
    rules.push(rule)
    if (t.lines !== undefined) keepLine(t, formatRuleLine(chain, rule), t.lines.rules)
  }

  /**
   * `:CHAIN - [0:0]` then, at this point of the rules, `-X CHAIN`: iptables-restore needs the
   * chain line (which flushes it) before it may delete a chain that still has rules.
   */
  deleteChain(table: TableName, chain: string): void {
    const t = this.table(table)
    if (t.chains.get(chain)?.rules !== undefined) throw new InvariantError(`chain ${chain} deleted after rules were written to it in ${table}`)
    this.declare(table, chain)
    t.deletions.push({ chain, at: t.written })
    if (t.lines !== undefined) keepLine(t, `-X ${chain}`, t.lines.rules)
  }

  /** Where the next writes go: pass to {@link RulesetWriter.spanSince} after them. */
  mark(): number[] {
    const at: number[] = []
    for (const t of this.tables.values()) {
      t.lastChain = undefined
      at.push(t.declared.length, t.written, t.runStart.length)
    }
    return at
  }

  /** The writes made since `mark` was taken, for {@link RulesetWriter.replay} in another build. */
  spanSince(mark: readonly number[]): WriteSpan {
    const at: number[] = []
    let k = 0
    for (const t of this.tables.values()) {
      at.push(mark[k] as number, t.declared.length, mark[k + 1] as number, t.written, mark[k + 2] as number)
      k += 3
    }
    return { writer: this, at }
  }

  /**
   * Makes the writes of `span` (of another, finished writer with the same table order, no `-X`
   * line, and no replayed writes of its own) again: the same declarations and the same rule
   * objects appended to the same chains, in the same order, as calling declare and append once
   * per write would, with that writer's lines. Cheaper than those calls: a run of rules to one
   * chain is that writer's run (`TableDraft.runStart`, its chain's array at hand, no lookup by
   * name there), a chain whose rules are all the span's is that writer's array itself (see
   * `TableDraft.src`), and its lines, checked for `\n` when it kept them, are not checked again.
   */
  replay(span: WriteSpan): void {
    const src = span.writer
    const done = src.finished
    if (done === undefined || src.tables.size !== this.tables.size) throw new InvariantError('replayed writes of an unfinished writer')
    let k = 0
    for (const [name, t] of this.tables) {
      const s = src.table(name)
      if (s.deletions.length > 0) throw new InvariantError(`replayed writes of a table with -X lines (${name})`)
      // Its runs' arrays are its final rules only when it borrowed none (see `own`).
      if (s.src !== undefined) throw new InvariantError(`replayed writes of a build that replayed writes (${name})`)
      if (t.src === undefined) {
        t.src = s
        t.source = done.get(name) as Table
      } else if (t.src !== s) throw new InvariantError('replayed writes of two builds')
      const at = span.at
      const d0 = at[k] as number
      const d1 = at[k + 1] as number
      const r0 = at[k + 2] as number
      const r1 = at[k + 3] as number
      let q = at[k + 4] as number
      k += 5
      // A run of `append` ends where replayed rules come between (each replayed run is a run here).
      t.lastChain = undefined
      const lines = t.lines
      const keptDeclarations = s.lines?.declarations
      for (let i = d0; i < d1; i++) {
        const chain = s.declared[i] as string
        declareIn(t, name, chain, i)
        if (lines !== undefined) {
          if (keptDeclarations !== undefined) lines.declarations.push(keptDeclarations[i] as string)
          else keepLine(t, `:${chain} - [0:0]`, lines.declarations)
        }
      }
      const runs = s.runStart.length
      for (let i = r0; i < r1; q++) {
        if (s.runStart[q] !== i) throw new InvariantError(`replayed span does not start a run (${name})`)
        const chain = s.runChain[q] as string
        const firstIndex = s.runFirst[q] as number
        const j = q + 1 < runs ? Math.min(s.runStart[q + 1] as number, r1) : r1
        const taken = s.runRules[q] as Rule[]
        const c = chainIn(t, chain)
        t.runStart.push(t.written)
        t.runChain.push(chain)
        t.written += j - i
        // The chain's first rules, or the next ones of a borrowed chain: take that writer's array.
        if ((c.rules === undefined && firstIndex === 0) || (c.borrowed && c.rules === taken && c.partial === firstIndex)) {
          c.rules = taken
          c.borrowed = true
          const n = firstIndex + j - i
          c.partial = n < taken.length ? n : -1
          t.runFirst.push(firstIndex)
        } else {
          const rules = c.rules === undefined ? (c.rules = []) : c.borrowed ? own(c) : c.rules
          t.runFirst.push(rules.length)
          for (let x = firstIndex, end = firstIndex + j - i; x < end; x++) rules.push(taken[x] as Rule)
        }
        t.runRules.push(c.rules)
        if (lines !== undefined && s.lines === undefined) for (let x = firstIndex, end = firstIndex + j - i; x < end; x++) keepLine(t, formatRuleLine(chain, taken[x] as Rule), lines.rules)
        i = j
      }
      // `t.lines` again: a line formatted above may have had a `\n`.
      if (t.lines !== undefined && s.lines !== undefined) {
        const kept = s.lines.rules
        for (let x = r0; x < r1; x++) t.lines.rules.push(kept[x] as string)
      }
    }
  }

  /** The finished payload; every chain that received rules must have been declared. */
  finish(family: IPFamily, node: string): Ruleset {
    const tables: Table[] = []
    this.finished = new Map()
    for (const [name, t] of this.tables) {
      if (t.undeclared > 0) {
        for (const [chain, c] of t.chains) if (c.at < 0) throw new InvariantError(`rules written to undeclared chain ${chain} in ${name}`)
      }
      const chains: Chain[] = new Array<Chain>(t.declared.length)
      const source = t.source
      const at = source !== undefined ? new Int32Array(t.declared.length).fill(-1) : undefined
      for (let i = 0; i < t.declared.length; i++) {
        const c = t.declaredChains[i] as ChainDraft
        // A chain holding only some of another build's rules gets its own copy of them.
        if (c.borrowed && c.partial >= 0) own(c)
        const rules = c.rules
        const from = c.from < 0 || source === undefined ? undefined : source.chains[c.from]
        // A replayed chain with that build's very rules is that build's Chain object.
        if (from !== undefined && (from.rules === rules || (rules === undefined && from.rules.length === 0))) {
          chains[i] = from
          ;(at as Int32Array)[i] = c.from
        } else chains[i] = { name: t.declared[i] as string, rules: rules ?? [] }
      }
      const { runStart, runChain, runFirst, written } = t
      let refs: RuleRef[] | undefined
      const table: Table = {
        name,
        chains,
        get writeOrder(): readonly RuleRef[] {
          return (refs ??= orderRefs(runStart, runChain, runFirst, written))
        },
        ...(t.deletions.length > 0 ? { deletions: t.deletions } : {}),
      }
      if (t.lines !== undefined) keptLines.set(table, t.lines)
      positions.set(chains, new DeclaredAt(t.chains, t.declared))
      if (source !== undefined) sharedChains.set(table, { from: source, at: at as Int32Array })
      tables.push(table)
      this.finished.set(name, table)
    }
    return { backend: 'iptables', family, node, tables }
  }
}

/** The RuleRefs of a write order kept as runs (`TableDraft.runStart`), `written` rules in all. */
function orderRefs(start: readonly number[], chain: readonly string[], first: readonly number[], written: number): RuleRef[] {
  const refs: RuleRef[] = []
  for (let q = 0; q < start.length; q++) {
    const name = chain[q] as string
    const from = start[q] as number
    const n = (q + 1 < start.length ? (start[q + 1] as number) : written) - from
    for (let k = 0, i = first[q] as number; k < n; k++, i++) refs.push({ chain: name, index: i })
  }
  return refs
}

/**
 * `:CHAIN - [0:0]` in `t`, the draft of `table`; `from`: the index in the replayed build's table
 * (-1: declared here). One hash lookup per chain when no chain waits undeclared (set, then see
 * whether the map grew; ≈ 140k chains at 10k Services), else a lookup first, as the chain may
 * hold rules written before its declaration (a service port's masquerade rule, S7, comes before
 * its SVC chain's declaration, S10).
 */
function declareIn(t: TableDraft, table: TableName, chain: string, from: number): void {
  const at = t.declared.length
  let c: ChainDraft | undefined
  if (t.undeclared === 0) {
    c = { at, rules: undefined, borrowed: false, partial: -1, from }
    const before = t.chains.size
    t.chains.set(chain, c)
    if (t.chains.size === before) throw new InvariantError(`chain ${chain} declared twice in ${table}`)
  } else {
    c = t.chains.get(chain)
    if (c === undefined) {
      c = { at, rules: undefined, borrowed: false, partial: -1, from }
      t.chains.set(chain, c)
    } else if (c.at >= 0) throw new InvariantError(`chain ${chain} declared twice in ${table}`)
    else {
      c.at = at
      c.from = from
      t.undeclared--
    }
  }
  t.declared.push(chain)
  t.declaredChains.push(c)
}

/** The draft of `chain` in `t`, made (undeclared) when it is neither declared nor written yet. */
function chainIn(t: TableDraft, chain: string): ChainDraft {
  let c = t.chains.get(chain)
  if (c === undefined) {
    c = { at: -1, rules: undefined, borrowed: false, partial: -1, from: -1 }
    t.chains.set(chain, c)
    t.undeclared++
  }
  return c
}

/** The rules of a borrowed chain (the other build's array) copied into an array of its own (the ones it holds). */
function own(c: ChainDraft): Rule[] {
  const borrowed = c.rules as Rule[]
  const rules = c.partial < 0 ? borrowed.slice() : borrowed.slice(0, c.partial)
  c.rules = rules
  c.borrowed = false
  c.partial = -1
  return rules
}

/** Keeps a line of a table in `to` (one of its lists), or stops keeping them at the first line with a `\n`. */
function keepLine(t: TableDraft, line: string, to: string[]): void {
  if (line.includes('\n')) t.lines = undefined
  else to.push(line)
}

const LINES_PER_CHUNK = 4096

interface TextDraft {
  readonly declared: string[]
  /** Each declared name's index in `declared`: the set of declared names (a Map entry where a Set entry was, one hash either way). */
  readonly declaredAt: Map<string, number>
  /** Chains that received rules (declaration is checked at the end, as {@link RulesetWriter.finish} does). */
  readonly written: Set<string>
  /** Rule and `-X` lines in write order, each ending in `\n`: flat text of earlier lines, then the latest ones. */
  readonly chunks: string[]
  lines: string[]
  /** The chain of the previous rule: consecutive rules mostly share one, so `written` is updated once per run. */
  last: string
}

/**
 * The same buffers as {@link RulesetWriter}, printed as they are written: the finished text is
 * byte for byte `printRestore(writer.finish(…))` with the production mark style (print-restore.ts
 * prints a table as `*name`, its declarations, its rules and `-X` lines in write order, `COMMIT`;
 * a `-X` line recorded at write position `at` is printed before the rule written at `at`, which is
 * where this writer puts it).
 */
export class RestoreTextWriter extends TableDrafts<TextDraft> implements RuleSink {
  constructor(tableOrder: readonly TableName[]) {
    super(tableOrder, () => ({ declared: [], declaredAt: new Map(), written: new Set(), chunks: [], lines: [], last: '' }))
  }

  /** `:CHAIN - [0:0]`. Declaring twice is a builder bug. */
  declare(table: TableName, chain: string): void {
    const t = this.table(table)
    // One hash lookup per chain (set, then see whether the map grew): ≈ 140k chains at 10k Services.
    const before = t.declaredAt.size
    t.declaredAt.set(chain, t.declared.length)
    if (t.declaredAt.size === before) throw new InvariantError(`chain ${chain} declared twice in ${table}`)
    t.declared.push(chain)
  }

  /** True when `chain` was declared in `table`. */
  isDeclared(table: TableName, chain: string): boolean {
    return this.table(table).declaredAt.has(chain)
  }

  append(table: TableName, chain: string, rule: Rule): void {
    const t = this.table(table)
    if (chain !== t.last) {
      t.written.add(chain)
      t.last = chain
    }
    this.line(t, `${formatRuleLine(chain, rule)}\n`)
  }

  /**
   * Each line is a tree of concatenated pieces until flattened; joining every
   * {@link LINES_PER_CHUNK} lines keeps one flat string alive instead of ≈ 10 pieces per rule.
   */
  private line(t: TextDraft, text: string): void {
    t.lines.push(text)
    if (t.lines.length === LINES_PER_CHUNK) {
      t.chunks.push(t.lines.join(''))
      t.lines = []
    }
  }

  deleteChain(table: TableName, chain: string): void {
    const t = this.table(table)
    if (t.written.has(chain)) throw new InvariantError(`chain ${chain} deleted after rules were written to it in ${table}`)
    this.declare(table, chain)
    this.line(t, `-X ${chain}\n`)
  }

  /**
   * The iptables-restore text; every chain that received rules must have been declared.
   * One `join` of every table's pieces gives one flat string: joining per table and adding the
   * tables up left a rope of two flat texts, which its first reader (the JSON writer's escape
   * test, a regex) copied once more into a new string of the payload's size (≈ 165 KB for a
   * 50-Service plan: a large-object allocation each time).
   */
  finish(): string {
    const parts: string[] = []
    for (const [name, t] of this.tables) {
      for (const chain of t.written) {
        if (!t.declaredAt.has(chain)) throw new InvariantError(`rules written to undeclared chain ${chain} in ${name}`)
      }
      parts.push(`*${name}\n`)
      for (const chain of t.declared) parts.push(`:${chain} - [0:0]\n`)
      for (const chunk of t.chunks) parts.push(chunk)
      for (const line of t.lines) parts.push(line)
      parts.push('COMMIT\n')
    }
    return parts.join('')
  }
}
