/**
 * @module model/k8s
 * The subset of the Kubernetes API that kube-whatif reads, in the API's own shape (field names as
 * in k8s.io/api). The parse stage produces these after type-checking each field it reads; fields
 * we do not read are kept in `raw` for later stages. Types only, no logic.
 */
import type { ObjectRef, SourceSpan } from '../issues.ts'

export type Protocol = 'TCP' | 'UDP' | 'SCTP'
export type IPFamily = 'IPv4' | 'IPv6'

export interface ObjectMeta {
  readonly name: string
  readonly namespace: string
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly uid?: string
  readonly deletionTimestamp?: string
  readonly ownerReferences?: readonly { readonly kind: string; readonly name: string; readonly controller?: boolean }[]
}

/** Which side of the what-if an object is on. */
export type Origin = 'proposed' | 'existing'

/** Common envelope every parsed object carries. */
export interface Parsed {
  readonly ref: ObjectRef
  readonly metadata: ObjectMeta
  /** Where the document starts. */
  readonly source: SourceSpan
  /** Locates a field path (e.g. `spec.ports[0].nodePort`) in the source; falls back to `source`. */
  readonly locate: (path: string) => SourceSpan
  readonly origin: Origin
  /** The whole document as parsed, for fields no typed view covers yet. */
  readonly raw: Readonly<Record<string, unknown>>
}

export interface ServicePort {
  /** `''` when unnamed. */
  readonly name: string
  readonly protocol: Protocol
  readonly port: number
  /** Number, name, or undefined when not given. */
  readonly targetPort?: number | string
  /** 0 or undefined: none. */
  readonly nodePort?: number
  readonly appProtocol?: string
}

export interface ServiceSpec {
  /** `''` is treated as ClusterIP by kube-proxy. */
  readonly type: '' | 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  readonly selector?: Readonly<Record<string, string>>
  readonly clusterIP?: string
  readonly clusterIPs?: readonly string[]
  readonly ipFamilies?: readonly IPFamily[]
  readonly ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack'
  readonly ports: readonly ServicePort[]
  readonly externalIPs?: readonly string[]
  readonly loadBalancerSourceRanges?: readonly string[]
  readonly loadBalancerIP?: string
  readonly externalTrafficPolicy?: '' | 'Cluster' | 'Local'
  readonly internalTrafficPolicy?: '' | 'Cluster' | 'Local'
  readonly healthCheckNodePort?: number
  readonly sessionAffinity?: '' | 'None' | 'ClientIP'
  readonly sessionAffinityConfig?: { readonly clientIP?: { readonly timeoutSeconds?: number } }
  readonly publishNotReadyAddresses?: boolean
  readonly allocateLoadBalancerNodePorts?: boolean
  readonly externalName?: string
  readonly trafficDistribution?: string
}

export interface LoadBalancerIngress {
  readonly ip?: string
  readonly hostname?: string
  readonly ipMode?: 'VIP' | 'Proxy'
}

export interface Service extends Parsed {
  readonly kind: 'Service'
  readonly spec: ServiceSpec
  readonly status: { readonly loadBalancer?: { readonly ingress?: readonly LoadBalancerIngress[] } }
}

export interface EndpointConditions {
  readonly ready?: boolean
  readonly serving?: boolean
  readonly terminating?: boolean
}

export interface Endpoint {
  readonly addresses: readonly string[]
  readonly conditions: EndpointConditions
  readonly nodeName?: string
  readonly zone?: string
  readonly hints?: {
    readonly forZones?: readonly { readonly name: string }[]
    readonly forNodes?: readonly { readonly name: string }[]
  }
  readonly targetRef?: { readonly kind?: string; readonly namespace?: string; readonly name?: string }
  /** The Pod's DNS hostname under a headless Service (`<hostname>.<svc>.<ns>.svc.<domain>`). */
  readonly hostname?: string
}

export interface EndpointPort {
  /** Undefined (nil) ports are ignored by kube-proxy; `''` is the unnamed port. */
  readonly name?: string
  readonly protocol?: Protocol
  readonly port?: number
  readonly appProtocol?: string
}

export interface EndpointSlice extends Parsed {
  readonly kind: 'EndpointSlice'
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN'
  readonly endpoints: readonly Endpoint[]
  readonly ports: readonly EndpointPort[]
  /** True when kube-whatif computed it from Pods (apiserver emulation) rather than reading it. */
  readonly computed?: boolean
}

export interface NodeAddress {
  readonly type: string
  readonly address: string
}

export interface Node extends Parsed {
  readonly kind: 'Node'
  readonly podCIDRs: readonly string[]
  readonly addresses: readonly NodeAddress[]
  /** True when kube-whatif synthesised the node (no Node objects given). */
  readonly synthesised?: boolean
}

export interface ContainerPort {
  readonly name?: string
  readonly containerPort: number
  readonly protocol: Protocol
}

export interface Pod extends Parsed {
  readonly kind: 'Pod'
  readonly nodeName?: string
  readonly podIPs: readonly string[]
  readonly phase?: string
  /** Ready condition; undefined when the manifest does not say. */
  readonly ready?: boolean
  readonly terminating: boolean
  readonly containerPorts: readonly ContainerPort[]
  readonly hostNetwork: boolean
  /** `spec.hostname` / `spec.subdomain`: the per-pod DNS name under the headless Service `subdomain`. */
  readonly hostname?: string
  readonly subdomain?: string
  /** The workload that made this Pod, when synthesised. */
  readonly owner?: ObjectRef
  readonly synthesised?: boolean
}

/** Any other object: kept so later stages (workloads, unknown kinds) can use it. Never an error. */
export interface OtherObject extends Parsed {
  readonly kind: string
  readonly apiVersion: string
}

/**
 * networking.k8s.io ServiceCIDR (v1 since 1.33; v1beta1 1.31–1.32; v1alpha1 1.27–1.30): one more
 * range the apiserver allocates ClusterIPs from. Read as a cluster fact or proposed like a
 * Service; the apiserver stage decides, per Kubernetes version, whether it is served and used.
 */
export interface ServiceCIDR extends Parsed {
  readonly kind: 'ServiceCIDR'
  readonly apiVersion: string
  /** `spec.cidrs` as written (validated by the apiserver stage). */
  readonly cidrs: readonly string[]
  /** The `Ready` condition: true/false when given, undefined when there is none yet. */
  readonly ready?: boolean
}
