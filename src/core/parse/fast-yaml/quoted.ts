/**
 * @module parse/fast-yaml/quoted
 * Single- and double-quoted scalars for the fast reader (YAML 1.2 c-single-quoted /
 * c-double-quoted; js-yaml readSingleQuotedScalar / readDoubleQuotedScalar): finding where one
 * closes — checking escapes as js-yaml's simpleEscapeSequence and hex escapes accept them, and
 * following continuation lines as js-yaml's indentation rule allows — and its value. A one-line
 * scalar without escapes is sliced (with `''` unfolded in single quotes); everything else is
 * decoded by js-yaml's own `getScalarValue`, so the folding stays js-yaml's.
 */
import { CHOMPING_MODE, getScalarValue, SCALAR_STYLE } from 'js-yaml'
import { SIMPLE_ESCAPES } from './chars.ts'
import type { Cursor } from './cursor.ts'
import { scalarEvent } from './scalar-event.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const LF = 10
const CR = 13
const SQUOTE = 39
const DQUOTE = 34
const BACKSLASH = 92

/**
 * Offset of the closing quote of the quoted scalar opening at `p`, or -1 when it is not one this
 * reader accepts. With `parent` undefined the scalar must close on its line (keys, flow
 * entries); otherwise it may go on over lines indented more than `parent`, as js-yaml requires
 * ("deficient indentation"), with escaped line breaks in double quotes.
 */
export function quoteEnd(r: Cursor, p: number, parent?: number): number {
  const t = r.text
  const quote = t.charCodeAt(p)
  r.quoteLines = false
  for (let q = p + 1; ; q++) {
    const ch = t.charCodeAt(q)
    if (ch === quote) {
      if (quote === SQUOTE && t.charCodeAt(q + 1) === SQUOTE) {
        q++
        continue
      }
      return q
    }
    if (ch === LF || ch === CR || q >= t.length) {
      if (parent === undefined || q >= t.length) return -1
      const next = continuation(r, q, parent)
      if (next < 0) return -1
      r.quoteLines = true
      q = next - 1
      continue
    }
    if (ch === BACKSLASH && quote === DQUOTE) {
      const e = t.charCodeAt(q + 1)
      const hex = e === 120 ? 2 : e === 117 ? 4 : e === 85 ? 8 : 0
      if (hex > 0) {
        let cp = 0
        for (let k = 0; k < hex; k++) {
          const d = t.charCodeAt(q + 2 + k)
          const v = d >= 48 && d <= 57 ? d - 48 : (d | 32) >= 97 && (d | 32) <= 102 ? (d | 32) - 87 : -1
          if (v < 0) return -1
          cp = cp * 16 + v
        }
        if (cp > 0x10ffff) return -1
        q += 1 + hex
      } else if (SIMPLE_ESCAPES.has(e)) q++
      else if (e === LF || e === CR) {
        if (parent === undefined) return -1
        const next = continuation(r, q + 1, parent)
        if (next < 0) return -1
        r.quoteLines = true
        q = next - 1
      } else return -1 // an invalid escape
    }
  }
}

/**
 * At the line break `q` inside a multi-line quoted scalar: skips blank lines and the next line's
 * indentation; -1 when that line is indented `parent` or less, or is a document marker.
 */
function continuation(r: Cursor, q: number, parent: number): number {
  const t = r.text
  let line = r.nextLine(q)
  for (;;) {
    if (line >= t.length) return -1
    let c = line
    while (t.charCodeAt(c) === SPACE) c++
    if (r.isEol(c) && c < t.length) {
      line = r.nextLine(c)
      continue
    }
    if (c - line <= parent || (c === line && r.markerAt(line))) return -1
    return c
  }
}

/** The value of the quoted scalar spanning `[p, close]` (quotes included), just scanned by {@link quoteEnd}. */
export function quoted(r: Cursor, p: number, close: number): string {
  const t = r.text
  if (r.quoteLines) {
    const style = t.charCodeAt(p) === SQUOTE ? SCALAR_STYLE.SINGLE_QUOTED : SCALAR_STYLE.DOUBLE_QUOTED
    return getScalarValue(t, scalarEvent(style, p + 1, close, CHOMPING_MODE.CLIP, -1))
  }
  if (t.charCodeAt(p) === SQUOTE) {
    const raw = t.slice(p + 1, close)
    return raw.includes("'") ? raw.replace(/''/g, "'") : raw
  }
  const raw = t.slice(p + 1, close)
  if (!raw.includes('\\')) return raw
  return getScalarValue(t, scalarEvent(SCALAR_STYLE.DOUBLE_QUOTED, p + 1, close, CHOMPING_MODE.CLIP, -1))
}
