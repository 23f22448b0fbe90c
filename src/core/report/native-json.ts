/**
 * @module report/native-json
 * Readies a value for V8's own `JSON.stringify(value, null, indent)` so that it prints the bytes
 * of sorted-json.ts's writer (`JSON.stringify(sortKeys(value), null, indent)`): native stringify
 * writes a plan in C++ in a few large parts, where the writer builds a rope of tens of thousands
 * of pieces (Worker PR plan, both then flattened: writer 1.62-1.79 ms, native 1.22-1.27 ms, plus
 * 0.17 ms for this walk).
 *
 * Native stringify prints what the writer prints for every value the walk below lets through
 * unchanged: a plain object (prototype `Object.prototype` or `null`) whose own enumerable keys
 * already enumerate in the writer's order, without a `__proto__` key and without a `toJSON`
 * function; an array without a `toJSON` function; a string, number, boolean or null (both print
 * `-0` as `0` and non-finite numbers as `null`, escape strings the same way, lone surrogates
 * included); `undefined`, functions and symbols (both drop them from objects and print `null`
 * in arrays, as for holes). Everything else is swapped for a copy with the writer's key order,
 * the way `sortKeys` copies it (class instances, Dates, Maps, boxed primitives become plain
 * objects of their own enumerable keys), so only the unsorted objects and their ancestors are
 * copied and the rest is shared. A bigint cannot be readied (the writer throws on it itself).
 *
 * Getters are read once by this walk and once more by the native stringify: plan values hold no
 * getters, and a getter answering differently on each read has no stable output to keep anyway.
 */

/** What {@link readyForNative} answers when only the writer can print the value. */
export const WRITER_ONLY: unique symbol = Symbol('writer only')

/** True for canonical array-index strings ("0" … "4294967294"), the keys JS objects enumerate first. */
export function isArrayIndex(key: string): boolean {
  const n = key.length
  if (n === 0 || n > 10) return false
  const c0 = key.charCodeAt(0)
  if (c0 === 48) return n === 1 // "0"; "01" is no index
  for (let i = 0; i < n; i++) {
    const c = key.charCodeAt(i)
    if (c < 48 || c > 57) return false
  }
  return Number(key) < 4294967295
}

/**
 * `own` (an object's own keys) in the order the writer prints them, which is also the order a
 * fresh object enumerates them in when they are inserted sorted: array-index keys first in
 * numeric order, the others sorted by UTF-16 code units (`Array#sort`).
 */
export function sortedKeys(own: readonly string[]): string[] {
  const keys = [...own].sort()
  let indices: string[] | undefined
  for (const k of keys) if (isArrayIndex(k)) (indices ??= []).push(k)
  if (indices === undefined) return keys
  indices.sort((a, b) => Number(a) - Number(b))
  for (const k of keys) if (!isArrayIndex(k)) indices.push(k)
  return indices
}

/**
 * True when `keys` (an ordinary object's `Object.keys`, array indices first in numeric order,
 * then the others in insertion order) are already in {@link sortedKeys} order and hold no
 * `__proto__` (which the writer drops and native stringify prints): the non-index keys strictly
 * ascending.
 */
function inWriterOrder(keys: readonly string[]): boolean {
  let prev: string | undefined
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const c0 = k.charCodeAt(0)
    if (c0 >= 48 && c0 <= 57 && isArrayIndex(k)) continue
    if (k === '__proto__' || (prev !== undefined && !(prev < k))) return false
    prev = k
  }
  return true
}

/**
 * Where the prototypes a native stringify consults hold a `toJSON` function (a polluted
 * `Object.prototype`/`Array.prototype`, or `BigInt.prototype` which would make bigints
 * printable), native stringify calls it and the writer does not: only the writer then.
 */
export function prototypesCallToJSON(): boolean {
  return (
    typeof (Object.prototype as { toJSON?: unknown }).toJSON === 'function' ||
    typeof (Array.prototype as { toJSON?: unknown }).toJSON === 'function' ||
    typeof (BigInt.prototype as { toJSON?: unknown }).toJSON === 'function'
  )
}

/**
 * Copies allowed before the walk gives up ({@link readyForNative}): a copied object costs more
 * than the writer's printing of it (the PR plan with every object copied: 1.26× the writer), a
 * shared one less (0.8× with the walk), so a document whose objects are mostly out of order (a
 * diff's, whose builders keep their own order) goes to the writer after a short walk.
 */
const COPIES_FREE = 64

/**
 * `v` itself when native stringify prints it as the writer does, else a copy that it prints so
 * (sharing every subtree that needs no change), or {@link WRITER_ONLY}: for a bigint, or when
 * more than {@link COPIES_FREE} plus a quarter of the objects seen had to be copied. `found`,
 * when given, receives the path and keys of every object copied for itself (not for a copied
 * descendant) and of every value refused, and lifts the bound on copies: the tests use it to
 * name a builder whose object literal is out of order.
 */
export function readyForNative(v: unknown, found?: string[]): unknown {
  return new Readier(found).ready(v, found === undefined ? undefined : '')
}

/**
 * Where `value` needs a copy before native stringify can print it (the paths and keys of the
 * objects out of the writer's order or not plain, and of refused values); `[]` when native
 * stringify prints it as it is. Tests hold the plan's builders to it (native-json.test.ts).
 */
export function nativeOrderOf(value: unknown): string[] {
  const found: string[] = []
  readyForNative(value, found)
  return found
}

/** One walk's state. `path` (the JSON path of the value at hand) is kept only with `found`. */
class Readier {
  private seen = 0
  private copies = 0

  constructor(private readonly found: string[] | undefined) {}

  ready(v: unknown, path: string | undefined): unknown {
    if (typeof v === 'bigint') {
      this.found?.push(`${path} bigint`)
      return WRITER_ONLY
    }
    if (typeof v !== 'object' || v === null) return v
    return Array.isArray(v) ? this.array(v, path) : this.object(v, path)
  }

  /** Counts one copy; false once there are too many ({@link COPIES_FREE}). */
  private copied(): boolean {
    return ++this.copies <= COPIES_FREE + (this.seen >> 2) || this.found !== undefined
  }

  private array(a: readonly unknown[], path: string | undefined): unknown {
    this.seen++
    let copy: unknown[] | undefined
    // A `toJSON` function on the array (own, or from an Array subclass) is called by native
    // stringify only: copy the elements into a plain array.
    if (typeof (a as { toJSON?: unknown }).toJSON === 'function') {
      this.found?.push(`${path} toJSON`)
      if (!this.copied()) return WRITER_ONLY
      copy = copyArray(a)
    }
    for (let i = 0; i < a.length; i++) {
      const x = a[i]
      if ((typeof x !== 'object' || x === null) && typeof x !== 'bigint') continue
      const r = this.ready(x, path === undefined ? undefined : `${path}[${i}]`)
      if (r === x) continue
      if (r === WRITER_ONLY) return WRITER_ONLY
      if (copy === undefined) {
        if (!this.copied()) return WRITER_ONLY
        copy = copyArray(a)
      }
      copy[i] = r
    }
    return copy ?? a
  }

  private object(o: object, path: string | undefined): unknown {
    this.seen++
    const keys = Object.keys(o)
    const proto = Object.getPrototypeOf(o) as unknown
    if ((proto !== Object.prototype && proto !== null) || !inWriterOrder(keys)) {
      this.found?.push(`${path} {${keys.join(',')}}${proto !== Object.prototype && proto !== null ? ' (not a plain object)' : ''}`)
      return this.copied() ? this.copyObject(o, keys, path) : WRITER_ONLY
    }
    const rec = o as Record<string, unknown>
    // The copy, from the first key whose value had to be copied on (the keys are already in order).
    let out: Record<string, unknown> | undefined
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string
      const x = rec[k]
      if (typeof x !== 'object' || x === null) {
        if (typeof x === 'function' && k === 'toJSON') {
          // An own toJSON function: native stringify calls it, the writer drops it.
          this.found?.push(`${path} toJSON`)
          if (out === undefined) {
            if (!this.copied()) return WRITER_ONLY
            out = copyHead(rec, keys, i)
          }
          continue
        }
        if (typeof x !== 'bigint') {
          if (out !== undefined) out[k] = x
          continue
        }
      }
      const r = this.ready(x, path === undefined ? undefined : `${path}.${k}`)
      if (r === WRITER_ONLY) return WRITER_ONLY
      if (r !== x && out === undefined) {
        if (!this.copied()) return WRITER_ONLY
        out = copyHead(rec, keys, i)
      }
      if (out !== undefined) out[k] = r
    }
    return out ?? o
  }

  /**
   * The object the writer prints for `o`, as `sortKeys` (sort-keys.ts) copies it: own enumerable
   * keys in {@link sortedKeys} order, `undefined` and function values and the `__proto__` key
   * dropped, each value readied in turn.
   */
  private copyObject(o: object, keys: readonly string[], path: string | undefined): unknown {
    const rec = o as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const k of sortedKeys(keys)) {
      const x = rec[k]
      if (x === undefined || typeof x === 'function' || k === '__proto__') continue
      const r = this.ready(x, path === undefined ? undefined : `${path}.${k}`)
      if (r === WRITER_ONLY) return WRITER_ONLY
      out[k] = r
    }
    return out
  }
}

/** A plain array of `a`'s elements, read by index as both stringifiers read them (holes read `undefined`). */
function copyArray(a: readonly unknown[]): unknown[] {
  const n = a.length
  const out = new Array<unknown>(n)
  for (let i = 0; i < n; i++) out[i] = a[i]
  return out
}

/** A copy of `o`'s first `n` keys (in order): the start of a copy once a later value changes. */
function copyHead(o: Record<string, unknown>, keys: readonly string[], n: number): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < n; i++) out[keys[i] as string] = o[keys[i] as string]
  return out
}
