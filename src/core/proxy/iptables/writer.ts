/**
 * Accumulates a restore payload the way kube-proxy's LineBuffers do: chain declarations in the
 * order they are written, rules in the order they are written (recorded in `writeOrder`).
 * Mirrors the filterChains/filterRules/natChains/natRules buffers of pkg/proxy/iptables/proxier.go:
 * declarations and rules are separate buffers, so a rule may be written before its chain's
 * declaration (the S7 masquerade rule precedes `:KUBE-SVC-…`).
 */
import { InvariantError } from '../../invariant.ts'
import type { IPFamily } from '../../model/k8s.ts'
import type { ChainDeletion, Rule, RuleRef, Ruleset, Table, TableName } from './ir.ts'
import { formatRuleLine } from './print-restore.ts'

/**
 * What the builders write to: {@link RulesetWriter} keeps the rules as IR (trace, diff, save and
 * list views), {@link RestoreTextWriter} prints each rule as it is written and keeps only the
 * text (the `-o iptables-restore` path, where an IR of every rule and match would only be garbage).
 */
export interface RuleSink {
  /**
   * `:CHAIN - [0:0]`. Declaring twice is a builder bug. `line`, when given, is that line formatted
   * before (a replayed write of another build), as for {@link RuleSink.append}.
   */
  declare(table: TableName, chain: string, line?: string): void
  /** True when `chain` was declared in `table`. */
  isDeclared(table: TableName, chain: string): boolean
  /**
   * `-A CHAIN …`. `line`, when given, is `formatRuleLine(chain, rule)` formatted before (a
   * replayed write of another build): a writer that keeps lines takes it instead of formatting.
   */
  append(table: TableName, chain: string, rule: Rule, line?: string): void
  /** `:CHAIN - [0:0]` then, at this point of the rules, `-X CHAIN`. */
  deleteChain(table: TableName, chain: string): void
}

/** What both writers keep per table: the chains declared, in order. */
interface DeclaredChains {
  readonly declared: string[]
  readonly declaredSet: Set<string>
}

/** The declaration buffer both writers share (kube-proxy's natChains/filterChains). */
abstract class ChainDeclarations<T extends DeclaredChains> {
  protected readonly tables = new Map<TableName, T>()

  constructor(tableOrder: readonly TableName[], draft: () => T) {
    for (const t of tableOrder) this.tables.set(t, draft())
  }

  protected table(name: TableName): T {
    const t = this.tables.get(name)
    if (!t) throw new InvariantError(`table ${name} was not set up`)
    return t
  }

  /** `:CHAIN - [0:0]`. Declaring twice is a builder bug. */
  declare(table: TableName, chain: string): void {
    const t = this.table(table)
    // One hash lookup per chain (add, then see whether the set grew): ≈ 140k chains at 10k Services.
    const before = t.declaredSet.size
    t.declaredSet.add(chain)
    if (t.declaredSet.size === before) throw new InvariantError(`chain ${chain} declared twice in ${table}`)
    t.declared.push(chain)
  }

  /** True when `chain` was declared in `table`. */
  isDeclared(table: TableName, chain: string): boolean {
    return this.table(table).declaredSet.has(chain)
  }
}

interface TableDraft extends DeclaredChains {
  readonly rules: Map<string, Rule[]>
  readonly order: RuleRef[]
  readonly deletions: ChainDeletion[]
  /**
   * With lines kept: the chain declarations' lines in order, and each rule's `formatRuleLine` and
   * each `-X` line in write order (no `\n`). `undefined` when not kept, or dropped once a line held
   * a `\n` (a hostile name: the lines of the printed text then differ, and restore-lines.ts splits
   * the text instead).
   */
  lines: WrittenLines | undefined
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
 * write (build.ts `PortWrites`) brings the line its first build formatted.
 */
export function writtenLines(table: Table): Readonly<WrittenLines> | undefined {
  return keptLines.get(table)
}

/** Collects chains and rules per table; `finish` freezes them into a {@link Ruleset}. */
export class RulesetWriter extends ChainDeclarations<TableDraft> implements RuleSink {
  /** `keepLines`: also format each rule's line as it is written (see {@link writtenLines}). */
  constructor(tableOrder: readonly TableName[], keepLines = false) {
    super(tableOrder, () => ({ declared: [], declaredSet: new Set(), rules: new Map(), order: [], deletions: [], lines: keepLines ? { declarations: [], rules: [] } : undefined }))
  }

  /** `:CHAIN - [0:0]`, its line kept when lines are. */
  override declare(table: TableName, chain: string, line?: string): void {
    super.declare(table, chain)
    const t = this.table(table)
    if (t.lines !== undefined) keepLine(t, line ?? `:${chain} - [0:0]`, t.lines.declarations)
  }

  /** `-A CHAIN …`. */
  append(table: TableName, chain: string, rule: Rule, line?: string): void {
    const t = this.table(table)
    let rules = t.rules.get(chain)
    if (!rules) {
      rules = []
      t.rules.set(chain, rules)
    }
    t.order.push({ chain, index: rules.length })
    rules.push(rule)
    if (t.lines !== undefined) keepLine(t, line ?? formatRuleLine(chain, rule), t.lines.rules)
  }

  /**
   * `:CHAIN - [0:0]` then, at this point of the rules, `-X CHAIN`: iptables-restore needs the
   * chain line (which flushes it) before it may delete a chain that still has rules.
   */
  deleteChain(table: TableName, chain: string): void {
    const t = this.table(table)
    if (t.rules.has(chain)) throw new InvariantError(`chain ${chain} deleted after rules were written to it in ${table}`)
    this.declare(table, chain)
    t.deletions.push({ chain, at: t.order.length })
    if (t.lines !== undefined) keepLine(t, `-X ${chain}`, t.lines.rules)
  }

  /** The finished payload; every chain that received rules must have been declared. */
  finish(family: IPFamily, node: string): Ruleset {
    const tables: Table[] = []
    for (const [name, t] of this.tables) {
      for (const chain of t.rules.keys()) {
        if (!t.declaredSet.has(chain)) throw new InvariantError(`rules written to undeclared chain ${chain} in ${name}`)
      }
      const table: Table = {
        name,
        chains: t.declared.map((chainName) => ({ name: chainName, rules: t.rules.get(chainName) ?? [] })),
        writeOrder: t.order,
        ...(t.deletions.length > 0 ? { deletions: t.deletions } : {}),
      }
      if (t.lines !== undefined) keptLines.set(table, t.lines)
      tables.push(table)
    }
    return { backend: 'iptables', family, node, tables }
  }
}

/** Keeps a line of a table in `to` (one of its lists), or stops keeping them at the first line with a `\n`. */
function keepLine(t: TableDraft, line: string, to: string[]): void {
  if (line.includes('\n')) t.lines = undefined
  else to.push(line)
}

const LINES_PER_CHUNK = 4096

interface TextDraft extends DeclaredChains {
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
export class RestoreTextWriter extends ChainDeclarations<TextDraft> implements RuleSink {
  constructor(tableOrder: readonly TableName[]) {
    super(tableOrder, () => ({ declared: [], declaredSet: new Set(), written: new Set(), chunks: [], lines: [], last: '' }))
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

  /** The iptables-restore text; every chain that received rules must have been declared. */
  finish(): string {
    let out = ''
    for (const [name, t] of this.tables) {
      for (const chain of t.written) {
        if (!t.declaredSet.has(chain)) throw new InvariantError(`rules written to undeclared chain ${chain} in ${name}`)
      }
      const parts: string[] = [`*${name}\n`]
      for (const chain of t.declared) parts.push(`:${chain} - [0:0]\n`)
      out += parts.join('') + t.chunks.join('') + t.lines.join('') + 'COMMIT\n'
    }
    return out
  }
}
