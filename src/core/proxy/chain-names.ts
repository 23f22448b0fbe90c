/**
 * Per-service-port chain names, exactly as kube-proxy derives them.
 *
 * Mirrors pkg/proxy/iptables/proxier.go servicePortPolicyClusterChain, servicePortPolicyLocalChainName,
 * serviceExternalChainName, serviceFirewallChainName and servicePortEndpointChainName. The hash input
 * is the ServicePortName string (`ns/name` or `ns/name:port`, never a trailing colon), then the
 * lower-case protocol, then (for SEP) `net.JoinHostPort(ip, port)`, with no separators.
 */
import { hash16 } from '../net/hash.ts'
import type { Protocol } from '../model/k8s.ts'

/** Lower-case protocol as used in hashes and in `-m tcp -p tcp`. */
export function protoLower(protocol: Protocol): 'tcp' | 'udp' | 'sctp' {
  return protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp'
}

/** portProtoHash: the 16-character suffix shared by a service port's SVC/SVL/EXT/FW chains. */
export function portProtoHash(spn: string, protocol: Protocol): string {
  return hash16(spn + protoLower(protocol))
}

/** KUBE-SVC-*: the Cluster-policy chain (servicePortPolicyClusterChain). */
export function servicePortChainName(spn: string, protocol: Protocol): string {
  return `KUBE-SVC-${portProtoHash(spn, protocol)}`
}

/** KUBE-SVL-*: the Local-policy chain (servicePortPolicyLocalChainName). */
export function servicePortLocalChainName(spn: string, protocol: Protocol): string {
  return `KUBE-SVL-${portProtoHash(spn, protocol)}`
}

/** KUBE-EXT-*: entry chain for NodePort / external IP / LB traffic (serviceExternalChainName). */
export function serviceExternalChainName(spn: string, protocol: Protocol): string {
  return `KUBE-EXT-${portProtoHash(spn, protocol)}`
}

/** KUBE-FW-*: loadBalancerSourceRanges filter chain (serviceFirewallChainName). */
export function serviceFirewallChainName(spn: string, protocol: Protocol): string {
  return `KUBE-FW-${portProtoHash(spn, protocol)}`
}

/**
 * KUBE-SEP-*: one chain per endpoint (servicePortEndpointChainName).
 * @param endpoint `net.JoinHostPort(ip, port)` with the canonical IP, e.g. `[fd00::1]:80`.
 */
export function servicePortEndpointChainName(spn: string, protocol: Protocol, endpoint: string): string {
  return `KUBE-SEP-${hash16(spn + protoLower(protocol) + endpoint)}`
}

/** Upstream's name for {@link servicePortChainName} (proxier.go servicePortPolicyClusterChain). */
export const servicePortPolicyClusterChain = servicePortChainName
/** Upstream's name for {@link servicePortLocalChainName} (proxier.go servicePortPolicyLocalChainName). */
export const servicePortPolicyLocalChainName = servicePortLocalChainName
