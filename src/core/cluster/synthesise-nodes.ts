/**
 * @module cluster/synthesise-nodes
 * When the input has no Node objects, kube-whatif still needs nodes: kube-proxy renders for one
 * node, and the apiserver emulation places Pods on nodes. These rules are deterministic and
 * documented (README "Cluster facts"); every synthesised fact is reported as an assumption.
 */
import type { KubeProxyConfiguration } from '../model/cluster.ts'
import type { Node, NodeAddress } from '../model/k8s.ts'
import { formatCIDR, formatIP, parseCIDRSloppy, type Family, type ParsedCIDR } from '../net/ip.ts'

/** How many nodes are synthesised when none are given. */
export const SYNTHESISED_NODE_COUNT = 3

/** File name shown as the source of synthesised objects. */
export const SYNTHESISED_SOURCE = '(synthesised)'

/**
 * Pod network used for synthesised podCIDRs when `clusterCIDR` is empty: the kind / flannel
 * defaults (10.244.0.0/16, fd00:10:244::/56).
 */
const FALLBACK_POD_NETWORKS: Readonly<Record<Family, string>> = {
  IPv4: '10.244.0.0/16',
  IPv6: 'fd00:10:244::/56',
}

/** kube-controller-manager `--node-cidr-mask-size` defaults: /24 for IPv4, /64 for IPv6. */
const NODE_MASK: Readonly<Record<Family, number>> = { IPv4: 24, IPv6: 64 }

/** Node InternalIPs as kind hands them out: 172.18.0.2, .3, ... and fc00:f853:ccd:e793::2, ... */
const NODE_IP_BASE: Readonly<Record<Family, bigint>> = {
  IPv4: 0xac120001n, // 172.18.0.1
  IPv6: 0xfc00f8530ccde7930000000000000001n, // fc00:f853:ccd:e793::1
}

/** The first CIDR of each family in a comma-separated `clusterCIDR`, as kube-proxy picks them. */
export function firstCIDRPerFamily(clusterCIDR: string): Partial<Record<Family, ParsedCIDR>> {
  const out: Partial<Record<Family, ParsedCIDR>> = {}
  for (const part of clusterCIDR.split(',')) {
    const cidr = parseCIDRSloppy(part.trim())
    if (cidr !== undefined && out[cidr.family] === undefined) out[cidr.family] = cidr
  }
  return out
}

/** The `index`-th (0-based) per-node subnet of a pod network. */
function nodeSubnet(network: ParsedCIDR, index: number): string {
  const bits = network.family === 'IPv4' ? 32 : 128
  // A pod network narrower than the default node mask still has to fit every node: use two
  // more bits than the network (4 subnets >= SYNTHESISED_NODE_COUNT), capped at a host route.
  const mask = Math.min(bits, Math.max(NODE_MASK[network.family], network.prefix + 2))
  const step = 1n << BigInt(bits - mask)
  return formatCIDR({ family: network.family, network: network.network + step * BigInt(index), prefix: mask })
}

/**
 * Synthesises `node-1` … `node-3`. Each node gets an IPv4 and an IPv6 InternalIP (kind-style addresses)
 * and one podCIDR per family: the i-th /24 (/64) of the family's first `clusterCIDR`, or of
 * 10.244.0.0/16 (fd00:10:244::/56) when `clusterCIDR` names no network of any family.
 */
export function synthesiseNodes(kubeProxy: KubeProxyConfiguration): Node[] {
  const given = firstCIDRPerFamily(kubeProxy.clusterCIDR)
  const families: Family[] = ['IPv4', 'IPv6']
  const anyGiven = families.some((f) => given[f] !== undefined)
  const names = Array.from({ length: SYNTHESISED_NODE_COUNT }, (_, i) => `node-${i + 1}`)
  const nodes: Node[] = []
  for (const [i, name] of names.entries()) {
    // Keys in sorted order: the JSON report prints them with V8's own stringify (report/native-json.ts).
    const addresses: NodeAddress[] = families.map((f) => ({
      address: formatIP({ family: f, value: NODE_IP_BASE[f] + BigInt(i + 1) }),
      type: 'InternalIP',
    }))
    addresses.push({ address: name, type: 'Hostname' })
    const podCIDRs: string[] = []
    for (const f of families) {
      const network = given[f] ?? (anyGiven ? undefined : parseCIDRSloppy(FALLBACK_POD_NETWORKS[f]))
      if (network !== undefined) podCIDRs.push(nodeSubnet(network, i))
    }
    nodes.push(makeNode(name, addresses, podCIDRs))
  }
  return nodes
}

/**
 * The labels every kubelet registers its Node with (kubelet_node_status.go
 * initialNode: `kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch` and the
 * deprecated `beta.kubernetes.io/os`/`arch` it still sets), for a linux/amd64 host. Published
 * charts pin pods with `nodeSelector: {kubernetes.io/os: linux}`; without these labels such pods
 * would fit no synthesised node.
 */
export function kubeletNodeLabels(name: string): Record<string, string> {
  return {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
  }
}

function makeNode(name: string, addresses: readonly NodeAddress[], podCIDRs: readonly string[]): Node {
  const source = { file: SYNTHESISED_SOURCE, line: 1, column: 1 }
  const labels = kubeletNodeLabels(name)
  const raw = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { ...labels } },
    spec: { podCIDR: podCIDRs[0], podCIDRs: [...podCIDRs] },
    // The manifest's own order (type, address), as a Node's YAML lists them.
    status: { addresses: addresses.map((a) => ({ type: a.type, address: a.address })) },
  }
  return {
    kind: 'Node',
    ref: { kind: 'Node', namespace: '', name },
    metadata: { name, namespace: '', labels, annotations: {} },
    source,
    locate: () => source,
    origin: 'existing',
    raw,
    podCIDRs,
    addresses,
    synthesised: true,
  }
}
