/**
 * Which endpoints each traffic policy uses. Mirrors pkg/proxy/topology.go CategorizeEndpoints
 * and topologyModeFromHints.
 */
import type { CategorizedEndpoints, ProxyEndpoint, ServicePortInfo } from './types.ts'

/** Absent hints, without allocating an empty array per endpoint and call. */
const NO_HINTS: readonly string[] = []

/** Inputs from kube-proxy's node: its name, zone label, and the PreferSameTrafficDistribution gate. */
export interface TopologyContext {
  readonly nodeName: string
  readonly zone: string
  readonly nodeHintsEnabled: boolean
}

/**
 * topologyModeFromHints: looks only at ready endpoints. Node hints win when the gate is on,
 * every ready endpoint has some, and one names this node; else zone hints when every ready
 * endpoint has some and one names this zone; else no filtering. The fallback is decided here,
 * for the whole service port, never per endpoint.
 */
export function topologyMode(endpoints: readonly ProxyEndpoint[], ctx: TopologyContext): '' | 'PreferSameNode' | 'PreferSameZone' {
  let hasForNode = false
  let allHaveNodeHints = true
  let hasForZone = false
  let allHaveZoneHints = true
  for (const ep of endpoints) {
    if (!ep.ready) continue
    const zones = ep.zoneHints ?? NO_HINTS
    if (zones.length === 0) allHaveZoneHints = false
    else if (zones.includes(ctx.zone)) hasForZone = true
    const nodes = ep.nodeHints ?? NO_HINTS
    if (nodes.length === 0) allHaveNodeHints = false
    else if (nodes.includes(ctx.nodeName)) hasForNode = true
  }
  if (ctx.nodeHintsEnabled && allHaveNodeHints && hasForNode) return 'PreferSameNode'
  if (allHaveZoneHints && hasForZone) return 'PreferSameZone'
  return ''
}

function availableForTopology(ep: ProxyEndpoint, mode: string, ctx: TopologyContext): boolean {
  switch (mode) {
    case 'PreferSameNode':
      return (ep.nodeHints ?? NO_HINTS).includes(ctx.nodeName)
    case 'PreferSameZone':
      return (ep.zoneHints ?? NO_HINTS).includes(ctx.zone)
    default:
      return true
  }
}

/**
 * CategorizeEndpoints: the endpoints for Cluster policy, for Local policy, everything reachable
 * from this node (the SEP chains to write), and whether the service has usable endpoints anywhere.
 *
 * Upstream builds the union (topology or terminating-local case) through a Go map, so its order
 * is random; only SEP declaration order depends on it. We keep cluster endpoints first, then
 * local ones not already present, each in sorted endpoint order.
 */
export function categorizeEndpoints(endpoints: readonly ProxyEndpoint[], svc: ServicePortInfo, ctx: TopologyContext): CategorizedEndpoints {
  let clusterEndpoints: readonly ProxyEndpoint[] = []
  let hasAnyEndpoints = false
  let mode: '' | 'PreferSameNode' | 'PreferSameZone' = ''

  if (svc.usesClusterEndpoints) {
    mode = topologyMode(endpoints, ctx)
    clusterEndpoints = endpoints.filter((ep) => ep.ready && availableForTopology(ep, mode, ctx))
    // No ready endpoints anywhere (topology never empties the list): fall back to endpoints that
    // are still serving while terminating, ignoring topology.
    if (clusterEndpoints.length === 0) clusterEndpoints = endpoints.filter((ep) => ep.serving && ep.terminating)
    if (clusterEndpoints.length > 0) hasAnyEndpoints = true
  }

  if (!svc.usesLocalEndpoints) {
    return { clusterEndpoints, localEndpoints: [], allReachableEndpoints: clusterEndpoints, hasAnyEndpoints, topologyMode: mode }
  }

  let hasLocalReady = false
  let hasLocalServingTerminating = false
  for (const ep of endpoints) {
    if (ep.ready) {
      hasAnyEndpoints = true
      if (ep.isLocal) hasLocalReady = true
    } else if (ep.serving && ep.terminating) {
      hasAnyEndpoints = true
      if (ep.isLocal) hasLocalServingTerminating = true
    }
  }

  let localEndpoints: readonly ProxyEndpoint[] = []
  let useServingTerminating = false
  if (hasLocalReady) {
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.ready)
  } else if (hasLocalServingTerminating) {
    useServingTerminating = true
    localEndpoints = endpoints.filter((ep) => ep.isLocal && ep.serving && ep.terminating)
  }

  if (!svc.usesClusterEndpoints) {
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: localEndpoints, hasAnyEndpoints, topologyMode: mode }
  }
  if (mode === '' && !useServingTerminating) {
    // localEndpoints are ready and cluster has every ready endpoint: cluster is a superset.
    return { clusterEndpoints, localEndpoints, allReachableEndpoints: clusterEndpoints, hasAnyEndpoints, topologyMode: mode }
  }
  const seen = new Set<string>()
  const union: ProxyEndpoint[] = []
  for (const ep of [...clusterEndpoints, ...localEndpoints]) {
    if (seen.has(ep.endpoint)) continue
    seen.add(ep.endpoint)
    union.push(ep)
  }
  return { clusterEndpoints, localEndpoints, allReachableEndpoints: union, hasAnyEndpoints, topologyMode: mode }
}
