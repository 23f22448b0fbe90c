/**
 * @module proxy/types
 * The backend-neutral front end of kube-proxy (pkg/proxy: serviceport.go, endpoint.go,
 * topology.go): service ports with normalised addresses, their sorted endpoints and the
 * categorised lists. Both the iptables backend and the planned nftables backend lower this
 * (docs/architecture.md, "The rule IR and the second backend": share the front end, lower per backend).
 */
import type { IPFamily, Protocol } from '../model/k8s.ts'
import type { ObjectRef } from '../issues.ts'

/** One endpoint as kube-proxy sees it (pkg/proxy/endpoint.go BaseEndpointInfo). */
export interface ProxyEndpoint {
  /** Canonical IP text (ParseIPSloppy(ip).String()). */
  readonly ip: string
  readonly port: number
  /** `net.JoinHostPort(ip, port)`: `10.0.0.1:80` or `[fd00::1]:80`. Sort key and SEP hash input. */
  readonly endpoint: string
  readonly isLocal: boolean
  readonly ready: boolean
  readonly serving: boolean
  readonly terminating: boolean
  readonly zoneHints?: readonly string[]
  readonly nodeHints?: readonly string[]
  readonly nodeName?: string
  /** The Pod (or other targetRef) behind the endpoint, for reports. */
  readonly targetRef?: ObjectRef
}

/** One service port as kube-proxy sees it (pkg/proxy/serviceport.go BaseServicePortInfo). */
export interface ServicePortInfo {
  readonly namespace: string
  readonly name: string
  readonly portName: string
  /** ServicePortName.String(): `ns/name` or `ns/name:port`. */
  readonly spn: string
  readonly protocol: Protocol
  readonly family: IPFamily
  readonly clusterIP: string
  readonly port: number
  readonly nodePort: number
  readonly externalIPs: readonly string[]
  readonly loadBalancerVIPs: readonly string[]
  /** Network form (IPNet.String()), family-filtered. */
  readonly loadBalancerSourceRanges: readonly string[]
  readonly externalPolicyLocal: boolean
  readonly internalPolicyLocal: boolean
  readonly healthCheckNodePort: number
  /** 0 unless sessionAffinity is ClientIP. */
  readonly stickyMaxAgeSeconds: number
  readonly externallyAccessible: boolean
  readonly usesClusterEndpoints: boolean
  readonly usesLocalEndpoints: boolean
}

/** Result of CategorizeEndpoints (pkg/proxy/topology.go). */
export interface CategorizedEndpoints {
  readonly clusterEndpoints: readonly ProxyEndpoint[]
  readonly localEndpoints: readonly ProxyEndpoint[]
  readonly allReachableEndpoints: readonly ProxyEndpoint[]
  readonly hasAnyEndpoints: boolean
  /** `''`, `PreferSameZone` or `PreferSameNode`: which topology filter applied. */
  readonly topologyMode: string
}

/** A service port with everything a backend needs to lower it. */
export interface ServicePortPlan {
  readonly info: ServicePortInfo
  /** All endpoints for this port, sorted byte-wise by `endpoint` (endpointslicecache.go). */
  readonly endpoints: readonly ProxyEndpoint[]
  readonly categorized: CategorizedEndpoints
}

/** The input of a backend: every service port of one family, in deterministic order. */
export interface ProxyState {
  readonly family: IPFamily
  /** Sorted by (namespace/name, spn, protocol): the renderer's fixed order (see `state.ts`). */
  readonly servicePorts: readonly ServicePortPlan[]
  /** Sum of all endpoints over all service ports (large-cluster mode threshold). */
  readonly totalEndpoints: number
  /** Version-dependent behaviour the front end relied on, for the plan's assumptions. */
  readonly assumptions?: readonly string[]
}
