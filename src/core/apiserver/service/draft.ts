/**
 * @module apiserver/service/draft
 * A mutable working copy of a Service spec, the way kube-apiserver holds the decoded object while
 * it defaults, allocates and validates it. Read from the raw document first (so an enum value the
 * typed view could not represent, e.g. `protocol: FOO`, still reaches validation with the user's
 * spelling), falling back to the typed view.
 */
import type { Building } from '../../building.ts'
import type { IPFamily, Protocol, Service, ServicePort, ServiceSpec } from '../../model/k8s.ts'

/** One entry of `spec.ports`, mutable. */
export interface PortDraft {
  name: string
  protocol: string
  port: number
  /** undefined, 0 and '' all mean "unset" (defaulted to `port`). */
  targetPort: number | string | undefined
  nodePort: number
  appProtocol: string | undefined
}

/** A Service spec being processed, mutable; `''` / `undefined` mean unset like Go zero values. */
export interface ServiceDraft {
  namespace: string
  name: string
  annotations: Readonly<Record<string, string>>
  type: string
  /** undefined: no selector (nil); `{}` is kept but behaves like nil (omitempty). */
  selector: Record<string, string> | undefined
  clusterIP: string
  clusterIPs: string[]
  ipFamilies: string[]
  /** undefined = nil pointer. */
  ipFamilyPolicy: string | undefined
  ports: PortDraft[]
  externalIPs: string[]
  loadBalancerSourceRanges: string[]
  loadBalancerIP: string | undefined
  loadBalancerClass: string | undefined
  externalTrafficPolicy: string
  internalTrafficPolicy: string | undefined
  healthCheckNodePort: number
  sessionAffinity: string
  sessionAffinityConfig: { clientIP?: { timeoutSeconds?: number } } | undefined
  publishNotReadyAddresses: boolean
  allocateLoadBalancerNodePorts: boolean | undefined
  externalName: string
  trafficDistribution: string | undefined
}

type Rec = Readonly<Record<string, unknown>>
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)
const strOf = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const numOf = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const strList = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : undefined

function readPorts(raw: unknown, typed: readonly ServicePort[]): PortDraft[] {
  if (!Array.isArray(raw)) {
    return typed.map((p) => ({
      name: p.name,
      protocol: p.protocol,
      port: p.port,
      targetPort: p.targetPort,
      nodePort: p.nodePort ?? 0,
      appProtocol: p.appProtocol,
    }))
  }
  return raw.map((r, i) => {
    const t = typed[i]
    const rp: Rec = isRec(r) ? r : {}
    const tp = rp['targetPort']
    return {
      name: strOf(rp['name']) ?? t?.name ?? '',
      protocol: strOf(rp['protocol']) ?? t?.protocol ?? '',
      port: numOf(rp['port']) ?? t?.port ?? 0,
      targetPort: typeof tp === 'number' || typeof tp === 'string' ? tp : t?.targetPort,
      nodePort: numOf(rp['nodePort']) ?? t?.nodePort ?? 0,
      appProtocol: strOf(rp['appProtocol']) ?? t?.appProtocol,
    }
  })
}

function readSelector(raw: unknown, typed: ServiceSpec['selector']): Record<string, string> | undefined {
  if (isRec(raw)) {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(raw)) out[k] = typeof v === 'string' ? v : String(v)
    return out
  }
  return typed ? { ...typed } : undefined
}

/** Builds a draft from a parsed Service, preferring the user's literal spelling from `raw`. */
export function draftFromService(svc: Service): ServiceDraft {
  const rawSpec: Rec = isRec(svc.raw['spec']) ? (svc.raw['spec'] as Rec) : {}
  const s = svc.spec
  const has = (k: string): boolean => k in rawSpec && rawSpec[k] !== null && rawSpec[k] !== undefined
  const sacRaw = rawSpec['sessionAffinityConfig']
  let sac: ServiceDraft['sessionAffinityConfig'] = s.sessionAffinityConfig
    ? { clientIP: s.sessionAffinityConfig.clientIP ? { ...s.sessionAffinityConfig.clientIP } : undefined }
    : undefined
  if (isRec(sacRaw)) {
    const cip = sacRaw['clientIP']
    const t = isRec(cip) ? numOf(cip['timeoutSeconds']) : undefined
    sac = isRec(cip) ? { clientIP: t === undefined ? {} : { timeoutSeconds: t } } : {}
  }
  const alloc = rawSpec['allocateLoadBalancerNodePorts']
  return {
    namespace: svc.metadata.namespace,
    name: svc.metadata.name,
    annotations: svc.metadata.annotations,
    type: strOf(rawSpec['type']) ?? s.type ?? '',
    selector: has('selector') ? readSelector(rawSpec['selector'], s.selector) : s.selector ? { ...s.selector } : undefined,
    clusterIP: strOf(rawSpec['clusterIP']) ?? s.clusterIP ?? '',
    clusterIPs: strList(rawSpec['clusterIPs']) ?? [...(s.clusterIPs ?? [])],
    ipFamilies: strList(rawSpec['ipFamilies']) ?? [...(s.ipFamilies ?? [])],
    ipFamilyPolicy: strOf(rawSpec['ipFamilyPolicy']) ?? s.ipFamilyPolicy,
    ports: readPorts(rawSpec['ports'], s.ports),
    externalIPs: strList(rawSpec['externalIPs']) ?? [...(s.externalIPs ?? [])],
    loadBalancerSourceRanges: strList(rawSpec['loadBalancerSourceRanges']) ?? [...(s.loadBalancerSourceRanges ?? [])],
    loadBalancerIP: strOf(rawSpec['loadBalancerIP']) ?? s.loadBalancerIP,
    loadBalancerClass: strOf(rawSpec['loadBalancerClass']),
    externalTrafficPolicy: strOf(rawSpec['externalTrafficPolicy']) ?? s.externalTrafficPolicy ?? '',
    internalTrafficPolicy: strOf(rawSpec['internalTrafficPolicy']) ?? (s.internalTrafficPolicy || undefined),
    healthCheckNodePort: numOf(rawSpec['healthCheckNodePort']) ?? s.healthCheckNodePort ?? 0,
    sessionAffinity: strOf(rawSpec['sessionAffinity']) ?? s.sessionAffinity ?? '',
    sessionAffinityConfig: sac,
    publishNotReadyAddresses: rawSpec['publishNotReadyAddresses'] === true || s.publishNotReadyAddresses === true,
    allocateLoadBalancerNodePorts: typeof alloc === 'boolean' ? alloc : s.allocateLoadBalancerNodePorts,
    externalName: strOf(rawSpec['externalName']) ?? s.externalName ?? '',
    trafficDistribution: strOf(rawSpec['trafficDistribution']) ?? s.trafficDistribution,
  }
}

/**
 * An object already stored in the cluster, read back with default-on-read (old objects get
 * `clusterIPs`, `ipFamilies` and a policy filled in; docs dual-stack.md "existing Services").
 */
export function draftFromExisting(svc: Service, primaryFamily: IPFamily): ServiceDraft {
  const d = draftFromService(svc)
  if (d.type === '') d.type = 'ClusterIP'
  if (d.clusterIPs.length === 0 && d.clusterIP !== '') d.clusterIPs = [d.clusterIP]
  if (d.clusterIP === '' && d.clusterIPs.length > 0) d.clusterIP = d.clusterIPs[0] ?? ''
  if (d.type !== 'ExternalName' && d.ipFamilies.length === 0) {
    if (d.clusterIP === 'None' || d.clusterIPs.length === 0) d.ipFamilies = [primaryFamily]
    else d.ipFamilies = d.clusterIPs.map((ip) => (ip.includes(':') ? 'IPv6' : 'IPv4'))
  }
  if (d.type !== 'ExternalName' && d.ipFamilyPolicy === undefined) d.ipFamilyPolicy = 'SingleStack'
  for (const p of d.ports) if (p.protocol === '') p.protocol = 'TCP'
  return d
}

/** True for `clusterIP: None` (isHeadlessService checks the singular field). */
export function isHeadless(d: ServiceDraft): boolean {
  return d.clusterIP === 'None'
}

/** `len(selector) == 0`: nil and `{}` alike. */
export function isSelectorless(d: ServiceDraft): boolean {
  return d.selector === undefined || Object.keys(d.selector).length === 0
}

/** Writes an accepted draft back as a typed Service (values were validated, so casts are safe). */
export function draftToService(original: Service, d: ServiceDraft): Service {
  // Assigned field by field in the literal order (building.ts), not with conditional spreads.
  const spec: Building<ServiceSpec> = { type: d.type as ServiceSpec['type'] }
  if (d.selector !== undefined) spec.selector = { ...d.selector }
  if (d.clusterIP !== '') spec.clusterIP = d.clusterIP
  if (d.clusterIPs.length > 0) spec.clusterIPs = [...d.clusterIPs]
  if (d.ipFamilies.length > 0) spec.ipFamilies = d.ipFamilies as IPFamily[]
  if (d.ipFamilyPolicy !== undefined) spec.ipFamilyPolicy = d.ipFamilyPolicy as ServiceSpec['ipFamilyPolicy']
  spec.ports = d.ports.map((p) => {
    const port: Building<ServicePort> = { name: p.name, protocol: p.protocol as Protocol, port: p.port }
    if (p.targetPort !== undefined) port.targetPort = p.targetPort
    if (p.nodePort) port.nodePort = p.nodePort
    if (p.appProtocol !== undefined) port.appProtocol = p.appProtocol
    return port as ServicePort
  })
  if (d.externalIPs.length > 0) spec.externalIPs = [...d.externalIPs]
  if (d.loadBalancerSourceRanges.length > 0) spec.loadBalancerSourceRanges = [...d.loadBalancerSourceRanges]
  if (d.loadBalancerIP !== undefined) spec.loadBalancerIP = d.loadBalancerIP
  if (d.externalTrafficPolicy !== '') spec.externalTrafficPolicy = d.externalTrafficPolicy as ServiceSpec['externalTrafficPolicy']
  if (d.internalTrafficPolicy !== undefined) spec.internalTrafficPolicy = d.internalTrafficPolicy as ServiceSpec['internalTrafficPolicy']
  if (d.healthCheckNodePort) spec.healthCheckNodePort = d.healthCheckNodePort
  if (d.sessionAffinity !== '') spec.sessionAffinity = d.sessionAffinity as ServiceSpec['sessionAffinity']
  if (d.sessionAffinityConfig !== undefined) spec.sessionAffinityConfig = d.sessionAffinityConfig
  if (d.publishNotReadyAddresses) spec.publishNotReadyAddresses = true
  if (d.allocateLoadBalancerNodePorts !== undefined) spec.allocateLoadBalancerNodePorts = d.allocateLoadBalancerNodePorts
  if (d.externalName !== '') spec.externalName = d.externalName
  if (d.trafficDistribution !== undefined) spec.trafficDistribution = d.trafficDistribution
  const status = d.type === 'LoadBalancer' ? original.status : {}
  return { ...original, spec: spec as ServiceSpec, status }
}
