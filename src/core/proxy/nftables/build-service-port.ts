/**
 * @module proxy/nftables/build-service-port
 * Everything one service port adds to the transaction: its policy, external, firewall and
 * endpoint chains, affinity sets, and the map elements that dispatch to them or drop/reject
 * traffic when there are no endpoints. Mirrors the service loop of pkg/proxy/nftables/proxier.go
 * syncProxyRules and writeServiceToEndpointRules.
 */
import { pushAll } from '../../append.ts'
import type { ProxyConfig } from '../../model/cluster.ts'
import { cidrContains, parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import { protoLower } from '../chain-names.ts'
import type { DetectorStatements } from './detector.ts'
import type { NftStatement } from './ir.ts'
import { endpointNamer, servicePortNames, type EndpointNames, type NftServicePortNames } from './names.ts'
import { NFT } from './build-static.ts'
import type { NftVersionProfile } from './version.ts'
import type { NftSink } from './writer.ts'
import type { ProxyEndpoint, ServicePortPlan } from '../types.ts'

/** The per-service-port booleans of syncProxyRules (names as in proxier.go). */
export interface NftServicePortFlags {
  readonly hasEndpoints: boolean
  readonly usesClusterPolicyChain: boolean
  readonly usesLocalPolicyChain: boolean
  readonly internalTrafficChain: string
  readonly hasInternalEndpoints: boolean
  readonly externalPolicyChain: string
  readonly hasExternalEndpoints: boolean
  readonly usesExternalChain: boolean
  /** Unlike iptables mode, the firewall does not need endpoints. */
  readonly usesFWChain: boolean
  /** `goto reject-chain` or `drop` for traffic with no (internal / external) endpoints. */
  readonly internalVerdict: 'goto reject-chain' | 'drop' | undefined
  readonly externalVerdict: 'goto reject-chain' | 'drop' | undefined
}

/**
 * Computes {@link NftServicePortFlags} for a service port. One object literal of a fixed shape
 * (verdicts undefined when absent) rather than spreads: this runs once per service port, and
 * spreading the names plus optional keys took V8's generic object copy each time.
 */
export function nftServicePortFlags(plan: ServicePortPlan): NftServicePortFlags & NftServicePortNames {
  const { info, categorized } = plan
  const names = servicePortNames(info)
  const hasEndpoints = categorized.hasAnyEndpoints
  const noLocal = categorized.localEndpoints.length === 0
  const hasInternalEndpoints = hasEndpoints && !(info.internalPolicyLocal && noLocal)
  const hasExternalEndpoints = hasEndpoints && !(info.externalPolicyLocal && noLocal)
  return {
    clusterPolicyChain: names.clusterPolicyChain,
    localPolicyChain: names.localPolicyChain,
    externalChain: names.externalChain,
    firewallChain: names.firewallChain,
    hasEndpoints,
    usesClusterPolicyChain: categorized.clusterEndpoints.length > 0 && info.usesClusterEndpoints,
    usesLocalPolicyChain: categorized.localEndpoints.length > 0 && info.usesLocalEndpoints,
    internalTrafficChain: info.internalPolicyLocal ? names.localPolicyChain : names.clusterPolicyChain,
    hasInternalEndpoints,
    externalPolicyChain: info.externalPolicyLocal ? names.localPolicyChain : names.clusterPolicyChain,
    hasExternalEndpoints,
    usesExternalChain: hasEndpoints && info.externallyAccessible,
    usesFWChain: info.loadBalancerVIPs.length > 0 && info.loadBalancerSourceRanges.length > 0,
    internalVerdict: noEndpointsVerdict(hasEndpoints, hasInternalEndpoints),
    externalVerdict: noEndpointsVerdict(hasEndpoints, hasExternalEndpoints),
  }
}

/** What traffic with no (usable) endpoints gets: reject without any endpoint, drop without a usable one. */
function noEndpointsVerdict(hasEndpoints: boolean, has: boolean): 'goto reject-chain' | 'drop' | undefined {
  return !hasEndpoints ? 'goto reject-chain' : !has ? 'drop' : undefined
}

/** `jump mark-for-masquerade`, the statement most rules end with (one shared object). */
const JUMP_MARK_MASQ: NftStatement = { kind: 'jump', chain: 'mark-for-masquerade' }
const jump = (chain: string): NftStatement => (chain === JUMP_MARK_MASQ.chain ? JUMP_MARK_MASQ : { kind: 'jump', chain })
const goto = (chain: string): NftStatement => ({ kind: 'goto', chain })

/** Writes one service port (the body of syncProxyRules' `for svcName, svc := range svcPortMap`). */
export function writeServicePort(w: NftSink, cfg: ProxyConfig, profile: NftVersionProfile, detector: DetectorStatements | undefined, plan: ServicePortPlan): void {
  const { info, categorized } = plan
  const f = nftServicePortFlags(plan)
  const spn = info.spn
  const proto = protoLower(info.protocol)
  const port = String(info.port)
  const tag = { servicePortName: spn }
  const addrLit = (dir: 'saddr' | 'daddr', text: string, negate = false): NftStatement => ({ kind: 'addr', dir, negate, value: { kind: 'literal', text } })

  // Policy chains and their endpoints' chains (declared first, like ensureChain in the loop).
  if (f.usesClusterPolicyChain) w.chain(f.clusterPolicyChain)
  if (f.usesLocalPolicyChain) w.chain(f.localPolicyChain)

  // Internal traffic: the ClusterIP.
  w.element({ container: NFT.clusterIPsSet, key: [info.clusterIP], servicePortName: spn })
  if (f.hasInternalEndpoints) {
    w.element({ container: NFT.serviceIPsMap, key: [info.clusterIP, proto, port], value: `goto ${f.internalTrafficChain}`, servicePortName: spn })
    const portMatch: NftStatement[] = profile.clusterIPMasqMatchesPort ? [{ kind: 'dport', protocol: proto, port: info.port }] : []
    if (cfg.masqueradeAll) {
      w.rule(f.internalTrafficChain, [addrLit('daddr', info.clusterIP), ...portMatch, jump(NFT.markMasq)], tag)
    } else if (detector !== undefined) {
      // Masquerade off-cluster traffic to a service VIP (not from a pod).
      w.rule(f.internalTrafficChain, [addrLit('daddr', info.clusterIP), ...portMatch, ...detector.ifNotLocal, jump(NFT.markMasq)], tag)
    }
  } else if (f.internalVerdict !== undefined) {
    w.element({ container: NFT.noEndpointServicesMap, key: [info.clusterIP, proto, port], comment: spn, value: f.internalVerdict, servicePortName: spn })
  }

  // External IPs, then load-balancer VIPs (with their firewall entries), then the NodePort.
  const external = (addr: string): void => {
    if (f.hasEndpoints) w.element({ container: NFT.serviceIPsMap, key: [addr, proto, port], value: `goto ${f.externalChain}`, servicePortName: spn })
    if (f.externalVerdict !== undefined) w.element({ container: NFT.noEndpointServicesMap, key: [addr, proto, port], comment: spn, value: f.externalVerdict, servicePortName: spn })
  }
  for (const x of info.externalIPs) external(x)
  for (const lb of info.loadBalancerVIPs) external(lb)
  if (f.usesFWChain) {
    for (const lb of info.loadBalancerVIPs) w.element({ container: NFT.firewallIPsMap, key: [lb, proto, port], value: `goto ${f.firewallChain}`, servicePortName: spn })
  }
  if (info.nodePort !== 0) {
    const np = String(info.nodePort)
    if (f.hasEndpoints) w.element({ container: NFT.serviceNodePortsMap, key: [proto, np], value: `goto ${f.externalChain}`, servicePortName: spn })
    if (f.externalVerdict !== undefined) w.element({ container: NFT.noEndpointNodePortsMap, key: [proto, np], comment: spn, value: f.externalVerdict, servicePortName: spn })
  }

  // The external chain: masquerade and dispatch traffic to NodePorts, external IPs and LB VIPs.
  if (f.usesExternalChain) {
    w.chain(f.externalChain)
    if (!info.externalPolicyLocal) {
      // Non-local endpoints may be used, so the reply must come back through this node.
      w.rule(f.externalChain, [jump(NFT.markMasq)], tag)
    } else {
      // Only local endpoints: keep the client address, except for pods and the node itself,
      // which are short-circuited to the cluster-wide chain.
      if (detector !== undefined) w.rule(f.externalChain, [...detector.ifLocal, goto(f.clusterPolicyChain)], { ...tag, comment: 'short-circuit pod traffic' })
      w.rule(f.externalChain, [{ kind: 'fibLocal', dir: 'saddr' }, jump(NFT.markMasq)], { ...tag, comment: 'masquerade local traffic' })
      w.rule(f.externalChain, [{ kind: 'fibLocal', dir: 'saddr' }, goto(f.clusterPolicyChain)], { ...tag, comment: 'short-circuit local traffic' })
    }
    if (f.hasExternalEndpoints) w.rule(f.externalChain, [goto(f.externalPolicyChain)], tag)
  }

  // loadBalancerSourceRanges: drop other sources before DNAT (and whatever the endpoints).
  if (f.usesFWChain) {
    const sources = [...info.loadBalancerSourceRanges]
    const nodeIP = cfg.nodeIP === undefined ? undefined : parseIPSloppy(cfg.nodeIP)
    const allowFromNode = nodeIP !== undefined && info.loadBalancerSourceRanges.some((r) => {
      const c = parseCIDRSloppy(r)
      return c !== undefined && cidrContains(c, nodeIP)
    })
    if (allowFromNode) pushAll(sources, info.loadBalancerVIPs)
    w.rule(f.firewallChain, [{ kind: 'addr', dir: 'saddr', negate: true, value: { kind: 'anon', items: sources, sep: ' , ' } }, { kind: 'drop' }], tag)
  }

  // Each endpoint's chain and set names, hashed once (SHA-256 is the backend's main cost): the
  // reachable endpoints' in one array; the cluster and local lists mostly are that very array
  // (proxy/topology.ts), and otherwise take their names through a map seeded from it.
  const reachable = categorized.allReachableEndpoints
  const namer = endpointNamer(info)
  const reachableNames = reachable.map(namer)
  let byEndpoint: Map<ProxyEndpoint, EndpointNames> | undefined
  const namesOf = (list: readonly ProxyEndpoint[]): readonly EndpointNames[] => {
    if (list === reachable) return reachableNames
    byEndpoint ??= new Map(reachable.map((ep, i) => [ep, reachableNames[i] as EndpointNames]))
    const names = byEndpoint
    return list.map((ep) => names.get(ep) ?? namer(ep))
  }

  // Affinity sets, one per reachable endpoint.
  const sticky = info.stickyMaxAgeSeconds > 0
  if (sticky) {
    for (const n of reachableNames) {
      w.set({ kind: 'set', name: n.affinitySet, keyType: [cfg.ipFamily === 'IPv6' ? 'ipv6_addr' : 'ipv4_addr'], flags: ['dynamic', 'timeout'], timeoutSeconds: info.stickyMaxAgeSeconds })
    }
  }

  if (f.usesClusterPolicyChain) writeServiceToEndpointRules(w, spn, f.clusterPolicyChain, namesOf(categorized.clusterEndpoints), sticky)
  if (f.usesLocalPolicyChain) writeServiceToEndpointRules(w, spn, f.localPolicyChain, namesOf(categorized.localEndpoints), sticky)

  // The per-endpoint chains: hairpin masquerade, affinity update, DNAT.
  // (writer.ts writeEndpointChain; the text writer prints these lines without statement objects).
  for (let i = 0; i < reachable.length; i++) {
    const ep = reachable[i] as ProxyEndpoint
    const n = reachableNames[i] as EndpointNames
    w.endpointChain({ chain: n.chain, ip: ep.ip, port: ep.port, protocol: proto, affinitySet: sticky ? n.affinitySet : undefined, tag })
  }
}

/** writeServiceToEndpointRules: affinity lookups in endpoint order, then one numgen vmap. */
function writeServiceToEndpointRules(w: NftSink, spn: string, chain: string, names: readonly EndpointNames[], sticky: boolean): void {
  const tag = { servicePortName: spn }
  if (sticky) {
    for (const n of names) w.rule(chain, [{ kind: 'addr', dir: 'saddr', negate: false, value: { kind: 'set', name: n.affinitySet } }, goto(n.chain)], tag)
  }
  w.rule(chain, [{ kind: 'numgen', chains: names.map((n) => n.chain) }], tag)
}
