/**
 * @module proxy/nftables/names
 * Per-service object names of kube-proxy's nftables mode. Mirrors pkg/proxy/nftables/proxier.go
 * servicePortChainNameBase / servicePortEndpointChainNameBase / hashAndTruncate: an 8-character
 * base32 SHA-256 prefix of the full name, a dash, then the readable name, cut to 240 characters
 * (knftables.NameLengthMax minus the longest prefix) with `...`.
 */
import { protoLower } from '../chain-names.ts'
import { sha256Base32Prefix16 } from '../../net/sha256.ts'
import type { ProxyEndpoint, ServicePortInfo } from '../types.ts'

/** knftables.NameLengthMax (256) minus the longest chain prefix (16). */
const MAX_BASE_LENGTH = 240

/** hashAndTruncate: `HASH8-name`, truncated to 240 with `...` (the hash covers the full name). */
export function hashAndTruncate(name: string): string {
  const base = `${sha256Base32Prefix16(name).slice(0, 8)}-${name}`
  return base.length > MAX_BASE_LENGTH ? `${base.slice(0, MAX_BASE_LENGTH - 3)}...` : base
}

/** servicePortChainNameBase: `ns/svc/proto/portName` hashed (an unnamed port leaves a trailing `/`). */
export function servicePortChainNameBase(info: ServicePortInfo): string {
  return hashAndTruncate(servicePortName(info))
}

function servicePortName(info: ServicePortInfo): string {
  return `${info.namespace}/${info.name}/${protoLower(info.protocol)}/${info.portName}`
}

/**
 * servicePortEndpointChainNameBase: `ns/svc/proto/port__IP/PORT` hashed, the IP in canonical form
 * with `:` turned into `.` (no brackets), so IPv6 endpoints make valid, readable names.
 */
export function servicePortEndpointChainNameBase(info: ServicePortInfo, ep: ProxyEndpoint): string {
  return endpointBase(`${servicePortName(info)}__`, ep)
}

/** servicePortEndpointChainNameBase after the port's part (`ns/svc/proto/port__`). */
function endpointBase(portPart: string, ep: ProxyEndpoint): string {
  return hashAndTruncate(`${portPart}${ep.ip.replaceAll(':', '.')}/${ep.port}`)
}

/** The chain and set names of one service port (proxier.go servicePortInfo fields). */
export interface NftServicePortNames {
  readonly clusterPolicyChain: string
  readonly localPolicyChain: string
  readonly externalChain: string
  readonly firewallChain: string
}

/** `service-`, `local-`, `external-`, `firewall-` + the port's base. */
export function servicePortNames(info: ServicePortInfo): NftServicePortNames {
  const base = servicePortChainNameBase(info)
  return {
    clusterPolicyChain: `service-${base}`,
    localPolicyChain: `local-${base}`,
    externalChain: `external-${base}`,
    firewallChain: `firewall-${base}`,
  }
}

/** The `endpoint-` chain and `affinity-` set of one endpoint of a port. */
export interface EndpointNames {
  readonly chain: string
  readonly affinitySet: string
}

/**
 * The `endpoint-` chain and `affinity-` set names of the endpoints of one port
 * (servicePortEndpointChainNameBase): the port's part of the hashed name is built once per port.
 */
export function endpointNamer(info: ServicePortInfo): (ep: ProxyEndpoint) => EndpointNames {
  const portPart = `${servicePortName(info)}__`
  return (ep) => {
    const base = endpointBase(portPart, ep)
    return { chain: `endpoint-${base}`, affinitySet: `affinity-${base}` }
  }
}
