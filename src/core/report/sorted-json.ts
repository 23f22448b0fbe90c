/**
 * @module report/sorted-json
 * `JSON.stringify(sortKeys(value), null, indent)` written in one walk, without the sorted deep
 * copy: the copy of a plan (every service port, endpoint and issue) and its collection were
 * ≈ 4% of a Worker PR plan, and the native stringify of the copy another ≈ 6% (bench profile).
 *
 * Byte for byte the same as the two steps it replaces (test/core/report/sorted-json.test.ts
 * compares them over every example plan and diff and seeded values), which fixes these rules:
 * - object keys are own enumerable string keys, sorted by UTF-16 code units (`Array#sort`); the
 *   copy then re-orders them the way every JS object enumerates its keys: array-index keys
 *   ("0" … "4294967294") first in numeric order, the others in sorted order;
 * - `undefined` and function values are dropped from objects (sortKeys), symbols too (stringify);
 *   in arrays all three print `null`, as do holes;
 * - a `__proto__` key is dropped: assigning it to the copy set the copy's prototype instead;
 * - `toJSON` is never called: the copy of any object is a plain object without a prototype's
 *   `toJSON`, and an own `toJSON` function is dropped like any function value;
 * - numbers print as `JSON.stringify` prints them (`-0` → `0`, non-finite → `null`);
 *   strings with JSON's escapes (lone surrogates as `\udXXX`).
 */

/** Characters a JSON string must escape, plus surrogates (which need a pairing check). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/** True for canonical array-index strings, the keys JS objects enumerate first. */
function isArrayIndex(key: string): boolean {
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

/** `own` (an object's own keys) in the order the sorted copy enumerates them. */
function sortedKeys(own: readonly string[]): string[] {
  const keys = [...own].sort()
  let indices: string[] | undefined
  for (const k of keys) if (isArrayIndex(k)) (indices ??= []).push(k)
  if (indices === undefined) return keys
  indices.sort((a, b) => Number(a) - Number(b))
  for (const k of keys) if (!isArrayIndex(k)) indices.push(k)
  return indices
}

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`
}

/** Writer state: one instance per call, so nothing is shared between calls. */
class Writer {
  out = ''
  private readonly pads: string[]
  private readonly commaPads: string[] = []
  /**
   * Shapes by the object's own key list: a plan holds thousands of objects of a few dozen shapes,
   * and sorting each one's keys anew was a quarter of this writer's allocations.
   * Looked up by first key, then compared key by key.
   */
  private readonly shapes = new Map<string, Shape[]>()
  /** What closes an object by depth and {@link After} state (`}` after its pad, `"` first when pending). */
  private readonly closers: string[][] = []

  constructor(private readonly indent: string) {
    this.pads = ['\n']
  }

  private pad(depth: number): string {
    let p = this.pads[depth]
    if (p === undefined) {
      p = `\n${this.indent.repeat(depth)}`
      this.pads[depth] = p
    }
    return p
  }

  /** `,` + {@link pad}, cached like it. */
  private commaPad(depth: number): string {
    let p = this.commaPads[depth]
    if (p === undefined) {
      p = `,${this.pad(depth)}`
      this.commaPads[depth] = p
    }
    return p
  }

  /** Writes `v` (known not to be undefined/function/symbol). */
  value(v: unknown, depth: number): void {
    switch (typeof v) {
      case 'string':
        this.out += quote(v)
        return
      case 'number':
        this.out += Number.isFinite(v) ? (v === 0 ? '0' : String(v)) : 'null'
        return
      case 'boolean':
        this.out += v ? 'true' : 'false'
        return
      case 'bigint':
        // As JSON.stringify: BigInt has no JSON form.
        throw new TypeError('Do not know how to serialize a BigInt')
      case 'object':
        if (v === null) this.out += 'null'
        else if (Array.isArray(v)) this.array(v, depth)
        else this.object(v, depth)
        return
      default:
        this.out += 'null'
    }
  }

  private array(a: readonly unknown[], depth: number): void {
    const n = a.length
    if (n === 0) {
      this.out += '[]'
      return
    }
    const inner = this.pad(depth + 1)
    const next = this.commaPad(depth + 1)
    this.out += '['
    for (let i = 0; i < n; i++) {
      this.out += i === 0 ? inner : next
      const x = a[i]
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') this.out += 'null'
      else this.value(x, depth + 1)
    }
    this.out += `${this.pad(depth)}]`
  }

  /** The {@link Shape} of `o`, from {@link shapes} when an object with the same own keys was seen. */
  private shape(o: object): Shape {
    const own = Object.keys(o)
    const n = own.length
    const first = n === 0 ? '' : (own[0] as string)
    let list = this.shapes.get(first)
    if (list === undefined) {
      list = []
      this.shapes.set(first, list)
    }
    search: for (const shape of list) {
      if (shape.own.length !== n) continue
      for (let i = 1; i < n; i++) if (shape.own[i] !== own[i]) continue search
      return shape
    }
    // `__proto__` is dropped for good: assigning it to the sorted copy set the copy's prototype.
    const shape: Shape = { own, sorted: sortedKeys(own).filter((k) => k !== '__proto__'), pieces: [] }
    // At most 64 shapes per first key (objects read from YAML can have any keys; past that, a
    // shape is built anew each time), so the cache never outgrows the document it writes.
    if (list.length < 64) list.push(shape)
    return shape
  }

  /**
   * What goes before each value of an object of `shape` at `depth`, by key i, {@link After}
   * state s and whether the value is a plain string (p): `[6i + 2s + p]` is what closes the
   * previous value (nothing, or the pending `"`), `{` or `,`, newline, indent, quoted key, `: `,
   * and the string's opening `"` when p. Plans repeat a few dozen shapes thousands of times:
   * one array read per key, and one piece to append where there were up to four (key, `"`,
   * value, `"`), which also leaves the final rope with fewer nodes to flatten.
   */
  private pieces(shape: Shape, depth: number): readonly string[] {
    let pieces = shape.pieces[depth]
    if (pieces === undefined) {
      pieces = []
      const pad = this.pad(depth + 1)
      for (const k of shape.sorted) {
        const key = `${pad}${quote(k)}: `
        pieces.push(`{${key}`, `{${key}"`, `,${key}`, `,${key}"`, `",${key}`, `",${key}"`)
      }
      shape.pieces[depth] = pieces
    }
    return pieces
  }

  private closer(depth: number, after: After): string {
    let c = this.closers[depth]
    if (c === undefined) {
      const end = `${this.pad(depth)}}`
      c = ['{}', end, `"${end}`]
      this.closers[depth] = c
    }
    return c[after] as string
  }

  private object(o: object, depth: number): void {
    const rec = o as Record<string, unknown>
    const shape = this.shape(o)
    const keys = shape.sorted
    const pieces = this.pieces(shape, depth)
    let after: After = 0
    for (let i = 0; i < keys.length; i++) {
      const x = rec[keys[i] as string]
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue
      if (typeof x === 'string' && !NEEDS_ESCAPE.test(x)) {
        this.out += pieces[6 * i + 2 * after + 1] as string
        this.out += x
        after = 2
      } else {
        this.out += pieces[6 * i + 2 * after] as string
        this.value(x, depth + 1)
        after = 1
      }
    }
    this.out += this.closer(depth, after)
  }
}

/**
 * What an object's writer last wrote: nothing yet (0), a value (1), or a plain string without
 * its closing `"` (2), which the next piece then starts with.
 */
type After = 0 | 1 | 2

/** An object shape: its own keys as enumerated, the order they are written in, their pieces by depth. */
interface Shape {
  readonly own: readonly string[]
  readonly sorted: readonly string[]
  readonly pieces: string[][]
}

/**
 * `JSON.stringify(sortKeys(value), null, 2)` (sort-keys.ts) without the copy; `undefined` for
 * the values JSON.stringify answers `undefined` (undefined, functions, symbols).
 *
 * @example
 * stringifySorted({ b: 1, a: [true] }) // '{\n  "a": [\n    true\n  ],\n  "b": 1\n}'
 */
export function stringifySorted(value: unknown, indent = '  '): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined
  const w = new Writer(indent)
  w.value(value, 0)
  return w.out
}
