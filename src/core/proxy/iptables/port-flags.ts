/**
 * The per-service-port decisions of proxier.go syncProxyRules (hasEndpoints, usesFWChain, …), computed
 * once and shared by every builder, plus the context the builders write with.
 * Names follow pkg/proxy/iptables/proxier.go.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import { portProtoHash, protoLower, servicePortEndpointChainName } from '../chain-names.ts'
import type { ProxyEndpoint, ServicePortInfo, ServicePortPlan } from '../types.ts'
import type { DetectorArgs } from './rule-parts.ts'
import type { RuleSink } from './writer.ts'

/** What the filter table does with traffic that has nowhere to go. */
export interface FilterVerdict {
  readonly target: 'REJECT' | 'DROP'
  /** e.g. `ns1/svc1:p80 has no endpoints` (REJECT) or `… has no local endpoints` (DROP). */
  readonly comment: string
}

/** The booleans and chain names kube-proxy derives for one service port. */
export interface ServicePortFlags {
  /** KUBE-SVC-*: clusterPolicyChain. */
  readonly clusterPolicyChain: string
  /** KUBE-SVL-*: localPolicyChain. */
  readonly localPolicyChain: string
  /** KUBE-EXT-*: externalTrafficChain. */
  readonly externalTrafficChain: string
  /** KUBE-FW-*: fwChain. */
  readonly fwChain: string
  readonly hasEndpoints: boolean
  readonly usesClusterPolicyChain: boolean
  readonly usesLocalPolicyChain: boolean
  /** SVL under internalTrafficPolicy Local, else SVC. */
  readonly internalTrafficChain: string
  readonly hasInternalEndpoints: boolean
  /** SVL under externalTrafficPolicy Local, else SVC. */
  readonly externalPolicyChain: string
  readonly hasExternalEndpoints: boolean
  /** The EXT chain exists whenever there are endpoints and the port is externally reachable. */
  readonly usesExternalTrafficChain: boolean
  readonly usesFWChain: boolean
  /** FW when source ranges are in use, else EXT. */
  readonly loadBalancerTrafficChain: string
  /** Set when cluster-IP traffic is rejected/dropped in filter. */
  readonly internalFilter?: FilterVerdict
  /** Set when external traffic is rejected/dropped in filter. */
  readonly externalFilter?: FilterVerdict
}

/** Computes {@link ServicePortFlags} exactly as the top of syncProxyRules' service loop does. */
export function servicePortFlags(plan: ServicePortPlan): ServicePortFlags {
  const { info, categorized } = plan
  // The four chains share one hash (see chain-names.ts); SHA-256 is the renderer's main cost.
  const hash = portProtoHash(info.spn, info.protocol)
  const clusterPolicyChain = `KUBE-SVC-${hash}`
  const localPolicyChain = `KUBE-SVL-${hash}`
  const externalTrafficChain = `KUBE-EXT-${hash}`
  const fwChain = `KUBE-FW-${hash}`
  const hasEndpoints = categorized.hasAnyEndpoints
  const noLocal = categorized.localEndpoints.length === 0

  const hasInternalEndpoints = hasEndpoints && !(info.internalPolicyLocal && noLocal)
  const hasExternalEndpoints = hasEndpoints && !(info.externalPolicyLocal && noLocal)
  const usesFWChain = hasEndpoints && info.loadBalancerVIPs.length > 0 && info.loadBalancerSourceRanges.length > 0

  let internalFilter: FilterVerdict | undefined
  let externalFilter: FilterVerdict | undefined
  if (!hasEndpoints) {
    internalFilter = { target: 'REJECT', comment: `${info.spn} has no endpoints` }
    externalFilter = internalFilter
  } else {
    if (!hasInternalEndpoints) internalFilter = { target: 'DROP', comment: `${info.spn} has no local endpoints` }
    if (!hasExternalEndpoints) externalFilter = { target: 'DROP', comment: `${info.spn} has no local endpoints` }
  }

  const flags: { -readonly [K in keyof ServicePortFlags]: ServicePortFlags[K] } = {
    clusterPolicyChain,
    localPolicyChain,
    externalTrafficChain,
    fwChain,
    hasEndpoints,
    usesClusterPolicyChain: categorized.clusterEndpoints.length > 0 && info.usesClusterEndpoints,
    usesLocalPolicyChain: categorized.localEndpoints.length > 0 && info.usesLocalEndpoints,
    internalTrafficChain: info.internalPolicyLocal ? localPolicyChain : clusterPolicyChain,
    hasInternalEndpoints,
    externalPolicyChain: info.externalPolicyLocal ? localPolicyChain : clusterPolicyChain,
    hasExternalEndpoints,
    usesExternalTrafficChain: hasEndpoints && info.externallyAccessible,
    usesFWChain,
    loadBalancerTrafficChain: usesFWChain ? fwChain : externalTrafficChain,
  }
  if (internalFilter) flags.internalFilter = internalFilter
  if (externalFilter) flags.externalFilter = externalFilter
  return flags
}

/** Everything a per-service builder needs. */
export interface PortContext {
  readonly w: RuleSink
  readonly cfg: ProxyConfig
  readonly plan: ServicePortPlan
  readonly info: ServicePortInfo
  readonly flags: ServicePortFlags
  /** Lower-case protocol. */
  readonly p: 'tcp' | 'udp' | 'sctp'
  readonly detector: DetectorArgs | undefined
  /** largeClusterMode: no comments on SEP and SVC/SVL→SEP rules. */
  readonly largeCluster: boolean
  /** KUBE-SEP-* name of an endpoint of this port (memoised: SVC, SVL and SEP rules all need it). */
  readonly sepChain: (ep: ProxyEndpoint) => string
}

/** Builds the context for one service port. */
export function portContext(
  w: RuleSink,
  cfg: ProxyConfig,
  plan: ServicePortPlan,
  detector: DetectorArgs | undefined,
  largeCluster: boolean,
): PortContext {
  const info = plan.info
  const seps = new Map<string, string>()
  const sepChain = (ep: ProxyEndpoint): string => {
    let name = seps.get(ep.endpoint)
    if (name === undefined) {
      name = servicePortEndpointChainName(info.spn, info.protocol, ep.endpoint)
      seps.set(ep.endpoint, name)
    }
    return name
  }
  return { w, cfg, plan, info, flags: servicePortFlags(plan), p: protoLower(info.protocol), detector, largeCluster, sepChain }
}
