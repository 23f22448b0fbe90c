/**
 * @module report/sort-keys
 * The one key order of every JSON report (plan, diff): object keys sorted at every level, arrays
 * kept in their own deterministic order, `undefined` and function values dropped, so the same
 * input always prints the same bytes whatever order the code built the objects in.
 */

/** Deep copy with object keys sorted (arrays keep their order; undefined and function values dropped). */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key]
      if (v === undefined || typeof v === 'function') continue
      out[key] = sortKeys(v)
    }
    return out
  }
  return value
}
