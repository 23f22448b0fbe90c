/**
 * @module plan/services
 * The per-Service part of the plan: effective type, addresses, ports and where each allocated
 * value came from (the apiserver stage's allocation report merged in).
 */
import type { ServiceAllocation, ValueOrigin } from '../apiserver/types.ts'
import type { Service } from '../model/k8s.ts'
import { keyOf } from './updates.ts'
import type { PlannedPort, PlannedService } from './types.ts'

/**
 * Summarises every Service kube-proxy will see, sorted by namespace/name.
 *
 * @param services the Services after updates were merged (one per name)
 * @param allocations the apiserver stage's allocation report
 * @param existingByKey the existing side of every updated Service, so values carried over from
 *   it are labelled `existing` even when the stage labelled them `requested`
 */
export function planServices(
  services: readonly Service[],
  allocations: readonly ServiceAllocation[],
  existingByKey: ReadonlyMap<string, Service>,
): PlannedService[] {
  const allocByKey = new Map<string, ServiceAllocation>()
  for (const a of allocations) {
    const key = `${a.namespace}/${a.name}`
    // Both sides of an update may have an allocation entry; the proposed (later) one wins.
    allocByKey.set(key, a)
  }
  return services
    .map((s) => planService(s, allocByKey.get(keyOf(s)), existingByKey.get(keyOf(s))))
    .sort((a, b) => cmp(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`))
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function carried(origin: ValueOrigin | undefined, same: boolean): ValueOrigin | undefined {
  return origin === 'requested' && same ? 'existing' : origin
}

function planService(s: Service, alloc: ServiceAllocation | undefined, existing: Service | undefined): PlannedService {
  const spec = s.spec
  const type = spec.type === '' ? 'ClusterIP' : spec.type
  const specIPs = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : []
  const clusterIPs = alloc && alloc.clusterIPs.length > 0 ? alloc.clusterIPs : specIPs
  const existingIPs = existing?.spec.clusterIPs ?? (existing?.spec.clusterIP ? [existing.spec.clusterIP] : [])
  const clusterIPOrigin = carried(alloc?.clusterIPOrigin, existing !== undefined && clusterIPs.join(',') === existingIPs.join(','))

  const ports: PlannedPort[] = spec.ports.map((p, i) => {
    const a = alloc?.ports.find((ap) => ap.name === p.name && ap.protocol === p.protocol && ap.port === p.port) ?? alloc?.ports[i]
    const nodePort = a?.nodePort ?? p.nodePort ?? 0
    const oldNodePort = existing?.spec.ports.find((op) => op.name === p.name)?.nodePort ?? 0
    const nodePortOrigin = carried(a?.nodePortOrigin, existing !== undefined && nodePort !== 0 && nodePort === oldNodePort)
    return {
      name: p.name,
      protocol: p.protocol,
      port: p.port,
      ...(p.targetPort !== undefined ? { targetPort: p.targetPort } : {}),
      nodePort,
      ...(nodePort !== 0 && nodePortOrigin ? { nodePortOrigin } : {}),
    }
  })

  const hcnp = alloc?.healthCheckNodePort ?? spec.healthCheckNodePort
  const hcnpOrigin = carried(alloc?.healthCheckNodePortOrigin, existing !== undefined && hcnp === existing.spec.healthCheckNodePort)
  const notProxied =
    type === 'ExternalName'
      ? 'ExternalName Service: resolved by DNS only, kube-proxy writes no rules'
      : clusterIPs.length === 0 || clusterIPs[0] === 'None'
        ? 'headless Service: no cluster IP, kube-proxy writes no rules (DNS returns the endpoints)'
        : undefined

  return {
    namespace: s.metadata.namespace,
    name: s.metadata.name,
    type,
    origin: s.origin,
    update: existing !== undefined,
    clusterIPs,
    ...(clusterIPOrigin && clusterIPs.length > 0 && !notProxied ? { clusterIPOrigin } : {}),
    ipFamilies: alloc && alloc.ipFamilies.length > 0 ? alloc.ipFamilies : (spec.ipFamilies ?? []),
    ports,
    ...(hcnp ? { healthCheckNodePort: hcnp, ...(hcnpOrigin ? { healthCheckNodePortOrigin: hcnpOrigin } : {}) } : {}),
    externalIPs: spec.externalIPs ?? [],
    loadBalancerIngress: (s.status.loadBalancer?.ingress ?? []).map((i) => i.ip ?? i.hostname ?? '').filter((x) => x !== ''),
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
    externalTrafficPolicy: spec.externalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    internalTrafficPolicy: spec.internalTrafficPolicy === 'Local' ? 'Local' : 'Cluster',
    sessionAffinity: spec.sessionAffinity === 'ClientIP' ? 'ClientIP' : 'None',
    ...(notProxied ? { notProxied } : {}),
    source: s.source,
  }
}
