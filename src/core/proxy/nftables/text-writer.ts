/**
 * @module proxy/nftables/text-writer
 * The same objects as writer.ts NftWriter (knftables.Fake semantics: first declaration of a chain
 * or set wins, an element with an existing key is replaced in place, rules append to their chain),
 * but each rule is printed as it is written and only its line is kept: the transaction is byte for
 * byte `printNftTransaction(writer.finish(…))` in the production mark style, without an IR of
 * every rule and statement (test/core/proxy/nftables/direct-print.test.ts).
 */
import type { NftElement, NftFamily, NftHook, NftSet, NftStatement } from './ir.ts'
import { markText } from './build-static.ts'
import { chainLine, ruleText, transactionText } from './print-transaction.ts'
import { elementKey, type NftSink, type RuleExtra } from './writer.ts'

interface TextChain {
  readonly line: string
  /** `add rule …` lines in write order. */
  readonly rules: string[]
}

/** Collects one sync's objects as transaction lines; `finish` returns the `nft -f` text. */
export class NftTextWriter implements NftSink {
  private readonly chains = new Map<string, TextChain>()
  private readonly sets = new Map<string, NftSet>()
  private readonly elements = new Map<string, NftElement>()
  private readonly prefix: string

  constructor(
    private readonly family: NftFamily,
    table: string,
  ) {
    this.prefix = `${family} ${table}`
  }

  chain(name: string, opts: { hook?: NftHook; comment?: string } = {}): void {
    if (this.chains.has(name)) return
    this.chains.set(name, { line: opts.hook === undefined && opts.comment === undefined ? `add chain ${this.prefix} ${name}` : chainLine(this.prefix, { name, ...opts }), rules: [] })
  }

  rule(chain: string, statements: readonly NftStatement[], extra: RuleExtra = {}): void {
    let c = this.chains.get(chain)
    if (c === undefined) {
      c = { line: `add chain ${this.prefix} ${chain}`, rules: [] }
      this.chains.set(chain, c)
    }
    const text = ruleText(extra.comment === undefined ? { statements } : { statements, comment: extra.comment }, this.family, markText)
    c.rules.push(`add rule ${this.prefix} ${chain} ${text}`)
  }

  set(s: NftSet): void {
    if (!this.sets.has(s.name)) this.sets.set(s.name, s)
  }

  element(e: NftElement): void {
    this.elements.set(elementKey(e), e)
  }

  /** The transaction text, as printNftTransaction prints the IR of the same writes. */
  finish(tableComment: string): string {
    const chains = [...this.chains.values()]
    return transactionText(
      this.prefix,
      tableComment,
      (out) => {
        for (const c of chains) out.push(c.line)
      },
      [...this.sets.values()],
      (out) => {
        for (const c of chains) for (const r of c.rules) out.push(r)
      },
      this.elements.values(),
    )
  }
}
