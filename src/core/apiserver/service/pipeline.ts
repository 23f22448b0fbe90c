/**
 * @module apiserver/service/pipeline
 * All Services through the emulated apiserver: existing ones are registered as they are (not
 * re-validated), proposed ones are created or updated in two allocation passes (see request.ts)
 * and then validated (ValidateService / ValidateServiceUpdate run only after every allocation
 * succeeded: registry `BeginCreate` allocates before `BeforeCreate` validates). A refused request rolls back and is reported; the rest are planned.
 */
import { issue } from '../../issues.ts'
import type { Issue, IssueCode } from '../../issues.ts'
import type { Service } from '../../model/k8s.ts'
import type { KubernetesVersion } from '../../model/version.ts'
import type { ServiceAllocation, ValueOrigin } from '../types.ts'
import type { Pools } from '../allocate/pools.ts'
import { kubectlInternal, kubectlInvalid } from '../validate/field-errors.ts'
import type { FieldError, FieldErrorType } from '../validate/field-errors.ts'
import { validateService } from '../validate/service.ts'
import { validateServiceUpdate } from '../validate/update.ts'
import { beginCreate } from './create.ts'
import { draftFromExisting, draftToService } from './draft.ts'
import { existingPreviewNote, lacksAllocatedValues, previewExistingValues } from './existing-previews.ts'
import type { ServiceDraft } from './draft.ts'
import { allocateDynamic, failInvalid } from './request.ts'
import type { Request } from './request.ts'
import { fieldSource } from './source.ts'
import { beginUpdate } from './update.ts'
import { recordCreate, replayCreate, type CreateReplay, type Replayed } from './reuse.ts'
import { pushAll } from '../../append.ts'

/** What the Service pipeline produces. */
export interface ServicesOutcome {
  readonly services: readonly Service[]
  readonly allocations: readonly ServiceAllocation[]
  readonly issues: readonly Issue[]
  readonly assumptions: readonly string[]
}

const CODE_BY_TYPE: Record<FieldErrorType, IssueCode> = {
  Invalid: 'service/invalid-value',
  NotSupported: 'service/unsupported-value',
  Duplicate: 'service/duplicate-value',
  Required: 'service/required-value',
  Forbidden: 'service/forbidden',
  Internal: 'service/internal-error',
}

function registerExisting(pools: Pools, d: ServiceDraft): void {
  const key = `${d.namespace}/${d.name}`
  d.clusterIPs.forEach((ip) => {
    for (const a of pools.ips.values()) a.reserve(ip, key)
  })
  for (const p of d.ports) if (p.nodePort) pools.ports.reserve(p.nodePort, key)
  if (d.healthCheckNodePort) pools.ports.reserve(d.healthCheckNodePort, key)
}

function failureIssues(r: Request, update: boolean): Issue[] {
  const f = r.failure
  if (f === undefined) return []
  const ref = r.svc.ref
  if (f.kind === 'internal') {
    const path = f.detail.includes('HealthCheck')
      ? 'spec.healthCheckNodePort'
      : f.detail.includes('serviceIP')
        ? 'spec.clusterIP'
        : f.detail.includes('nodePort')
          ? 'spec.ports'
          : undefined
    const source = path ? r.svc.locate(path) : r.svc.source
    const msg = kubectlInternal(r.svc.source.file, f.detail, update ? 'applying' : 'creating')
    return [issue(f.code, 'error', msg, { ref, source, ...(path ? { path } : {}) })]
  }
  const fromValidation = f.code.startsWith('service/')
  return f.errors.map((e: FieldError) =>
    issue(fromValidation ? CODE_BY_TYPE[e.type] : f.code, 'error', kubectlInvalid(r.d.name, [e]), {
      ref,
      path: e.field,
      source: fieldSource(r.svc, e.field),
    }),
  )
}

function allocationOf(d: ServiceDraft, op: 'create' | 'update' | 'existing', r?: Request): ServiceAllocation {
  const base: ValueOrigin = op === 'existing' ? 'existing' : 'requested'
  const ipOrigins = d.clusterIPs.map((_, i) => r?.ipOrigins[i] ?? base)
  const overall: ValueOrigin | undefined =
    d.clusterIPs.length === 0 ? undefined : ipOrigins.includes('preview') ? 'preview' : ipOrigins.includes('requested') ? 'requested' : (ipOrigins[0] ?? base)
  const hcnp = d.healthCheckNodePort
  return {
    namespace: d.namespace,
    name: d.name,
    operation: op,
    clusterIPs: [...d.clusterIPs],
    ...(overall ? { clusterIPOrigin: overall, clusterIPOrigins: ipOrigins } : {}),
    ipFamilies: d.ipFamilies as ServiceAllocation['ipFamilies'],
    ...(d.ipFamilyPolicy !== undefined ? { ipFamilyPolicy: d.ipFamilyPolicy } : {}),
    ports: d.ports.map((p, i) => ({
      name: p.name,
      protocol: p.protocol,
      port: p.port,
      ...(p.nodePort ? { nodePort: p.nodePort, nodePortOrigin: r?.portOrigins[i] ?? base } : {}),
    })),
    ...(hcnp ? { healthCheckNodePort: hcnp, healthCheckNodePortOrigin: r?.hcnpOrigin ?? base } : {}),
  }
}

function previewNote(a: ServiceAllocation): string | undefined {
  const parts: string[] = []
  a.clusterIPs.forEach((ip, i) => {
    if (a.clusterIPOrigins?.[i] === 'preview') parts.push(`ClusterIP ${ip}`)
  })
  for (const p of a.ports) if (p.nodePortOrigin === 'preview') parts.push(`NodePort ${p.nodePort} (${p.name || p.port}/${p.protocol})`)
  if (a.healthCheckNodePortOrigin === 'preview') parts.push(`healthCheckNodePort ${a.healthCheckNodePort}`)
  if (parts.length === 0) return undefined
  return `${a.namespace}/${a.name}: ${parts.join(', ')} ${parts.length === 1 ? 'is a preview' : 'are previews'}: the apiserver picks a random free value (upper band first); kube-whatif shows a stable pick seeded by namespace/name`
}

function staticBandNotes(pools: Pools, r: Request): Issue[] {
  const out: Issue[] = []
  if (r.old !== undefined) return out
  r.d.ipFamilies.forEach((fam, i) => {
    const ip = r.d.clusterIPs[i]
    const a = pools.ips.get(fam as 'IPv4' | 'IPv6')
    if (ip === undefined || a === undefined || r.ipOrigins[i] !== 'requested' || ip === 'None') return
    const hit = a.dynamicBandOf(ip)
    if (hit !== undefined) {
      const band = hit.staticBand
      out.push(
        issue(
          'alloc/static-ip-in-dynamic-band',
          'info',
          `Requested ClusterIP ${ip} lies in the dynamic band of ${hit.range}: a Service created without a clusterIP may take it first; the static band ${band.first}-${band.last} avoids that race`,
          { ref: r.svc.ref, path: `spec.clusterIPs[${i}]`, source: r.svc.locate(r.svc.spec.clusterIPs ? `spec.clusterIPs[${i}]` : 'spec.clusterIP') },
        ),
      )
    }
  })
  return out
}

/**
 * Runs every Service through the emulated apiserver. With `memo.record` the creates that took
 * requested values only are recorded; with `memo.reuse` (another plan's record, same pool
 * inputs) such a create of the same document is replayed instead of computed (reuse.ts).
 */
export function processServices(
  all: readonly Service[],
  pools: Pools,
  version: KubernetesVersion,
  memo: CreateReplay = {},
): ServicesOutcome {
  const issues: Issue[] = []
  const assumptions: string[] = []
  const primary = pools.families[0] ?? 'IPv4'
  const existing = new Map<string, { svc: Service; d: ServiceDraft }>()
  const lacking = new Map<string, { svc: Service; d: ServiceDraft }>()
  for (const svc of all) {
    if (svc.origin !== 'existing') continue
    const d = draftFromExisting(svc, primary)
    const key = `${d.namespace}/${d.name}`
    if (existing.has(key)) continue
    existing.set(key, { svc, d })
    registerExisting(pools, d)
    if (lacksAllocatedValues(d)) lacking.set(key, { svc, d })
  }
  const previewed = previewExistingValues(
    pools,
    lacking,
    all.filter((s) => s.origin === 'proposed'),
  )
  for (const [key, r] of previewed) {
    if (r.failure !== undefined) continue
    existing.set(key, { svc: draftToService(r.svc, r.d), d: r.d })
    assumptions.push(existingPreviewNote(r))
  }
  const kubeAlloc = pools.ips.get(primary)
  const first = kubeAlloc?.firstIP()
  if (!existing.has('default/kubernetes') && kubeAlloc !== undefined && first !== undefined) {
    kubeAlloc.reserve(first, 'default/kubernetes')
    assumptions.push(`default/kubernetes holds ${first}, the first IP of ${kubeAlloc.rangeText} (created by the apiserver; not rendered unless given)`)
  }

  const requests: Request[] = []
  const replayed = new Map<Request, Replayed>()
  const seen = new Set<string>()
  for (const svc of all) {
    if (svc.origin !== 'proposed') continue
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    if (seen.has(key)) {
      issues.push(issue('service/duplicate-object', 'warning', `Service ${key} is given more than once; the first one is planned`, { ref: svc.ref, source: svc.source }))
      continue
    }
    seen.add(key)
    const old = existing.get(key)
    const again = old === undefined && memo.reuse !== undefined ? replayCreate(pools, svc, memo.reuse) : undefined
    if (again !== undefined) replayed.set(again.r, again)
    requests.push(old ? beginUpdate(pools, svc, old.d) : (again?.r ?? beginCreate(pools, svc)))
  }
  // A replayed create has no dynamic value, and its recorded draft is the validated one: pass two
  // would only set clusterIP to clusterIPs[0] again, validation would pass again.
  // (Sorted after leaving the replayed ones out: a stable sort orders by key, then by place, so
  // the others come in the order sorting all of them gave.)
  for (const r of requests.filter((x) => !replayed.has(x)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) allocateDynamic(pools, r)
  for (const r of requests) {
    if (r.failure !== undefined) continue
    if (replayed.has(r)) {
      r.txn.commit()
      continue
    }
    const errs = r.old ? [...validateServiceUpdate(r.old, r.d), ...validateService(r.d, version)] : validateService(r.d, version)
    if (errs.length > 0) failInvalid(r, 'service/invalid', errs)
    else r.txn.commit()
  }

  const out = new Map<string, { svc: Service; alloc: ServiceAllocation }>()
  for (const [key, { svc, d }] of existing) out.set(key, { svc, alloc: allocationOf(d, 'existing', previewed.get(key)) })
  for (const r of requests) {
    const again = replayed.get(r)
    if (again !== undefined) {
      pushAll(issues, again.notes)
      out.set(r.key, { svc: again.svc, alloc: again.alloc })
      continue
    }
    pushAll(issues, failureIssues(r, r.old !== undefined))
    if (r.failure !== undefined) continue
    const notes = staticBandNotes(pools, r)
    pushAll(issues, notes)
    const alloc = allocationOf(r.d, r.old ? 'update' : 'create', r)
    const svc = draftToService(r.svc, r.d)
    out.set(r.key, { svc, alloc })
    const note = previewNote(alloc)
    if (note) assumptions.push(note)
    if (memo.record !== undefined) recordCreate(memo.record, r, notes, svc, alloc)
  }
  const keys = [...out.keys()].sort()
  return {
    services: keys.map((k) => (out.get(k) as { svc: Service }).svc),
    allocations: keys.map((k) => (out.get(k) as { alloc: ServiceAllocation }).alloc),
    issues,
    assumptions,
  }
}
