/**
 * @module cluster/resolve
 * The cluster stage: defaults for missing cluster facts, synthesised nodes when none are given,
 * and the choice of the node whose view is rendered.
 */
import { issue, type Issue, type Staged } from '../issues.ts'
import type { Node } from '../model/k8s.ts'
import type { Inventory } from '../model/inventory.ts'
import type { ClusterProfile } from '../model/cluster.ts'
import { KUBERNETES_VERSIONS } from '../model/version.ts'
import { DEFAULT_CLUSTER_PROFILE, DEFAULT_KUBE_PROXY_CONFIGURATION } from './defaults.ts'
import { SYNTHESISED_NODE_COUNT, synthesiseNodes } from './synthesise-nodes.ts'
import type { ClusterFacts, ResolveClusterOptions } from './types.ts'

/**
 * Resolves the cluster facts from the parsed inventory.
 *
 * - No ClusterProfile / KubeProxyConfiguration: the documented defaults, listed as assumptions.
 * - No Node objects: `node-1` … `node-3` are synthesised (see {@link synthesiseNodes}).
 * - A Node given on both sides (`--cluster` and proposed) is an update: the proposed one wins.
 * - The Kubernetes version is `opts.kubernetesVersion`, else the profile's, else 1.35; every plan
 *   states it among the assumptions.
 * - The rendered node is `--node`, else `ClusterProfile.node`, else `hostnameOverride`, else the
 *   first Node by name. A name that is no Node (given or synthesised) is an error naming the
 *   known ones: `cluster/unknown-node-option` for `--node` (adapters make it a usage error),
 *   `cluster/unknown-node` for the profile's `node` or `hostnameOverride`; the first Node is
 *   rendered then. Synthesised nodes are never renamed to fit: kube-proxy with a hostname no
 *   Node has finds no local endpoints, which is not the cluster the user meant.
 *
 * @example
 * const facts = resolveCluster(parseSources(files).value, { node: 'node-2' })
 */
export function resolveCluster(inv: Inventory, opts: ResolveClusterOptions = {}): Staged<ClusterFacts> {
  const issues: Issue[] = []
  const assumptions: string[] = []
  const profile = withVersion(inv.clusterProfile ?? DEFAULT_CLUSTER_PROFILE, opts, assumptions)
  if (inv.clusterProfile === undefined) {
    assumptions.push(
      `No ClusterProfile given: service range ${profile.serviceClusterIPRange}, NodePort range ` +
        `${profile.serviceNodePortRange}, iptables with --random-fully and kernel nfacct support.`,
    )
  }
  const kubeProxy = inv.kubeProxyConfiguration ?? DEFAULT_KUBE_PROXY_CONFIGURATION
  if (inv.kubeProxyConfiguration === undefined) {
    assumptions.push(
      'No KubeProxyConfiguration given: kube-proxy defaults (iptables mode, masqueradeBit 14, ' +
        'localhostNodePorts true, all local addresses serve NodePorts, no clusterCIDR so pod traffic ' +
        'is not told apart from other traffic).',
    )
  }
  if (kubeProxy.mode !== '' && kubeProxy.mode !== 'iptables' && kubeProxy.mode !== 'nftables') {
    issues.push(
      issue(
        'cluster/proxy-mode',
        'warning',
        `KubeProxyConfiguration mode "${kubeProxy.mode}" is not modelled; showing the rules of iptables mode.`,
        { path: 'mode' },
      ),
    )
  }

  let nodes = mergeNodes(inv.nodes)
  if (nodes.length === 0) {
    nodes = synthesiseNodes(kubeProxy)
    const summary = nodes
      .map((n) => `${n.metadata.name} (${n.addresses.filter((a) => a.type === 'InternalIP').map((a) => a.address).join(', ')}; podCIDRs ${n.podCIDRs.join(', ') || 'none'})`)
      .join(', ')
    assumptions.push(
      `No Node objects given: synthesised ${SYNTHESISED_NODE_COUNT} nodes: ${summary}; each labelled as a linux/amd64 kubelet registers it ` +
        '(kubernetes.io/os=linux, kubernetes.io/arch=amd64, kubernetes.io/hostname=its name, beta.kubernetes.io/os=linux, beta.kubernetes.io/arch=amd64), no zone label.',
    )
    nodes = [...nodes].sort(byName)
  }

  const nodeName = chooseNode(nodes, opts, profile.node, kubeProxy.hostnameOverride, issues)
  return { value: { profile, kubeProxy, nodes, nodeName, assumptions }, issues }
}

/** The profile with the effective Kubernetes version, and the assumption that states it. */
function withVersion(profile: ClusterProfile, opts: ResolveClusterOptions, assumptions: string[]): ClusterProfile {
  const requested = opts.kubernetesVersion
  if (requested !== undefined) {
    const profileSaid = profile.kubernetesVersionDefaulted !== true && profile.kubernetesVersion !== requested ? ` instead of the ClusterProfile's ${profile.kubernetesVersion}` : ''
    assumptions.push(`Kubernetes ${requested}, as requested for this run${profileSaid}.`)
    const { kubernetesVersionDefaulted: _, ...rest } = profile
    return { ...rest, kubernetesVersion: requested }
  }
  const v = profile.kubernetesVersion
  const others = KUBERNETES_VERSIONS.filter((x) => x !== v).join(', ')
  assumptions.push(
    profile.kubernetesVersionDefaulted === true
      ? `Kubernetes ${v} (the default; set kubernetesVersion in a ClusterProfile or --kubernetes-version to plan for ${others}).`
      : `Kubernetes ${v}, from the ClusterProfile.`,
  )
  return profile
}

function byName(a: Node, b: Node): number {
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0
}

/** One Node per name, the proposed side replacing the existing one; sorted by name. */
function mergeNodes(given: readonly Node[]): Node[] {
  const byNodeName = new Map<string, Node>()
  for (const n of given) {
    const prev = byNodeName.get(n.metadata.name)
    if (prev === undefined || (prev.origin === 'existing' && n.origin === 'proposed')) byNodeName.set(n.metadata.name, n)
  }
  return [...byNodeName.values()].sort(byName)
}

function chooseNode(
  nodes: readonly Node[],
  opts: ResolveClusterOptions,
  profileNode: string | undefined,
  hostnameOverride: string | undefined,
  issues: Issue[],
): string {
  const known = new Set(nodes.map((n) => n.metadata.name))
  const list = [...known].join(', ')
  const candidates: { name: string | undefined; what: string; code: 'cluster/unknown-node-option' | 'cluster/unknown-node'; path?: string }[] = [
    { name: opts.node, what: '--node', code: 'cluster/unknown-node-option' },
    { name: profileNode, what: 'ClusterProfile node', code: 'cluster/unknown-node', path: 'node' },
    { name: hostnameOverride, what: 'KubeProxyConfiguration hostnameOverride', code: 'cluster/unknown-node', path: 'hostnameOverride' },
  ]
  for (const c of candidates) {
    if (c.name === undefined || c.name === '') continue
    if (known.has(c.name)) return c.name
    // Reported, then the next source of the name is tried.
    issues.push(
      issue(c.code, 'error', `${c.what} "${c.name}" names no Node (known: ${list}).`, {
        ref: { kind: 'Node', namespace: '', name: c.name },
        ...(c.path ? { path: c.path } : {}),
      }),
    )
  }
  // nodes is never empty here: synthesis guarantees at least one.
  return nodes[0]?.metadata.name ?? ''
}
