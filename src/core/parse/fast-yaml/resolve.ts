/**
 * @module parse/fast-yaml/resolve
 * Plain-scalar resolution for the fast reader: the very function js-yaml's `constructScalar`
 * calls for an untagged plain scalar (Schema `resolveImplicitScalarTag`) on K8S_YAML_SCHEMA, so
 * `yes`, `~`, `0x1F`, `08` or `12:30` come out exactly as on the js-yaml path.
 *
 * Two shortcuts, both read from the schema itself rather than restated: a scalar whose first
 * character starts no implicit tag (`resolveImplicitScalarTag` looks candidates up by first
 * character) is the string itself, as the default `str` tag gives it; and a small cache keeps
 * repeated values (`TCP`, `true`, port numbers, `name`) from searching the tags again.
 */
import { K8S_YAML_SCHEMA } from '../schema.ts'

/** A resolved plain scalar; `merge` marks the `<<` merge key, which the fast reader leaves to js-yaml. */
interface Resolved {
  readonly value: unknown
  readonly merge: boolean
}

interface TagLike {
  readonly tagName: string
  resolve(source: string, isExplicit: boolean, tagName: string): unknown
}

/** The internal js-yaml Schema members constructScalar uses for plain scalars. */
interface ImplicitResolver {
  resolveImplicitScalarTag(source: string): { value: unknown; tag: TagLike }
  readonly implicitScalarByFirstChar?: ReadonlyMap<string, readonly TagLike[]>
  readonly implicitScalarAnyFirstChar?: readonly TagLike[]
  readonly defaultScalarTag?: TagLike
}

const schema = K8S_YAML_SCHEMA as unknown as ImplicitResolver
const MERGE_TAG = 'tag:yaml.org,2002:merge'

/**
 * Char codes (< 128) that may start an implicitly resolved scalar, or undefined when the schema
 * does not expose what the shortcut needs (then every scalar goes through the resolver).
 */
const IMPLICIT_FIRST: Uint8Array | undefined = (() => {
  const byFirst = schema.implicitScalarByFirstChar
  const any = schema.implicitScalarAnyFirstChar
  const str = schema.defaultScalarTag
  if (!byFirst || !any || any.length > 0 || !str || str.resolve('x-y', false, str.tagName) !== 'x-y') return undefined
  const table = new Uint8Array(128)
  for (const ch of byFirst.keys()) {
    const c = ch.charCodeAt(0)
    if (ch.length !== 1 || c >= 128) return undefined
    table[c] = 1
  }
  return table
})()

/** What {@link plainValue} returns for the `<<` merge key. */
export const MERGE: unique symbol = Symbol('merge')
/** Entries kept; the cache is cleared when full, so memory stays bounded on any input. */
const CACHE_LIMIT = 4096
const cache = new Map<string, Resolved>()

/** Resolves a plain scalar's text as js-yaml's constructor does with K8S_YAML_SCHEMA. */
function resolvePlain(source: string): Resolved {
  // Only short scalars are cached (ports, `TCP`, `true`): hashing a long one costs more than
  // resolving it, and long ones (names, IPs) rarely repeat.
  const cacheable = source.length <= 8
  const hit = cacheable ? cache.get(source) : undefined
  if (hit) return hit
  const r = schema.resolveImplicitScalarTag(source)
  const resolved: Resolved = { value: r.value, merge: r.tag.tagName === MERGE_TAG }
  if (cacheable && (typeof r.value !== 'object' || r.value === null)) {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(source, resolved)
  }
  return resolved
}

/** The value of a plain scalar, or {@link MERGE} for the merge key (no object for the common string case). */
export function plainValue(source: string): unknown {
  const c = source.charCodeAt(0)
  if (IMPLICIT_FIRST && c < 128 && IMPLICIT_FIRST[c] === 0) return source
  const r = resolvePlain(source)
  return r.merge ? MERGE : r.value
}
