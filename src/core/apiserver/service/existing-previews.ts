/**
 * @module apiserver/service/existing-previews
 * Existing Services (`--cluster`) that lack values the apiserver assigns on create. A stored
 * Service always has its ClusterIPs (unless `clusterIP: None` or ExternalName), the NodePorts of
 * a NodePort / LoadBalancer Service and a LoadBalancer's healthCheckNodePort under
 * `externalTrafficPolicy: Local`; a repository manifest passed as "what exists" usually has none
 * of them. Such an object is not headless (kube-proxy's ShouldSkipService sees the stored
 * object, which has a ClusterIP): it got values the input does not show. They are
 * previewed the way a create would pick them (storage.go beginCreate defaulting, then the seeded
 * allocateNext), so rules, updates and immutability checks behave as on the real object.
 */
import type { Family } from '../../net/ip.ts'
import type { Service } from '../../model/k8s.ts'
import type { Pools } from '../allocate/pools.ts'
import { Txn } from '../allocate/pools.ts'
import { initIPFamilyFields } from '../allocate/ip-families.ts'
import { shouldAllocateNodePorts } from './create.ts'
import { applyV1Defaults, needsHealthCheck, normalizeClusterIPsCreate } from './defaults.ts'
import { draftFromService } from './draft.ts'
import type { ServiceDraft } from './draft.ts'
import { allocateDynamic, newRequest } from './request.ts'
import type { Request } from './request.ts'

/** Label of the assumption, as the plan prints it. */
export const EXISTING_PREVIEW_LABEL = 'existing object without its allocated values: previewed'

const lacksClusterIP = (d: ServiceDraft): boolean => d.type !== 'ExternalName' && d.clusterIPs.length === 0 && d.clusterIP === ''
const lacksHealthCheck = (d: ServiceDraft): boolean => needsHealthCheck(d) && d.healthCheckNodePort === 0

/**
 * True for an existing Service that is a manifest, not a stored object: it lacks the ClusterIP
 * every stored non-headless, non-ExternalName Service has. Its NodePorts and healthCheckNodePort
 * are then previewed too. An object that carries its ClusterIP is taken as the apiserver stored
 * it, odd values included (a NodePort Service with `nodePort: 0` stays without NodePort rules, as
 * in kube-proxy's own test fixtures).
 */
export function lacksAllocatedValues(d: ServiceDraft): boolean {
  return lacksClusterIP(d)
}

/**
 * The request that previews what `svc` lacks. Families are initialised as on create (a
 * PreferDualStack Service on a dual-stack cluster gets two ClusterIPs); when that fails the
 * default-on-read draft `stored` is kept.
 */
function previewRequest(pools: Pools, svc: Service, stored: ServiceDraft): Request {
  let d = stored
  if (lacksClusterIP(stored)) {
    const created = draftFromService(svc)
    applyV1Defaults(created)
    normalizeClusterIPsCreate(created)
    if (initIPFamilyFields(created, undefined, pools.families).length === 0) d = created
  }
  const r = newRequest(svc, d, undefined)
  d.clusterIPs.forEach((_, i) => (r.ipOrigins[i] = 'existing'))
  if (lacksClusterIP(stored)) {
    d.ipFamilies.forEach((family, index) => r.pendingIPs.push({ index, family: family as Family }))
    while (d.clusterIPs.length < d.ipFamilies.length) d.clusterIPs.push('')
  }
  if (shouldAllocateNodePorts(d)) {
    // Ports with the same number share one value, as initNodePorts does on create.
    const groups = new Map<number, number[]>()
    d.ports.forEach((p, i) => {
      if (p.nodePort !== 0) r.portOrigins[i] = 'existing'
      else groups.set(p.port, [...(groups.get(p.port) ?? []), i])
    })
    for (const [port, indices] of groups) r.pendingPorts.push({ seedKey: String(port), indices })
  } else d.ports.forEach((p, i) => (r.portOrigins[i] = p.nodePort !== 0 ? 'existing' : undefined))
  if (lacksHealthCheck(d)) r.pendingHCNP = true
  else if (d.healthCheckNodePort !== 0) r.hcnpOrigin = 'existing'
  return r
}

/** The values the proposed Services ask for explicitly, held while previews are picked. */
function holdRequested(pools: Pools, proposed: readonly Service[]): Txn {
  const hold = new Txn()
  for (const svc of proposed) {
    const ips = svc.spec.clusterIPs && svc.spec.clusterIPs.length > 0 ? svc.spec.clusterIPs : svc.spec.clusterIP ? [svc.spec.clusterIP] : []
    for (const ip of ips) {
      for (const a of pools.ips.values()) if (a.allocate(ip, '(held)').ok) hold.took(() => a.release(ip))
    }
    const ports = [...svc.spec.ports.map((p) => p.nodePort ?? 0), svc.spec.healthCheckNodePort ?? 0]
    for (const n of ports) if (n !== 0 && pools.ports.allocate(n, '(held)').ok) hold.took(() => pools.ports.release(n))
  }
  return hold
}

/**
 * Previews the missing values of the existing Services in `lacking` (sorted by namespace/name,
 * after every existing value was registered). Values the proposed Services request explicitly
 * are held meanwhile, so a preview never makes a request fail. Returns the finished requests by
 * key; a request that found a range full keeps its failure and its object stays as given.
 */
export function previewExistingValues(
  pools: Pools,
  lacking: ReadonlyMap<string, { readonly svc: Service; readonly d: ServiceDraft }>,
  proposed: readonly Service[],
): Map<string, Request> {
  const out = new Map<string, Request>()
  if (lacking.size === 0) return out
  const hold = holdRequested(pools, proposed)
  for (const key of [...lacking.keys()].sort()) {
    const { svc, d } = lacking.get(key) as { svc: Service; d: ServiceDraft }
    const r = previewRequest(pools, svc, d)
    allocateDynamic(pools, r)
    if (r.failure === undefined) r.txn.commit()
    out.set(key, r)
  }
  hold.revert()
  return out
}

/** The assumption line for one previewed existing Service. */
export function existingPreviewNote(r: Request): string {
  const parts: string[] = []
  r.d.clusterIPs.forEach((ip, i) => {
    if (r.ipOrigins[i] === 'preview') parts.push(`ClusterIP ${ip}`)
  })
  r.d.ports.forEach((p, i) => {
    if (r.portOrigins[i] === 'preview') parts.push(`NodePort ${p.nodePort} (${p.name || p.port}/${p.protocol})`)
  })
  if (r.hcnpOrigin === 'preview') parts.push(`healthCheckNodePort ${r.d.healthCheckNodePort}`)
  return `${r.key}: ${EXISTING_PREVIEW_LABEL} ${parts.join(', ')} (the cluster assigned its own when the Service was created; export the live object, e.g. kubectl get services -o yaml, for the real values)`
}
