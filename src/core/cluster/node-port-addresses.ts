/**
 * @module cluster/node-port-addresses
 * Which local addresses accept NodePort traffic, for one IP family.
 * Mirrors cmd/kube-proxy/app/server.go (the `primary` keyword) and
 * pkg/proxy/util/nodeport_addresses.go NewNodePortAddresses.
 */
import { issue, type Issue } from '../issues.ts'
import { cidrContains, formatCIDR, parseCIDRSloppy, parseIPSloppy, type Family, type ParsedCIDR } from '../net/ip.ts'

/** The resolved nodePortAddresses of one family. */
export interface ResolvedNodePortAddresses {
  /** Network-form CIDRs of the family; empty means "match all" (`-m addrtype --dst-type LOCAL`). */
  readonly cidrs: readonly string[]
  /** NodePortAddresses.ContainsIPv4Loopback(): decides whether localhostNodePorts stays on. */
  readonly containsIPv4Loopback: boolean
}

const IPV4_LOOPBACK = parseIPSloppy('127.0.0.1')

/**
 * Resolves `nodePortAddresses` for `family`.
 *
 * - `primary` (only valid as the sole entry) becomes `<nodeIPv4>/32` and/or `<nodeIPv6>/128`,
 *   skipping loopback and missing families (server.go).
 * - CIDRs of the other family are dropped; no CIDR left means the zero CIDR, i.e. match all.
 * - A `/0` entry matches all and overrides the rest (upstream compares the text with
 *   `0.0.0.0/0` / `::/0`; any spelling of a /0 selects every address either way).
 * - `containsIPv4Loopback` is computed over the family's CIDRs, zero CIDR included, so it is
 *   never true for IPv6.
 */
export function resolveNodePortAddresses(
  entries: readonly string[],
  family: Family,
  nodeIPs: Readonly<Partial<Record<Family, string>>>,
  issues: Issue[],
): ResolvedNodePortAddresses {
  let texts = [...entries]
  if (texts.includes('primary')) {
    if (texts.length === 1) {
      texts = []
      const v4 = nodeIPs.IPv4 === undefined ? undefined : parseIPSloppy(nodeIPs.IPv4)
      const v6 = nodeIPs.IPv6 === undefined ? undefined : parseIPSloppy(nodeIPs.IPv6)
      if (v4 && !isLoopback(v4.value, 'IPv4')) texts.push(`${nodeIPs.IPv4}/32`)
      if (v6 && !isLoopback(v6.value, 'IPv6')) texts.push(`${nodeIPs.IPv6}/128`)
    } else {
      issues.push(
        issue('cluster/invalid-config', 'error', 'KubeProxyConfiguration: nodePortAddresses: "primary" must be the only entry; ignoring it.', {
          path: 'nodePortAddresses',
        }),
      )
      texts = texts.filter((t) => t !== 'primary')
    }
  }
  const parsed: ParsedCIDR[] = []
  for (const [i, text] of texts.entries()) {
    const cidr = parseCIDRSloppy(text.trim())
    if (cidr === undefined) {
      issues.push(
        issue('cluster/invalid-config', 'error', `KubeProxyConfiguration: nodePortAddresses[${i}]: Invalid value: "${text}": must be a valid CIDR.`, {
          path: `nodePortAddresses[${i}]`,
        }),
      )
      continue
    }
    if (cidr.family === family) parsed.push(cidr)
  }
  const matchAll = parsed.length === 0 || parsed.some((c) => c.prefix === 0)
  const containsIPv4Loopback =
    family === 'IPv4' && (matchAll || parsed.some((c) => IPV4_LOOPBACK !== undefined && (isLoopback(c.network, 'IPv4') || cidrContains(c, IPV4_LOOPBACK))))
  return { cidrs: matchAll ? [] : parsed.map(formatCIDR), containsIPv4Loopback }
}

/** net.IP.IsLoopback: 127.0.0.0/8 or ::1. */
function isLoopback(value: bigint, family: Family): boolean {
  return family === 'IPv4' ? value >> 24n === 127n : value === 1n
}
