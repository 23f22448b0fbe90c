/**
 * @module proxy/iptables/print-list
 * The `iptables -t nat -L -n`, blank line, `iptables -t filter -L -n` listing of a node after
 * kube-proxy's jump rules and restore payload are loaded, exactly as iptables 1.8.9 (nf_tables
 * backend, Debian bookworm) prints it. Later iptables versions print protocol names instead of
 * numbers, so this targets 1.8.9 only; test/kernel names the installed version and compares.
 *
 * Layout mirrors iptables/xshared.c `print_header` / `print_rule_details` and nft-ipv4.c
 * `nft_ipv4_print_rule` (`%-9s ` target, invert flag, `%-4hu ` protocol number, `--` opt column,
 * `%-19s ` source and destination), then each match's and the target's `print` function.
 * ip6tables 1.8.9 (nft) prints the same columns (checked: opt is `--` there too).
 */
import type { IPFamily } from '../../model/k8s.ts'
import { printableText } from './comment-text.ts'
import type { Ruleset } from './ir.ts'
import type { KernelAddr, KernelMatch, KernelRule, KernelTarget } from './kernel-rule.ts'
import { loadKernelState, type KernelChain, type RulesetExtras } from './kernel-state.ts'
import { formatProbability, hex, saveString, type PrintOptions } from './print-save.ts'
import { fullMaskText, listAddr } from './xtables-addr.ts'

const HEADER = 'target     prot opt source               destination         '

function pad(s: string, width: number): string {
  return s.length >= width ? s : s + ' '.repeat(width - s.length)
}

function addrColumn(a: KernelAddr | undefined, family: IPFamily): string {
  const any = family === 'IPv4' ? '0.0.0.0/0' : '::/0'
  const text = a === undefined ? any : a.addr === undefined ? a.text : listAddr(a.addr)
  return `${a?.negate === true ? '!' : ' '}${pad(text, 19)} `
}

/** One match's print text, with its leading space (each extension's `print`). */
export function listMatch(m: KernelMatch, family: IPFamily): string {
  switch (m.kind) {
    case 'comment': // libxt_comment.c comment_print
      return ` /* ${printableText(m.text)} */`
    case 'port': // libxt_tcp.c tcp_print → print_ports("dpt", …); udp/sctp alike
      return ` ${m.module}${m.dport === undefined ? '' : ` dpt:${m.dport.negate ? '!' : ''}${m.dport.port}`}`
    case 'addrtype': // libxt_addrtype.c addrtype_print_v1
      return ` ADDRTYPE match ${m.dir}-type ${m.negate ? '!' : ''}${m.types.join(',')}`
    case 'conntrack': // libxt_conntrack.c conntrack_dump with prefix ""
      return `${m.negate ? ' !' : ''} ctstate ${m.states.join(',')}`
    case 'mark': // libxt_mark.c mark_mt_print
      return ` mark match${m.negate ? ' !' : ''} ${m.mask === 0xffffffff ? hex(m.value) : `${hex(m.value)}/${hex(m.mask)}`}`
    case 'statistic': // libxt_statistic.c statistic_print
      return ` statistic mode random probability ${formatProbability(m.fixed)}`
    case 'recent': // libxt_recent.c recent_print
      return (
        ` recent: ${m.op === 'set' ? 'SET' : 'CHECK'}` +
        (m.seconds !== undefined && m.seconds !== 0 ? ` seconds: ${m.seconds}` : '') +
        (m.reap ? ' reap' : '') +
        ` name: ${m.name} side: source mask: ${fullMaskText(family)}`
      )
    case 'nfacct': // libxt_nfacct.c nfacct_print_name(""): " nfacct-name " + save_string → two spaces
      return ` nfacct-name ${saveString(m.name)}`
    case 'raw':
      // UNVERIFIED: not something kube-proxy writes; shown as given.
      return ` ${m.text}`
  }
}

/** The target column text and its print text (each target extension's `print`). */
export function listTarget(t: KernelTarget | undefined): { readonly name: string; readonly text: string } {
  if (t === undefined) return { name: '', text: '' }
  switch (t.kind) {
    case 'standard':
      return { name: t.name, text: '' }
    case 'reject': // REJECT_print
      return { name: 'REJECT', text: ` reject-with ${t.with}` }
    case 'dnat': // libxt_DNAT.c DNAT_print
      return { name: 'DNAT', text: ` to:${t.to}` }
    case 'mark': { // libxt_MARK.c mark_tg_print
      let text: string
      if (t.mark === 0) text = ` MARK and ${hex(~t.mask >>> 0)}`
      else if (t.mark === t.mask) text = ` MARK or ${hex(t.mark)}`
      else if (t.mask === 0) text = ` MARK xor ${hex(t.mark)}`
      else if (t.mask === 0xffffffff) text = ` MARK set ${hex(t.mark)}`
      else text = ` MARK xset ${hex(t.mark)}/${hex(t.mask)}`
      return { name: 'MARK', text }
    }
    case 'masquerade': // MASQUERADE_print
      return { name: 'MASQUERADE', text: t.randomFully ? ' random-fully' : '' }
    case 'raw':
      return { name: t.name, text: t.rest === '' ? '' : ` ${t.rest}` }
  }
}

/** One rule line of `iptables -L -n` (without newline). */
export function listRule(r: KernelRule, family: IPFamily): string {
  const target = listTarget(r.target)
  let s = `${pad(target.name, 9)} `
  s += `${r.proto?.negate === true ? '!' : ' '}${pad(String(r.proto?.number ?? 0), 4)} `
  s += '-- ' // fragment flags: kube-proxy never uses -f
  s += addrColumn(r.src, family)
  s += addrColumn(r.dst, family)
  for (const m of r.matches) s += listMatch(m, family)
  s += target.text
  return s
}

function listChain(c: KernelChain, family: IPFamily): string[] {
  const head = c.builtin ? `Chain ${c.name} (policy ${c.policy})` : `Chain ${c.name} (${c.references} references)`
  return [head, HEADER, ...c.rules.map((r) => listRule(r, family))]
}

/**
 * `iptables -t nat -L -n`, a blank line, then `iptables -t filter -L -n` (chains separated by a
 * blank line within a table, none after the last).
 */
export function printList(ruleset: Ruleset & RulesetExtras, opts: PrintOptions): string {
  const tables = loadKernelState(ruleset, opts.tables === undefined ? opts : { ...opts, tables: opts.tables })
  const blocks = tables.map((t) => t.chains.map((c) => listChain(c, ruleset.family).map((l) => `${l}\n`).join('')).join('\n'))
  return blocks.join('\n')
}
