/**
 * @module apiserver/service/request
 * One create or update request for a Service, as it moves through the apiserver's phases
 * (storage.go beginCreate / beginUpdate, alloc.go). The planner splits allocation in two passes
 * over all proposed Services — first every *requested* value (in manifest order, like kubectl
 * would send them), then every *dynamic* value (sorted by namespace/name, seeded) — so that a
 * preview value can never make another Service's explicit request fail, and an unchanged
 * Service keeps its preview when others are added.
 */
import type { Family } from '../../net/ip.ts'
import type { IssueCode } from '../../issues.ts'
import type { Service } from '../../model/k8s.ts'
import type { ValueOrigin } from '../types.ts'
import type { Pools } from '../allocate/pools.ts'
import { Txn } from '../allocate/pools.ts'
import type { FieldError } from '../validate/field-errors.ts'
import type { ServiceDraft } from './draft.ts'

/** Why a request was refused: a 422 with field errors, or a 500 with a detail text. */
export type Failure =
  | { readonly kind: 'invalid'; readonly code: IssueCode; readonly errors: readonly FieldError[] }
  | { readonly kind: 'internal'; readonly code: IssueCode; readonly detail: string }

/** A dynamic NodePort still to pick: one value shared by every listed port index. */
export interface PendingPortGroup {
  readonly seedKey: string
  readonly indices: number[]
}

/** A request in flight. */
export interface Request {
  /** `namespace/name`: also the owner key in the allocators. */
  readonly key: string
  readonly svc: Service
  readonly d: ServiceDraft
  /** The stored object for an update (default-on-read). */
  readonly old: ServiceDraft | undefined
  readonly txn: Txn
  readonly pendingIPs: { readonly index: number; readonly family: Family }[]
  readonly pendingPorts: PendingPortGroup[]
  pendingHCNP: boolean
  /** Origin of each clusterIPs[i]. */
  readonly ipOrigins: ValueOrigin[]
  /** Origin of each ports[i].nodePort (undefined: none). */
  readonly portOrigins: (ValueOrigin | undefined)[]
  hcnpOrigin: ValueOrigin | undefined
  failure: Failure | undefined
  /** Every requested value taken, in order: a later plan replays them (reuse.ts). */
  readonly taken: Taken[]
}

/** One requested value a request took: a ClusterIP of a family, or a node port. */
export type Taken = { readonly family: Family; readonly ip: string } | { readonly family?: undefined; readonly port: number }

/** Starts a request. */
export function newRequest(svc: Service, d: ServiceDraft, old: ServiceDraft | undefined): Request {
  return {
    key: `${d.namespace}/${d.name}`,
    svc,
    d,
    old,
    txn: new Txn(),
    pendingIPs: [],
    pendingPorts: [],
    pendingHCNP: false,
    ipOrigins: [],
    portOrigins: d.ports.map(() => undefined),
    hcnpOrigin: undefined,
    failure: undefined,
    taken: [],
  }
}

/** Fails the request with a single field error (allocation errors are single: rest.go `BeginCreate` returns the first). */
export function failInvalid(r: Request, code: IssueCode, errors: readonly FieldError[]): void {
  r.failure = { kind: 'invalid', code, errors }
  r.txn.revert()
}

/** Fails the request with an InternalError (HTTP 500). */
export function failInternal(r: Request, code: IssueCode, detail: string): void {
  r.failure = { kind: 'internal', code, detail }
  r.txn.revert()
}

/** Allocates a requested node port inside the request's transaction. */
export function takePort(pools: Pools, r: Request, port: number): { ok: true } | { ok: false; reason: string } {
  const res = pools.ports.allocate(port, r.key)
  if (res.ok) {
    r.txn.took(() => pools.ports.release(port))
    r.taken.push({ port })
  }
  return res
}

/** Allocates a requested ClusterIP inside the request's transaction. */
export function takeIP(pools: Pools, r: Request, family: Family, ip: string): { ok: true } | { ok: false; reason: string } {
  const a = pools.ips.get(family)
  if (a === undefined) return { ok: false, reason: `${family} is not configured on this cluster` }
  const res = a.allocate(ip, r.key)
  if (res.ok) {
    r.txn.took(() => a.release(ip))
    r.taken.push({ family, ip })
  }
  return res
}

/** Picks every dynamic value of the request (pass two). Fails with "range is full" if needed. */
export function allocateDynamic(pools: Pools, r: Request): void {
  if (r.failure !== undefined) return
  const { d } = r
  for (const { index, family } of r.pendingIPs) {
    const a = pools.ips.get(family)
    const ip = a?.allocateNext(`${r.key}#clusterIP/${family}`, r.key)
    if (a === undefined || ip === undefined) {
      failInternal(r, 'alloc/range-exhausted', 'failed to allocate a serviceIP: range is full')
      return
    }
    r.txn.took(() => a.release(ip))
    d.clusterIPs[index] = ip
    r.ipOrigins[index] = 'preview'
  }
  if (d.clusterIPs.length > 0) d.clusterIP = d.clusterIPs[0] ?? ''
  for (const g of r.pendingPorts) {
    const np = pools.ports.allocateNext(`${r.key}#nodePort/${g.seedKey}`, r.key)
    if (np === undefined) {
      failInternal(r, 'alloc/range-exhausted', 'failed to allocate a nodePort: range is full')
      return
    }
    r.txn.took(() => pools.ports.release(np))
    for (const i of g.indices) {
      const p = d.ports[i]
      if (p !== undefined) p.nodePort = np
      r.portOrigins[i] = 'preview'
    }
  }
  if (r.pendingHCNP) {
    const np = pools.ports.allocateNext(`${r.key}#healthCheckNodePort`, r.key)
    if (np === undefined) {
      failInternal(r, 'alloc/range-exhausted', 'failed to allocate a HealthCheck NodePort 0: range is full')
      return
    }
    r.txn.took(() => pools.ports.release(np))
    d.healthCheckNodePort = np
    r.hcnpOrigin = 'preview'
  }
}
