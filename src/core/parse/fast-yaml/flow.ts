/**
 * @module parse/fast-yaml/flow
 * Flow collections written on one line, for the fast reader (js-yaml readFlowCollection,
 * restricted): `[a, "b", {c: d}]`, `{a: 1, b: [x]}`. Anything past that subset — a collection
 * going over lines, single-pair mappings in sequences, explicit or complex keys, empty entries,
 * trailing commas, comments — gives up so js-yaml reads the file.
 */
import { GIVE_UP } from './chars.ts'
import type { Cursor } from './cursor.ts'
import { canStartPlain } from './plain.ts'
import { quoted, quoteEnd } from './quoted.ts'
import { MERGE, plainValue } from './resolve.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const LF = 10
const CR = 13
const HASH = 35
const DASH = 45
const COLON = 58
const SQUOTE = 39
const DQUOTE = 34

/** True at `,` `[` `]` `{` `}` (js-yaml isFlowIndicator). */
function isFlowIndicator(r: Cursor, i: number): boolean {
  const c = r.text.charCodeAt(i)
  return c === 44 || c === 91 || c === 93 || c === 123 || c === 125
}

/**
 * A flow collection that opens at `p` and closes on the same line (js-yaml readFlowCollection,
 * restricted): `[a, "b", {c: d}]`, `{a: 1, b: [x]}`. Single-pair mappings inside sequences,
 * explicit keys, empty entries, trailing commas and comments give up. Records the offsets of a
 * sequence's entries in `items` when given (List items written in flow style).
 */
export function flow(r: Cursor, p: number, items: number[] | undefined): unknown {
  const t = r.text
  r.enter()
  const isSeq = t.charCodeAt(p) === 91
  const close = isSeq ? 93 : 125
  let q = p + 1
  while (t.charCodeAt(q) === SPACE) q++
  const out: unknown[] | Record<string, unknown> = isSeq ? [] : {}
  if (t.charCodeAt(q) === close) {
    r.depth--
    r.flowEnd = q + 1
    return out
  }
  for (;;) {
    if (isSeq) {
      const value = flowNode(r, q)
      q = r.flowEnd
      while (t.charCodeAt(q) === SPACE) q++
      if (t.charCodeAt(q) === COLON) throw GIVE_UP // a single-pair mapping
      if (items) items.push(r.offset)
      ;(out as unknown[]).push(value)
    } else {
      const c = t.charCodeAt(q)
      if (c === 123 || c === 91) throw GIVE_UP // a complex key
      const keyValue = flowNode(r, q)
      if (keyValue === MERGE || typeof keyValue === 'object') throw GIVE_UP
      const name = typeof keyValue === 'string' ? keyValue : String(keyValue)
      if (name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) throw GIVE_UP
      q = r.flowEnd
      while (t.charCodeAt(q) === SPACE) q++
      if (t.charCodeAt(q) !== COLON || t.charCodeAt(q + 1) !== SPACE) throw GIVE_UP
      q += 2
      while (t.charCodeAt(q) === SPACE) q++
      const v = t.charCodeAt(q)
      if (v === 44 || v === close) throw GIVE_UP // an empty value
      ;(out as Record<string, unknown>)[name] = flowNode(r, q)
      q = r.flowEnd
      while (t.charCodeAt(q) === SPACE) q++
    }
    const c = t.charCodeAt(q)
    if (c === close) break
    if (c !== 44) throw GIVE_UP
    q++
    while (t.charCodeAt(q) === SPACE) q++
    const n = t.charCodeAt(q)
    if (n === close || n === 44) throw GIVE_UP // a trailing comma or an empty entry
  }
  r.depth--
  r.flowEnd = q + 1
  return out
}

/** One node inside a flow collection at `p`; sets `flowEnd` past it and `offset` to its position. */
export function flowNode(r: Cursor, p: number): unknown {
  const t = r.text
  const c = t.charCodeAt(p)
  if (c === 123 || c === 91) {
    const value = flow(r, p, undefined)
    r.offset = p
    return value
  }
  if (c === SQUOTE || c === DQUOTE) {
    const close = quoteEnd(r, p)
    if (close < 0) throw GIVE_UP
    r.offset = p + 1
    r.flowEnd = close + 1
    return quoted(r, p, close)
  }
  if (!canStartPlain(r, p)) throw GIVE_UP
  if ((c === DASH || c === 63 || c === COLON) && isFlowIndicator(r, p + 1)) throw GIVE_UP // js-yaml canStartPlainScalar in flow
  // A plain scalar in flow context ends at a flow indicator or at `:` before a space or one.
  let end = p + 1
  for (;;) {
    const ch = t.charCodeAt(end)
    if (ch === LF || ch === CR || end >= t.length) throw GIVE_UP // a multi-line flow collection
    if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125) break
    if (ch === COLON) {
      const n = t.charCodeAt(end + 1)
      if (n === SPACE || n === 44 || n === 91 || n === 93 || n === 123 || n === 125 || r.isEol(end + 1)) break
    }
    if (ch === HASH && t.charCodeAt(end - 1) === SPACE) throw GIVE_UP
    end++
  }
  let stop = end
  while (t.charCodeAt(stop - 1) === SPACE) stop--
  r.offset = p
  r.flowEnd = end
  return plainValue(t.slice(p, stop))
}
