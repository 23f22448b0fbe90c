/**
 * @module parse/fast-yaml/block
 * The block structure for the fast reader: block mappings and sequences (js-yaml
 * readBlockMapping / readBlockSequence), with compact `- key: v` and `- - x` entries and
 * zero-indented sequences under a key, the value after `key:` or `- `, and the root node of a
 * document with the offsets of its `items` entries (list-items.ts `listItemOffsets`). Each node
 * leaves the cursor's `offset` where list-items.ts `nodeOffset` puts it.
 */
import { GIVE_UP } from './chars.ts'
import type { Cursor } from './cursor.ts'
import { keyEnd, mappingKey } from './keys.ts'
import { lineScalar } from './line-scalar.ts'
import { plainValue } from './resolve.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const HASH = 35

/**
 * The root node of a document, starting on the current line: a sequence, a mapping (recording
 * its `items` entries' offsets in `list`, see {@link itemsValue}) or a scalar.
 */
export function rootNode(r: Cursor, list: number[]): unknown {
  r.rootItems = false
  const col = r.indent
  const p = r.pos + col
  if (r.isSeqEntry(p)) return sequence(r, col, p, undefined)
  const colon = keyEnd(r, p)
  if (colon >= 0) return mapping(r, col, p, list, colon)
  const c = r.code(p)
  if (c === 124 || c === 62) throw GIVE_UP // a root block scalar: rare, left to js-yaml
  if (r.markerAt(p)) throw GIVE_UP // an indented ` ---` (js-yaml reads an empty document)
  // A root scalar continues over lines indented at least as much as itself (js-yaml refuses less).
  return lineScalar(r, p, col - 1)
}

/**
 * The node whose first line is the current line, indented `col` (more than `parent`): a
 * sequence, a mapping, or a scalar alone on its line.
 */
function blockNode(r: Cursor, parent: number): unknown {
  const col = r.indent
  const p = r.pos + col
  if (r.isSeqEntry(p)) return sequence(r, col, p, undefined)
  const colon = keyEnd(r, p)
  if (colon >= 0) return mapping(r, col, p, undefined, colon)
  const c = r.code(p)
  if (c === 124 || c === 62) throw GIVE_UP
  const value = lineScalar(r, p, parent)
  if (r.indent > parent) throw GIVE_UP // a multi-line scalar (or an error)
  return value
}

/**
 * The value after `key:` or `- ` at `p` (after the indicator's spaces), in a collection
 * indented `col`.
 */
function inlineValue(r: Cursor, p: number, col: number, zeroIndentSeq: boolean): unknown {
  const t = r.text
  const c = t.charCodeAt(p)
  if (c === HASH || r.isEol(p)) {
    // Nothing on this line: the value is on the next lines, or empty.
    r.pos = r.nextLine(p)
    r.seekContent()
    if (r.indent > col) return blockNode(r, col)
    if (zeroIndentSeq && r.indent === col && r.isSeqEntry(r.pos + col)) return sequence(r, col, r.pos + col, undefined)
    r.offset = -1 // an empty plain scalar has no value position
    return plainValue('')
  }
  const value = lineScalar(r, p, col)
  if (r.indent > col) throw GIVE_UP // a continuation line: a multi-line scalar or an error
  return value
}

/** A block mapping whose entries are indented `col`, the first key at `first` (its `:` at `firstColon`). */
export function mapping(r: Cursor, col: number, first: number, items: number[] | undefined, firstColon: number): Record<string, unknown> {
  const t = r.text
  r.enter()
  const out: Record<string, unknown> = {}
  let p = first
  for (;;) {
    const colon = p === first ? firstColon : keyEnd(r, p)
    if (colon < 0) throw GIVE_UP
    const key = mappingKey(r, p, colon)
    if (Object.prototype.hasOwnProperty.call(out, key)) throw GIVE_UP // duplicated mapping key
    let v = colon + 1
    while (t.charCodeAt(v) === SPACE) v++
    let value: unknown
    if (items && key === 'items' && !r.rootItems) {
      // list-items.ts: the first `items` of a root mapping, when it is a sequence.
      value = itemsValue(r, v, col, items)
    } else {
      if (r.isSeqEntry(v)) throw GIVE_UP // `key: - x` is a js-yaml error
      value = inlineValue(r, v, col, true)
    }
    out[key] = value
    if (r.indent < col) break
    if (r.indent > col) throw GIVE_UP
    p = r.pos + col
    if (r.isSeqEntry(p)) throw GIVE_UP
  }
  r.depth--
  r.offset = first
  return out
}

/** The value of a root mapping's `items` key, recording its entries' offsets when it is a sequence. */
function itemsValue(r: Cursor, v: number, col: number, items: number[]): unknown {
  const t = r.text
  if (r.isSeqEntry(v)) throw GIVE_UP
  const c = t.charCodeAt(v)
  if (c === HASH || r.isEol(v)) {
    r.pos = r.nextLine(v)
    r.seekContent()
    const p = r.pos + r.indent
    if ((r.indent > col || r.indent === col) && r.indent >= 0 && r.isSeqEntry(p)) {
      r.rootItems = true
      return sequence(r, r.indent, p, items)
    }
    if (r.indent > col) {
      if (r.code(p) !== 91) return blockNode(r, col)
      // `items:` with a flow sequence on the next line.
      r.rootItems = true
      const value = lineScalar(r, p, col, items)
      if (r.indent > col) throw GIVE_UP
      return value
    }
    r.offset = -1
    return plainValue('')
  }
  if (c === 91) {
    // `items: [...]`: a flow sequence on one line.
    r.rootItems = true
    const value = lineScalar(r, v, col, items)
    if (r.indent > col) throw GIVE_UP
    return value
  }
  return inlineValue(r, v, col, true)
}

/** A block sequence whose `-` are at column `col`, the first at `first`; records entry offsets in `items`. */
export function sequence(r: Cursor, col: number, first: number, items: number[] | undefined): unknown[] {
  const t = r.text
  r.enter()
  const out: unknown[] = []
  let p = first
  for (;;) {
    let v = p + 1
    while (t.charCodeAt(v) === SPACE) v++
    let value: unknown
    // Compact forms: `- - x` and `- key: v` open a collection at the column after `- `.
    if (r.isSeqEntry(v)) value = sequence(r, col + (v - p), v, undefined)
    else {
      const colon = keyEnd(r, v)
      value = colon >= 0 ? mapping(r, col + (v - p), v, undefined, colon) : inlineValue(r, v, col, false)
    }
    if (items) items.push(r.offset)
    out.push(value)
    if (r.indent !== col) {
      if (r.indent > col) throw GIVE_UP
      break
    }
    p = r.pos + col
    if (!r.isSeqEntry(p)) break // the mapping holding a zero-indented sequence goes on
  }
  r.depth--
  r.offset = first
  return out
}
