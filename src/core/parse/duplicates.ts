/**
 * @module parse/duplicates
 * The same object defined more than once on one side, judged the way `kubectl apply -f dir/`
 * applies it: once per definition, files in sorted path order and documents in file order, the
 * last one winning. An identical copy changes nothing (info); a differing one replaces the earlier
 * (warning naming both places); a later Service the apiserver would refuse as an update of the
 * earlier one (it changes an allocated ClusterIP) is an error and the earlier one stays.
 */
import { goStringSlice, invalid, kubectlInvalid, type FieldError } from '../apiserver/validate/field-errors.ts'
import type { Parsed, Service } from '../model/k8s.ts'
import { sortKeys } from '../report/sort-keys.ts'

/** What happens to a later definition of an object already defined on the same side. */
export type DuplicateVerdict =
  | { readonly kind: 'identical' }
  | { readonly kind: 'replaces' }
  | { readonly kind: 'refused'; readonly message: string }

const isService = (o: Parsed): o is Service => (o as { kind?: string }).kind === 'Service'

/** The ClusterIPs a manifest asks for (`clusterIPs`, else `clusterIP`), `[]` when none. */
function requestedClusterIPs(s: Service): readonly string[] {
  if (s.spec.clusterIPs !== undefined && s.spec.clusterIPs.length > 0) return s.spec.clusterIPs
  return s.spec.clusterIP ? [s.spec.clusterIP] : []
}

/**
 * ValidateServiceUpdate's ClusterIP immutability (validateUpgradeDowngradeClusterIPs) for the
 * second apply: the first one created the Service with its requested ClusterIP, or with one the
 * allocator picked when it asked for none, so a later definition that names a ClusterIP must name
 * the same one. A later definition without one keeps the allocated value (the REST update's
 * patchAllocatedValues), and ExternalName Services have none.
 */
function clusterIPChange(earlier: Service, later: Service): FieldError[] {
  if (earlier.spec.type === 'ExternalName' || later.spec.type === 'ExternalName') return []
  const had = requestedClusterIPs(earlier)
  const want = requestedClusterIPs(later)
  if (want.length === 0) return []
  const val = goStringSlice(want)
  if (had.length === 0) return [invalid('spec.clusterIPs[0]', val, 'may not change once set')]
  const errs: FieldError[] = []
  for (let i = 0; i < Math.min(had.length, want.length); i++) {
    if (had[i] !== want[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, val, 'may not change once set'))
  }
  return errs
}

/**
 * The object a replacing `later` definition becomes: a Service that names no ClusterIP keeps the
 * one the earlier definition asked for, as the REST update's patchAllocatedValues copies it from
 * the stored object (the first apply created it with that IP). Previews need no carrying: they
 * are seeded by namespace/name, so the later definition gets the same ones.
 */
export function carryAllocatedValues<T extends Parsed>(earlier: T, later: T): T {
  if (!isService(earlier) || !isService(later)) return later
  if (earlier.spec.type === 'ExternalName' || later.spec.type === 'ExternalName') return later
  const had = requestedClusterIPs(earlier)
  if (had.length === 0 || requestedClusterIPs(later).length > 0) return later
  const rawSpec = later.raw['spec']
  const spec = typeof rawSpec === 'object' && rawSpec !== null && !Array.isArray(rawSpec) ? (rawSpec as Record<string, unknown>) : {}
  const ips = { clusterIP: had[0] as string, clusterIPs: [...had] }
  const carried: Service = { ...later, spec: { ...later.spec, ...ips }, raw: { ...later.raw, spec: { ...spec, ...ips } } }
  return carried as unknown as T
}

/** Judges `later`, a second definition of `earlier`'s object on the same side. */
export function judgeDuplicate(earlier: Parsed, later: Parsed): DuplicateVerdict {
  if (JSON.stringify(sortKeys(earlier.raw)) === JSON.stringify(sortKeys(later.raw))) return { kind: 'identical' }
  if (isService(earlier) && isService(later)) {
    const errs = clusterIPChange(earlier, later)
    if (errs.length > 0) return { kind: 'refused', message: kubectlInvalid(later.metadata.name, errs) }
  }
  return { kind: 'replaces' }
}
