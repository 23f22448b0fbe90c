/**
 * @module proxy/nftables/print-transaction
 * The `nft -f` text of a full sync, as knftables writes it (objects.go writeOperation), grouped as
 * knftables.Fake.Dump groups objects: the table; chains (in the order the sync added them); sets
 * and maps, each sorted by name; then every chain's rules; then every set's and map's elements.
 * Rule text follows knftables.Concat as kube-proxy calls it.
 */
import type { NftAddrValue, NftElement, NftRule, NftRuleset, NftSet, NftStatement } from './ir.ts'
import { markText } from './build-static.ts'

/** Options of {@link printNftTransaction}. */
export interface NftPrintOptions {
  /** `production` (`0x00004000`, Go `%#08x`) or the test fake's `short` (`0x4000`). */
  readonly markStyle?: 'production' | 'short'
}

/** Go `%q` of a comment: double quotes, `"` and `\` escaped. */
export function quote(s: string): string {
  return JSON.stringify(s)
}

/**
 * `objects` in name order (Fake.Dump's sortKeys). The names are sorted with the default string
 * sort, which compares UTF-16 code units like Go compares bytes for these ASCII names, and is
 * several times faster than a comparator over the objects at 100k chains.
 */
export function sortedByName<T extends { readonly name: string }>(objects: readonly T[]): T[] {
  const byName = new Map<string, T>()
  for (const o of objects) byName.set(o.name, o)
  return [...byName.keys()].sort().map((n) => byName.get(n) as T)
}

function addrValue(v: NftAddrValue): string {
  switch (v.kind) {
    case 'literal':
      return v.text
    case 'set':
      return `@${v.name}`
    case 'anon':
      return `{ ${v.items.join(v.sep)} }`
  }
}

/** One statement as kube-proxy writes it. */
export function statementText(s: NftStatement, ip: 'ip' | 'ip6', mark: (n: number) => string): string {
  switch (s.kind) {
    case 'ctStateNew':
      return 'ct state new'
    case 'addr':
      return `${ip} ${s.dir}${s.negate ? ' !=' : ''} ${addrValue(s.value)}`
    case 'fibLocal':
      return `fib ${s.dir} type local`
    case 'iifname':
      return `iifname${s.negate ? ' !=' : ''} ${s.name}`
    case 'dport':
      return `${s.protocol} dport ${s.port}`
    case 'vmap':
      return `${s.key === 'daddr.proto.port' ? `${ip} daddr . ` : ''}meta l4proto . th dport vmap @${s.map}`
    case 'numgen':
      return `numgen random mod ${s.chains.length} vmap { ${s.chains.map((c, i) => `${i} : goto ${c}`).join(' , ')} }`
    case 'setMark':
      return `mark set mark ${s.op} ${mark(s.value)}`
    case 'markClear':
      return `mark and ${mark(s.value)} == 0`
    case 'update':
      return `update @${s.set} { ${ip} saddr }`
    case 'dnat':
      return `meta l4proto ${s.protocol} dnat to ${s.ip.includes(':') ? `[${s.ip}]` : s.ip}:${s.port}`
    case 'masquerade':
      return 'masquerade fully-random'
    case 'jump':
    case 'goto':
      return `${s.kind} ${s.chain}`
    case 'drop':
    case 'reject':
    case 'return':
      return s.kind
  }
}

/** The text after `add rule <family> <table> <chain> `. */
export function ruleText(r: NftRule, ip: 'ip' | 'ip6', mark: (n: number) => string): string {
  // A loop rather than map/join: this runs once per rule (hundreds of thousands at 10k Services).
  const st = r.statements
  let body = st.length > 0 ? statementText(st[0] as NftStatement, ip, mark) : ''
  for (let i = 1; i < st.length; i++) body += ` ${statementText(st[i] as NftStatement, ip, mark)}`
  return r.comment === undefined ? body : `${body} comment ${quote(r.comment)}`
}

function setLine(prefix: string, s: NftSet): string {
  const props = [`type ${s.keyType.join(' . ')}${s.valueType ? ` : ${s.valueType}` : ''}`]
  if (s.flags && s.flags.length > 0) props.push(`flags ${s.flags.join(',')}`)
  if (s.timeoutSeconds !== undefined) props.push(`timeout ${s.timeoutSeconds}s`)
  if (s.comment !== undefined) props.push(`comment ${quote(s.comment)}`)
  return `add ${s.kind} ${prefix} ${s.name} { ${props.map((p) => `${p} ;`).join(' ')} }`
}

function elementLine(prefix: string, e: NftElement): string {
  const comment = e.comment === undefined ? '' : ` comment ${quote(e.comment)}`
  const value = e.value === undefined ? '' : ` : ${e.value}`
  return `add element ${prefix} ${e.container} { ${e.key.join(' . ')}${comment}${value} }`
}

/** `add chain …` of one chain (its hook and comment from the chain's first declaration). */
export function chainLine(prefix: string, c: { readonly name: string; readonly hook?: NftRuleset['chains'][number]['hook']; readonly comment?: string }): string {
  if (c.hook) return `add chain ${prefix} ${c.name} { type ${c.hook.type} hook ${c.hook.hook} priority ${c.hook.priority} ;${c.comment !== undefined ? ` comment ${quote(c.comment)} ;` : ''} }`
  if (c.comment !== undefined) return `add chain ${prefix} ${c.name} { comment ${quote(c.comment)} ; }`
  return `add chain ${prefix} ${c.name}`
}

/**
 * The transaction from its parts, in Fake.Dump's grouping: table, chains (`chains` pushes their
 * lines in the order the sync added them), sets then maps by name, every chain's rules (`rules`
 * pushes them), then the elements of each set and map. Shared by {@link printNftTransaction}
 * and the direct printer (writer.ts NftTextWriter), so both group the same way.
 */
export function transactionText(
  prefix: string,
  tableComment: string,
  chains: (out: string[]) => void,
  allSets: readonly NftSet[],
  rules: (out: string[]) => void,
  elements: Iterable<NftElement>,
): string {
  const out: string[] = [`add table ${prefix} { comment ${quote(tableComment)} ; }`]
  // Chains in the order the sync added them (static ones, then each service port's): sorting
  // 100k+ names cost a third of the printing at 10k Services, and object order is free in a
  // transaction (upstream's tests compare after sortNFTablesTransaction).
  chains(out)
  const sets = sortedByName(allSets.filter((s) => s.kind === 'set'))
  const maps = sortedByName(allSets.filter((s) => s.kind === 'map'))
  for (const s of [...sets, ...maps]) out.push(setLine(prefix, s))
  rules(out)
  const byContainer = new Map<string, NftElement[]>()
  for (const e of elements) {
    const list = byContainer.get(e.container) ?? []
    list.push(e)
    byContainer.set(e.container, list)
  }
  for (const s of [...sets, ...maps]) for (const e of byContainer.get(s.name) ?? []) out.push(elementLine(prefix, e))
  return `${out.join('\n')}\n`
}

/**
 * Rulesets that can print their production transaction without their IR (lazy-ruleset.ts). The
 * printer returns undefined once the IR exists, and printNftTransaction then prints that IR.
 */
const directText = new WeakMap<NftRuleset, () => string | undefined>()

/** Lets `printNftTransaction(rs)` (production mark style) take its text from `print` instead of the IR. */
export function printsNftWithoutIR(rs: NftRuleset, print: () => string | undefined): void {
  directText.set(rs, print)
}

/**
 * The transaction text, one `add` per line, newline-terminated.
 *
 * @example
 * printNftTransaction(ruleset) // 'add table ip kube-proxy { comment "rules for kube-proxy" ; }\n…'
 */
export function printNftTransaction(rs: NftRuleset, opts: NftPrintOptions = {}): string {
  if (opts.markStyle !== 'short') {
    const text = directText.get(rs)?.()
    if (text !== undefined) return text
  }
  const prefix = `${rs.family} ${rs.table}`
  const mark = opts.markStyle === 'short' ? (n: number): string => `0x${n.toString(16)}` : markText
  const chains = rs.chains
  return transactionText(
    prefix,
    rs.tableComment,
    (out) => {
      for (const c of chains) out.push(chainLine(prefix, c))
    },
    rs.sets,
    (out) => {
      for (const c of chains) {
        const head = `add rule ${prefix} ${c.name} `
        for (const r of c.rules) out.push(head + ruleText(r, rs.family, mark))
      }
    },
    rs.elements,
  )
}
