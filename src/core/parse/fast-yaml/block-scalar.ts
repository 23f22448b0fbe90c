/**
 * @module parse/fast-yaml/block-scalar
 * Literal (`|`) and folded (`>`) block scalars for the fast reader (js-yaml readBlockScalar):
 * reads the header (chomping and explicit indentation indicators) and finds where the content
 * ends; the content itself is decoded by js-yaml's own `getScalarValue`, so chomping and folding
 * stay js-yaml's.
 */
import { CHOMPING_MODE, getScalarValue, SCALAR_STYLE } from 'js-yaml'
import { GIVE_UP } from './chars.ts'
import type { Cursor } from './cursor.ts'
import { scalarEvent } from './scalar-event.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const HASH = 35
const DASH = 45

/**
 * A literal or folded block scalar whose header is at `p`, inside a collection indented
 * `parent` (js-yaml readBlockScalar: the content ends at the first non-blank line indented less
 * than the content indentation, at a document marker or at the end of the text).
 */
export function blockScalar(r: Cursor, p: number, parent: number): string {
  const t = r.text
  if (parent < 0) throw GIVE_UP
  const style = t.charCodeAt(p) === 124 ? SCALAR_STYLE.LITERAL_BLOCK : SCALAR_STYLE.FOLDED_BLOCK
  let q = p + 1
  let chomping: number = CHOMPING_MODE.CLIP
  let explicit = -1
  for (let k = 0; k < 2; k++) {
    const ch = t.charCodeAt(q)
    if ((ch === 43 || ch === DASH) && chomping === CHOMPING_MODE.CLIP) {
      chomping = ch === 43 ? CHOMPING_MODE.KEEP : CHOMPING_MODE.STRIP
      q++
    } else if (ch >= 49 && ch <= 57 && explicit < 0) {
      explicit = ch - 48
      q++
    }
  }
  // The header line: optional spaces and a comment.
  let h = q
  while (t.charCodeAt(h) === SPACE) h++
  if (t.charCodeAt(h) === HASH) {
    if (h === q) throw GIVE_UP
  } else if (!r.isEol(h)) throw GIVE_UP
  const valueStart = r.nextLine(h)
  let content = explicit > 0 ? parent + explicit : -1
  let maxLeading = 0
  let line = valueStart
  let valueEnd = valueStart
  while (line < t.length) {
    let col = 0
    while (t.charCodeAt(line + col) === SPACE) col++
    const blank = r.isEol(line + col)
    if (line + col >= t.length) {
      // A last line of spaces without a line break (js-yaml's end-of-input case).
      if (content >= 0 ? col > content : col > 0) valueEnd = line + col
      break
    }
    if (col === 0 && r.markerAt(line)) break
    if (blank) {
      if (content < 0) maxLeading = Math.max(maxLeading, col)
    } else {
      if (content < 0) {
        if (col <= parent) break // the scalar is empty: this line belongs to the parent
        if (col < maxLeading) throw GIVE_UP // js-yaml: "bad indentation of a mapping entry"
        content = col
      }
      if (col < content) break
    }
    line = r.nextLine(line + col)
    valueEnd = line
  }
  r.offset = valueStart
  r.pos = line
  r.seekContent()
  return getScalarValue(t, scalarEvent(style, valueStart, valueEnd, chomping, content))
}
