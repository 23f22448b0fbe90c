/**
 * @module model/inventory
 * What the parse stage hands on: every object read, by kind, each remembering its origin
 * (`proposed` = positional PATHs, `existing` = `--cluster`), plus the cluster facts.
 */
import type { EndpointSlice, Node, OtherObject, Pod, Service, ServiceCIDR } from './k8s.ts'
import type { ClusterProfile, KubeProxyConfiguration } from './cluster.ts'

/** One input file. `origin` tells which side of the what-if it is on. */
export interface SourceFile {
  readonly path: string
  readonly text: string
  readonly origin: 'proposed' | 'existing'
}

export interface Inventory {
  readonly services: readonly Service[]
  readonly endpointSlices: readonly EndpointSlice[]
  readonly nodes: readonly Node[]
  readonly pods: readonly Pod[]
  /** Workloads (Deployment, StatefulSet, ...) and every other kind, kept for later stages. */
  readonly others: readonly OtherObject[]
  /** ServiceCIDR objects (more ClusterIP ranges), given or proposed. */
  readonly serviceCIDRs: readonly ServiceCIDR[]
  /** The KubeProxyConfiguration given, if any (the last one wins, with a warning). */
  readonly kubeProxyConfiguration?: KubeProxyConfiguration
  /** The ClusterProfile given, if any, defaults applied. */
  readonly clusterProfile?: ClusterProfile
}
