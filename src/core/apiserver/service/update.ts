/**
 * @module apiserver/service/update
 * Pass one of an update (a proposed Service that already exists), mirroring storage.go
 * beginUpdate: patchAllocatedValues (idempotent re-apply keeps ClusterIPs / NodePorts by port
 * name / healthCheckNodePort), normalizeClusterIPs (update branch), alloc.go allocateUpdate
 * (initIPFamilyFields, updateClusterIPs, txnUpdateNodePorts, updateHealthCheckNodePort), then
 * strategy.go dropTypeDependentFields. Releases are deferred until the request succeeds.
 */
import type { Family } from '../../net/ip.ts'
import type { Service } from '../../model/k8s.ts'
import type { Pools } from '../allocate/pools.ts'
import { initIPFamilyFields, isUnchangedPreferDualStack } from '../allocate/ip-families.ts'
import { goStringSlice, invalid, num } from '../validate/field-errors.ts'
import { allocRequestedClusterIPs, allocRequestedHealthCheck, shouldAllocateNodePorts } from './create.ts'
import { applyV1Defaults, externallyAccessible, needsHealthCheck } from './defaults.ts'
import { draftFromService, isHeadless } from './draft.ts'
import type { ServiceDraft } from './draft.ts'
import { failInternal, failInvalid, newRequest, takeIP, takePort } from './request.ts'
import type { Request } from './request.ts'

const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])
const needsClusterIP = (d: ServiceDraft): boolean => d.type !== 'ExternalName'
const needsNodePort = (d: ServiceDraft): boolean => d.type === 'NodePort' || d.type === 'LoadBalancer'

/** patchAllocatedValues. */
export function patchAllocatedValues(d: ServiceDraft, old: ServiceDraft): void {
  if (needsClusterIP(old) && needsClusterIP(d)) {
    if (d.clusterIP === '') d.clusterIP = old.clusterIP
    if (d.clusterIPs.length === 0 && old.clusterIPs.length > 0) d.clusterIPs = [...old.clusterIPs]
  }
  if (needsNodePort(old) && needsNodePort(d)) {
    const used = (x: ServiceDraft): Set<number> => new Set(x.ports.map((p) => p.nodePort).filter((n) => n !== 0))
    const newUsed = used(d)
    const both = new Set([...used(old)].filter((n) => newUsed.has(n)))
    const byName = new Map<string, number>()
    for (const p of old.ports) byName.set(p.name, p.nodePort)
    for (const p of d.ports) {
      if (p.nodePort !== 0) continue
      const v = byName.get(p.name) ?? 0
      if (!both.has(v)) p.nodePort = v
    }
  }
  if (needsHealthCheck(old) && needsHealthCheck(d) && d.healthCheckNodePort === 0) d.healthCheckNodePort = old.healthCheckNodePort
}

/** normalizeClusterIPs, update branch. */
export function normalizeClusterIPsUpdate(d: ServiceDraft, old: ServiceDraft): void {
  if (old.clusterIPs.length > 0 && d.clusterIPs.length === 0 && old.clusterIP === d.clusterIP) d.clusterIPs = [...old.clusterIPs]
  if (old.clusterIP !== d.clusterIP) {
    if (old.clusterIP !== '' && d.clusterIP === '') {
      if (same(old.clusterIPs, d.clusterIPs)) d.clusterIPs = []
    } else if (same(old.clusterIPs, d.clusterIPs)) {
      d.clusterIPs = [d.clusterIP]
    }
  }
}

/** strategy.go dropTypeDependentFields: wipe values that no longer apply if the user left them. */
export function dropTypeDependentFields(d: ServiceDraft, old: ServiceDraft): void {
  if (needsClusterIP(old) && !needsClusterIP(d)) {
    if (same(old.clusterIPs, d.clusterIPs)) {
      d.clusterIP = ''
      d.clusterIPs = []
    }
    if (same(old.ipFamilies, d.ipFamilies)) d.ipFamilies = []
    if (old.ipFamilyPolicy === d.ipFamilyPolicy) d.ipFamilyPolicy = undefined
  }
  if (needsNodePort(old) && !needsNodePort(d)) {
    const sameNodePorts = d.ports.every((p) => p.nodePort === 0 || old.ports.some((o) => o.nodePort === p.nodePort))
    if (sameNodePorts) for (const p of d.ports) p.nodePort = 0
  }
  if (needsHealthCheck(old) && !needsHealthCheck(d) && old.healthCheckNodePort === d.healthCheckNodePort) d.healthCheckNodePort = 0
  if (old.type === 'LoadBalancer' && d.type !== 'LoadBalancer') {
    if (d.allocateLoadBalancerNodePorts !== undefined && old.allocateLoadBalancerNodePorts === d.allocateLoadBalancerNodePorts) {
      d.allocateLoadBalancerNodePorts = undefined
    }
    if (old.loadBalancerClass === d.loadBalancerClass) d.loadBalancerClass = undefined
  }
  if (externallyAccessible(old) && !externallyAccessible(d) && old.externalTrafficPolicy === d.externalTrafficPolicy) {
    d.externalTrafficPolicy = ''
  }
}

function updateClusterIPs(pools: Pools, r: Request, old: ServiceDraft): void {
  const { d } = r
  const release = (fam: string, ip: string): void => {
    const a = pools.ips.get(fam as Family)
    if (a !== undefined && ip !== '' && ip !== 'None') r.txn.releaseLater(() => a.release(ip))
  }
  d.clusterIPs.forEach((_, i) => (r.ipOrigins[i] = 'existing'))
  if (isUnchangedPreferDualStack(d, old)) return
  if (old.type === 'ExternalName' && d.type !== 'ExternalName') {
    allocRequestedClusterIPs(pools, r)
    return
  }
  if (old.type !== 'ExternalName' && d.type === 'ExternalName') {
    old.ipFamilies.forEach((f, i) => release(f, old.clusterIPs[i] ?? ''))
    return
  }
  if (old.ipFamilies.length === 1 && d.ipFamilies.length === 2 && !isHeadless(d)) {
    const fam = d.ipFamilies[1] as Family
    const ip = d.clusterIPs[1] ?? ''
    if (ip === '') {
      if (pools.ips.get(fam)?.full() !== false) return failInternal(r, 'alloc/range-exhausted', 'failed to allocate a serviceIP: range is full')
      while (d.clusterIPs.length < 2) d.clusterIPs.push('')
      r.pendingIPs.push({ index: 1, family: fam })
    } else {
      const res = takeIP(pools, r, fam, ip)
      if (!res.ok) {
        const code = res.reason.startsWith('provided IP is already') ? 'alloc/cluster-ip-taken' : 'alloc/cluster-ip-out-of-range'
        return failInvalid(r, code, [invalid('spec.clusterIPs', goStringSlice(d.clusterIPs), `failed to allocate IP ${ip}: ${res.reason}`)])
      }
      r.ipOrigins[1] = 'requested'
    }
  }
  if (old.ipFamilies.length === 2 && d.ipFamilies.length === 1) release(old.ipFamilies[1] ?? '', old.clusterIPs[1] ?? '')
}

function updateNodePorts(pools: Pools, r: Request, old: ServiceDraft): void {
  const { d } = r
  const oldNumbers = old.ports.map((p) => p.nodePort).filter((n) => n !== 0)
  if (needsNodePort(old) && !needsNodePort(d)) for (const n of oldNumbers) r.txn.releaseLater(() => pools.ports.release(n))
  if (!needsNodePort(d)) return
  const should = shouldAllocateNodePorts(d)
  const takenHere = new Set<number>()
  const seen = new Set<string>()
  for (let i = 0; i < d.ports.length; i++) {
    const p = d.ports[i]
    if (p === undefined || (p.nodePort === 0 && !should)) continue
    if (p.nodePort !== 0) {
      if (!oldNumbers.includes(p.nodePort) && !takenHere.has(p.nodePort)) {
        const res = takePort(pools, r, p.nodePort)
        if (!res.ok) {
          const code = res.reason.includes('already allocated') ? 'alloc/node-port-taken' : 'alloc/node-port-out-of-range'
          return failInvalid(r, code, [invalid(`spec.ports[${i}].nodePort`, num(p.nodePort), res.reason)])
        }
        takenHere.add(p.nodePort)
        r.portOrigins[i] = 'requested'
      } else {
        r.portOrigins[i] = oldNumbers.includes(p.nodePort) ? 'existing' : 'requested'
      }
      const k = `${p.protocol}/${p.nodePort}`
      if (seen.has(k)) return failInternal(r, 'alloc/node-port-taken', `duplicate nodePort: {${p.protocol} ${p.nodePort}}`)
      seen.add(k)
    } else {
      // On update every unset entry gets its own value (no TCP/UDP sharing, alloc.go updateNodePorts).
      if (pools.ports.full()) return failInternal(r, 'alloc/range-exhausted', 'failed to allocate a nodePort: range is full')
      r.pendingPorts.push({ seedKey: `${p.port}/${i}`, indices: [i] })
    }
  }
  const newNumbers = new Set(d.ports.map((p) => p.nodePort))
  for (const n of oldNumbers) if (!newNumbers.has(n)) r.txn.releaseLater(() => pools.ports.release(n))
}

function updateHealthCheck(pools: Pools, r: Request, old: ServiceDraft): void {
  const { d } = r
  if (!needsHealthCheck(old) && needsHealthCheck(d)) allocRequestedHealthCheck(pools, r)
  else if (needsHealthCheck(old) && !needsHealthCheck(d)) {
    const n = old.healthCheckNodePort
    if (n !== 0) r.txn.releaseLater(() => pools.ports.release(n))
  } else if (needsHealthCheck(d)) r.hcnpOrigin = 'existing'
}

/** Pass one of an update of `existing` by the proposed `svc`. */
export function beginUpdate(pools: Pools, svc: Service, old: ServiceDraft): Request {
  const d = draftFromService(svc)
  applyV1Defaults(d)
  const r = newRequest(svc, d, old)
  patchAllocatedValues(d, old)
  normalizeClusterIPsUpdate(d, old)
  const famErrs = initIPFamilyFields(d, old, pools.families)
  if (famErrs.length > 0) {
    failInvalid(r, 'alloc/ip-family-invalid', famErrs)
    return r
  }
  updateClusterIPs(pools, r, old)
  if (r.failure === undefined) updateNodePorts(pools, r, old)
  if (r.failure === undefined) updateHealthCheck(pools, r, old)
  d.ports.forEach((p, i) => {
    if (p.nodePort !== 0 && r.portOrigins[i] === undefined) {
      r.portOrigins[i] = old.ports.some((o) => o.nodePort === p.nodePort) ? 'existing' : 'requested'
    }
  })
  dropTypeDependentFields(d, old)
  return r
}
