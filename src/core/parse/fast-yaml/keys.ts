/**
 * @module parse/fast-yaml/keys
 * Block mapping keys for the fast reader (the implicit-key case of js-yaml readBlockMapping:
 * a single-line plain or quoted scalar followed by `:` and a space or the line end): finding the
 * `:` and reading the key as js-yaml's map tag stores it (`String(key)`). Plain keys repeat in
 * manifests, so a small cache on the cursor compares a key in place and reuses the string read
 * before.
 */
import { GIVE_UP } from './chars.ts'
import { KEY_SLOTS } from './cursor.ts'
import type { Cursor } from './cursor.ts'
import { canStartPlain } from './plain.ts'
import { quoted, quoteEnd } from './quoted.ts'
import { MERGE, plainValue } from './resolve.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const LF = 10
const CR = 13
const HASH = 35
const COLON = 58
const SQUOTE = 39
const DQUOTE = 34
/** The cache slot mask, read once from cursor.ts: module-local for the same reason as the codes. */
const SLOT_MASK = KEY_SLOTS - 1

/**
 * If a mapping key starts at `p` (a single-line plain or quoted scalar followed by `:` and a
 * space or line end), the offset of that `:`; else -1.
 */
export function keyEnd(r: Cursor, p: number): number {
  const t = r.text
  const c = t.charCodeAt(p)
  if (c === SQUOTE || c === DQUOTE) {
    const close = quoteEnd(r, p)
    if (close < 0) return -1
    let q = close + 1
    while (t.charCodeAt(q) === SPACE) q++
    return t.charCodeAt(q) === COLON && r.isWsOrEol(q + 1) ? q : -1
  }
  if (!canStartPlain(r, p)) return -1
  for (let q = p + 1; ; q++) {
    const ch = t.charCodeAt(q)
    if (ch === COLON) {
      if (r.isWsOrEol(q + 1)) return q
    } else if (ch === HASH) {
      if (t.charCodeAt(q - 1) === SPACE) return -1
    } else if (ch === LF || ch === CR || q >= t.length) return -1
  }
}

/** The mapping key at `p` whose `:` is at `colon`, as js-yaml's map tag normalises it (`String(key)`). */
export function mappingKey(r: Cursor, p: number, colon: number): string {
  const t = r.text
  const c = t.charCodeAt(p)
  let name: string
  if (c === SQUOTE || c === DQUOTE) {
    name = quoted(r, p, quoteEnd(r, p))
  } else {
    let end = colon
    while (t.charCodeAt(end - 1) === SPACE) end--
    const len = end - p
    // A plain key seen before (manifests repeat `name`, `namespace`, `port`, ...) is compared in
    // place and its earlier string reused: no slice, and a key V8 has interned already.
    const slot = (len * 961 + c * 31 + t.charCodeAt(end - 1)) & SLOT_MASK
    const cached = r.keys[slot]
    if (cached !== undefined && cached.length === len && t.startsWith(cached, p)) return cached
    const source = t.slice(p, end)
    if (source.length > 1024 || source === '<<') throw GIVE_UP
    const value = plainValue(source)
    if (value === MERGE) throw GIVE_UP
    // js-yaml's map tag addPair: String(key).
    name = typeof value === 'string' ? value : String(value)
    // Only keys that are their own text (not `1`, `true`, `~`) are reused as written.
    if (name === source && name !== '__proto__') r.keys[slot] = name
  }
  if (name === '__proto__') throw GIVE_UP
  return name
}
