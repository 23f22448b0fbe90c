/**
 * @module apiserver/workloads/pod-ips
 * Pod IPs for synthesised pods. Real IPs come from the CNI's IPAM, which kube-whatif cannot know;
 * we model host-local IPAM over the Node's `podCIDRs` (kube-controller-manager
 * --allocate-node-cidrs: /24 IPv4, /64 IPv6 per node out of the cluster CIDR). A pod's host
 * number is seeded by its name (skipping the network address, the `.1` gateway and taken
 * addresses) so adding one pod does not renumber the others. hostNetwork pods use the Node's IPs.
 */
import { formatIP, parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import type { Family, ParsedCIDR } from '../../net/ip.ts'
import type { Node } from '../../model/k8s.ts'
import { seedFor } from '../allocate/seed.ts'

/** Default cluster CIDR when neither Nodes nor kube-proxy say (flannel/kubeadm convention). */
export const DEFAULT_CLUSTER_CIDR = '10.244.0.0/16'

const NODE_MASK: Record<Family, number> = { IPv4: 24, IPv6: 64 }

/** Per-node pod CIDRs: given ones, or carved from the cluster CIDR by node index. */
export function nodePodCIDRs(nodes: readonly Node[], clusterCIDR: string): Map<string, ParsedCIDR[]> {
  const out = new Map<string, ParsedCIDR[]>()
  const cluster = clusterCIDR
    .split(',')
    .map((s) => parseCIDRSloppy(s.trim()))
    .filter((c): c is ParsedCIDR => c !== undefined)
  nodes.forEach((n, idx) => {
    const given = n.podCIDRs.map((c) => parseCIDRSloppy(c)).filter((c): c is ParsedCIDR => c !== undefined)
    if (given.length > 0) {
      out.set(n.metadata.name, given)
      return
    }
    out.set(
      n.metadata.name,
      cluster.map((c) => {
        const bits = c.family === 'IPv4' ? 32 : 128
        const mask = Math.max(NODE_MASK[c.family], c.prefix)
        const slots = 1n << BigInt(mask - c.prefix)
        const sub = BigInt(idx) % slots
        return { family: c.family, prefix: mask, network: c.network + (sub << BigInt(bits - mask)) }
      }),
    )
  })
  return out
}

/** Assigns pod IPs without collisions, per pod CIDR. */
export class PodIPAllocator {
  private readonly taken = new Set<string>()
  /**
   * CIDRs found full: once a scan of the window finds no free host, later pods of that CIDR get
   * none without scanning again (20,000 pods over three /24s scanned 253 hosts each: 5M formats).
   */
  private readonly full = new Set<string>()

  /** Marks an IP used by a given Pod. */
  reserve(ip: string): void {
    const p = parseIPSloppy(ip)
    if (p !== undefined) this.taken.add(formatIP(p))
  }

  /** Picks an IP in `cidr` for pod `key`; undefined when the CIDR is full. */
  assign(cidr: ParsedCIDR, key: string): string | undefined {
    const bits = cidr.family === 'IPv4' ? 32 : 128
    const hostBits = bits - cidr.prefix
    const total = 1n << BigInt(hostBits)
    // Skip network (0) and gateway (1); IPv4 also the broadcast. Cap the window at 2^16 hosts.
    let span = total - (cidr.family === 'IPv4' ? 3n : 2n)
    if (span > 65534n) span = 65534n
    if (span <= 0n) return undefined
    const id = `${cidr.family}/${cidr.network}/${cidr.prefix}`
    if (this.full.has(id)) return undefined
    const start = seedFor(`${key}#${cidr.family}`) % span
    for (let i = 0n; i < span; i++) {
      const host = 2n + ((start + i) % span)
      const ip = formatIP({ family: cidr.family, value: cidr.network + host })
      if (!this.taken.has(ip)) {
        this.taken.add(ip)
        return ip
      }
    }
    this.full.add(id)
    return undefined
  }
}

/** The Node's addresses of each family (InternalIP first), for hostNetwork pods. */
export function nodeIPs(node: Node): string[] {
  const byFam = new Map<Family, string>()
  const ordered = [...node.addresses].sort((a, b) => (a.type === 'InternalIP' ? -1 : 0) - (b.type === 'InternalIP' ? -1 : 0))
  for (const a of ordered) {
    const p = parseIPSloppy(a.address)
    if (p !== undefined && !byFam.has(p.family)) byFam.set(p.family, formatIP(p))
  }
  return [...byFam.values()]
}

