/**
 * @module plan/types
 * The plan of one node and one IP family: what every Service gets (allocations, origins), what
 * kube-proxy does with every service port (VIPs, endpoints and their odds, policies, what happens
 * without endpoints), the ranges, assumptions and issues, and the rendered iptables ruleset.
 */
import type { ValueOrigin, RangeReport } from '../apiserver/types.ts'
import type { ClusterFacts } from '../cluster/types.ts'
import type { Issue, SourceSpan } from '../issues.ts'
import type { ProxyConfig, ProxyMode } from '../model/cluster.ts'
import type { NftRuleset } from '../proxy/nftables/ir.ts'
import type { EndpointSlice, IPFamily, Node, Origin, Pod, Protocol, Service } from '../model/k8s.ts'
import type { ParseLimits } from '../parse/index.ts'
import type { CurrentRules } from '../proxy/iptables/current-rules.ts'
import type { JumpRule, Ruleset } from '../proxy/iptables/ir.ts'
import type { SourceFile } from '../model/inventory.ts'
import type { KubernetesVersion } from '../model/version.ts'

/** Options of {@link planFromSources}. */
export interface PlanOptions {
  /** The node whose kube-proxy view is rendered (`--node`). */
  readonly node?: string
  /** Which kube-proxy instance to render; default: the family of the first service CIDR. */
  readonly ipFamily?: IPFamily
  /** The Kubernetes version planned (`--kubernetes-version`); wins over ClusterProfile.kubernetesVersion. */
  readonly kubernetesVersion?: KubernetesVersion
  /** Limits for untrusted input (document count, aliases, depth, size). */
  readonly limits?: Partial<ParseLimits>
  /**
   * The rendered node's `iptables-save` output before the sync (`--current-rules`): the payload
   * then also deletes the service chains it holds that are no longer needed, and the save/list
   * forms and traces show the rules after the sync.
   */
  readonly currentRules?: { readonly path: string; readonly text: string }
  /** `--proxy-mode`: the kube-proxy backend to render; wins over KubeProxyConfiguration.mode. */
  readonly proxyMode?: ProxyMode
}

/** Input of {@link planFromSources}: every file, each tagged proposed or existing. */
export interface PlanInput {
  readonly files: readonly SourceFile[]
  readonly options?: PlanOptions
}

/** One port of a planned Service, with its NodePort and where that value came from. */
export interface PlannedPort {
  readonly name: string
  readonly protocol: Protocol
  readonly port: number
  readonly targetPort?: number | string
  /** 0 when the port has no NodePort. */
  readonly nodePort: number
  readonly nodePortOrigin?: ValueOrigin
}

/** A Service as kube-proxy will see it after the change, with its allocations. */
export interface PlannedService {
  readonly namespace: string
  readonly name: string
  /** Effective type (`''` is shown as `ClusterIP`, as kube-proxy treats it). */
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName'
  readonly origin: Origin
  /** True when a proposed Service replaces one that already exists (`--cluster`). */
  readonly update: boolean
  readonly clusterIPs: readonly string[]
  readonly clusterIPOrigin?: ValueOrigin
  readonly ipFamilies: readonly IPFamily[]
  /** `SingleStack` / `PreferDualStack` / `RequireDualStack`, as given or defaulted by the apiserver. */
  readonly ipFamilyPolicy?: string
  /** What the apiserver does with it: `create`, `update` (proposed over existing) or `existing` (untouched). */
  readonly operation?: 'create' | 'update' | 'existing'
  readonly ports: readonly PlannedPort[]
  readonly healthCheckNodePort?: number
  readonly healthCheckNodePortOrigin?: ValueOrigin
  readonly externalIPs: readonly string[]
  readonly loadBalancerIngress: readonly string[]
  readonly loadBalancerSourceRanges: readonly string[]
  readonly externalTrafficPolicy: 'Cluster' | 'Local'
  readonly internalTrafficPolicy: 'Cluster' | 'Local'
  readonly sessionAffinity: 'None' | 'ClientIP'
  /** `spec.selector` as given (absent for selector-less Services with manual EndpointSlices). */
  readonly selector?: Readonly<Record<string, string>>
  /** Why kube-proxy writes no rules for it (headless, ExternalName), when so. */
  readonly notProxied?: string
  /** What its EndpointSlices hold, every family (`[]` when none). */
  readonly endpoints: readonly ServiceEndpoint[]
  /** The records CoreDNS serves for a headless Service (absent for other Services). */
  readonly dns?: readonly DnsRecord[]
  readonly source: SourceSpan
}

/** One endpoint of a Service's EndpointSlices, as the slices hold it (before kube-proxy's filtering). */
export interface ServiceEndpoint {
  readonly ip: string
  /** The slice's ports: name (`''` unnamed), number and protocol. */
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: Protocol }[]
  readonly node?: string
  readonly ready: boolean
  readonly serving: boolean
  readonly terminating: boolean
  /** `Kind ns/name` of the Pod (or other targetRef) behind it, when known. */
  readonly target?: string
}

/** One DNS name CoreDNS answers for a headless Service, with its addresses. */
export interface DnsRecord {
  readonly name: string
  readonly type: 'A' | 'AAAA'
  readonly addresses: readonly string[]
}

/** One endpoint of a service port, with the odds of a new connection landing on it. */
export interface PlannedEndpoint {
  readonly ip: string
  readonly port: number
  /** `ip:port` (`[ip]:port` for IPv6). */
  readonly endpoint: string
  readonly node?: string
  readonly ready: boolean
  readonly serving: boolean
  readonly terminating: boolean
  /** On the rendered node. */
  readonly local: boolean
  /** `Kind ns/name` of the Pod (or other targetRef) behind it, when known. */
  readonly target?: string
  /** Chance that a new connection to the cluster IP, made on the rendered node, goes here. */
  readonly internalProbability: number
  /** Same for traffic arriving from outside (NodePort, external IP, LB); absent when not exposed. */
  readonly externalProbability?: number
}

/** What kube-proxy does with traffic of one kind (internal or external) to a service port. */
export interface TrafficOutcome {
  /** `forward`: DNAT to one of the endpoints; `reject`/`drop`: the filter verdict kube-proxy writes. */
  readonly verdict: 'forward' | 'reject' | 'drop'
  /** How many endpoints the traffic is spread over (0 unless `forward`). */
  readonly endpoints: number
  /** One sentence for humans. */
  readonly summary: string
}

/** One service port (a `ns/name:port` + protocol) as kube-proxy renders it on the node. */
export interface PlannedServicePort {
  /** `ns/name` or `ns/name:port`, as kube-proxy names it. */
  readonly spn: string
  readonly namespace: string
  readonly name: string
  readonly portName: string
  readonly protocol: Protocol
  readonly clusterIP: string
  readonly port: number
  /** 0 when none. */
  readonly nodePort: number
  readonly externalIPs: readonly string[]
  readonly loadBalancerIPs: readonly string[]
  readonly loadBalancerSourceRanges: readonly string[]
  readonly externalTrafficPolicy: 'Cluster' | 'Local'
  readonly internalTrafficPolicy: 'Cluster' | 'Local'
  /** ClientIP affinity timeout in seconds; absent when sessionAffinity is None. */
  readonly sessionAffinityTimeoutSeconds?: number
  /** Non-zero for LoadBalancer + externalTrafficPolicy Local. */
  readonly healthCheckNodePort: number
  /** Topology filter applied (`PreferSameZone`, `PreferSameNode`) or `''`. */
  readonly topologyMode: string
  readonly endpoints: readonly PlannedEndpoint[]
  /** Traffic to the cluster IP from pods and the node. */
  readonly internal: TrafficOutcome
  /** Traffic to NodePort / external IPs / LB IPs from outside; absent when not exposed. */
  readonly external?: TrafficOutcome
}

/** The whole plan for one node and one IP family. */
export interface PlanResult {
  readonly node: string
  readonly ipFamily: IPFamily
  readonly cluster: ClusterFacts
  readonly proxyConfig: ProxyConfig
  /** Every Service after the change, sorted by namespace/name. */
  readonly services: readonly PlannedService[]
  /** Every service port of this family, in the renderer's order. */
  readonly servicePorts: readonly PlannedServicePort[]
  readonly ranges: readonly RangeReport[]
  /** Facts we assumed (defaults, synthesised nodes, preview allocations). */
  readonly assumptions: readonly string[]
  /** Every issue from every stage, sorted by file, line, severity. */
  readonly issues: readonly Issue[]
  /** Nodes, Pods and EndpointSlices kube-proxy sees (for traces and reports). */
  readonly nodes: readonly Node[]
  readonly pods: readonly Pod[]
  readonly endpointSlices: readonly EndpointSlice[]
  /** The kube-proxy backend rendered. */
  readonly proxyMode: ProxyMode
  /** The full-sync iptables payload (IR; no tables in nftables mode) and the base-chain jump rules installed outside it. */
  readonly ruleset: Ruleset
  /** The full-sync nftables transaction (IR), in nftables mode. */
  readonly nftables?: NftRuleset
  readonly jumpRules: readonly JumpRule[]
  /** The node's rules before this sync, when given (`--current-rules`). Not part of the JSON output. */
  readonly currentRules?: CurrentRules
  /**
   * The Service objects kube-proxy sees (after updates were merged), with their source locators,
   * so a finding can point at the line of a field (`locate('spec.externalTrafficPolicy')`).
   * Not part of the JSON output.
   */
  readonly serviceObjects: readonly Service[]
}
