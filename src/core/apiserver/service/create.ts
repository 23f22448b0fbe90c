/**
 * @module apiserver/service/create
 * Pass one of a create: defaulting, ipFamily initialisation and every *requested* allocation,
 * mirroring storage.go beginCreate → alloc.go allocateCreate (initIPFamilyFields,
 * txnAllocClusterIPs, txnAllocNodePorts with initNodePorts, allocHealthCheckNodePort). Dynamic
 * values are queued for pass two (request.ts allocateDynamic), after a check that the range is
 * not already full so exhaustion is still reported at the step where upstream reports it.
 */
import type { Family } from '../../net/ip.ts'
import type { Service } from '../../model/k8s.ts'
import type { Pools } from '../allocate/pools.ts'
import { initIPFamilyFields } from '../allocate/ip-families.ts'
import { goStringSlice, invalid, num } from '../validate/field-errors.ts'
import { applyV1Defaults, needsHealthCheck, normalizeClusterIPsCreate } from './defaults.ts'
import { draftFromService, isHeadless } from './draft.ts'
import type { ServiceDraft } from './draft.ts'
import { failInternal, failInvalid, newRequest, takeIP, takePort } from './request.ts'
import type { Request } from './request.ts'

/** shouldAllocateNodePorts: NodePort always; LoadBalancer unless allocateLoadBalancerNodePorts is false. */
export function shouldAllocateNodePorts(d: ServiceDraft): boolean {
  if (d.type === 'NodePort') return true
  if (d.type === 'LoadBalancer') return d.allocateLoadBalancerNodePorts !== false
  return false
}

/** allocClusterIPs, requested part: one field error on the whole list for any failure. */
export function allocRequestedClusterIPs(pools: Pools, r: Request): void {
  const { d } = r
  if (d.type === 'ExternalName' || d.clusterIPs[0] === 'None') return
  d.ipFamilies.forEach((fam, i) => {
    if (r.failure !== undefined) return
    const ip = d.clusterIPs[i] ?? ''
    if (ip === '') {
      if (pools.ips.get(fam as Family)?.full() !== false) {
        failInternal(r, 'alloc/range-exhausted', 'failed to allocate a serviceIP: range is full')
        return
      }
      r.pendingIPs.push({ index: i, family: fam as Family })
      return
    }
    const res = takeIP(pools, r, fam as Family, ip)
    if (!res.ok) {
      const code = res.reason.startsWith('provided IP is already') ? 'alloc/cluster-ip-taken' : 'alloc/cluster-ip-out-of-range'
      failInvalid(r, code, [invalid('spec.clusterIPs', goStringSlice(d.clusterIPs), `failed to allocate IP ${ip}: ${res.reason}`)])
      return
    }
    r.ipOrigins[i] = 'requested'
  })
  while (d.clusterIPs.length < d.ipFamilies.length) d.clusterIPs.push('')
}

/** initNodePorts, requested part; ports with the same `port` share one value (TCP+UDP). */
export function allocRequestedNodePorts(pools: Pools, r: Request): void {
  const { d } = r
  if (d.type !== 'NodePort' && d.type !== 'LoadBalancer') return
  const should = shouldAllocateNodePorts(d)
  const byPort = new Map<number, number | 'pending'>()
  const groups = new Map<number, number[]>()
  for (let i = 0; i < d.ports.length && r.failure === undefined; i++) {
    const p = d.ports[i]
    if (p === undefined || (p.nodePort === 0 && !should)) continue
    const np = byPort.get(p.port)
    const fail = (n: number, reason: string): void => {
      const code = reason.includes('already allocated') ? 'alloc/node-port-taken' : 'alloc/node-port-out-of-range'
      failInvalid(r, code, [invalid(`spec.ports[${i}].nodePort`, num(n), reason)])
    }
    if (np === undefined) {
      const requested = d.ports.find((q) => q.port === p.port && q.nodePort !== 0)?.nodePort ?? 0
      if (requested !== 0) {
        const res = takePort(pools, r, requested)
        if (!res.ok) return fail(requested, res.reason)
        p.nodePort = requested
        r.portOrigins[i] = 'requested'
        byPort.set(p.port, requested)
      } else {
        if (pools.ports.full()) return failInternal(r, 'alloc/range-exhausted', 'failed to allocate a nodePort: range is full')
        groups.set(p.port, [i])
        byPort.set(p.port, 'pending')
      }
    } else if (np === 'pending') {
      groups.get(p.port)?.push(i)
    } else if (p.nodePort !== np) {
      if (p.nodePort === 0) {
        p.nodePort = np
        r.portOrigins[i] = 'requested'
      } else {
        const res = takePort(pools, r, p.nodePort)
        if (!res.ok) return fail(p.nodePort, res.reason)
        r.portOrigins[i] = 'requested'
      }
    } else {
      r.portOrigins[i] = 'requested'
    }
  }
  for (const [port, indices] of groups) r.pendingPorts.push({ seedKey: String(port), indices })
}

/** allocHealthCheckNodePort, requested part (failures are InternalErrors: storage `allocHealthCheckNodePort` wraps them in `errors.NewInternalError`). */
export function allocRequestedHealthCheck(pools: Pools, r: Request): void {
  const { d } = r
  if (!needsHealthCheck(d) || r.failure !== undefined) return
  if (d.healthCheckNodePort !== 0) {
    const n = d.healthCheckNodePort
    const res = takePort(pools, r, n)
    if (!res.ok) {
      const code = res.reason.includes('already allocated') ? 'alloc/node-port-taken' : 'alloc/node-port-out-of-range'
      failInternal(r, code, `failed to allocate requested HealthCheck NodePort ${n}: ${res.reason}`)
      return
    }
    r.hcnpOrigin = 'requested'
  } else {
    if (pools.ports.full()) return failInternal(r, 'alloc/range-exhausted', 'failed to allocate a HealthCheck NodePort 0: range is full')
    r.pendingHCNP = true
  }
}

/** Pass one of a create. The returned request may already carry a failure. */
export function beginCreate(pools: Pools, svc: Service): Request {
  const d = draftFromService(svc)
  applyV1Defaults(d)
  normalizeClusterIPsCreate(d)
  const r = newRequest(svc, d, undefined)
  const famErrs = initIPFamilyFields(d, undefined, pools.families)
  if (famErrs.length > 0) {
    failInvalid(r, 'alloc/ip-family-invalid', famErrs)
    return r
  }
  if (isHeadless(d)) d.clusterIPs.forEach((_, i) => (r.ipOrigins[i] = 'requested'))
  allocRequestedClusterIPs(pools, r)
  if (r.failure === undefined) allocRequestedNodePorts(pools, r)
  if (r.failure === undefined) allocRequestedHealthCheck(pools, r)
  return r
}
