/**
 * @module apiserver/service/reuse
 * A create another plan already made for the same Service document, taken again instead of
 * computed (planDiff's head side, where most Services are the base's documents).
 *
 * What makes it exact: pass one of a create (create.ts `beginCreate`) reads the Service, the
 * pools' families and the answers of the allocators to its `takeIP` / `takePort` calls. A create
 * that succeeded with requested values only (nothing dynamic: no `full()` check, no pass two)
 * made a fixed sequence of takes, all answered ok. Replaying that sequence in another plan with
 * the same pool configuration: when every take is answered ok again, `beginCreate` would have
 * made exactly those calls and built the same draft; validation (`validateService`) reads only
 * the draft and the version, so it succeeds again, and the planned Service, its allocation and
 * its static-band notes are the recorded ones, their positions moved with the document. When a
 * take is refused (another Service holds the value now), the replay is reverted and the full
 * `beginCreate` runs from the same pool state.
 */
import type { Issue, SourceSpan } from '../../issues.ts'
import type { Parsed, Service, ServiceCIDR } from '../../model/k8s.ts'
import type { KubernetesVersion } from '../../model/version.ts'
import type { Pools } from '../allocate/pools.ts'
import type { ServiceAllocation, ValueOrigin } from '../types.ts'
import type { ServiceDraft } from './draft.ts'
import { Txn } from '../allocate/pools.ts'
import { takeIP, takePort, type Request, type Taken } from './request.ts'

/** A create that succeeded with requested values only: what it took and what came of it. */
interface Recorded {
  /** The request's `namespace/name` (its draft's). */
  readonly key: string
  readonly taken: readonly Taken[]
  readonly d: ServiceDraft
  readonly ipOrigins: readonly ValueOrigin[]
  readonly portOrigins: readonly (ValueOrigin | undefined)[]
  readonly hcnpOrigin: ValueOrigin | undefined
  /** Its static-band notes (pipeline.ts `staticBandNotes`). */
  readonly notes: readonly Issue[]
  /** The planned Service (`draftToService`) and its allocation. */
  readonly out: Service
  readonly alloc: ServiceAllocation
}

/** What the allocators are built from (setup.ts `setupPools`) and validation reads besides the draft. */
export interface PoolInputs {
  readonly version: KubernetesVersion
  readonly serviceClusterIPRange: string
  readonly serviceNodePortRange: string
  readonly serviceCIDRs: readonly ServiceCIDR[]
}

/** The creates one plan recorded, keyed by the Service object it was given. */
export interface ServiceMemo {
  pools?: PoolInputs
  readonly creates: Map<Service, Recorded>
}

/** An empty memo for a plan to record into. */
export function newServiceMemo(): ServiceMemo {
  return { creates: new Map() }
}

/**
 * The object of the recorded plan that `obj` was read as, when it is a copy of it read further
 * down the same file: `obj` is `{ ...base, source, locate }` with `obj.locate(p)` equal to
 * `shift(base.locate(p))` for every path. Undefined for any other object (an object given to
 * both plans as such is its own base).
 */
export type BaseOf = (obj: Parsed) => { readonly base: Parsed; readonly shift: (s: SourceSpan) => SourceSpan } | undefined

/** Another plan's creates and how this plan's objects relate to its own. */
export interface ServiceReuse {
  readonly memo: ServiceMemo
  readonly baseOf: BaseOf
}

/**
 * What one apiserver emulation records for another, or replays from another (`emulateApiserver`'s
 * second argument; kept out of `ApiserverInput` so the types module needs nothing of this one).
 */
export interface CreateReplay {
  /** Record this plan's Service creates for another plan (planDiff's base side). */
  readonly record?: ServiceMemo
  /** Replay the creates another plan recorded, where they provably come out the same (planDiff's head side). */
  readonly reuse?: ServiceReuse
}

/** A replayed create: the request (its values taken) and what it plans. */
export interface Replayed {
  readonly r: Request
  readonly notes: readonly Issue[]
  readonly svc: Service
  readonly alloc: ServiceAllocation
}

/** `x` and `y` read from the same text (`y` the recorded plan's object). */
const sameDocument = (x: Parsed, y: Parsed, baseOf: BaseOf): boolean => x === y || baseOf(x)?.base === y

/** The two plans build the same allocators and validate at the same version. */
export function samePoolInputs(head: PoolInputs, base: PoolInputs | undefined, baseOf: BaseOf): boolean {
  return (
    base !== undefined &&
    head.version === base.version &&
    head.serviceClusterIPRange === base.serviceClusterIPRange &&
    head.serviceNodePortRange === base.serviceNodePortRange &&
    head.serviceCIDRs.length === base.serviceCIDRs.length &&
    head.serviceCIDRs.every((c, i) => sameDocument(c, base.serviceCIDRs[i] as ServiceCIDR, baseOf))
  )
}

/** Records `r` when it is a create that succeeded with requested values only. */
export function recordCreate(memo: ServiceMemo, r: Request, notes: readonly Issue[], out: Service, alloc: ServiceAllocation): void {
  if (r.old !== undefined || r.failure !== undefined || r.pendingIPs.length > 0 || r.pendingPorts.length > 0 || r.pendingHCNP) return
  memo.creates.set(r.svc, { key: r.key, taken: r.taken, d: r.d, ipOrigins: r.ipOrigins, portOrigins: r.portOrigins, hcnpOrigin: r.hcnpOrigin, notes, out, alloc })
}

/**
 * The create of `svc` replayed from the memo (pass one done, its values held by the request's
 * transaction), or undefined with the pools as they were: no record, or a take refused.
 */
export function replayCreate(pools: Pools, svc: Service, reuse: ServiceReuse): Replayed | undefined {
  const from = reuse.baseOf(svc)
  const rec = reuse.memo.creates.get((from?.base ?? svc) as Service)
  if (rec === undefined) return undefined
  // newRequest(svc, rec.d, undefined) with the origins pass one gave (portOrigins has one slot
  // per port of the same draft) and the recorded key, the same text (already hashed by the
  // recorded plan's maps).
  const r: Request = {
    key: rec.key,
    svc,
    d: rec.d,
    old: undefined,
    txn: new Txn(),
    pendingIPs: [],
    pendingPorts: [],
    pendingHCNP: false,
    ipOrigins: rec.ipOrigins.slice(),
    portOrigins: rec.portOrigins.slice(),
    hcnpOrigin: rec.hcnpOrigin,
    failure: undefined,
    taken: [],
  }
  for (const t of rec.taken) {
    const res = t.family === undefined ? takePort(pools, r, t.port) : takeIP(pools, r, t.family, t.ip)
    if (!res.ok) {
      r.txn.revert()
      return undefined
    }
  }
  const shift = from?.shift
  return {
    r,
    notes: shift === undefined ? rec.notes : rec.notes.map((i) => (i.source === undefined ? i : { ...i, source: shift(i.source) })),
    // draftToService(svc, d): `{ ...svc, spec, status }`, spec from the draft, status the document's (shared by the copy) or `{}`.
    svc: { ...svc, spec: rec.out.spec, status: rec.out.status },
    alloc: rec.alloc,
  }
}
