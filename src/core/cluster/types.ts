/**
 * @module cluster/types
 * The resolved cluster facts every later stage reads: the ClusterProfile and KubeProxyConfiguration
 * (given or defaulted), the Nodes (given or synthesised) and the node whose view is rendered.
 */
import type { ClusterProfile, KubeProxyConfiguration } from '../model/cluster.ts'
import type { Node } from '../model/k8s.ts'
import type { KubernetesVersion } from '../model/version.ts'

/** Cluster facts after defaults, node synthesis and node choice. */
export interface ClusterFacts {
  /** The profile given or defaulted; `kubernetesVersion` is the effective one (after `--kubernetes-version`). */
  readonly profile: ClusterProfile
  readonly kubeProxy: KubeProxyConfiguration
  /** Every Node, sorted by name; synthesised ones carry `synthesised: true`. */
  readonly nodes: readonly Node[]
  /** The node whose kube-proxy view is rendered. */
  readonly nodeName: string
  /** Facts we assumed because the input did not say (defaults, synthesised nodes), for the report. */
  readonly assumptions: readonly string[]
}

/** Options of {@link resolveCluster}. */
export interface ResolveClusterOptions {
  /** `--node NAME`: wins over ClusterProfile.node and hostnameOverride. */
  readonly node?: string
  /** `--kubernetes-version`: wins over ClusterProfile.kubernetesVersion. */
  readonly kubernetesVersion?: KubernetesVersion
}
