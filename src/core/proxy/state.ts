/**
 * The backend-neutral front end: Services + EndpointSlices → every service port of one family
 * with its sorted and categorised endpoints (kube-proxy's svcPortMap + endpointsMap +
 * CategorizeEndpoints), in the renderer's fixed order.
 */
import type { Issue, Staged } from '../issues.ts'
import type { ProxyConfig } from '../model/cluster.ts'
import type { EndpointSlice, Service } from '../model/k8s.ts'
import { buildEndpointsMap, duplicateAssumption, servicePortKey } from './endpoints.ts'
import { gateEnabled, LOAD_BALANCER_IP_MODE, PREFER_SAME_TRAFFIC_DISTRIBUTION } from '../model/feature-gates.ts'
import { serviceToServicePorts, type ServicePortOptions } from './service-port.ts'
import { categorizeEndpoints, type TopologyContext } from './topology.ts'
import type { ProxyState, ServicePortInfo, ServicePortPlan } from './types.ts'

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The renderer's fixed service-port order (kube-proxy ranges over a Go map, and proxier_test.go
 * sortIPTablesRules orders rules by `ns/name` only, so one order must be chosen): `ns/name`, then the
 * ServicePortName string, then protocol, all byte-wise. kube-proxy itself iterates a Go map.
 */
export function compareServicePorts(a: ServicePortInfo, b: ServicePortInfo): number {
  return (
    compareStrings(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`) ||
    compareStrings(a.spn, b.spn) ||
    compareStrings(a.protocol, b.protocol)
  )
}

/**
 * Like {@link buildProxyState}, also returning the issues found (unparsable cluster IPs,
 * endpoint addresses kube-proxy would ignore).
 */
export function buildProxyStateStaged(services: readonly Service[], slices: readonly EndpointSlice[], cfg: ProxyConfig): Staged<ProxyState> {
  const issues: Issue[] = []
  const family = cfg.ipFamily
  // Gates at the kube-proxy release's defaults unless the KubeProxyConfiguration sets them.
  const nodeHints = gateEnabled(cfg.featureGates, PREFER_SAME_TRAFFIC_DISTRIBUTION, cfg.kubernetesVersion)

  // One Service per ns/name: a later object replaces an earlier one, like the change tracker.
  const byName = new Map<string, Service>()
  for (const svc of services) byName.set(`${svc.metadata.namespace}/${svc.metadata.name}`, svc)
  const infos: ServicePortInfo[] = []
  const portOpts: ServicePortOptions = { loadBalancerIPMode: gateEnabled(cfg.featureGates, LOAD_BALANCER_IP_MODE, cfg.kubernetesVersion) }
  for (const svc of byName.values()) infos.push(...serviceToServicePorts(svc, family, issues, portOpts))
  infos.sort(compareServicePorts)

  const endpointsMap = buildEndpointsMap(slices, { family, nodeName: cfg.nodeName, nodeHints, version: cfg.kubernetesVersion }, issues)
  const ctx: TopologyContext = { nodeName: cfg.nodeName, zone: cfg.nodeZone ?? '', nodeHintsEnabled: nodeHints }
  let totalEndpoints = 0
  const servicePorts: ServicePortPlan[] = infos.map((info) => {
    const endpoints = endpointsMap.get(servicePortKey(info.spn, info.protocol)) ?? []
    // largeClusterEndpointsThreshold counts every endpoint of every proxied service port.
    totalEndpoints += endpoints.length
    return { info, endpoints, categorized: categorizeEndpoints(endpoints, info, ctx) }
  })
  const assumptions = issues.some((i) => i.code === 'proxy/duplicate-endpoint') ? [duplicateAssumption(cfg.kubernetesVersion)] : []
  return { value: { family, servicePorts, totalEndpoints, assumptions }, issues }
}

/**
 * kube-proxy's view of the cluster for one family: service ports sorted by (ns/name, spn,
 * protocol), each with its endpoints (sorted by `ip:port`) and categorised lists.
 *
 * @example
 * const state = buildProxyState(services, slices, cfg)
 * const ruleset = buildIptablesRuleset(state, cfg)
 */
export function buildProxyState(services: readonly Service[], slices: readonly EndpointSlice[], cfg: ProxyConfig): ProxyState {
  return buildProxyStateStaged(services, slices, cfg).value
}
