/**
 * Test-only: a conformance case's `config.json` (the settings of upstream's fake proxier, see the
 * cases' README) → the renderer's ProxyConfig, resolved the way NewFakeProxier / NewProxier do.
 */
import type { LocalDetector, ProxyConfig } from '../../src/core/model/cluster.ts'
import type { KubernetesVersion } from '../../src/core/model/version.ts'
import { cidrContains, formatCIDR, parseCIDRSloppy, parseIPSloppy, type ParsedCIDR } from '../../src/core/net/ip.ts'

/** The config.json fields the renderer needs. */
export interface CaseConfigJson {
  readonly nodeName: string
  readonly nodeIP: string
  readonly nodeIPs: readonly string[]
  readonly ipFamily: 'IPv4' | 'IPv6'
  readonly localDetector: { readonly mode: string; readonly clusterCIDR?: string; readonly interface?: string; readonly prefix?: string }
  readonly masqueradeAll: boolean
  readonly masqueradeBit: number
  readonly nodePortAddresses: readonly string[] | null
  readonly localhostNodePorts: boolean
  readonly conntrackTCPLiberal: boolean
  readonly nfacctCounters: { readonly ct_state_invalid_dropped_pkts: boolean; readonly localhost_nps_accepted_pkts: boolean }
  readonly iptablesHasRandomFully: boolean
  readonly featureGates: Readonly<Record<string, boolean>>
  readonly nodeZone?: string
}

function detector(d: CaseConfigJson['localDetector']): LocalDetector {
  switch (d.mode) {
    case 'ClusterCIDR':
    case 'NodeCIDR':
      return d.clusterCIDR ? { mode: d.mode, cidr: d.clusterCIDR } : { mode: 'NoOp' }
    case 'BridgeInterface':
      return { mode: 'BridgeInterface', interface: d.interface ?? '' }
    case 'InterfaceNamePrefix':
      return { mode: 'InterfaceNamePrefix', prefix: d.prefix ?? '' }
    default:
      return { mode: 'NoOp' }
  }
}

/**
 * NewNodePortAddresses(family, cidrs): keeps the family's CIDRs (network form); none left or a
 * /0 among them means match all (`[]`). Also whether an IPv4 loopback address is covered, which
 * decides if localhostNodePorts survives (NewProxier forces it off otherwise).
 */
export function nodePortAddressesFor(family: 'IPv4' | 'IPv6', cidrs: readonly string[] | null): { cidrs: string[]; containsIPv4Loopback: boolean } {
  const parsed = (cidrs ?? []).map((c) => parseCIDRSloppy(c.trim())).filter((c): c is ParsedCIDR => c !== undefined && c.family === family)
  const matchAll = parsed.length === 0 || parsed.some((c) => c.prefix === 0)
  const lo = parseIPSloppy('127.0.0.1')!
  const containsIPv4Loopback = family === 'IPv4' && (matchAll || parsed.some((c) => cidrContains(c, lo)))
  return { cidrs: matchAll ? [] : parsed.map(formatCIDR), containsIPv4Loopback }
}

/** The ProxyConfig of a case, for the release its suite comes from (the conformance cases: 1.33). */
export function proxyConfigFromCase(c: CaseConfigJson, kubernetesVersion: KubernetesVersion = '1.33'): ProxyConfig {
  const npa = nodePortAddressesFor(c.ipFamily, c.nodePortAddresses)
  return {
    kubernetesVersion,
    ipFamily: c.ipFamily,
    nodeName: c.nodeName,
    // The fake keeps nodeIP 192.168.0.2 even for its IPv6 proxier; it never matches an IPv6 range.
    nodeIP: c.nodeIP,
    nodeIPs: c.nodeIPs,
    ...(c.nodeZone !== undefined ? { nodeZone: c.nodeZone } : {}),
    localDetector: detector(c.localDetector),
    masqueradeAll: c.masqueradeAll,
    masqueradeMark: 2 ** c.masqueradeBit,
    localhostNodePorts: c.localhostNodePorts && c.ipFamily === 'IPv4' && npa.containsIPv4Loopback,
    nodePortAddresses: npa.cidrs,
    conntrackTCPLiberal: c.conntrackTCPLiberal,
    nfacct: { ctStateInvalidDroppedPkts: c.nfacctCounters.ct_state_invalid_dropped_pkts, localhostNpsAcceptedPkts: c.nfacctCounters.localhost_nps_accepted_pkts },
    iptablesHasRandomFully: c.iptablesHasRandomFully,
    featureGates: c.featureGates,
  }
}

/** The fake proxier's defaults (NewFakeProxier, IPv4), for unit tests to override. */
export function fakeProxierConfig(overrides: Partial<CaseConfigJson> = {}): ProxyConfig {
  const v6 = overrides.ipFamily === 'IPv6'
  return proxyConfigFromCase({
    nodeName: 'test-node',
    nodeIP: '192.168.0.2',
    nodeIPs: ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2'],
    ipFamily: 'IPv4',
    localDetector: { mode: 'ClusterCIDR', clusterCIDR: v6 ? 'fd00:10::/64' : '10.0.0.0/8' },
    masqueradeAll: false,
    masqueradeBit: 14,
    nodePortAddresses: null,
    localhostNodePorts: true,
    conntrackTCPLiberal: false,
    nfacctCounters: { ct_state_invalid_dropped_pkts: true, localhost_nps_accepted_pkts: true },
    iptablesHasRandomFully: false,
    featureGates: {},
    ...overrides,
  })
}
