/**
 * @module proxy/nftables/print-list
 * What `nft list table <family> kube-proxy` (nftables 1.0.6) prints once the transaction is
 * loaded: sets and maps, then chains, each in the order the transaction created them; set
 * elements sorted as nft sorts them (mergesort.c expr_msort_value); anonymous sets folded into
 * intervals (segtree.c); marks in `0x%08x`; priorities by their standard names
 * (rule.c prio2str); the wrapping of element lists (expression.c calculate_delim).
 */
import { inetNtop } from '../../net/inet-ntop.ts'
import { formatIP, parseIPSloppy, type ParsedIP } from '../../net/ip.ts'
import type { NftAddrValue, NftElement, NftHook, NftRule, NftRuleset, NftSet, NftStatement } from './ir.ts'
import { quote, sortedByName } from './print-transaction.ts'

/**
 * An address as nft prints it: IPv6 through glibc inet_ntop, which (unlike Go) writes an address
 * whose first 96 bits are zero, or an IPv4-mapped one, with a dotted IPv4 tail (`::12.212.0.0`).
 * CIDRs keep their prefix length; IPv4 and non-addresses are unchanged.
 */
export function ntop(text: string): string {
  if (!text.includes(':')) return text
  const [addr = '', len] = text.split('/')
  const ip = parseIPSloppy(addr)
  if (ip === undefined || ip.family !== 'IPv6') return text
  const out = inetNtop('IPv6', ip.value)
  return len === undefined ? out : `${out}/${len}`
}

/** IANA protocol numbers of inet_proto keys. */
const PROTO_NUMBER: Readonly<Record<string, number>> = { tcp: 6, udp: 17, sctp: 132 }

/** Bytes of each key type as the kernel stores it (big-endian). */
function keyBytes(type: string, text: string): number[] {
  switch (type) {
    case 'ipv4_addr':
    case 'ipv6_addr': {
      const ip = parseIPSloppy(text)
      const n = type === 'ipv4_addr' ? 4 : 16
      const v = ip?.value ?? 0n
      return Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn))
    }
    case 'inet_proto':
      return [PROTO_NUMBER[text] ?? Number(text)]
    case 'inet_service': {
      const p = Number(text)
      return [(p >> 8) & 0xff, p & 0xff]
    }
    default:
      return Array.from(text, (c) => c.charCodeAt(0) & 0xff)
  }
}

/**
 * expr_msort_value: a single key compares as its number; a concatenation is exported component by
 * component (network order, no padding) and read back as one host-endian (little-endian) number,
 * so its last byte weighs most.
 */
function sortKey(set: NftSet, e: NftElement): bigint {
  const bytes = e.key.flatMap((k, i) => keyBytes(set.keyType[i] ?? '', k))
  let v = 0n
  if (set.keyType.length === 1) {
    for (const b of bytes) v = (v << 8n) | BigInt(b)
  } else {
    for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] as number)
  }
  return v
}

/** calculate_delim: how many elements share a line for the set's key type. */
function perLine(set: NftSet): number {
  if (set.keyType.length !== 1) return 1
  switch (set.keyType[0]) {
    case 'ipv4_addr':
      return 2
    case 'inet_proto':
    case 'inet_service':
      return 16
    default:
      return 1
  }
}

function elementText(e: NftElement): string {
  const comment = e.comment === undefined ? '' : ` comment ${quote(e.comment)}`
  return `${e.key.map(ntop).join(' . ')}${comment}${e.value === undefined ? '' : ` : ${e.value}`}`
}

function elementsLine(set: NftSet, elements: readonly NftElement[]): string | undefined {
  if (elements.length === 0) return undefined
  const sorted = elements.map((e) => ({ e, k: sortKey(set, e) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
  const n = perLine(set)
  let out = '\t\telements = { '
  sorted.forEach(({ e }, i) => {
    if (i > 0) out += i % n === 0 ? ',\n\t\t\t     ' : ', '
    out += elementText(e)
  })
  return `${out} }`
}

/** time_print: `3h`, `1d3h46m40s`. */
export function nftDuration(seconds: number): string {
  const parts: [number, string][] = [
    [Math.floor(seconds / 86400), 'd'],
    [Math.floor((seconds % 86400) / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'm'],
    [seconds % 60, 's'],
  ]
  const text = parts.filter(([v]) => v > 0).map(([v, u]) => `${v}${u}`).join('')
  return text === '' ? '0s' : text
}

function setBlock(set: NftSet, elements: readonly NftElement[], updated: boolean): string[] {
  const lines = [`\t${set.kind} ${set.name} {`, `\t\ttype ${set.keyType.join(' . ')}${set.valueType ? ` : ${set.valueType}` : ''}`]
  // A set the packet path fills (`update @set`) gets the default maximum size, which is printed.
  if (updated) lines.push('\t\tsize 65535')
  if (set.flags && set.flags.length > 0) lines.push(`\t\tflags ${set.flags.join(',')}`)
  if (set.timeoutSeconds !== undefined) lines.push(`\t\ttimeout ${nftDuration(set.timeoutSeconds)}`)
  if (set.comment !== undefined) lines.push(`\t\tcomment ${quote(set.comment)}`)
  const el = elementsLine(set, elements)
  if (el !== undefined) lines.push(el)
  lines.push('\t}')
  return lines
}

/** The standard priorities of the ip/ip6 families (rule.c std_prios), in lookup order. */
const STD_PRIOS: readonly (readonly [number, string])[] = [
  [-300, 'raw'],
  [-150, 'mangle'],
  [-100, 'dstnat'],
  [0, 'filter'],
  [50, 'security'],
  [100, 'srcnat'],
]

/** prio2str: a standard name within 10 of the priority (dstnat only at prerouting, srcnat only at postrouting). */
export function priorityText(h: NftHook): string {
  for (const [value, name] of STD_PRIOS) {
    if (Math.abs(h.priority - value) > 10) continue
    if (name === 'dstnat' && h.hook !== 'prerouting') continue
    if (name === 'srcnat' && h.hook !== 'postrouting') continue
    const off = h.priority - value
    return off > 0 ? `${name} + ${off}` : off < 0 ? `${name} - ${-off}` : name
  }
  return String(h.priority)
}

/** An anonymous set as the kernel keeps it: intervals merged, printed as addresses, prefixes or ranges. */
function anonSetText(items: readonly string[]): string {
  const ranges: { lo: bigint; hi: bigint; family: ParsedIP['family'] }[] = []
  for (const item of items) {
    const [addr, len] = item.split('/')
    const ip = parseIPSloppy(addr ?? '')
    if (ip === undefined) continue
    const bits = ip.family === 'IPv4' ? 32 : 128
    const prefix = len === undefined ? bits : Number(len)
    const size = 1n << BigInt(bits - prefix)
    const lo = (ip.value / size) * size
    ranges.push({ lo, hi: lo + size - 1n, family: ip.family })
  }
  ranges.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0))
  const merged: typeof ranges = []
  for (const r of ranges) {
    const last = merged[merged.length - 1]
    if (last !== undefined && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) last.hi = r.hi
    } else merged.push({ ...r })
  }
  const text = merged.map((r) => {
    const bits = r.family === 'IPv4' ? 32 : 128
    const fmt = (v: bigint): string => ntop(formatIP({ family: r.family, value: v } as ParsedIP))
    const size = r.hi - r.lo + 1n
    const pow = size.toString(2).length - 1
    if (size === 1n) return fmt(r.lo)
    if (size === 1n << BigInt(pow) && r.lo % size === 0n) return `${fmt(r.lo)}/${bits - pow}`
    return `${fmt(r.lo)}-${fmt(r.hi)}`
  })
  return `{ ${text.join(', ')} }`
}

function addrValue(v: NftAddrValue): string {
  switch (v.kind) {
    case 'literal':
      return ntop(v.text)
    case 'set':
      return `@${v.name}`
    case 'anon':
      // nft turns a one-element anonymous set into a plain comparison when it parses the rule.
      return v.items.length === 1 ? ntop(v.items[0] as string) : anonSetText(v.items)
  }
}

const hex8 = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`

function statementList(s: NftStatement, ip: 'ip' | 'ip6'): string {
  switch (s.kind) {
    case 'addr':
      return `${ip} ${s.dir}${s.negate ? ' !=' : ''} ${addrValue(s.value)}`
    case 'iifname':
      return `iifname${s.negate ? ' !=' : ''} ${quote(s.name)}`
    case 'numgen':
      return `numgen random mod ${s.chains.length} vmap { ${s.chains.map((c, i) => `${i} : goto ${c}`).join(', ')} }`
    case 'setMark':
      return `meta mark set meta mark ${s.op === 'or' ? '|' : '^'} ${hex8(s.value)}`
    case 'markClear':
      return `meta mark & ${hex8(s.value)} == ${hex8(0)}`
    case 'ctStateNew':
      return 'ct state new'
    case 'fibLocal':
      return `fib ${s.dir} type local`
    case 'dport':
      return `${s.protocol} dport ${s.port}`
    case 'vmap':
      return `${s.key === 'daddr.proto.port' ? `${ip} daddr . ` : ''}meta l4proto . th dport vmap @${s.map}`
    case 'update':
      return `update @${s.set} { ${ip} saddr }`
    case 'dnat':
      return `meta l4proto ${s.protocol} dnat to ${s.ip.includes(':') ? `[${ntop(s.ip)}]` : s.ip}:${s.port}`
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

/** One rule as `nft list` prints it. */
export function listRuleText(r: NftRule, ip: 'ip' | 'ip6'): string {
  const body = r.statements.map((s) => statementList(s, ip)).join(' ')
  return r.comment === undefined ? body : `${body} comment ${quote(r.comment)}`
}

/**
 * The listing, byte for byte, of a kernel that loaded `printNftTransaction(rs)`: objects appear in
 * the order that transaction creates them (sets, then maps, each by name, then chains in the
 * order the sync added them).
 *
 * @example
 * printNftList(ruleset) // 'table ip kube-proxy {\n\tcomment "rules for kube-proxy"\n\tset cluster-ips {…'
 */
export function printNftList(rs: NftRuleset): string {
  const elements = new Map<string, NftElement[]>()
  for (const e of rs.elements) {
    const list = elements.get(e.container) ?? []
    list.push(e)
    elements.set(e.container, list)
  }
  const blocks: string[][] = []
  const sets = sortedByName(rs.sets.filter((s) => s.kind === 'set'))
  const maps = sortedByName(rs.sets.filter((s) => s.kind === 'map'))
  const updated = new Set<string>()
  for (const c of rs.chains) for (const r of c.rules) for (const st of r.statements) if (st.kind === 'update') updated.add(st.set)
  for (const s of [...sets, ...maps]) blocks.push(setBlock(s, elements.get(s.name) ?? [], updated.has(s.name)))
  for (const c of rs.chains) {
    const lines = [`\tchain ${c.name} {`]
    if (c.hook) lines.push(`\t\ttype ${c.hook.type} hook ${c.hook.hook} priority ${priorityText(c.hook)}; policy accept;`)
    if (c.comment !== undefined) lines.push(`\t\tcomment ${quote(c.comment)}`)
    for (const r of c.rules) lines.push(`\t\t${listRuleText(r, rs.family)}`)
    lines.push('\t}')
    blocks.push(lines)
  }
  const head = [`table ${rs.family} ${rs.table} {`, `\tcomment ${quote(rs.tableComment)}`]
  return `${[...head, blocks.map((b) => b.join('\n')).join('\n\n'), '}'].join('\n')}\n`
}
