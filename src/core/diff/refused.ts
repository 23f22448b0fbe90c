/**
 * @module diff/refused
 * Services of the head that the apply would not get through: the apiserver emulation refused them
 * (bad or conflicting ClusterIP / NodePort, a field that may not change, failed validation) or
 * they could not even be decoded. `kubectl apply` then fails for that object and the cluster keeps
 * what it had: nothing for a create, the current (base) object for an update. Showing such a
 * Service as a deletion would report the one outcome that cannot happen.
 */
import type { Issue, SourceSpan } from '../issues.ts'
import type { Inventory } from '../model/inventory.ts'
import type { Service } from '../model/k8s.ts'
import type { PlanResult } from '../plan/types.ts'

/** One Service whose apply fails, with every error the apiserver (or decoder) gives for it. */
export interface Refusal {
  readonly namespace: string
  readonly name: string
  /** Every error message, in the plan's issue order. */
  readonly messages: readonly string[]
  /** The head's definition (first error's location when it could not be decoded). */
  readonly source?: SourceSpan
  /** The head's spec.type when it was decoded. */
  readonly type?: string
}

const keyOf = (ns: string, name: string): string => `${ns}/${name}`

/**
 * The head's proposed Services that have an error and are not planned as proposed: the errors
 * left them out (parse) or the emulated apiserver refused them (a refused update leaves the
 * existing object, `origin: existing`, in the plan).
 *
 * @param headFiles paths of the head's manifests: an error in a `--cluster` file is not an apply.
 */
export function findRefusals(head: PlanResult, inventory: Inventory, headFiles: ReadonlySet<string>): Refusal[] {
  const candidates = head.issues.filter((i) => i.severity === 'error' && i.ref?.kind === 'Service' && i.source !== undefined && headFiles.has(i.source.file))
  // No Service error in the head's files: nothing is refused, whatever the plan's Service view
  // (planServices, built on first read) holds; it is left to the readers that need it.
  if (candidates.length === 0) return []
  const planned = new Set(head.services.filter((s) => s.origin === 'proposed').map((s) => keyOf(s.namespace, s.name)))
  const decoded = new Map<string, Service>()
  for (const s of inventory.services) if (s.origin === 'proposed' && !decoded.has(keyOf(s.metadata.namespace, s.metadata.name))) decoded.set(keyOf(s.metadata.namespace, s.metadata.name), s)
  const byKey = new Map<string, { issues: Issue[] }>()
  for (const i of candidates) {
    const ref = i.ref as NonNullable<Issue['ref']>
    const k = keyOf(ref.namespace, ref.name)
    if (planned.has(k)) continue
    const entry = byKey.get(k)
    if (entry) entry.issues.push(i)
    else byKey.set(k, { issues: [i] })
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, { issues }]) => {
      const first = issues[0] as Issue
      const ref = first.ref as NonNullable<Issue['ref']>
      const svc = decoded.get(k)
      const source = svc?.source ?? first.source
      return {
        namespace: ref.namespace,
        name: ref.name,
        messages: [...new Set(issues.map((i) => i.message))],
        ...(source ? { source } : {}),
        ...(svc ? { type: svc.spec.type === '' ? 'ClusterIP' : svc.spec.type } : {}),
      }
    })
}

/**
 * The head inventory with the base's version of each refused Service standing in as the cluster's
 * current object: the failed apply leaves it in place, so its ClusterIP, NodePorts, endpoints and
 * rules stay what the base planned, and the head's request is judged as the update it really is.
 */
export function keepBaseObjects(inventory: Inventory, base: PlanResult, keys: ReadonlySet<string>): Inventory {
  const kept = base.serviceObjects
    .filter((s) => s.origin === 'proposed' && keys.has(keyOf(s.metadata.namespace, s.metadata.name)))
    .map((s): Service => ({ ...s, origin: 'existing' }))
  if (kept.length === 0) return inventory
  const replaced = new Set(kept.map((s) => keyOf(s.metadata.namespace, s.metadata.name)))
  const services = inventory.services.filter((s) => !(s.origin === 'existing' && replaced.has(keyOf(s.metadata.namespace, s.metadata.name))))
  return { ...inventory, services: [...kept, ...services] }
}
