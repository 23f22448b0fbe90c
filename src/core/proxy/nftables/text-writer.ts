/**
 * @module proxy/nftables/text-writer
 * The same objects as writer.ts NftWriter (knftables.Fake semantics: first declaration of a chain
 * or set wins, an element with an existing key is replaced in place, rules append to their chain),
 * but each rule is printed as it is written and only its line is kept: the transaction is byte for
 * byte `printNftTransaction(writer.finish(…))` in the production mark style, without an IR of
 * every rule and statement (test/core/proxy/nftables/direct-print.test.ts, text-writer.test.ts).
 *
 * Fake.Dump prints rules grouped by chain, chains in creation order, so a line cannot go to the
 * output when it is written. Keeping every line until `finish` kept ≈ 10 concatenated pieces per
 * rule alive (≈ 90 MB at 10k Services), and the young-generation collector copied them twice:
 * collection was about half of printing. Instead, at {@link NftTextWriter.endServicePort} the
 * lines of every chain declared so far are joined, in chain order, into one flat chunk
 * ("sealed"), and the pieces die young. A rule written later to a sealed chain (a hint that
 * came too early) is kept aside and spliced in at its chain's place by `finish`: a wrong hint
 * costs time, never bytes.
 */
import type { NftElement, NftFamily, NftHook, NftSet, NftStatement } from './ir.ts'
import { markText } from './build-static.ts'
import { chainLine, ruleText, transactionText } from './print-transaction.ts'
import { elementKey, type EndpointChainWrite, type NftSink, type RuleExtra } from './writer.ts'

/**
 * Open rule lines below which {@link NftTextWriter.endServicePort} waits for more (fewer, larger
 * chunks). 1600 lines of ≈ 110 characters make chunks above V8's largest regular object
 * (128 KiB), which are allocated in the large-object space and promoted by moving their page
 * rather than copied by every young-generation collection they survive (256 made ≈ 28 KiB
 * chunks, each copied, i.e. the whole rule text copied by the collector).
 */
const MIN_LINES_TO_SEAL = 1600

/** Collects one sync's objects as transaction lines; `finish` returns the `nft -f` text. */
export class NftTextWriter implements NftSink {
  /**
   * Chain name → creation index (Fake.Dump's chain order). Its keys are also the `add chain`
   * lines: `finish` joins them with the line prefix between them, rather than each declaration
   * building its line (≈ 110k lines at 10k Services, kept until joined).
   */
  private readonly index = new Map<string, number>()
  /** The `add chain` lines of the chains declared with a hook or comment, by creation index. */
  private readonly chainLines = new Map<number, string>()
  /** Sealed rule text: chunk k holds chains `chunkFrom[k]` … `chunkFrom[k + 1] - 1`, every line ending in `\n`. */
  private readonly ruleChunks: string[] = []
  private readonly chunkFrom: number[] = []
  /** Per sealed chain, the end offset of its lines in its chunk (only read to splice in late rules). */
  private readonly ends: number[] = []
  /**
   * Chains from `sealed` on are open: their lines (each ending in `\n`), concatenated, by
   * `index - sealed`. One string per chain rather than an array: most chains (one per endpoint)
   * get their rules in one piece, and an array per chain was one more object per chain to collect.
   */
  private sealed = 0
  private open: (string | undefined)[] = []
  private openLines = 0
  /** Lines written to a chain after it was sealed, by chain index. */
  private late: Map<number, string> | undefined
  /** The chain of the previous rule: a chain's rules are mostly written one after another. */
  private lastName = ''
  private lastIndex = -1
  private readonly sets = new Map<string, NftSet>()
  private readonly elements = new Map<string, NftElement>()
  private readonly prefix: string
  private readonly rulePrefix: string

  /** `minLinesToSeal`: tests pass a small number so that short inputs seal (and splice) too. */
  constructor(
    private readonly family: NftFamily,
    table: string,
    private readonly minLinesToSeal = MIN_LINES_TO_SEAL,
  ) {
    this.prefix = `${family} ${table}`
    this.rulePrefix = `add rule ${this.prefix} `
  }

  chain(name: string, opts?: { hook?: NftHook; comment?: string }): void {
    if (this.index.has(name)) return
    // No default `{}` for `opts`: it would be an object per call, and most calls pass none.
    const i = this.declare(name)
    if (opts !== undefined && (opts.hook !== undefined || opts.comment !== undefined)) this.chainLines.set(i, chainLine(this.prefix, { name, ...opts }))
  }

  private declare(name: string): number {
    const i = this.index.size
    this.index.set(name, i)
    this.open.push(undefined)
    return i
  }

  rule(chain: string, statements: readonly NftStatement[], extra: RuleExtra = {}): void {
    const i = this.indexOf(chain)
    this.put(i, `${this.rulePrefix}${chain} ${ruleText(extra.comment === undefined ? { statements } : { statements, comment: extra.comment }, this.family, markText)}\n`, 1)
  }

  /**
   * writer.ts writeEndpointChain's lines, printed as statementText prints its statements
   * (`addr` literal + `jump`, `update`, `dnat`) but without building them: one chain per
   * endpoint, so these are most of a sync's rules (text-writer.test.ts pins both to the same bytes).
   */
  endpointChain(e: EndpointChainWrite): void {
    const ip = this.family
    const head = `${this.rulePrefix}${e.chain} `
    const dnatTo = e.ip.includes(':') ? `[${e.ip}]` : e.ip
    const masq = `${head}${ip} saddr ${e.ip} jump mark-for-masquerade\n`
    const dnat = `${head}meta l4proto ${e.protocol} dnat to ${dnatTo}:${e.port}\n`
    const i = this.index.get(e.chain) ?? this.declare(e.chain)
    if (e.affinitySet === undefined) this.put(i, masq + dnat, 2)
    else this.put(i, `${masq}${head}update @${e.affinitySet} { ${ip} saddr }\n${dnat}`, 3)
  }

  /** The creation index of `chain`, declaring it first if needed (as a rule to a new chain does). */
  private indexOf(chain: string): number {
    if (chain === this.lastName) return this.lastIndex
    const i = this.index.get(chain) ?? this.declare(chain)
    this.lastName = chain
    this.lastIndex = i
    return i
  }

  /** Appends `text` (`count` whole lines) to the rules of chain `i`, open or sealed. */
  private put(i: number, text: string, count: number): void {
    if (i >= this.sealed) {
      const k = i - this.sealed
      const lines = this.open[k]
      this.open[k] = lines === undefined ? text : lines + text
      this.openLines += count
      return
    }
    this.late ??= new Map()
    const lines = this.late.get(i)
    this.late.set(i, lines === undefined ? text : lines + text)
  }

  /**
   * A hint from the builder: the chains declared so far get no more rules (true of
   * syncProxyRules' service loop, where every chain of a port is named after that port).
   */
  endServicePort(): void {
    if (this.openLines >= this.minLinesToSeal) this.seal()
  }

  /** Joins the open chains' lines, in chain order, into one flat chunk. */
  private seal(): void {
    if (this.open.length === 0) return
    const parts: string[] = []
    let offset = 0
    for (const lines of this.open) {
      if (lines !== undefined) {
        parts.push(lines)
        offset += lines.length
      }
      this.ends.push(offset)
    }
    this.chunkFrom.push(this.sealed)
    this.ruleChunks.push(parts.join(''))
    this.sealed += this.open.length
    this.open = []
    this.openLines = 0
  }

  set(s: NftSet): void {
    if (!this.sets.has(s.name)) this.sets.set(s.name, s)
  }

  element(e: NftElement): void {
    this.elements.set(elementKey(e), e)
  }

  /** The rule text in chain order, as pieces of whole lines each ending in `\n`. */
  private rulePieces(): string[] {
    const late = this.late
    if (late === undefined) return this.ruleChunks
    const pieces: string[] = []
    this.ruleChunks.forEach((chunk, k) => {
      const to = this.chunkFrom[k + 1] ?? this.sealed
      let start = 0
      for (let i = this.chunkFrom[k] as number; i < to; i++) {
        const end = this.ends[i] as number
        const extra = late.get(i)
        if (extra !== undefined) {
          pieces.push(chunk.slice(start, end) + extra)
          start = end
        }
      }
      pieces.push(chunk.slice(start))
    })
    return pieces
  }

  /**
   * Pushes the `add chain` lines in creation order (knftables Fake.Dump's chains): each run of chains without hook or comment as
   * one piece, their names joined with `\nadd chain <family> <table> ` between them.
   */
  private chainText(out: string[]): void {
    const names = [...this.index.keys()]
    const head = `add chain ${this.prefix} `
    const run = (from: number, to: number): void => {
      if (to > from) out.push(head + names.slice(from, to).join(`\n${head}`))
    }
    let from = 0
    for (const [i, line] of this.chainLines) {
      run(from, i)
      out.push(line)
      from = i + 1
    }
    run(from, names.length)
  }

  /** The transaction text, as printNftTransaction prints the IR of the same writes. */
  finish(tableComment: string): string {
    this.seal()
    return transactionText(
      this.prefix,
      tableComment,
      (out) => this.chainText(out),
      [...this.sets.values()],
      (out) => {
        // Each piece is whole lines ending in `\n`; without its last `\n`, the transaction's own
        // `\n` join prints it as if its lines had been pushed one by one.
        for (const p of this.rulePieces()) if (p !== '') out.push(p.slice(0, -1))
      },
      this.elements.values(),
    )
  }
}
