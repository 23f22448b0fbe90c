/**
 * @module proxy/iptables/kernel-rule
 * One rule as the kernel holds it after `iptables-restore` parsed it: the fixed header (addresses
 * already masked, interfaces, protocol), the list of match modules in the order they were loaded,
 * and the target with every option filled in. `iptables-save` and `iptables -L` both print from
 * this structure (iptables/nft-shared.c, iptables/xshared.c), so the two printers share it.
 *
 * What the parse steps mirror: iptables/xshared.c `do_parse` (a `--dport` with no explicit
 * `-m tcp` loads the protocol's match implicitly at that point), libxt_statistic.c
 * `statistic_parse` (probability stored as lround(p·2^31)), libxt_MARK.c `mark_tg_parse`
 * (`--or-mark M` is mark=M mask=M, `--xor-mark M` is mark=M mask=0), libipt_REJECT.c /
 * libip6t_REJECT.c (default reject type filled in), libxt_recent.c (default mask and side).
 */
import type { IPFamily } from '../../model/k8s.ts'
import type { Match, Rule, Target } from './ir.ts'
import { canonicalNatRange, parseU32, parseXtAddr, type XtAddr } from './xtables-addr.ts'

/** `-s`/`-d` in the fixed header. `addr` is undefined when iptables itself would not parse `text`. */
export interface KernelAddr {
  readonly negate: boolean
  readonly addr?: XtAddr
  readonly text: string
}

/** Protocol numbers iptables prints with `-L -n` (it prints numbers, not names, in 1.8.9). */
export const PROTO_NUMBERS: Readonly<Record<string, number>> = {
  all: 0, icmp: 1, tcp: 6, udp: 17, ipv6: 41, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58, sctp: 132, udplite: 136,
}

/** One loaded match module with its options as the kernel holds them (defaults filled in). */
export type KernelMatch =
  | { readonly kind: 'comment'; readonly text: string }
  | { readonly kind: 'port'; readonly module: 'tcp' | 'udp' | 'sctp'; readonly dport?: { readonly port: number; readonly negate: boolean } }
  | { readonly kind: 'addrtype'; readonly dir: 'src' | 'dst'; readonly types: readonly string[]; readonly negate: boolean }
  | { readonly kind: 'conntrack'; readonly states: readonly string[]; readonly negate: boolean }
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly negate: boolean }
  /** `fixed` is the kernel's u32: lround(p · 2^31). */
  | { readonly kind: 'statistic'; readonly fixed: number }
  | { readonly kind: 'recent'; readonly op: 'set' | 'rcheck'; readonly seconds?: number; readonly reap: boolean; readonly name: string }
  | { readonly kind: 'nfacct'; readonly name: string }
  /** Text the parser did not understand; printed verbatim (not verifiable against iptables). */
  | { readonly kind: 'raw'; readonly text: string }

/** The target with every option filled in (REJECT type, MARK mark/mask, canonical DNAT range). */
export type KernelTarget =
  | { readonly kind: 'standard'; readonly name: string }
  | { readonly kind: 'reject'; readonly with: string }
  | { readonly kind: 'dnat'; readonly to: string }
  | { readonly kind: 'mark'; readonly mark: number; readonly mask: number }
  | { readonly kind: 'masquerade'; readonly randomFully: boolean }
  | { readonly kind: 'raw'; readonly name: string; readonly rest: string }

/** A rule as iptables-save and iptables -L see it: fixed header, matches in load order, target. */
export interface KernelRule {
  readonly src?: KernelAddr
  readonly dst?: KernelAddr
  readonly inIface?: { readonly name: string; readonly negate: boolean }
  readonly outIface?: { readonly name: string; readonly negate: boolean }
  readonly proto?: { readonly name: string; readonly number: number; readonly negate: boolean }
  readonly matches: readonly KernelMatch[]
  readonly target?: KernelTarget
  /** The IR rule this was made from. */
  readonly rule: Rule
}

/** Bit order of `print_state` in libxt_conntrack.c. */
const CT_STATE_ORDER = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT']
/** Bit order of `rtn_names` in libxt_addrtype.c (print_types walks bits low to high). */
const ADDRTYPE_ORDER = [
  'UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE',
]

/** REJECT type names and their accepted aliases (libipt_REJECT.c / libip6t_REJECT.c reject_table). */
const REJECT_ALIASES: Record<IPFamily, Readonly<Record<string, string>>> = {
  IPv4: {
    'icmp-net-unreachable': 'icmp-net-unreachable', 'net-unreach': 'icmp-net-unreachable',
    'icmp-host-unreachable': 'icmp-host-unreachable', 'host-unreach': 'icmp-host-unreachable',
    'icmp-proto-unreachable': 'icmp-proto-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
    'icmp-port-unreachable': 'icmp-port-unreachable', 'port-unreach': 'icmp-port-unreachable',
    'icmp-net-prohibited': 'icmp-net-prohibited', 'net-prohib': 'icmp-net-prohibited',
    'icmp-host-prohibited': 'icmp-host-prohibited', 'host-prohib': 'icmp-host-prohibited',
    'tcp-reset': 'tcp-reset', 'tcp-rst': 'tcp-reset',
    'icmp-admin-prohibited': 'icmp-admin-prohibited', 'admin-prohib': 'icmp-admin-prohibited',
  },
  IPv6: {
    'icmp6-no-route': 'icmp6-no-route', 'no-route': 'icmp6-no-route',
    'icmp6-adm-prohibited': 'icmp6-adm-prohibited', 'adm-prohibited': 'icmp6-adm-prohibited',
    'icmp6-addr-unreachable': 'icmp6-addr-unreachable', 'addr-unreach': 'icmp6-addr-unreachable',
    'icmp6-port-unreachable': 'icmp6-port-unreachable', 'port-unreach': 'icmp6-port-unreachable',
    'tcp-reset': 'tcp-reset', 'icmp6-policy-fail': 'icmp6-policy-fail', 'policy-fail': 'icmp6-policy-fail',
    'icmp6-reject-route': 'icmp6-reject-route', 'reject-route': 'icmp6-reject-route',
  },
}

/** The reject type iptables fills in when the rule has none. */
export function defaultRejectWith(family: IPFamily): string {
  return family === 'IPv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'
}

function orderBy(values: readonly string[], order: readonly string[]): string[] {
  const known = order.filter((o) => values.includes(o))
  const unknown = values.filter((v) => !order.includes(v))
  return [...known, ...unknown]
}

/** lround(2^31 · p) as statistic_parse stores it; undefined when iptables would reject p. */
export function probabilityToFixed(text: string): number | undefined {
  if (!/^\s*[+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return undefined
  const p = parseFloat(text)
  if (!(p >= 0 && p <= 1)) return undefined
  return Math.round(0x80000000 * p)
}

function markPair(s: string): { mark: number; mask?: number } | undefined {
  const [v, m, extra] = s.split('/')
  if (v === undefined || extra !== undefined) return undefined
  const mark = parseU32(v)
  const mask = m === undefined ? undefined : parseU32(m)
  if (mark === undefined || (m !== undefined && mask === undefined)) return undefined
  return mask === undefined ? { mark } : { mark, mask }
}

/** A raw `-j NAME opts` target, understood where iptables' own option parsing is simple. */
function rawTarget(text: string, family: IPFamily): KernelTarget {
  const words = text.trim().split(/\s+/)
  const name = words[0] ?? ''
  const rest = words.slice(1)
  const opt = (flag: string): string | undefined => (rest.length === 2 && rest[0] === flag ? rest[1] : undefined)
  if (name === 'REJECT') {
    if (rest.length === 0) return { kind: 'reject', with: defaultRejectWith(family) }
    const w = opt('--reject-with')
    const canon = w === undefined ? undefined : REJECT_ALIASES[family][w]
    if (canon !== undefined) return { kind: 'reject', with: canon }
  }
  if (name === 'DNAT') {
    const to = opt('--to-destination')
    const canon = to === undefined ? undefined : canonicalNatRange(to, family)
    if (canon !== undefined) return { kind: 'dnat', to: canon }
  }
  if (name === 'MASQUERADE' && (rest.length === 0 || (rest.length === 1 && rest[0] === '--random-fully'))) {
    return { kind: 'masquerade', randomFully: rest.length === 1 }
  }
  if (name === 'MARK' && rest.length === 2) {
    const pair = markPair(rest[1] ?? '')
    if (pair !== undefined) {
      const full = 0xffffffff
      switch (rest[0]) {
        case '--set-xmark': return { kind: 'mark', mark: pair.mark, mask: pair.mask ?? full }
        case '--set-mark': return { kind: 'mark', mark: pair.mark, mask: (pair.mark | (pair.mask ?? full)) >>> 0 }
        case '--or-mark': if (pair.mask === undefined) return { kind: 'mark', mark: pair.mark, mask: pair.mark }; break
        case '--xor-mark': if (pair.mask === undefined) return { kind: 'mark', mark: pair.mark, mask: 0 }; break
        case '--and-mark': if (pair.mask === undefined) return { kind: 'mark', mark: 0, mask: ~pair.mark >>> 0 }; break
      }
    }
  }
  if (rest.length === 0 && name !== '') return { kind: 'standard', name }
  return { kind: 'raw', name, rest: rest.join(' ') }
}

function toKernelTarget(t: Target, family: IPFamily): KernelTarget {
  switch (t.kind) {
    case 'jump':
      return { kind: 'standard', name: t.chain }
    case 'verdict':
      return t.verdict === 'REJECT' ? { kind: 'reject', with: defaultRejectWith(family) } : { kind: 'standard', name: t.verdict }
    case 'dnat': {
      const to = canonicalNatRange(t.to, family)
      return to === undefined ? { kind: 'raw', name: 'DNAT', rest: `--to-destination ${t.to}` } : { kind: 'dnat', to }
    }
    case 'mark':
      return t.op === 'or' ? { kind: 'mark', mark: t.value, mask: t.value } : { kind: 'mark', mark: t.value, mask: 0 }
    case 'masquerade':
      return { kind: 'masquerade', randomFully: t.randomFully }
    case 'raw':
      return rawTarget(t.text, family)
  }
}

const PORT_MODULES = new Set(['tcp', 'udp', 'sctp'])

/**
 * Converts an IR rule to the kernel's view of it for `family`. Never throws: anything iptables
 * could not have loaded (bad address, unknown probability) is kept as raw text.
 */
export function toKernelRule(rule: Rule, family: IPFamily): KernelRule {
  let src: KernelAddr | undefined
  let dst: KernelAddr | undefined
  let inIface: KernelRule['inIface']
  let outIface: KernelRule['outIface']
  let proto: KernelRule['proto']
  const matches: KernelMatch[] = []
  // The most recent explicit tcp/udp/sctp module: a later --dport belongs to it (do_parse
  // offers unknown options to the loaded matches first).
  let portIndex = -1
  const addPort = (m: 'tcp' | 'udp' | 'sctp'): void => {
    portIndex = matches.length
    matches.push({ kind: 'port', module: m })
  }
  for (const m of rule.matches as readonly Match[]) {
    switch (m.kind) {
      case 'comment':
        matches.push({ kind: 'comment', text: m.text })
        break
      case 'protocol':
        proto = { name: m.protocol, number: PROTO_NUMBERS[m.protocol] ?? 0, negate: false }
        if (m.module) addPort(m.protocol)
        break
      case 'address': {
        // iptables rejects a second -s/-d ("multiple -s flags not allowed"); the last one wins here.
        const addr = parseXtAddr(m.value, family)
        const a: KernelAddr = addr === undefined ? { negate: m.negate, text: m.value } : { negate: m.negate, addr, text: m.value }
        if (m.dir === 'src') src = a
        else dst = a
        break
      }
      case 'dport': {
        const current = matches[portIndex]
        if (current !== undefined && current.kind === 'port' && current.dport === undefined) {
          matches[portIndex] = { ...current, dport: { port: m.port, negate: m.negate } }
        } else if (proto !== undefined && PORT_MODULES.has(proto.name)) {
          // Implicit `-m PROTO` loaded where the option appears.
          addPort(proto.name as 'tcp' | 'udp' | 'sctp')
          matches[portIndex] = { kind: 'port', module: proto.name as 'tcp' | 'udp' | 'sctp', dport: { port: m.port, negate: m.negate } }
        } else {
          matches.push({ kind: 'raw', text: `${m.negate ? '! ' : ''}--dport ${m.port}` })
        }
        break
      }
      case 'addrtype': {
        const types = orderBy(m.type.split(','), ADDRTYPE_ORDER)
        matches.push({ kind: 'addrtype', dir: m.dir, types, negate: m.negate })
        break
      }
      case 'conntrack':
        matches.push({ kind: 'conntrack', states: orderBy(m.states, CT_STATE_ORDER), negate: m.negate })
        break
      case 'mark':
        matches.push({ kind: 'mark', value: m.value >>> 0, mask: m.mask >>> 0, negate: m.negate })
        break
      case 'statistic': {
        const fixed = probabilityToFixed(m.probability)
        matches.push(
          fixed === undefined
            ? { kind: 'raw', text: `-m statistic --mode random --probability ${m.probability}` }
            : { kind: 'statistic', fixed },
        )
        break
      }
      case 'recent':
        matches.push(
          m.seconds === undefined
            ? { kind: 'recent', op: m.op, reap: m.reap === true, name: m.name }
            : { kind: 'recent', op: m.op, seconds: m.seconds, reap: m.reap === true, name: m.name },
        )
        break
      case 'nfacct':
        matches.push({ kind: 'nfacct', name: m.name })
        break
      case 'interface':
        if (m.dir === 'in') inIface = { name: m.name, negate: m.negate }
        else outIface = { name: m.name, negate: m.negate }
        break
      case 'raw': {
        // A bare `-m tcp` (as parsed from iptables-save output) is a port module with no options.
        const bare = /^-m (tcp|udp|sctp)$/.exec(m.text)
        if (bare) addPort(bare[1] as 'tcp' | 'udp' | 'sctp')
        else matches.push({ kind: 'raw', text: m.text })
        break
      }
    }
  }
  const out: {
    -readonly [K in keyof KernelRule]: KernelRule[K]
  } = { matches, rule }
  if (src !== undefined) out.src = src
  if (dst !== undefined) out.dst = dst
  if (inIface !== undefined) out.inIface = inIface
  if (outIface !== undefined) out.outIface = outIface
  if (proto !== undefined) out.proto = proto
  if (rule.target !== undefined) out.target = toKernelTarget(rule.target, family)
  return out
}
