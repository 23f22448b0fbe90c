/**
 * @module plan/updates
 * A Service given on both sides (existing via `--cluster`, and proposed) is an update of the
 * existing one. The apiserver stage is the place for update semantics; this module makes the
 * plan hold exactly one object per name whatever that stage hands back, patching in the values
 * an update keeps. Mirrors pkg/registry/core/service/storage/storage.go patchAllocatedValues.
 */
import type { EndpointSlice, Service, ServicePort } from '../model/k8s.ts'

/** `ns/name` key of a namespaced object. */
export function keyOf(o: { metadata: { namespace: string; name: string } }): string {
  return `${o.metadata.namespace}/${o.metadata.name}`
}

function needsClusterIP(s: Service): boolean {
  return s.spec.type !== 'ExternalName'
}

function needsNodePort(s: Service): boolean {
  return s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer'
}

function needsHealthCheckNodePort(s: Service): boolean {
  return s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local'
}

/**
 * The proposed Service with the allocated values of the existing one patched in where the
 * proposed one omits them: clusterIP(s) (and ipFamilies with them), NodePorts matched by port
 * name unless another port of the new object already uses that value, healthCheckNodePort.
 */
export function patchAllocatedValues(existing: Service, proposed: Service): Service {
  let spec = proposed.spec
  if (needsClusterIP(existing) && needsClusterIP(proposed)) {
    const clusterIP = spec.clusterIP ? spec.clusterIP : existing.spec.clusterIP
    const clusterIPs = spec.clusterIPs && spec.clusterIPs.length > 0 ? spec.clusterIPs : existing.spec.clusterIPs
    const ipFamilies = spec.ipFamilies && spec.ipFamilies.length > 0 ? spec.ipFamilies : existing.spec.ipFamilies
    spec = {
      ...spec,
      ...(clusterIP !== undefined ? { clusterIP } : {}),
      ...(clusterIPs !== undefined ? { clusterIPs } : {}),
      ...(ipFamilies !== undefined ? { ipFamilies } : {}),
    }
  }
  if (needsNodePort(existing) && needsNodePort(proposed)) {
    const usedByNew = new Set(proposed.spec.ports.map((p) => p.nodePort ?? 0).filter((n) => n !== 0))
    const byName = new Map(existing.spec.ports.map((p) => [p.name, p.nodePort ?? 0]))
    const ports: ServicePort[] = spec.ports.map((p) => {
      if (p.nodePort) return p
      const old = byName.get(p.name) ?? 0
      return old !== 0 && !usedByNew.has(old) ? { ...p, nodePort: old } : p
    })
    spec = { ...spec, ports }
  }
  if (needsHealthCheckNodePort(existing) && needsHealthCheckNodePort(proposed) && !spec.healthCheckNodePort && existing.spec.healthCheckNodePort) {
    spec = { ...spec, healthCheckNodePort: existing.spec.healthCheckNodePort }
  }
  return spec === proposed.spec ? proposed : { ...proposed, spec }
}

/**
 * One Service per `ns/name`: a proposed one replaces an existing one (patched with
 * {@link patchAllocatedValues}). Order of first appearance is kept.
 */
export function mergeServiceUpdates(services: readonly Service[]): Service[] {
  const out = new Map<string, Service>()
  for (const s of services) {
    const key = keyOf(s)
    const prev = out.get(key)
    if (prev === undefined) out.set(key, s)
    else if (prev.origin === 'existing' && s.origin === 'proposed') out.set(key, patchAllocatedValues(prev, s))
    else if (prev.origin === 'proposed' && s.origin === 'existing') out.set(key, patchAllocatedValues(s, prev))
    // Same side twice: the parse stage already reported the duplicate; keep the first.
  }
  return [...out.values()]
}

/** One EndpointSlice per `ns/name`: the proposed one replaces an existing one. */
export function mergeSliceUpdates(slices: readonly EndpointSlice[]): EndpointSlice[] {
  const out = new Map<string, EndpointSlice>()
  for (const s of slices) {
    const key = keyOf(s)
    const prev = out.get(key)
    if (prev === undefined || (prev.origin === 'existing' && s.origin === 'proposed')) out.set(key, s)
  }
  return [...out.values()]
}

/** `ns/name` of every Service given on both sides. */
export function updatedServiceKeys(services: readonly Service[]): Set<string> {
  const existing = new Set(services.filter((s) => s.origin === 'existing').map(keyOf))
  return new Set(services.filter((s) => s.origin === 'proposed' && existing.has(keyOf(s))).map(keyOf))
}

/**
 * The existing object of every updated Service ({@link updatedServiceKeys}) by `ns/name`: the
 * `existing` side a plan's Service views are built with (plan/stages.ts `assemblePlan`, and
 * plan/services.ts `serviceIndexOf` for a diff). Without an existing Service there is no update,
 * and no key is built.
 */
export function existingOfUpdates(services: readonly Service[]): Map<string, Service> {
  if (!services.some((s) => s.origin === 'existing')) return new Map()
  const updated = updatedServiceKeys(services)
  return new Map(services.filter((s) => s.origin === 'existing' && updated.has(keyOf(s))).map((s) => [keyOf(s), s]))
}
