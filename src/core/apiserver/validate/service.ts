/**
 * @module apiserver/validate/service
 * Create-time field validation of a defaulted, allocated Service, mirroring
 * pkg/apis/core/validation/validation.go ValidateService in its evaluation order.
 * Runs only when every allocation succeeded (registry `BeginCreate` allocates before
 * `BeforeCreate` validates, so allocation errors come first).
 */
import { trafficDistributions } from '../../model/feature-gates.ts'
import type { KubernetesVersion } from '../../model/version.ts'
import { parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import type { ServiceDraft } from '../service/draft.ts'
import { isHeadless } from '../service/draft.ts'
import { externallyAccessible, needsHealthCheck } from '../service/defaults.ts'
import { validateClusterIPsRelatedFields, INVALID_IP } from './cluster-ips.ts'
import { forbidden, invalid, notSupported, num, required, str } from './field-errors.ts'
import type { FieldError } from './field-errors.ts'
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from './names.ts'
import { validatePortCombinations, validateServicePorts } from './ports.ts'

export const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] as const
export const SESSION_AFFINITIES = ['ClientIP', 'None'] as const
export const TRAFFIC_POLICIES = ['Cluster', 'Local'] as const
/** core.MaxClientIPServiceAffinitySeconds. */
export const MAX_CLIENT_IP_TIMEOUT = 86400

const ANNOTATION_TOPOLOGY_MODE = 'service.kubernetes.io/topology-mode'
const ANNOTATION_TOPOLOGY_HINTS = 'service.kubernetes.io/topology-aware-hints'
const ANNOTATION_LB_SOURCE_RANGES = 'service.beta.kubernetes.io/load-balancer-source-ranges'
const INVALID_CIDR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'
const ONLY_LB = "may only be used when `type` is 'LoadBalancer'"

/** ValidateObjectMeta (name via ValidateServiceName = DNS-1035, namespace DNS-1123 label). */
export function validateServiceMeta(d: ServiceDraft): FieldError[] {
  const errs: FieldError[] = []
  if (d.name === '') errs.push(required('metadata.name', 'name or generateName is required'))
  else for (const m of isDNS1035Label(d.name)) errs.push(invalid('metadata.name', str(d.name), m))
  if (d.namespace !== '') for (const m of isDNS1123Label(d.namespace)) errs.push(invalid('metadata.namespace', str(d.namespace), m))
  return errs
}

/** validation.ValidateNonSpecialIP (Go net.IP predicates). */
export function nonSpecialIPErrors(ip: string, path: string): FieldError[] {
  const p = parseIPSloppy(ip)
  if (p === undefined) return [invalid(path, str(ip), 'must be a valid IP address')]
  const errs: FieldError[] = []
  const v = p.value
  const v4 = p.family === 'IPv4'
  if (v === 0n) errs.push(invalid(path, str(ip), `may not be unspecified (${ip})`))
  if (v4 ? v >> 24n === 127n : v === 1n) errs.push(invalid(path, str(ip), 'may not be in the loopback range (127.0.0.0/8, ::1/128)'))
  if (v4 ? v >> 16n === 0xa9fen : v >> 118n === 0x3fan) {
    errs.push(invalid(path, str(ip), 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'))
  }
  if (v4 ? v >> 8n === 0xe00000n : v >> 120n === 0xffn && ((v >> 112n) & 0x0fn) === 2n) {
    errs.push(invalid(path, str(ip), 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'))
  }
  return errs
}

function validateTypeSpecific(d: ServiceDraft): FieldError[] {
  const errs: FieldError[] = []
  if (d.type === 'LoadBalancer') {
    d.clusterIPs.forEach((ip, i) => {
      if (ip === 'None') errs.push(invalid(`spec.clusterIPs[${i}]`, str(ip), "may not be set to 'None' for LoadBalancer services"))
    })
  } else if (d.type === 'NodePort') {
    if (d.clusterIP === 'None') errs.push(invalid('spec.clusterIPs[0]', str(d.clusterIP), "may not be set to 'None' for NodePort services"))
  } else if (d.type === 'ExternalName') {
    if (d.clusterIPs.length > 0) errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'))
    if (d.ipFamilies.length > 0) errs.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'))
    if (d.ipFamilyPolicy !== undefined) errs.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'))
    const cname = d.externalName.endsWith('.') ? d.externalName.slice(0, -1) : d.externalName
    if (cname.length > 0) for (const m of isDNS1123Subdomain(cname)) errs.push(invalid('spec.externalName', str(cname), m))
    else errs.push(required('spec.externalName'))
  }
  return errs
}

function validateSelector(d: ServiceDraft): FieldError[] {
  if (d.selector === undefined) return []
  const errs: FieldError[] = []
  // Go iterates the map in random order; we sort keys so the output is stable. Path form is
  // `spec.selector` (ValidateLabels passes the map's path, not a keyed child).
  for (const k of Object.keys(d.selector).sort()) {
    for (const m of isQualifiedName(k)) errs.push(invalid('spec.selector', str(k), m))
    const v = d.selector[k] ?? ''
    for (const m of isValidLabelValue(v)) errs.push(invalid('spec.selector', str(v), m))
  }
  return errs
}

function validateAffinity(d: ServiceDraft): FieldError[] {
  const errs: FieldError[] = []
  if (d.sessionAffinity === '') errs.push(required('spec.sessionAffinity'))
  else if (!(SESSION_AFFINITIES as readonly string[]).includes(d.sessionAffinity)) {
    errs.push(notSupported('spec.sessionAffinity', str(d.sessionAffinity), SESSION_AFFINITIES))
  }
  if (d.sessionAffinity === 'ClientIP') {
    const path = 'spec.sessionAffinityConfig'
    const cfg = d.sessionAffinityConfig
    const when = 'when session affinity type is ClientIP'
    if (cfg === undefined) errs.push(required(path, when))
    else if (cfg.clientIP === undefined) errs.push(required(`${path}.clientIP`, when))
    else if (cfg.clientIP.timeoutSeconds === undefined) errs.push(required(`${path}.clientIP.timeoutSeconds`, when))
    else {
      const t = cfg.clientIP.timeoutSeconds
      if (t <= 0 || t > MAX_CLIENT_IP_TIMEOUT) {
        errs.push(invalid(`${path}.clientIP.timeoutSeconds`, num(t), `must be greater than 0 and less than ${MAX_CLIENT_IP_TIMEOUT}`))
      }
    }
  } else if (d.sessionAffinity === 'None' && d.sessionAffinityConfig !== undefined) {
    errs.push(forbidden('spec.sessionAffinityConfig', 'must not be set when session affinity is None'))
  }
  return errs
}

function validateSourceRanges(d: ServiceDraft): FieldError[] {
  const errs: FieldError[] = []
  if (d.loadBalancerSourceRanges.length > 0) {
    // The capital L is upstream's (a historical quirk users see verbatim).
    const path = 'spec.LoadBalancerSourceRanges'
    if (d.type !== 'LoadBalancer') errs.push(forbidden(path, ONLY_LB))
    d.loadBalancerSourceRanges.forEach((v, i) => {
      const t = v.trim()
      if (parseCIDRSloppy(t) === undefined) errs.push(invalid(`${path}[${i}]`, str(t), INVALID_CIDR))
    })
  } else if (ANNOTATION_LB_SOURCE_RANGES in d.annotations) {
    const path = `metadata.annotations[${ANNOTATION_LB_SOURCE_RANGES}]`
    if (d.type !== 'LoadBalancer') errs.push(forbidden(path, ONLY_LB))
    const val = (d.annotations[ANNOTATION_LB_SOURCE_RANGES] ?? '').trim()
    if (val !== '') {
      for (const part of val.split(',')) {
        const t = part.trim()
        if (parseCIDRSloppy(t) === undefined) errs.push(invalid(path, str(t), INVALID_CIDR))
      }
    }
  }
  return errs
}

function validateTrafficPolicies(d: ServiceDraft, version: KubernetesVersion): FieldError[] {
  const errs: FieldError[] = []
  if (!externallyAccessible(d)) {
    if (d.externalTrafficPolicy !== '') {
      errs.push(invalid('spec.externalTrafficPolicy', str(d.externalTrafficPolicy), 'may only be set for externally-accessible services'))
    }
  } else if (d.externalTrafficPolicy === '') errs.push(required('spec.externalTrafficPolicy'))
  else if (!(TRAFFIC_POLICIES as readonly string[]).includes(d.externalTrafficPolicy)) {
    errs.push(notSupported('spec.externalTrafficPolicy', str(d.externalTrafficPolicy), TRAFFIC_POLICIES))
  }
  if (!needsHealthCheck(d) && d.healthCheckNodePort !== 0) {
    errs.push(
      invalid(
        'spec.healthCheckNodePort',
        num(d.healthCheckNodePort),
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    )
  }
  if (d.internalTrafficPolicy === undefined) {
    if (d.type === 'NodePort' || d.type === 'LoadBalancer' || d.type === 'ClusterIP') errs.push(required('spec.internalTrafficPolicy'))
  } else if (!(TRAFFIC_POLICIES as readonly string[]).includes(d.internalTrafficPolicy)) {
    errs.push(notSupported('spec.internalTrafficPolicy', str(d.internalTrafficPolicy), TRAFFIC_POLICIES))
  }
  const distributions = trafficDistributions(version)
  if (d.trafficDistribution !== undefined && !distributions.includes(d.trafficDistribution)) {
    errs.push(notSupported('spec.trafficDistribution', str(d.trafficDistribution), distributions))
  }
  return errs
}

/** ValidateService: every create rule, collected in upstream order. */
export function validateService(d: ServiceDraft, version: KubernetesVersion): FieldError[] {
  const errs: FieldError[] = validateServiceMeta(d)
  const mode = d.annotations[ANNOTATION_TOPOLOGY_MODE]
  const hints = d.annotations[ANNOTATION_TOPOLOGY_HINTS]
  if (mode !== undefined && hints !== undefined && mode !== hints) {
    errs.push(
      invalid(`metadata.annotations[${ANNOTATION_TOPOLOGY_MODE}]`, str(mode), `must match annotations[${ANNOTATION_TOPOLOGY_HINTS}] when both are specified`),
    )
  }
  if (d.ports.length === 0 && !isHeadless(d) && d.type !== 'ExternalName') errs.push(required('spec.ports'))
  errs.push(...validateTypeSpecific(d))
  errs.push(...validateServicePorts(d))
  errs.push(...validateSelector(d))
  errs.push(...validateAffinity(d))
  errs.push(...validateClusterIPsRelatedFields(d))
  d.externalIPs.forEach((ip, i) => {
    const path = `spec.externalIPs[${i}]`
    if (parseIPSloppy(ip) === undefined) errs.push(invalid(path, str(ip), INVALID_IP))
    else errs.push(...nonSpecialIPErrors(ip, path))
  })
  if (d.type === '') errs.push(required('spec.type'))
  else if (!(SERVICE_TYPES as readonly string[]).includes(d.type)) errs.push(notSupported('spec.type', str(d.type), SERVICE_TYPES))
  errs.push(...validatePortCombinations(d))
  errs.push(...validateSourceRanges(d))
  if (d.allocateLoadBalancerNodePorts !== undefined && d.type !== 'LoadBalancer') {
    errs.push(forbidden('spec.allocateLoadBalancerNodePorts', ONLY_LB))
  }
  if (d.loadBalancerClass !== undefined) {
    if (d.type !== 'LoadBalancer') errs.push(forbidden('spec.loadBalancerClass', ONLY_LB))
    else for (const m of isQualifiedName(d.loadBalancerClass)) errs.push(invalid('spec.loadBalancerClass', str(d.loadBalancerClass), m))
  }
  errs.push(...validateTrafficPolicies(d, version))
  return errs
}
