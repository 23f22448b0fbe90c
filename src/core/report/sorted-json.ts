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
 *
 * {@link stringifySorted} hands the value to V8's own `JSON.stringify` instead whenever
 * native-json.ts finds (or makes, copying the few objects out of order) a value it prints with
 * these same bytes: the plan's builders make their objects in sorted key order for it (Worker PR
 * plan: the JSON report and the flattening of its string 1.62-1.79 ms with this writer, 1.40 ms
 * with the walk and native stringify).
 */

import { prototypesCallToJSON, readyForNative, sortedKeys, WRITER_ONLY } from './native-json.ts'

/** Characters a JSON string must escape, plus surrogates (which need a pairing check). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`
}

/** Writer state: one instance per call, so nothing is shared between calls. */
class Writer {
  out = ''
  private readonly pads: string[]
  private readonly commaPads: string[] = []
  /**
   * What goes before a value of an object, `{` or `,` + newline + indent + quoted key + `: `,
   * by depth, then key (`[depth * 2]` opens the object, `[depth * 2 + 1]` follows a value):
   * plans repeat a few dozen keys thousands of times, and one cached piece is one string to
   * append instead of three.
   */
  private readonly keyPieces: Map<string, string>[] = []
  /**
   * Sorted key lists by the object's own key list: a plan holds thousands of objects of a few
   * dozen shapes, and sorting each one's keys anew was a quarter of this writer's allocations.
   * Looked up by first key, then compared key by key.
   */
  private readonly shapes = new Map<string, { readonly own: readonly string[]; readonly sorted: readonly string[] }[]>()

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

  private keyPiece(depth: number, k: string, first: boolean): string {
    const slot = depth * 2 + (first ? 0 : 1)
    let pieces = this.keyPieces[slot]
    if (pieces === undefined) {
      pieces = new Map()
      this.keyPieces[slot] = pieces
    }
    let piece = pieces.get(k)
    if (piece === undefined) {
      piece = `${first ? '{' : ','}${this.pad(depth + 1)}${quote(k)}: `
      pieces.set(k, piece)
    }
    return piece
  }

  /** {@link sortedKeys} of `o`, from {@link shapes} when an object with the same own keys was seen. */
  private sorted(o: object): readonly string[] {
    const own = Object.keys(o)
    const n = own.length
    if (n < 2) return own
    const first = own[0] as string
    let list = this.shapes.get(first)
    if (list === undefined) {
      list = []
      this.shapes.set(first, list)
    }
    search: for (const shape of list) {
      if (shape.own.length !== n) continue
      for (let i = 1; i < n; i++) if (shape.own[i] !== own[i]) continue search
      return shape.sorted
    }
    const sorted = sortedKeys(own)
    // At most 64 shapes per first key (objects read from YAML can have any keys; past that, sort
    // anew), so the cache never outgrows the document it writes.
    if (list.length < 64) list.push({ own, sorted })
    return sorted
  }

  private object(o: object, depth: number): void {
    const rec = o as Record<string, unknown>
    let first = true
    for (const k of this.sorted(o)) {
      const x = rec[k]
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol' || k === '__proto__') continue
      this.out += this.keyPiece(depth, k, first)
      first = false
      this.value(x, depth + 1)
    }
    this.out += first ? '{}' : `${this.pad(depth)}}`
  }
}

/**
 * `JSON.stringify(sortKeys(value), null, 2)` (sort-keys.ts) without the copy; `undefined` for
 * the values JSON.stringify answers `undefined` (undefined, functions, symbols).
 *
 * V8's own `JSON.stringify` prints the value when native-json.ts can ready it (every object
 * already in this key order, or a copy of the few that are not): a string of a few large parts
 * built in C++, where {@link writeSorted} builds a rope of tens of thousands of pieces (both are
 * flattened once by the caller). The plan builders make their objects in this order for that. `indent` must be what native stringify takes as is (1
 * to 10 characters; it ignores the rest and writes no newlines for ''); the writer prints
 * anything else, and anything native stringify throws on, so that errors stay the writer's.
 *
 * @example
 * stringifySorted({ b: 1, a: [true] }) // '{\n  "a": [\n    true\n  ],\n  "b": 1\n}'
 */
export function stringifySorted(value: unknown, indent = '  '): string | undefined {
  if (indent.length > 0 && indent.length <= 10 && !prototypesCallToJSON()) {
    try {
      const ready = readyForNative(value)
      if (ready !== WRITER_ONLY) return JSON.stringify(ready, null, indent) as string | undefined
    } catch {
      // A cycle or a throwing getter: the writer meets it again and throws its own error.
    }
  }
  return writeSorted(value, indent)
}

/** The writer alone: {@link stringifySorted}'s bytes, always written piece by piece. */
export function writeSorted(value: unknown, indent = '  '): string | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined
  const w = new Writer(indent)
  w.value(value, 0)
  return w.out
}
