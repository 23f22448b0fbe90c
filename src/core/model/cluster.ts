/**
 * @module model/cluster
 * Cluster facts: our ClusterProfile (kube-whatif.dev/v1alpha1), kube-proxy's
 * KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) as read, and the resolved
 * `ProxyConfig` the renderer consumes for one node and one IP family.
 */
import type { IPFamily } from './k8s.ts'
import type { KubernetesVersion } from './version.ts'

/** kube-whatif.dev/v1alpha1 ClusterProfile, with defaults applied. */
export interface ClusterProfile {
  /**
   * The cluster's Kubernetes minor version: picks the apiserver's allocator, limits and messages
   * and kube-proxy's defaults. Default `1.35`; `--kubernetes-version` overrides it.
   */
  readonly kubernetesVersion: KubernetesVersion
  /** True when the input named no version and `kubernetesVersion` is the default (said in the assumptions). */
  readonly kubernetesVersionDefaulted?: boolean
  /** apiserver --service-cluster-ip-range; comma-separated for dual-stack. Default `10.96.0.0/12`. */
  readonly serviceClusterIPRange: string
  /** apiserver --service-node-port-range. Default `30000-32767`. */
  readonly serviceNodePortRange: string
  /** The node whose view is rendered, when `--node` is not given. */
  readonly node?: string
  /** The cluster's DNS domain (kubelet `--cluster-domain`, CoreDNS zone); `cluster.local` when unset. */
  readonly clusterDomain?: string
  /** What the node's iptables binary and kernel support; both change kube-proxy's output. */
  readonly hostCapabilities: {
    /** iptables >= 1.6.2: MASQUERADE gets `--random-fully`. Default true. */
    readonly iptablesRandomFully: boolean
    /** kernel nfacct support: the two `-m nfacct` rule variants. Default true. */
    readonly nfacct: boolean
    /**
     * The nfacct counters kube-proxy managed to create (`ct_state_invalid_dropped_pkts`,
     * `localhost_nps_accepted_pkts`); when given it decides each `-m nfacct` variant on its own.
     */
    readonly nfacctCounters?: readonly string[]
  }
}

export type DetectLocalMode = 'ClusterCIDR' | 'NodeCIDR' | 'BridgeInterface' | 'InterfaceNamePrefix' | ''

/** kubeproxy.config.k8s.io/v1alpha1 KubeProxyConfiguration: the fields kube-whatif honours. */
export interface KubeProxyConfiguration {
  readonly mode: string
  readonly clusterCIDR: string
  readonly detectLocalMode: DetectLocalMode
  readonly detectLocal: { readonly bridgeInterface?: string; readonly interfaceNamePrefix?: string }
  readonly hostnameOverride?: string
  readonly nodePortAddresses: readonly string[]
  readonly iptables: {
    readonly masqueradeAll: boolean
    readonly masqueradeBit: number
    readonly localhostNodePorts: boolean
  }
  readonly conntrack: { readonly tcpBeLiberal: boolean }
  /** `nftables.masqueradeAll` / `nftables.masqueradeBit`, read by nftables mode; absent: as `iptables`. */
  readonly nftables?: { readonly masqueradeAll?: boolean; readonly masqueradeBit?: number }
  readonly featureGates: Readonly<Record<string, boolean>>
}

/** The kube-proxy backends kube-whatif renders (`ipvs` is shown as iptables, with a warning). */
export type ProxyMode = 'iptables' | 'nftables'

/** How kube-proxy tells pod traffic from the rest (pkg/proxy/util/localdetector.go). */
export type LocalDetector =
  | { readonly mode: 'NoOp' }
  | { readonly mode: 'ClusterCIDR' | 'NodeCIDR'; readonly cidr: string }
  | { readonly mode: 'BridgeInterface'; readonly interface: string }
  | { readonly mode: 'InterfaceNamePrefix'; readonly prefix: string }

/**
 * Everything the iptables renderer needs for one node and one IP family, fully resolved.
 * Mirrors the fields of upstream's Proxier struct that affect the payload.
 */
export interface ProxyConfig {
  /** The kube-proxy release rendered: feature-gate defaults and rule shapes differ per version. */
  readonly kubernetesVersion: KubernetesVersion
  readonly ipFamily: IPFamily
  /** kube-proxy's node name: endpoints are local when their nodeName equals it. */
  readonly nodeName: string
  /** The node's primary IP of this family (`nodeIP`), used by the FW allow-from-node check. */
  readonly nodeIP?: string
  /** All IPs of the node (both families), for nodePortAddresses matching and the tracer. */
  readonly nodeIPs: readonly string[]
  /** Zone label of the node (`topology.kubernetes.io/zone`). */
  readonly nodeZone?: string
  readonly localDetector: LocalDetector
  readonly masqueradeAll: boolean
  /** The mark value, `1 << masqueradeBit`. */
  readonly masqueradeMark: number
  /** Effective value (already forced off for IPv6 or when nodePortAddresses excludes loopback). */
  readonly localhostNodePorts: boolean
  /**
   * nodePortAddresses CIDRs filtered to this family; empty means "match all"
   * (`-m addrtype --dst-type LOCAL`).
   */
  readonly nodePortAddresses: readonly string[]
  /**
   * The service CIDRs of this family (network form), as kube-proxy learns them from ServiceCIDR
   * objects; nftables mode drops traffic to unallocated addresses inside them. Absent: unknown.
   */
  readonly serviceCIDRs?: readonly string[]
  readonly conntrackTCPLiberal: boolean
  readonly nfacct: { readonly ctStateInvalidDroppedPkts: boolean; readonly localhostNpsAcceptedPkts: boolean }
  readonly iptablesHasRandomFully: boolean
  readonly featureGates: Readonly<Record<string, boolean>>
}
