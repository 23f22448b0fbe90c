/**
 * @module apiserver/service/defaults
 * v1 defaulting of a Service, mirroring pkg/apis/core/v1/defaults.go SetDefaults_Service, and the
 * create-time clusterIP normalisation (pkg/registry/core/service/storage/storage.go
 * normalizeClusterIPs, oldSvc == nil branch). ClusterIPs, ipFamilies, ipFamilyPolicy and
 * nodePorts are NOT defaulted here: the allocator does that (see ip-families.ts).
 */
import type { ServiceDraft } from './draft.ts'

/** v1 `DefaultClientIPServiceAffinitySeconds`. */
export const DEFAULT_CLIENT_IP_TIMEOUT = 10800

/** service.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with externalIPs. */
export function externallyAccessible(d: ServiceDraft): boolean {
  return d.type === 'LoadBalancer' || d.type === 'NodePort' || (d.type === 'ClusterIP' && d.externalIPs.length > 0)
}

/** service.NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local. */
export function needsHealthCheck(d: ServiceDraft): boolean {
  return d.type === 'LoadBalancer' && d.externalTrafficPolicy === 'Local'
}

/** Applies SetDefaults_Service in upstream order. Mutates the draft. */
export function applyV1Defaults(d: ServiceDraft): void {
  if (d.sessionAffinity === '') d.sessionAffinity = 'None'
  // With the v1 API a config next to affinity None is silently dropped, never an error.
  if (d.sessionAffinity === 'None') d.sessionAffinityConfig = undefined
  if (d.sessionAffinity === 'ClientIP' && d.sessionAffinityConfig?.clientIP?.timeoutSeconds === undefined) {
    d.sessionAffinityConfig = { clientIP: { timeoutSeconds: DEFAULT_CLIENT_IP_TIMEOUT } }
  }
  if (d.type === '') d.type = 'ClusterIP'
  for (const p of d.ports) {
    if (p.protocol === '') p.protocol = 'TCP'
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port
  }
  if (externallyAccessible(d) && d.externalTrafficPolicy === '') d.externalTrafficPolicy = 'Cluster'
  if (d.internalTrafficPolicy === undefined && (d.type === 'NodePort' || d.type === 'LoadBalancer' || d.type === 'ClusterIP')) {
    d.internalTrafficPolicy = 'Cluster'
  }
  if (d.type === 'LoadBalancer' && d.allocateLoadBalancerNodePorts === undefined) d.allocateLoadBalancerNodePorts = true
}

/** normalizeClusterIPs on create: `clusterIP` alone initialises `clusterIPs`; never the reverse. */
export function normalizeClusterIPsCreate(d: ServiceDraft): void {
  if (d.clusterIP !== '' && d.clusterIPs.length === 0) d.clusterIPs = [d.clusterIP]
}
