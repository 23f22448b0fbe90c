/**
 * @module proxy/iptables/print-save
 * The `iptables-save -t nat; iptables-save -t filter` form (header/footer `#` lines removed) of a
 * node after kube-proxy's jump rules and restore payload are loaded (iptables-save's `print_rule` canonical
 * form, as test/kernel checks against real iptables). Targets iptables 1.8.9 with the nf_tables backend (Debian
 * bookworm); test/kernel checks it byte-for-byte against the installed binary.
 *
 * Mirrors iptables/nft-ipv4.c `nft_ipv4_save_rule` / nft-ipv6.c `nft_ipv6_save_rule`
 * (addresses, then `-i`/`-o`/`-p` from `save_rule_details`, then each match's `save`, then the
 * target's `save`) and the extension save functions named below.
 */
import type { IPFamily } from '../../model/k8s.ts'
import type { JumpRule, Ruleset, TableName } from './ir.ts'
import type { KernelAddr, KernelMatch, KernelRule, KernelTarget } from './kernel-rule.ts'
import { loadKernelState, type NodeRules, type RulesetExtras } from './kernel-state.ts'
import { fullMaskText, isAnyAddr, saveAddr } from './xtables-addr.ts'

/** Options shared by the save and list printers. */
export interface PrintOptions {
  /** The base-chain jump rules installed before the payload (normally `JUMP_RULES`). */
  readonly jumpRules: readonly JumpRule[]
  /** Tables to print, in order. Default nat then filter. */
  readonly tables?: readonly TableName[]
  /** The node's rules before the jump rules and payload are loaded; default: empty tables. */
  readonly initial?: NodeRules
}

const NO_QUOTE = /^[A-Za-z0-9_-]+$/

/**
 * libxtables `xtables_save_string`, including its leading space: bare when the value is only
 * `[A-Za-z0-9_-]` (and not empty), otherwise in double quotes with `"`, `\` and `'` escaped.
 */
export function saveString(value: string): string {
  if (NO_QUOTE.test(value)) return ` ${value}`
  return ` "${value.replace(/["\\']/g, (c) => `\\${c}`)}"`
}

/**
 * `%.11f` of fixed/2^31 with glibc's exact decimal expansion and round-half-even (JS toFixed
 * rounds ties up, which differs for e.g. 1/4096). Mirrors libxt_statistic.c `print_match`.
 */
export function formatProbability(fixed: number): string {
  const scale = 10n ** 11n
  const num = BigInt(fixed) * scale
  const den = 0x80000000n
  let q = num / den
  const r = num % den
  if (r * 2n > den || (r * 2n === den && q % 2n === 1n)) q += 1n
  const intPart = q / scale
  const frac = (q % scale).toString().padStart(11, '0')
  return `${intPart}.${frac}`
}

/** `0x%x` as the mark extensions print numbers. */
export function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`
}

function addrSave(flag: string, a: KernelAddr | undefined): string {
  if (a === undefined) return ''
  if (a.addr === undefined) return `${a.negate ? ' !' : ''} ${flag} ${a.text}`
  if (isAnyAddr(a.addr) && !a.negate) return ''
  return `${a.negate ? ' !' : ''} ${flag} ${saveAddr(a.addr)}`
}

/** One match's ` -m NAME …` text (each extension's `save`). */
export function saveMatch(m: KernelMatch, family: IPFamily): string {
  switch (m.kind) {
    case 'comment': // libxt_comment.c comment_save
      return ` -m comment --comment${saveString(m.text)}`
    case 'port': // libxt_tcp.c tcp_save / libxt_udp.c / libxt_sctp.c
      return ` -m ${m.module}${m.dport === undefined ? '' : `${m.dport.negate ? ' !' : ''} --dport ${m.dport.port}`}`
    case 'addrtype': // libxt_addrtype.c addrtype_save_v1
      return ` -m addrtype${m.negate ? ' !' : ''} --${m.dir}-type ${m.types.join(',')}`
    case 'conntrack': // libxt_conntrack.c conntrack_dump with prefix "--"
      return ` -m conntrack${m.negate ? ' !' : ''} --ctstate ${m.states.join(',')}`
    case 'mark': // libxt_mark.c mark_mt_save
      return ` -m mark${m.negate ? ' !' : ''} --mark ${m.mask === 0xffffffff ? hex(m.value) : `${hex(m.value)}/${hex(m.mask)}`}`
    case 'statistic': // libxt_statistic.c statistic_save
      return ` -m statistic --mode random --probability ${formatProbability(m.fixed)}`
    case 'recent': // libxt_recent.c recent_save (mask and side are filled in by the parser)
      return (
        ` -m recent --${m.op}` +
        (m.seconds !== undefined && m.seconds !== 0 ? ` --seconds ${m.seconds}` : '') +
        (m.reap ? ' --reap' : '') +
        ` --name ${m.name} --mask ${fullMaskText(family)} --rsource`
      )
    case 'nfacct': // libxt_nfacct.c nfacct_print_name("--"): " --nfacct-name " + save_string → two spaces
      return ` -m nfacct --nfacct-name ${saveString(m.name)}`
    case 'raw':
      // Not something kube-proxy writes; printed as given (cannot be checked against iptables).
      return ` ${m.text}`
  }
}

/** The target's ` -j NAME …` text (each target extension's `save`). */
export function saveTarget(t: KernelTarget): string {
  switch (t.kind) {
    case 'standard':
      return ` -j ${t.name}`
    case 'reject': // libipt_REJECT.c / libip6t_REJECT.c REJECT_save
      return ` -j REJECT --reject-with ${t.with}`
    case 'dnat': // libxt_DNAT.c DNAT_save
      return ` -j DNAT --to-destination ${t.to}`
    case 'mark': // libxt_MARK.c mark_tg_save
      return ` -j MARK --set-xmark ${hex(t.mark)}/${hex(t.mask)}`
    case 'masquerade': // libxt_MASQUERADE.c MASQUERADE_save
      return ` -j MASQUERADE${t.randomFully ? ' --random-fully' : ''}`
    case 'raw':
      return ` -j ${t.name}${t.rest === '' ? '' : ` ${t.rest}`}`
  }
}

/** One `-A CHAIN …` line (without newline) as iptables-save prints the rule. */
export function saveRule(chain: string, r: KernelRule, family: IPFamily): string {
  let s = `-A ${chain}`
  s += addrSave('-s', r.src)
  s += addrSave('-d', r.dst)
  if (r.inIface !== undefined) s += `${r.inIface.negate ? ' !' : ''} -i ${r.inIface.name}`
  if (r.outIface !== undefined) s += `${r.outIface.negate ? ' !' : ''} -o ${r.outIface.name}`
  if (r.proto !== undefined) s += `${r.proto.negate ? ' !' : ''} -p ${r.proto.name}`
  for (const m of r.matches) s += saveMatch(m, family)
  if (r.target !== undefined) s += saveTarget(r.target)
  return s
}

/**
 * `iptables-save -t nat; iptables-save -t filter` (without `#` lines) after the jump rules and the
 * payload are loaded into empty tables. Counters print as `[0:0]`.
 */
export function printSave(ruleset: Ruleset & RulesetExtras, opts: PrintOptions): string {
  const tables = loadKernelState(ruleset, opts.tables === undefined ? opts : { ...opts, tables: opts.tables })
  const out: string[] = []
  for (const t of tables) {
    out.push(`*${t.name}`)
    for (const c of t.chains) out.push(`:${c.name} ${c.policy} [0:0]`)
    for (const c of t.chains) for (const r of c.rules) out.push(saveRule(c.name, r, ruleset.family))
    out.push('COMMIT')
  }
  return out.map((l) => `${l}\n`).join('')
}
