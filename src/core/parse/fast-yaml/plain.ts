/**
 * @module parse/fast-yaml/plain
 * Plain scalars in block context for the fast reader: whether one may start at a position
 * (js-yaml canStartPlainScalar) and where one line of it ends (js-yaml readPlainScalar's stop
 * conditions: a line break, ` #` or `: `). Resolving the text to a value is resolve.ts's job;
 * following continuation lines is line-scalar.ts's.
 */
import { GIVE_UP } from './chars.ts'
import type { Cursor } from './cursor.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const LF = 10
const CR = 13
const HASH = 35
const DASH = 45
const COLON = 58
const SQUOTE = 39
const DQUOTE = 34

/** js-yaml canStartPlainScalar in block context, and no leading `:` (an explicit value). */
export function canStartPlain(r: Cursor, p: number): boolean {
  const c = r.code(p)
  switch (c) {
    case HASH:
    case 38: // &
    case 42: // *
    case 33: // !
    case 124: // |
    case 62: // >
    case SQUOTE:
    case DQUOTE:
    case 37: // %
    case 64: // @
    case 96: // `
    case 44: // ,
    case 91: // [
    case 93: // ]
    case 123: // {
    case 125: // }
      return false
    case COLON:
    case 63: // ?
    case DASH:
      return !r.isWsOrEol(p + 1)
    default:
      return !r.isWsOrEol(p)
  }
}

/**
 * Scans one line of a plain scalar in block context from `p`: returns the end of its text
 * (trailing spaces dropped), sets `lineEnd` and `plainComment`. Gives up on `: ` (a mapping
 * where js-yaml would report an error).
 */
export function plainLine(r: Cursor, p: number): number {
  const t = r.text
  let end = p + 1
  r.plainComment = false
  for (;;) {
    const ch = t.charCodeAt(end)
    if (ch === LF || ch === CR || end >= t.length) break
    if (ch === COLON && r.isWsOrEol(end + 1)) throw GIVE_UP // `a: b: c` and friends
    if (ch === HASH && t.charCodeAt(end - 1) === SPACE) {
      r.plainComment = true
      break
    }
    end++
  }
  r.lineEnd = end
  let stop = end
  while (t.charCodeAt(stop - 1) === SPACE) stop--
  return stop
}
