/**
 * @module proxy/nftables/build-static
 * The part of the transaction that does not depend on Services: table, base chains with their
 * jump rules, the helper chains and their rules, the sets and maps, and the NodePort addresses.
 * Mirrors pkg/proxy/nftables/proxier.go setupNFTables (and nftablesBaseChains / nftablesJumpChains).
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import { cidrContains, formatIP, parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import type { NftHook, NftStatement } from './ir.ts'
import type { NftVersionProfile } from './version.ts'
import type { NftSink } from './writer.ts'

/** Names of the static chains, sets and maps (proxier.go constants). */
export const NFT = {
  services: 'services',
  serviceEndpointsCheck: 'service-endpoints-check',
  nodePortEndpointsCheck: 'nodeport-endpoints-check',
  firewallCheck: 'firewall-check',
  clusterIPsCheck: 'cluster-ips-check',
  rejectChain: 'reject-chain',
  markMasq: 'mark-for-masquerade',
  masquerading: 'masquerading',
  clusterIPsSet: 'cluster-ips',
  nodePortIPsSet: 'nodeport-ips',
  serviceIPsMap: 'service-ips',
  serviceNodePortsMap: 'service-nodeports',
  noEndpointServicesMap: 'no-endpoint-services',
  noEndpointNodePortsMap: 'no-endpoint-nodeports',
  firewallIPsMap: 'firewall-ips',
} as const

interface BaseChain {
  readonly name: string
  readonly hook: NftHook
}

/** nftablesBaseChains of the baseline (PR #132456): knftables prints the parsed priority. */
const BASE_CHAINS_CURRENT: readonly BaseChain[] = [
  { name: 'filter-prerouting-pre-dnat', hook: { type: 'filter', hook: 'prerouting', priority: -110 } },
  { name: 'filter-output-pre-dnat', hook: { type: 'filter', hook: 'output', priority: -110 } },
  { name: 'filter-forward', hook: { type: 'filter', hook: 'forward', priority: 0 } },
  { name: 'filter-input', hook: { type: 'filter', hook: 'input', priority: 0 } },
  { name: 'filter-output', hook: { type: 'filter', hook: 'output', priority: 0 } },
  { name: 'nat-prerouting', hook: { type: 'nat', hook: 'prerouting', priority: -100 } },
  { name: 'nat-output', hook: { type: 'nat', hook: 'output', priority: -100 } },
  { name: 'nat-postrouting', hook: { type: 'nat', hook: 'postrouting', priority: 100 } },
]

/** nftablesJumpChains of the baseline, in order: [from, to, ct state new?]. */
const JUMPS_CURRENT: readonly (readonly [string, string, boolean])[] = [
  ['filter-prerouting-pre-dnat', NFT.firewallCheck, true],
  ['filter-output-pre-dnat', NFT.firewallCheck, true],
  ['filter-forward', NFT.serviceEndpointsCheck, true],
  ['filter-forward', NFT.clusterIPsCheck, true],
  ['filter-input', NFT.nodePortEndpointsCheck, true],
  ['filter-input', NFT.serviceEndpointsCheck, true],
  ['filter-output', NFT.serviceEndpointsCheck, true],
  ['filter-output', NFT.clusterIPsCheck, true],
  ['nat-output', NFT.services, false],
  ['nat-postrouting', NFT.masquerading, false],
  ['nat-prerouting', NFT.services, false],
]

/** Between PR #122614 and PR #132456: every filter chain at dstnat-10, ClusterIP checks at dstnat+10. */
const BASE_CHAINS_PRE_132456: readonly BaseChain[] = [
  { name: 'filter-prerouting', hook: { type: 'filter', hook: 'prerouting', priority: -110 } },
  { name: 'filter-input', hook: { type: 'filter', hook: 'input', priority: -110 } },
  { name: 'filter-forward', hook: { type: 'filter', hook: 'forward', priority: -110 } },
  { name: 'filter-output', hook: { type: 'filter', hook: 'output', priority: -110 } },
  { name: 'filter-output-post-dnat', hook: { type: 'filter', hook: 'output', priority: -90 } },
  { name: 'nat-prerouting', hook: { type: 'nat', hook: 'prerouting', priority: -100 } },
  { name: 'nat-output', hook: { type: 'nat', hook: 'output', priority: -100 } },
  { name: 'nat-postrouting', hook: { type: 'nat', hook: 'postrouting', priority: 100 } },
]

const JUMPS_PRE_132456: readonly (readonly [string, string, boolean])[] = [
  ['filter-input', NFT.nodePortEndpointsCheck, true],
  ['filter-input', NFT.serviceEndpointsCheck, true],
  ['filter-forward', NFT.serviceEndpointsCheck, true],
  ['filter-forward', NFT.clusterIPsCheck, true],
  ['filter-output', NFT.serviceEndpointsCheck, true],
  ['filter-output', NFT.firewallCheck, true],
  ['filter-output-post-dnat', NFT.clusterIPsCheck, true],
  ['filter-prerouting', NFT.firewallCheck, true],
  ['nat-output', NFT.services, false],
  ['nat-postrouting', NFT.masquerading, false],
  ['nat-prerouting', NFT.services, false],
]

/** The base chains of a profile (for the tracer: which chain runs at which hook). */
export function baseChains(profile: NftVersionProfile): readonly BaseChain[] {
  return profile.layout === 'current' ? BASE_CHAINS_CURRENT : BASE_CHAINS_PRE_132456
}

/** `ip` / `ip6`: the address keyword of the family. */
export function ipX(cfg: ProxyConfig): 'ip' | 'ip6' {
  return cfg.ipFamily === 'IPv6' ? 'ip6' : 'ip'
}

/** `ipv4_addr` / `ipv6_addr`. */
function addrType(cfg: ProxyConfig): string {
  return cfg.ipFamily === 'IPv6' ? 'ipv6_addr' : 'ipv4_addr'
}

/** The loopback range a match-all NodePort rule excludes (`ip daddr != 127.0.0.0/8`, `ip6 daddr != ::1`). */
function noLocalhost(cfg: ProxyConfig): NftStatement {
  return { kind: 'addr', dir: 'daddr', negate: true, value: { kind: 'literal', text: cfg.ipFamily === 'IPv6' ? '::1' : '127.0.0.0/8' } }
}

/**
 * The node addresses that accept NodePorts (NodePortAddresses.GetNodeIPs): every address of the
 * node of this family inside one of the CIDRs, loopback skipped (no localhost NodePorts in
 * nftables mode). Empty CIDRs mean match all, which uses `fib daddr type local` instead.
 */
export function nodePortIPs(cfg: ProxyConfig): string[] {
  const cidrs = cfg.nodePortAddresses.map((c) => parseCIDRSloppy(c)).filter((c) => c !== undefined)
  const out: string[] = []
  for (const text of cfg.nodeIPs) {
    const ip = parseIPSloppy(text)
    if (ip === undefined || ip.family !== cfg.ipFamily) continue
    const loopback = ip.family === 'IPv4' ? ip.value >> 24n === 127n : ip.value === 1n
    if (loopback || !cidrs.some((c) => cidrContains(c, ip))) continue
    const s = formatIP(ip)
    if (!out.includes(s)) out.push(s)
  }
  return out
}

/** The service CIDRs of this family, network form (OnServiceCIDRsChanged). */
function serviceCIDRsOf(cfg: ProxyConfig): string[] {
  return (cfg.serviceCIDRs ?? []).filter((c) => parseCIDRSloppy(c)?.family === cfg.ipFamily)
}

/** Formats the masquerade mark as production kube-proxy does: Go `%#08x` → `0x00004000`. */
export function markText(mark: number): string {
  return `0x${mark.toString(16).padStart(8, '0')}`
}

/**
 * setupNFTables: everything of the transaction that Services do not change.
 *
 * @example
 * writeStatic(w, cfg, CURRENT_NFT_PROFILE)
 */
export function writeStatic(w: NftSink, cfg: ProxyConfig, profile: NftVersionProfile): void {
  const addr = addrType(cfg)
  const layout = profile.layout === 'current' ? { chains: BASE_CHAINS_CURRENT, jumps: JUMPS_CURRENT } : { chains: BASE_CHAINS_PRE_132456, jumps: JUMPS_PRE_132456 }
  for (const c of layout.chains) w.chain(c.name, { hook: c.hook })
  for (const [from, to, ctNew] of layout.jumps) {
    w.chain(to)
    w.rule(from, [...(ctNew ? [{ kind: 'ctStateNew' } as const] : []), { kind: 'jump', chain: to }])
  }

  // Ensure all of our other "top-level" chains exist.
  w.chain(NFT.rejectChain, { comment: 'helper for @no-endpoint-services / @no-endpoint-nodeports' })
  w.chain(NFT.markMasq)
  w.rule(NFT.rejectChain, [{ kind: 'reject' }])

  // Masquerading: set the mark, then masquerade marked packets in postrouting (clearing the
  // bit so a re-encapsulated packet is not masqueraded twice).
  const mark = cfg.masqueradeMark
  w.rule(NFT.markMasq, [{ kind: 'setMark', op: 'or', value: mark }])
  w.rule(NFT.masquerading, [{ kind: 'markClear', value: mark }, { kind: 'return' }])
  w.rule(NFT.masquerading, [{ kind: 'setMark', op: 'xor', value: mark }])
  w.rule(NFT.masquerading, [{ kind: 'masquerade' }])

  w.set({ kind: 'set', name: NFT.clusterIPsSet, keyType: [addr], comment: 'Active ClusterIPs' })
  w.rule(NFT.clusterIPsCheck, [{ kind: 'addr', dir: 'daddr', negate: false, value: { kind: 'set', name: NFT.clusterIPsSet } }, { kind: 'reject' }], {
    comment: 'Reject traffic to invalid ports of ClusterIPs',
  })
  const cidrs = serviceCIDRsOf(cfg)
  if (cidrs.length > 0) {
    w.rule(NFT.clusterIPsCheck, [{ kind: 'addr', dir: 'daddr', negate: false, value: { kind: 'anon', items: cidrs, sep: ',' } }, { kind: 'drop' }], {
      comment: 'Drop traffic to unallocated ClusterIPs',
    })
  }

  const matchAll = cfg.nodePortAddresses.length === 0
  if (!matchAll) w.set({ kind: 'set', name: NFT.nodePortIPsSet, keyType: [addr], comment: 'IPs that accept NodePort traffic' })

  const vmapKey = [addr, 'inet_proto', 'inet_service']
  w.set({ kind: 'map', name: NFT.serviceIPsMap, keyType: vmapKey, valueType: 'verdict', comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' })
  w.set({ kind: 'map', name: NFT.serviceNodePortsMap, keyType: ['inet_proto', 'inet_service'], valueType: 'verdict', comment: 'NodePort traffic' })
  w.set({ kind: 'map', name: NFT.firewallIPsMap, keyType: vmapKey, valueType: 'verdict', comment: 'destinations that are subject to LoadBalancerSourceRanges' })
  w.set({ kind: 'map', name: NFT.noEndpointServicesMap, keyType: vmapKey, valueType: 'verdict', comment: 'vmap to drop or reject packets to services with no endpoints' })
  w.set({ kind: 'map', name: NFT.noEndpointNodePortsMap, keyType: ['inet_proto', 'inet_service'], valueType: 'verdict', comment: 'vmap to drop or reject packets to service nodeports with no endpoints' })

  w.rule(NFT.firewallCheck, [{ kind: 'vmap', key: 'daddr.proto.port', map: NFT.firewallIPsMap }])
  w.rule(NFT.serviceEndpointsCheck, [{ kind: 'vmap', key: 'daddr.proto.port', map: NFT.noEndpointServicesMap }])
  w.rule(NFT.services, [{ kind: 'vmap', key: 'daddr.proto.port', map: NFT.serviceIPsMap }])
  if (matchAll) {
    w.rule(NFT.services, [{ kind: 'fibLocal', dir: 'daddr' }, noLocalhost(cfg), { kind: 'vmap', key: 'proto.port', map: NFT.serviceNodePortsMap }])
    w.rule(NFT.nodePortEndpointsCheck, [noLocalhost(cfg), { kind: 'vmap', key: 'proto.port', map: NFT.noEndpointNodePortsMap }])
  } else {
    const npSet: NftStatement = { kind: 'addr', dir: 'daddr', negate: false, value: { kind: 'set', name: NFT.nodePortIPsSet } }
    w.rule(NFT.services, [npSet, { kind: 'vmap', key: 'proto.port', map: NFT.serviceNodePortsMap }])
    w.rule(NFT.nodePortEndpointsCheck, [npSet, { kind: 'vmap', key: 'proto.port', map: NFT.noEndpointNodePortsMap }])
    for (const a of nodePortIPs(cfg)) w.element({ container: NFT.nodePortIPsSet, key: [a] })
  }
}
