/**
 * The parts of the payload that do not depend on Services: top-level chain declarations, the
 * masquerade machinery, the KUBE-FIREWALL localnet rule, the NodePort tail rule of nat
 * KUBE-SERVICES, and KUBE-FORWARD. Mirrors pkg/proxy/iptables/proxier.go syncProxyRules
 * (its static chains first, the KUBE-NODEPORTS / KUBE-FORWARD tail after the service loop).
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import { cidrContains, formatIP, parseCIDRSloppy, parseIPSloppy, type ParsedCIDR } from '../../net/ip.ts'
import { addrtypeLocal, comment, CT_STATE_INVALID_DROPPED_PKTS, dst, jump, nfacct, src, verdict } from './rule-parts.ts'
import type { RuleSink } from './writer.ts'

/** Filter chains declared on every full sync, in kube-proxy's order. */
export const FILTER_TOP_LEVEL_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-FORWARD', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'] as const
/** Nat chains declared on every full sync, in kube-proxy's order. */
export const NAT_TOP_LEVEL_CHAINS = ['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'] as const

const NODEPORTS_TAIL_COMMENT = 'kubernetes service nodeports; NOTE: this must be the last rule in this chain'

/**
 * Declares the top-level chains and writes the rules that precede the service loop:
 * KUBE-POSTROUTING, KUBE-MARK-MASQ and (IPv4 with localhostNodePorts) KUBE-FIREWALL.
 */
export function writeStaticHead(w: RuleSink, cfg: ProxyConfig): void {
  for (const c of FILTER_TOP_LEVEL_CHAINS) w.declare('filter', c)
  for (const c of NAT_TOP_LEVEL_CHAINS) w.declare('nat', c)
  const mark = cfg.masqueradeMark

  // Only packets carrying the mark are SNATed; clear it so a re-traversal is not SNATed twice.
  w.append('nat', 'KUBE-POSTROUTING', { matches: [{ kind: 'mark', value: mark, mask: mark, negate: true }], target: verdict('RETURN') })
  w.append('nat', 'KUBE-POSTROUTING', { matches: [], target: { kind: 'mark', op: 'xor', value: mark } })
  w.append('nat', 'KUBE-POSTROUTING', {
    matches: [comment('kubernetes service traffic requiring SNAT')],
    target: { kind: 'masquerade', randomFully: cfg.iptablesHasRandomFully },
  })
  w.append('nat', 'KUBE-MARK-MASQ', { matches: [], target: { kind: 'mark', op: 'or', value: mark } })

  if (cfg.ipFamily === 'IPv4' && cfg.localhostNodePorts) {
    // route_localnet=1 (needed for localhost NodePorts) opens issues.k8s.io/90259; this rule,
    // identical to kubelet's, closes it.
    w.declare('filter', 'KUBE-FIREWALL')
    w.append('filter', 'KUBE-FIREWALL', {
      matches: [
        comment('block incoming localnet connections'),
        dst('127.0.0.0/8'),
        src('127.0.0.0/8', true),
        { kind: 'conntrack', states: ['RELATED', 'ESTABLISHED', 'DNAT'], negate: true },
      ],
      target: verdict('DROP'),
    })
  }
}

/** Loopback per net.IP.IsLoopback. */
function isLoopback(text: string): boolean {
  const ip = parseIPSloppy(text)
  if (ip === undefined) return false
  return ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n
}

/**
 * The node's addresses nodePortAddresses selects (NodePortAddresses.GetNodeIPs), sorted by IP
 * text. Upstream lists interface addresses; every node also has `lo` (127.0.0.1, ::1), which we
 * add because `nodePortAddresses: [127.0.0.0/8]` is a documented setup. Upstream deduplicates
 * through a Go map (random order); we sort.
 */
export function nodePortIPs(cfg: ProxyConfig, cidrs: readonly ParsedCIDR[]): string[] {
  const candidates = [...cfg.nodeIPs, cfg.ipFamily === 'IPv4' ? '127.0.0.1' : '::1']
  const out = new Set<string>()
  for (const text of candidates) {
    const ip = parseIPSloppy(text)
    if (ip === undefined || ip.family !== cfg.ipFamily) continue
    if (cidrs.some((c) => cidrContains(c, ip))) out.add(formatIP(ip))
  }
  return [...out].sort()
}

/** T2: the last rule of nat KUBE-SERVICES, handing everything addressed to the node to KUBE-NODEPORTS. */
export function writeNodePortsTail(w: RuleSink, cfg: ProxyConfig): void {
  const cidrs = cfg.nodePortAddresses.map((c) => parseCIDRSloppy(c.trim())).filter((c): c is ParsedCIDR => c !== undefined && c.family === cfg.ipFamily)
  const matchAll = cidrs.length === 0 || cidrs.some((c) => c.prefix === 0)
  if (matchAll) {
    const matches = [comment(NODEPORTS_TAIL_COMMENT), addrtypeLocal('dst')]
    // Localhost NodePorts never work on IPv6, and on IPv4 only with route_localnet.
    if (cfg.ipFamily === 'IPv6') matches.push(dst('::1/128', true))
    else if (!cfg.localhostNodePorts) matches.push(dst('127.0.0.0/8', true))
    w.append('nat', 'KUBE-SERVICES', { matches, target: jump('KUBE-NODEPORTS') })
    return
  }
  for (const ip of nodePortIPs(cfg, cidrs)) {
    // Upstream logs an error and skips loopback when it cannot work.
    if (isLoopback(ip) && (cfg.ipFamily === 'IPv6' || !cfg.localhostNodePorts)) continue
    w.append('nat', 'KUBE-SERVICES', { matches: [comment(NODEPORTS_TAIL_COMMENT), dst(ip)], target: jump('KUBE-NODEPORTS') })
  }
}

/** T3: filter KUBE-FORWARD, written after all services. */
export function writeForwardRules(w: RuleSink, cfg: ProxyConfig): void {
  // Drop INVALID packets unless nf_conntrack_tcp_be_liberal makes conntrack accept them.
  if (!cfg.conntrackTCPLiberal) {
    w.append('filter', 'KUBE-FORWARD', {
      matches: [
        { kind: 'conntrack', states: ['INVALID'], negate: false },
        ...(cfg.nfacct.ctStateInvalidDroppedPkts ? [nfacct(CT_STATE_INVALID_DROPPED_PKTS)] : []),
      ],
      target: verdict('DROP'),
    })
  }
  const mark = cfg.masqueradeMark
  w.append('filter', 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding rules'), { kind: 'mark', value: mark, mask: mark, negate: false }],
    target: verdict('ACCEPT'),
  })
  w.append('filter', 'KUBE-FORWARD', {
    matches: [comment('kubernetes forwarding conntrack rule'), { kind: 'conntrack', states: ['RELATED', 'ESTABLISHED'], negate: false }],
    target: verdict('ACCEPT'),
  })
}
