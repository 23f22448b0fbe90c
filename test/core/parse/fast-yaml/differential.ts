/**
 * The js-yaml path's view of a text, in the fast reader's terms, and a deep comparison that sees
 * key order, value types and `Object.is` differences (-0, NaN).
 */
import { constructFromEvents, parseEvents } from 'js-yaml'
import { scanDocuments } from '../../../../src/core/parse/guard.ts'
import { DEFAULT_LIMITS } from '../../../../src/core/parse/limits.ts'
import { listItemOffsets } from '../../../../src/core/parse/list-items.ts'
import { K8S_YAML_SCHEMA } from '../../../../src/core/parse/schema.ts'
import type { FastDocument } from '../../../../src/core/parse/fast-yaml/reader.ts'

const isListLike = (v: unknown): boolean => typeof v === 'object' && v !== null && Array.isArray((v as { items?: unknown }).items)

/** What documents.ts builds from js-yaml for `text`, or an Error when js-yaml refuses it. */
export function viaJsYaml(text: string, maxDepth = DEFAULT_LIMITS.maxDepth): FastDocument[] | Error {
  try {
    const events = parseEvents(text, { maxDepth })
    const scans = scanDocuments(events, text, { ...DEFAULT_LIMITS, maxDepth })
    const values = constructFromEvents(events, { source: text, schema: K8S_YAML_SCHEMA })
    return scans.map((s, d) => {
      const value = values[d] ?? null
      const items = s.rootOffset >= 0 && isListLike(value) ? listItemOffsets(events, s.firstEvent, s.endEvent, text, 0) : undefined
      return { value, rootOffset: s.rootOffset, items }
    })
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e))
  }
}

/** First difference between two values (deep, key order and Object.is), or undefined. */
export function difference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (typeof a !== typeof b) return `${path}: ${typeof a} vs ${typeof b}`
  if (typeof a !== 'object' || a === null || b === null) return Object.is(a, b) ? undefined : `${path}: ${String(a)} vs ${String(b)}`
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: array vs object`
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${path}: prototypes differ`
  const ka = Object.keys(a as object)
  const kb = Object.keys(b as object)
  if (ka.join('\u0000') !== kb.join('\u0000')) return `${path}: keys ${JSON.stringify(ka)} vs ${JSON.stringify(kb)}`
  for (const k of ka) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
    if (d) return d
  }
  return undefined
}

/** Compares the fast reader's documents with the js-yaml path's; undefined when identical. */
export function compareDocuments(fast: readonly FastDocument[], ref: readonly FastDocument[] | Error): string | undefined {
  if (ref instanceof Error) return `js-yaml refuses the text (${ref.message.split('\n')[0]}) but the fast reader read it`
  if (fast.length !== ref.length) return `${fast.length} documents vs ${ref.length}`
  for (let d = 0; d < fast.length; d++) {
    const f = fast[d] as FastDocument
    const r = ref[d] as FastDocument
    const v = difference(f.value, r.value)
    if (v) return `document ${d}: ${v}`
    if (f.rootOffset !== r.rootOffset) return `document ${d}: root offset ${f.rootOffset} vs ${r.rootOffset}`
    if (isListLike(r.value) && JSON.stringify(f.items) !== JSON.stringify(r.items))
      return `document ${d}: items ${JSON.stringify(f.items)} vs ${JSON.stringify(r.items)}`
  }
  return undefined
}
