/**
 * Service → service ports for one IP family, as kube-proxy's service change tracker sees them.
 *
 * Mirrors pkg/proxy/servicechangetracker.go serviceToServiceMap and pkg/proxy/serviceport.go
 * newBaseServiceInfo. Addresses are parsed leniently
 * (ParseIPSloppy / ParseCIDRSloppy) and re-printed canonically, because that is what ends up
 * in the rules.
 */
import { issue, type Issue } from '../issues.ts'
import type { IPFamily, Service, ServicePort } from '../model/k8s.ts'
import { formatCIDR, parseCIDRSloppy, parseIPSloppy } from '../net/ip.ts'
import { canonicalIP } from './canonical-ip.ts'
import type { ServicePortInfo } from './types.ts'

/** apiserver default for sessionAffinityConfig.clientIP.timeoutSeconds (3 hours). */
export const DEFAULT_STICKY_MAX_AGE_SECONDS = 10800

/** ServicePortName.String(): `ns/name`, plus `:port` only when the port has a name. */
export function servicePortNameString(namespace: string, name: string, portName: string): string {
  return portName === '' ? `${namespace}/${name}` : `${namespace}/${name}:${portName}`
}

/**
 * ShouldSkipService (pkg/proxy/util): headless (`clusterIP` empty or `None`) and ExternalName
 * Services get no rules at all, even when an ExternalName Service carries a clusterIP.
 */
export function shouldSkipService(svc: Service): boolean {
  const ip = svc.spec.clusterIP ?? ''
  return ip === '' || ip === 'None' || svc.spec.type === 'ExternalName'
}

/**
 * GetClusterIPByFamily (pkg/proxy/util): without `ipFamilies` (version skew) the single
 * `clusterIP` is used when its family matches; otherwise `clusterIPs[i]` for the index of the
 * family in `ipFamilies`. Returns `''` when the Service has no IP of this family.
 */
export function clusterIPForFamily(svc: Service, family: IPFamily): string {
  const families = svc.spec.ipFamilies ?? []
  if (families.length === 0) {
    const ip = svc.spec.clusterIP ?? ''
    if (ip === '' || ip === 'None') return ''
    // Upstream uses IsIPv6String, so an unparsable IP counts as "not IPv6"; we keep it and let
    // the caller report it (see serviceToServicePorts).
    const isV6 = parseIPSloppy(ip)?.family === 'IPv6'
    return isV6 === (family === 'IPv6') ? ip : ''
  }
  const idx = families.indexOf(family)
  if (idx < 0) return ''
  return svc.spec.clusterIPs?.[idx] ?? ''
}

/** MapIPsByIPFamily, one family: sloppy-parsed, canonical, spec order kept, invalid dropped. */
function ipsOfFamily(ips: readonly string[], family: IPFamily): string[] {
  const out: string[] = []
  for (const text of ips) {
    const ip = canonicalIP(text, family)
    if (ip !== undefined) out.push(ip)
  }
  return out
}

/** MapCIDRsByIPFamily, one family: TrimSpace, ParseCIDRSloppy, network form, invalid dropped. */
function cidrsOfFamily(cidrs: readonly string[], family: IPFamily): string[] {
  const out: string[] = []
  for (const text of cidrs) {
    const cidr = parseCIDRSloppy(text.trim())
    if (cidr !== undefined && cidr.family === family) out.push(formatCIDR(cidr))
  }
  return out
}

/** What, besides the family, decides how a Service maps to service ports. */
export interface ServicePortOptions {
  /**
   * Feature gate LoadBalancerIPMode (beta 1.30, GA and locked on since 1.32). Only 1.31 can turn
   * it off; upstream TestLoadBalancerIngressRouteTypeProxy does so by emulating 1.31.
   */
  readonly loadBalancerIPMode?: boolean
}

/**
 * Load-balancer VIPs: ingress IPs in order, skipping empty IPs and, while the LoadBalancerIPMode
 * gate is on, `ipMode: Proxy` (those LBs deliver to the node themselves; nil or VIP is kept),
 * filtered to the family. Mirrors newBaseServiceInfo's
 * `if utilfeature…Enabled(features.LoadBalancerIPMode) && ing.IPMode != nil && *ing.IPMode == Proxy`.
 */
function loadBalancerVIPs(svc: Service, family: IPFamily, opts: ServicePortOptions): string[] {
  const ips: string[] = []
  for (const ing of svc.status.loadBalancer?.ingress ?? []) {
    if (ing.ip === undefined || ing.ip === '') continue
    if (ing.ipMode === 'Proxy' && opts.loadBalancerIPMode !== false) continue
    ips.push(ing.ip)
  }
  return ipsOfFamily(ips, family)
}

function newServicePortInfo(svc: Service, port: ServicePort, family: IPFamily, clusterIP: string, opts: ServicePortOptions): ServicePortInfo {
  const { namespace, name } = svc.metadata
  const spec = svc.spec
  const type = spec.type
  const externalIPs = ipsOfFamily(spec.externalIPs ?? [], family)
  const lbVIPs = loadBalancerVIPs(svc, family, opts)
  // apiservice.ExternallyAccessible: by type, not by the addresses this family has. Upstream
  // compares with v1.ServiceTypeClusterIP literally, so an unset type ('') with externalIPs is
  // not "externally accessible by type" and its externalTrafficPolicy is ignored.
  const externallyAccessibleByType =
    type === 'LoadBalancer' || type === 'NodePort' || (type === 'ClusterIP' && (spec.externalIPs ?? []).length > 0)
  const externalPolicyLocal = externallyAccessibleByType && spec.externalTrafficPolicy === 'Local'
  const internalPolicyLocal = spec.internalTrafficPolicy === 'Local'
  const nodePort = port.nodePort ?? 0
  const healthCheckNodePort = type === 'LoadBalancer' && externalPolicyLocal ? (spec.healthCheckNodePort ?? 0) : 0
  const stickyMaxAgeSeconds =
    spec.sessionAffinity === 'ClientIP' ? (spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? DEFAULT_STICKY_MAX_AGE_SECONDS) : 0
  // serviceport.go ExternallyAccessible / UsesClusterEndpoints / UsesLocalEndpoints.
  const externallyAccessible = nodePort !== 0 || lbVIPs.length > 0 || externalIPs.length > 0
  return {
    namespace,
    name,
    portName: port.name,
    spn: servicePortNameString(namespace, name, port.name),
    protocol: port.protocol,
    family,
    clusterIP,
    port: port.port,
    nodePort,
    externalIPs,
    loadBalancerVIPs: lbVIPs,
    loadBalancerSourceRanges: cidrsOfFamily(spec.loadBalancerSourceRanges ?? [], family),
    externalPolicyLocal,
    internalPolicyLocal,
    healthCheckNodePort,
    stickyMaxAgeSeconds,
    externallyAccessible,
    usesClusterEndpoints: !internalPolicyLocal || externallyAccessible,
    usesLocalEndpoints: internalPolicyLocal || (externalPolicyLocal && externallyAccessible),
  }
}

/**
 * All service ports of `svc` for `family`, in spec order; `[]` for skipped Services.
 * Ports sharing (name, protocol) collapse to the last one, as kube-proxy's map keyed by
 * ServicePortName does. An unparsable cluster IP is reported and the Service skipped
 * (upstream would write `-d <nil>`; the apiserver never accepts such an IP).
 */
export function serviceToServicePorts(svc: Service, family: IPFamily, issues: Issue[] = [], opts: ServicePortOptions = {}): ServicePortInfo[] {
  if (shouldSkipService(svc)) return []
  const ipText = clusterIPForFamily(svc, family)
  if (ipText === '') return []
  const clusterIP = canonicalIP(ipText, family)
  if (clusterIP === undefined) {
    issues.push(
      issue('proxy/invalid-cluster-ip', 'error', `Service ${svc.metadata.namespace}/${svc.metadata.name}: cluster IP "${ipText}" is not a valid ${family} address; kube-proxy cannot program it.`, {
        ref: svc.ref,
        path: 'spec.clusterIP',
        source: svc.locate('spec.clusterIP'),
      }),
    )
    return []
  }
  const byKey = new Map<string, ServicePortInfo>()
  for (const port of svc.spec.ports) {
    const info = newServicePortInfo(svc, port, family, clusterIP, opts)
    byKey.set(`${info.spn}/${info.protocol}`, info)
  }
  return [...byKey.values()]
}
