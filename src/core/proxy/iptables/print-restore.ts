/**
 * Ruleset → the `iptables-restore` text kube-proxy feeds to `iptables-restore --noflush
 * --counters` (proxier.go syncProxyRules, utiliptables `RestoreAll`): per table `*name`, the chain declarations,
 * the rules in write order, `COMMIT`; every line ends in `\n`.
 */
import { assertNever } from '../../invariant.ts'
import { isPlainText, printableText } from './comment-text.ts'
import type { ChainDeletion, Match, Rule, Ruleset, Table, Target } from './ir.ts'

/** How the masquerade mark is spelled. */
export interface RestoreFormatOptions {
  /**
   * `kube-proxy` (default): Go `fmt.Sprintf("%#08x", v)` as in production, `0x00004000`.
   * `short`: `0x4000`, as kube-proxy's unit-test fake injects it.
   */
  readonly markStyle?: 'kube-proxy' | 'short'
}

/** Formats a mark/mask number in the chosen style. */
export function formatMark(value: number, opts: RestoreFormatOptions = {}): string {
  const hex = (value >>> 0).toString(16)
  // Go's %#08x pads the digits (not the 0x) to 8.
  return opts.markStyle === 'short' ? `0x${hex}` : `0x${hex.padStart(8, '0')}`
}

/**
 * kube-proxy writes the quotes itself, and only around texts with spaces: the KUBE-NODEPORTS and
 * SEP comments (a bare `ns/name:port`) stay unquoted. An empty text needs quotes to stay a word.
 * A text kube-proxy could never produce (a `"`, `\` or control character from a hostile name)
 * is quoted with `"` and `\` backslash-escaped, as iptables-restore's tokenizer reads them, and
 * control characters replaced: it stays one argument of one rule.
 */
function quoteComment(text: string): string {
  if (!isPlainText(text)) return `"${printableText(text).replace(/["\\]/g, (c) => `\\${c}`)}"`
  return text === '' || text.includes(' ') ? `"${text}"` : text
}

/** `! ` before a negated option. */
const neg = (negate: boolean): string => (negate ? '! ' : '')

/** `-m P -p P` per protocol: constant texts, as the IR shares one frozen match per protocol. */
const MODULE_PROTOCOL = { tcp: ' -m tcp -p tcp', udp: ' -m udp -p udp', sctp: ' -m sctp -p sctp' } as const

/**
 * One match as it follows the previous argument: a space, then its options. Each piece carries
 * its own separating space so a line is `-A CHAIN` plus one piece per match and target: one
 * concatenation each. A printed payload is built once and then read whole (joined, escaped into
 * the plan JSON), and every extra concatenation is one more node of the string tree that the
 * join walks (≈ 1 400 lines of ≈ 15 pieces each for a 50-Service plan).
 */
function matchPiece(m: Match, opts: RestoreFormatOptions): string {
  switch (m.kind) {
    case 'comment':
      return ` -m comment --comment ${quoteComment(m.text)}`
    case 'protocol':
      return m.module ? MODULE_PROTOCOL[m.protocol] : ` -p ${m.protocol}`
    case 'address':
      return m.dir === 'src' ? (m.negate ? ` ! -s ${m.value}` : ` -s ${m.value}`) : m.negate ? ` ! -d ${m.value}` : ` -d ${m.value}`
    case 'dport':
      return m.negate ? ` ! --dport ${m.port}` : ` --dport ${m.port}`
    case 'addrtype':
      return ` -m addrtype ${neg(m.negate)}${m.dir === 'src' ? '--src-type' : '--dst-type'} ${m.type}`
    case 'conntrack':
      return ` -m conntrack ${neg(m.negate)}--ctstate ${m.states.join(',')}`
    case 'mark':
      return ` -m mark ${neg(m.negate)}--mark ${formatMark(m.value, opts)}/${formatMark(m.mask, opts)}`
    case 'statistic':
      return ` -m statistic --mode random --probability ${m.probability}`
    case 'recent':
      if (m.op === 'set') return ` -m recent --name ${m.name} --set`
      return ` -m recent --name ${m.name} --rcheck${m.seconds !== undefined ? ` --seconds ${m.seconds}` : ''}${m.reap ? ' --reap' : ''}`
    case 'nfacct':
      return ` -m nfacct --nfacct-name ${m.name}`
    case 'interface':
      return ` ${neg(m.negate)}${m.dir === 'in' ? '-i' : '-o'} ${m.name}`
    case 'raw':
      return ` ${m.text}`
    default:
      return assertNever(m)
  }
}

/** The target as it follows the matches: a space, then `-j …` (see {@link matchPiece}). */
function targetPiece(t: Target, opts: RestoreFormatOptions): string {
  switch (t.kind) {
    case 'jump':
      return ` -j ${t.chain}`
    case 'verdict':
      return ` -j ${t.verdict}`
    case 'dnat':
      return ` -j DNAT --to-destination ${t.to}`
    case 'mark':
      return ` -j MARK ${t.op === 'or' ? '--or-mark' : '--xor-mark'} ${formatMark(t.value, opts)}`
    case 'masquerade':
      return t.randomFully ? ' -j MASQUERADE --random-fully' : ' -j MASQUERADE'
    case 'raw':
      return ` -j ${t.text}`
    default:
      return assertNever(t)
  }
}

/** The rule's pieces (each with its leading space): matches in order, then the target. */
function argPieces(rule: Rule, opts: RestoreFormatOptions): string {
  // Concatenation, not map/join: this runs for every rule of a plan (≈ 10⁶ at 10k Services).
  let out = ''
  const matches = rule.matches
  for (let i = 0; i < matches.length; i++) out += matchPiece(matches[i] as Match, opts)
  if (rule.target) out += targetPiece(rule.target, opts)
  return out
}

/** The text after `-A CHAIN `: matches in order, then the target (absent for KUBE-FW's last rule). */
export function formatRuleArgs(rule: Rule, opts: RestoreFormatOptions = {}): string {
  return argPieces(rule, opts).slice(1)
}

/** `-A CHAIN args` (no trailing space when a rule has no arguments). */
export function formatRuleLine(chain: string, rule: Rule, opts: RestoreFormatOptions = {}): string {
  return `-A ${chain}${argPieces(rule, opts)}`
}

/**
 * Rulesets that can print their production restore text without their IR (lazy-ruleset.ts). The
 * printer returns undefined once the IR exists, and printRestore then prints that IR as usual.
 */
const directText = new WeakMap<Ruleset, () => string | undefined>()

/** Lets `printRestore(ruleset)` (production mark style) take its text from `print` instead of the IR. */
export function printsWithoutIR(ruleset: Ruleset, print: () => string | undefined): void {
  directText.set(ruleset, print)
}

function printTable(table: Table, out: string[], opts: RestoreFormatOptions): void {
  out.push(`*${table.name}\n`)
  for (const chain of table.chains) out.push(`:${chain.name} - [0:0]\n`)
  const byName = new Map(table.chains.map((c) => [c.name, c]))
  if (table.writeOrder) {
    const deletions = table.deletions ?? []
    let d = 0
    const deleteUpTo = (at: number): void => {
      for (; d < deletions.length && (deletions[d] as ChainDeletion).at <= at; d++) out.push(`-X ${(deletions[d] as ChainDeletion).chain}\n`)
    }
    table.writeOrder.forEach((ref, i) => {
      deleteUpTo(i)
      const rule = byName.get(ref.chain)?.rules[ref.index]
      if (rule) out.push(`${formatRuleLine(ref.chain, rule, opts)}\n`)
    })
    deleteUpTo(Number.POSITIVE_INFINITY)
  } else {
    for (const chain of table.chains) for (const rule of chain.rules) out.push(`${formatRuleLine(chain.name, rule, opts)}\n`)
  }
  out.push('COMMIT\n')
}

/**
 * The iptables-restore payload of `ruleset`, tables in ruleset order (kube-proxy: filter, nat).
 *
 * @example
 * printRestore(buildIptablesRuleset(state, cfg))            // production: --or-mark 0x00004000
 * printRestore(ruleset, { markStyle: 'short' })              // unit-test fake: --or-mark 0x4000
 */
export function printRestore(ruleset: Ruleset, opts: RestoreFormatOptions = {}): string {
  if (opts.markStyle === undefined || opts.markStyle === 'kube-proxy') {
    const text = directText.get(ruleset)?.()
    if (text !== undefined) return text
  }
  const out: string[] = []
  for (const table of ruleset.tables) printTable(table, out, opts)
  return out.join('')
}
