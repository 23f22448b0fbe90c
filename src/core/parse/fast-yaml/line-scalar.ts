/**
 * @module parse/fast-yaml/line-scalar
 * A node that is not a block collection — a quoted, plain or block scalar, or a one-line flow
 * collection — read from where it starts to the line after it (js-yaml readPlainScalar's
 * continuation lines for multi-line plain scalars). Single-line plain values repeat in manifests
 * (`TCP`, `true`, `ClusterIP`), so a small cache on the cursor compares one in place and reuses
 * what it resolved to.
 */
import { CHOMPING_MODE, getScalarValue, SCALAR_STYLE } from 'js-yaml'
import { GIVE_UP } from './chars.ts'
import { KEY_SLOTS } from './cursor.ts'
import type { Cursor } from './cursor.ts'
import { blockScalar } from './block-scalar.ts'
import { flow } from './flow.ts'
import { canStartPlain, plainLine } from './plain.ts'
import { quoted, quoteEnd } from './quoted.ts'
import { MERGE, plainValue } from './resolve.ts'
import { scalarEvent } from './scalar-event.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const HASH = 35
const DASH = 45
const COLON = 58
const SQUOTE = 39
const DQUOTE = 34
/** The cache slot mask, read once from cursor.ts: module-local for the same reason as the codes. */
const SLOT_MASK = KEY_SLOTS - 1

/**
 * Reads a scalar (or `{}` / `[]`) that must end on its own line, starting at `p`; `parent` is
 * the indentation of the collection holding it (block scalars are measured from it). Leaves the
 * reader at the next content line.
 */
export function lineScalar(r: Cursor, p: number, parent: number, items?: number[]): unknown {
  const t = r.text
  const c = t.charCodeAt(p)
  if (c === SQUOTE || c === DQUOTE) {
    const close = quoteEnd(r, p, parent)
    if (close < 0) throw GIVE_UP
    const value = quoted(r, p, close)
    r.offset = p + 1
    r.endLine(close + 1)
    return value
  }
  if (c === 123 || c === 91) {
    const value = flow(r, p, items)
    r.offset = p
    r.endLine(r.flowEnd)
    return value
  }
  if (c === 124 || c === 62) return blockScalar(r, p, parent)
  if (!canStartPlain(r, p)) throw GIVE_UP
  let stop = plainLine(r, p)
  let end = r.lineEnd
  // js-yaml readPlainScalar: the scalar goes on over lines indented more than its parent
  // collection (blank lines fold to line breaks) until a comment, a marker or less indentation.
  let next = r.nextLine(end)
  let multi = false
  while (!r.plainComment && next < t.length) {
    let c2 = next
    while (t.charCodeAt(c2) === SPACE) c2++
    if (r.isEol(c2)) {
      if (c2 >= t.length) break
      next = r.nextLine(c2)
      continue
    }
    if (c2 - next <= parent || (c2 === next && r.markerAt(next))) break
    const first = t.charCodeAt(c2)
    if (first === HASH) break
    if (!canStartPlain(r, c2) || first === DASH || first === 63 || first === COLON) throw GIVE_UP // an indicator: left to js-yaml
    stop = plainLine(r, c2)
    end = r.lineEnd
    multi = true
    next = r.nextLine(end)
  }
  let resolved: unknown
  if (multi) resolved = plainValue(getScalarValue(t, scalarEvent(SCALAR_STYLE.PLAIN, p, stop, CHOMPING_MODE.CLIP, -1)))
  else {
    // Values repeat too (`TCP`, `true`, `ClusterIP`, a node name): one read before is compared
    // in place and its resolved value reused, with no slice and no second resolution.
    const len = stop - p
    const slot = (len * 961 + c * 31 + t.charCodeAt(stop - 1)) & SLOT_MASK
    const cached = r.valueTexts[slot]
    if (cached !== undefined && cached.length === len && t.startsWith(cached, p)) resolved = r.values[slot]
    else {
      const text = t.slice(p, stop)
      resolved = plainValue(text)
      if (len <= 64 && resolved !== MERGE) {
        r.valueTexts[slot] = text
        r.values[slot] = resolved
      }
    }
  }
  if (resolved === MERGE) throw GIVE_UP
  r.offset = p
  r.pos = next
  r.seekContent()
  return resolved
}
