/**
 * Small builders for cluster-stage tests: typed model objects without going through YAML.
 */
import { DEFAULT_CLUSTER_PROFILE, DEFAULT_KUBE_PROXY_CONFIGURATION } from '../../src/core/cluster/defaults.ts'
import type { ClusterProfile, KubeProxyConfiguration } from '../../src/core/model/cluster.ts'
import type { Inventory } from '../../src/core/model/inventory.ts'
import type { Node, Origin } from '../../src/core/model/k8s.ts'

/** A Node with InternalIPs (or typed addresses as `Type=addr`). */
export function node(
  name: string,
  addresses: readonly string[] = [],
  opts: { podCIDRs?: readonly string[]; labels?: Record<string, string>; origin?: Origin; line?: number } = {},
): Node {
  const source = { file: 'nodes.yaml', line: opts.line ?? 1, column: 1 }
  return {
    kind: 'Node',
    ref: { kind: 'Node', namespace: '', name },
    metadata: { name, namespace: '', labels: opts.labels ?? {}, annotations: {} },
    source,
    locate: () => source,
    origin: opts.origin ?? 'existing',
    raw: {},
    podCIDRs: opts.podCIDRs ?? [],
    addresses: addresses.map((a) => {
      const [type, address] = a.includes('=') ? a.split('=') : ['InternalIP', a]
      return { type: type ?? 'InternalIP', address: address ?? '' }
    }),
  }
}

type KpcPatch = Omit<Partial<KubeProxyConfiguration>, 'iptables'> & { iptables?: Partial<KubeProxyConfiguration['iptables']> }

/** A KubeProxyConfiguration: defaults with a patch. */
export function kpc(patch: KpcPatch = {}): KubeProxyConfiguration {
  return {
    ...DEFAULT_KUBE_PROXY_CONFIGURATION,
    ...patch,
    iptables: { ...DEFAULT_KUBE_PROXY_CONFIGURATION.iptables, ...patch.iptables },
  }
}

/** A ClusterProfile: defaults with a patch. */
export function profile(patch: Partial<ClusterProfile> = {}): ClusterProfile {
  return { ...DEFAULT_CLUSTER_PROFILE, ...patch }
}

/** An inventory holding only cluster facts. */
export function inventory(parts: { nodes?: readonly Node[]; kubeProxy?: KubeProxyConfiguration; profile?: ClusterProfile } = {}): Inventory {
  return {
    services: [],
    endpointSlices: [],
    nodes: parts.nodes ?? [],
    pods: [],
    others: [],
    serviceCIDRs: [],
    ...(parts.kubeProxy ? { kubeProxyConfiguration: parts.kubeProxy } : {}),
    ...(parts.profile ? { clusterProfile: parts.profile } : {}),
  }
}
