/**
 * @module parse/fast-yaml/resolve
 * Plain-scalar resolution for the fast reader: the very function js-yaml's `constructScalar`
 * calls for an untagged plain scalar (Schema `resolveImplicitScalarTag`) on K8S_YAML_SCHEMA, so
 * `yes`, `~`, `0x1F`, `08` or `12:30` come out exactly as on the js-yaml path. A small cache keeps
 * repeated values (`TCP`, `true`, port numbers, key names) from paying the tag search again.
 */
import type { Schema } from 'js-yaml'
import { K8S_YAML_SCHEMA } from '../schema.ts'

/** A resolved plain scalar; `merge` marks the `<<` merge key, which the fast reader leaves to js-yaml. */
export interface Resolved {
  readonly value: unknown
  readonly merge: boolean
}

/** The internal js-yaml Schema method constructScalar uses for plain scalars. */
interface ImplicitResolver {
  resolveImplicitScalarTag(source: string): { value: unknown; tag: { tagName: string } }
}

const schema = K8S_YAML_SCHEMA as Schema & ImplicitResolver
const MERGE_TAG = 'tag:yaml.org,2002:merge'
/** Entries kept; the cache is cleared when full, so memory stays bounded on any input. */
const CACHE_LIMIT = 4096
const cache = new Map<string, Resolved>()

/** Resolves a plain scalar's text as js-yaml's constructor does with K8S_YAML_SCHEMA. */
export function resolvePlain(source: string): Resolved {
  const hit = cache.get(source)
  if (hit) return hit
  const r = schema.resolveImplicitScalarTag(source)
  const resolved: Resolved = { value: r.value, merge: r.tag.tagName === MERGE_TAG }
  if (typeof r.value !== 'object' || r.value === null) {
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(source, resolved)
  }
  return resolved
}
