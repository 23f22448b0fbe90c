/**
 * @module apiserver/workloads/pod-ips
 * Pod IPs for synthesised pods. Real IPs come from the CNI's IPAM, which kube-whatif cannot know;
 * we model host-local IPAM over the Node's `podCIDRs` (kube-controller-manager
 * --allocate-node-cidrs: /24 IPv4, /64 IPv6 per node out of the cluster CIDR). A pod's host
 * number is seeded by its name (skipping the network address, the `.1` gateway and taken
 * addresses) so adding one pod does not renumber the others. hostNetwork pods use the Node's IPs.
 */
import { formatIP, formatIPv6Groups, parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import type { Family, ParsedCIDR } from '../../net/ip.ts'
import type { Node } from '../../model/k8s.ts'
import { seedModulo } from '../allocate/seed.ts'

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
  private readonly windows = new Map<ParsedCIDR, Window | undefined>()

  /** Marks an IP used by a given Pod. */
  reserve(ip: string): void {
    const p = parseIPSloppy(ip)
    if (p !== undefined) this.taken.add(formatIP(p))
  }

  /**
   * Picks an IP in `cidr` for pod `key`; undefined when the CIDR is full. The scan counts in
   * doubles (the window is at most 2^16 hosts) and IPv4 addresses are formatted from a double,
   * the same text as `formatIP`: per-pod bigints were most of what pod synthesis allocated.
   */
  assign(cidr: ParsedCIDR, key: string): string | undefined {
    const w = this.window(cidr)
    if (w === undefined || this.full.has(w.id)) return undefined
    const { span, v4, v6 } = w
    const start = seedModulo(`${key}#${cidr.family}`, span)
    for (let i = 0; i < span; i++) {
      const host = 2 + ((start + i) % span)
      const ip =
        v4 !== undefined
          ? w.v4Head !== undefined
            ? w.v4Head + ((v4 % 256) + host)
            : formatIPv4(v4 + host)
          : v6 !== undefined
            ? formatIPv6Host(v6, host)
            : formatIP({ family: cidr.family, value: cidr.network + BigInt(host) })
      if (!this.taken.has(ip)) {
        this.taken.add(ip)
        return ip
      }
    }
    this.full.add(w.id)
    return undefined
  }

  /** The scan window of `cidr`, computed once per CIDR object (undefined: no host to give). */
  private window(cidr: ParsedCIDR): Window | undefined {
    if (this.windows.has(cidr)) return this.windows.get(cidr)
    const bits = cidr.family === 'IPv4' ? 32 : 128
    const hostBits = bits - cidr.prefix
    // Skip network (0) and gateway (1); IPv4 also the broadcast. Cap the window at 2^16 hosts.
    const span = hostBits >= 17 ? 65534 : 2 ** hostBits - (cidr.family === 'IPv4' ? 3 : 2)
    const v4 = cidr.family === 'IPv4' ? Number(cidr.network) : undefined
    // Within a /24 (or longer) every host differs from the network in the last octet only.
    const v4Head = v4 !== undefined && cidr.prefix >= 24 ? `${Math.floor(v4 / 16777216) % 256}.${Math.floor(v4 / 65536) % 256}.${Math.floor(v4 / 256) % 256}.` : undefined
    const w = span <= 0 ? undefined : { id: `${cidr.family}/${cidr.network}/${cidr.prefix}`, span, v4, v4Head, v6: cidr.family === 'IPv6' ? v6Groups(cidr.network) : undefined }
    this.windows.set(cidr, w)
    return w
  }
}

/** Where {@link PodIPAllocator.assign} scans in one pod CIDR. */
interface Window {
  /** The CIDR as text, the key of `full` (equal CIDRs from different Nodes share it). */
  readonly id: string
  /** Hosts scanned: 2 … span + 1. */
  readonly span: number
  /** The IPv4 network as a double; undefined for IPv6. */
  readonly v4: number | undefined
  /** The first three octets and their dots (`10.244.0.`) of a /24 or longer IPv4 window, which every host shares. */
  readonly v4Head: string | undefined
  /** The IPv6 network's eight groups, for {@link formatIPv6Host}; undefined for IPv4. */
  readonly v6: V6Network | undefined
}

/** An IPv6 network as groups: a host (≤ 65535, the window's cap) is added to the last group only. */
interface V6Network {
  /** The network's eight groups. */
  readonly groups: readonly number[]
  /** The network's own last group (its bits below the prefix are zero). */
  readonly low: number
  /**
   * The text of every address of this network whose last group is not zero, up to that group:
   * `fd00:10:244:1::` or `fd00:0:0:1:0:0:1:`. A zero run that `::` may shorten cannot reach a
   * non-zero last group, so which run is shortened is settled by groups 0..6 alone; the head is
   * the address with last group 1, formatted, without its final `1`.
   */
  readonly head: string
}

function v6Groups(network: bigint): V6Network {
  const groups: number[] = []
  for (let i = 7; i >= 0; i--) groups.push(Number((network >> BigInt(i * 16)) & 0xffffn))
  const low = groups[7] as number
  groups[7] = 1
  const one = formatIPv6Groups(groups)
  groups[7] = low
  return { groups, low, head: one.slice(0, -1) }
}

/**
 * `formatIP` of network + host without bigints: a window spans at most 2^16 hosts and the
 * network's bits below its prefix are zero, so the sum stays in the last group (checked; bigint
 * otherwise), and host ≥ 2 keeps that group non-zero — the address is the network's head and the
 * group in hex. Dual-stack pods took two bigint additions and eight bigint shifts per IPv6
 * address, then a formatting of all eight groups.
 */
function formatIPv6Host(n: V6Network, host: number): string {
  const last = n.low + host
  if (last <= 0xffff) return n.head + last.toString(16)
  let v = 0n
  for (let i = 0; i < 7; i++) v = (v << 16n) | BigInt(n.groups[i] as number)
  return formatIP({ family: 'IPv6', value: ((v << 16n) | BigInt(n.low)) + BigInt(host) })
}

/** Dotted quad of an IPv4 address held in a double (0 ≤ v < 2^32), as `formatIP` prints it. */
function formatIPv4(v: number): string {
  return `${Math.floor(v / 16777216) % 256}.${Math.floor(v / 65536) % 256}.${Math.floor(v / 256) % 256}.${v % 256}`
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

