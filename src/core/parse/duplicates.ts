/**
 * @module parse/duplicates
 * The same object defined more than once on one side, judged the way `kubectl apply -f dir/`
 * applies it: once per definition, files in sorted path order and documents in file order, the
 * last one winning. An identical copy changes nothing (info); a differing one replaces the earlier
 * (warning naming both places); a later Service the apiserver would refuse as an update of the
 * earlier one (it changes an allocated ClusterIP) is an error and the earlier one stays.
 */
import type { Parsed, Service } from '../model/k8s.ts'

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
function clusterIPChange(earlier: Service, later: Service): string[] {
  if (earlier.spec.type === 'ExternalName' || later.spec.type === 'ExternalName') return []
  const had = requestedClusterIPs(earlier)
  const want = requestedClusterIPs(later)
  if (want.length === 0) return []
  if (had.length === 0) return ['spec.clusterIPs[0]']
  const fields: string[] = []
  for (let i = 0; i < Math.min(had.length, want.length); i++) if (had[i] !== want[i]) fields.push(`spec.clusterIPs[${i}]`)
  return fields
}

/**
 * kubectl's text for the 422 (the apiserver stage's kubectlInvalid wording; names and IPs are
 * printable ASCII, where JSON quoting is Go's `%q`), written here because the parse stage sits
 * below the apiserver stage.
 */
function invalidText(later: Service, fields: readonly string[]): string {
  const value = `[]string{${requestedClusterIPs(later).map((ip) => JSON.stringify(ip)).join(', ')}}`
  const causes = fields.map((f) => `${f}: Invalid value: ${value}: may not change once set`)
  const head = `The Service ${JSON.stringify(later.metadata.name)} is invalid: `
  return causes.length === 1 ? head + causes[0] : `${head}\n${causes.map((c) => `* ${c}`).join('\n')}`
}

/** Deep equality of two parsed documents (key order ignored, as a re-apply would see them). */
function sameDocument(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameDocument(x, b[i]))
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  const keys = Object.keys(x)
  return keys.length === Object.keys(y).length && keys.every((k) => k in y && sameDocument(x[k], y[k]))
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
  if (sameDocument(earlier.raw, later.raw)) return { kind: 'identical' }
  if (isService(earlier) && isService(later)) {
    const fields = clusterIPChange(earlier, later)
    if (fields.length > 0) return { kind: 'refused', message: invalidText(later, fields) }
  }
  return { kind: 'replaces' }
}
