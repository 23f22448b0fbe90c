/**
 * @module apiserver/types
 * What the kube-apiserver emulation hands on to kube-proxy emulation and reports: accepted
 * Services with their ClusterIPs/NodePorts filled in, the EndpointSlices (given, or computed from
 * Pods like the EndpointSlice controller), and the allocation report.
 */
import type { EndpointSlice, IPFamily, Node, Pod, Service } from '../model/k8s.ts'
import type { ClusterProfile, KubeProxyConfiguration } from '../model/cluster.ts'
import type { Inventory } from '../model/inventory.ts'
import type { WorkLimits } from '../limits.ts'

/** Where a value came from: asked for in the manifest, already in the cluster, or our stable pick. */
export type ValueOrigin = 'requested' | 'existing' | 'preview'

export interface PortAllocation {
  readonly name: string
  readonly protocol: string
  readonly port: number
  readonly nodePort?: number
  readonly nodePortOrigin?: ValueOrigin
}

export interface ServiceAllocation {
  readonly namespace: string
  readonly name: string
  readonly clusterIPs: readonly string[]
  /** Origin of the ClusterIPs as a whole: `preview` if any was picked by kube-whatif. */
  readonly clusterIPOrigin?: ValueOrigin
  /** Origin of each `clusterIPs[i]` (added by the apiserver emulation). */
  readonly clusterIPOrigins?: readonly ValueOrigin[]
  /** `create` / `update` for proposed Services, `existing` for untouched cluster state. */
  readonly operation?: 'create' | 'update' | 'existing'
  readonly ipFamilies: readonly IPFamily[]
  readonly ipFamilyPolicy?: string
  readonly ports: readonly PortAllocation[]
  readonly healthCheckNodePort?: number
  readonly healthCheckNodePortOrigin?: ValueOrigin
}

export interface RangeReport {
  /** `service-cidr` or `node-ports`. */
  readonly kind: string
  readonly range: string
  /** The ServiceCIDR object the range belongs to (IPAddress allocator, 1.33+); `kubernetes` mirrors the flag. */
  readonly serviceCIDR?: string
  /** Allocatable values; above 2^53 (IPv6 ranges wider than /75) an approximation. */
  readonly size: number
  readonly staticBand: { readonly first: string; readonly last: string; readonly size: number }
  readonly used: number
  readonly free: number
}

export interface ApiserverInput {
  readonly inventory: Inventory
  /** Nodes to place Pods on (given, or synthesised by the cluster stage). */
  readonly nodes: readonly Node[]
  readonly profile: ClusterProfile
  readonly kubeProxy: KubeProxyConfiguration
  /** Work limits (defaults when absent), checked before the work they bound. */
  readonly limits?: Partial<WorkLimits>
}

export interface ApiserverResult {
  /** Services kube-proxy will see: existing ones as given, proposed ones accepted and allocated. */
  readonly services: readonly Service[]
  /** EndpointSlices kube-proxy will see: given ones, plus computed ones for selector Services. */
  readonly endpointSlices: readonly EndpointSlice[]
  /** Pods given and synthesised from workloads. */
  readonly pods: readonly Pod[]
  readonly allocations: readonly ServiceAllocation[]
  readonly ranges: readonly RangeReport[]
  /** Facts we guessed (synthesised pods, placement, preview allocations), for the report. */
  readonly assumptions: readonly string[]
}
