/**
 * report/native-json.ts: `stringifySorted` hands a value to V8's own `JSON.stringify` when the
 * walk finds (or makes, by copying the objects out of order) one that prints the writer's bytes.
 * Checked against the writer alone (`writeSorted`) on seeded values built mostly in sorted key
 * order (so both the native path, the copies and the fallback are taken) with every value where
 * the two stringifiers could differ; then held to the plan: the plan document of every example
 * and fixture needs no copy but of the user's own maps, so a builder that adds a key out of
 * order fails here instead of silently sending the report back to the writer.
 */
import { describe, expect, it } from 'vitest'
import { exampleAndFixtureFiles } from '../../helpers/manifest-files.ts'
import { rng as prng } from '../../helpers/seeded-rng.ts'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import { planDocument } from '../../../src/core/report/json.ts'
import { nativeOrderOf, readyForNative, WRITER_ONLY } from '../../../src/core/report/native-json.ts'
import { stringifySorted, writeSorted } from '../../../src/core/report/sorted-json.ts'
import type { SourceFile } from '../../../src/core/model/inventory.ts'

/** What a call printed, or the kind and message of what it threw. */
function outcome(f: () => string | undefined): string {
  try {
    const s = f()
    return s === undefined ? 'undefined' : `ok ${s}`
  } catch (err) {
    return `throws ${(err as Error).constructor.name}: ${(err as Error).message}`
  }
}

const same = (v: unknown, indent?: string): void => {
  expect(outcome(() => stringifySorted(v, indent))).toBe(outcome(() => writeSorted(v, indent)))
}

class Point {
  constructor(
    public y: number,
    public x: number,
  ) {}
}
class Listed extends Array<unknown> {
  toJSON(): string {
    return 'listed'
  }
}

const STRINGS = ['', 'a', 'é', '日本', '😀', '\ud83d', '\ude00', 'x\ud800y', '"q"', 'back\\slash', 'nl\n', '\u0000', '\u2028']
const KEYS = ['a', 'b', 'B', '_', 'Z', 'é', '😀', '\ud800', '0', '1', '2', '10', '01', '-1', '4294967294', '4294967295', 'toJSON', 'constructor', '', 'key\n"', '__proto__']
const NUMBERS = [0, -0, 1, -1.5, 1e21, 1e-7, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity]

function leaf(rnd: () => number): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const r = rnd()
  if (r < 0.3) return pick(STRINGS)
  if (r < 0.55) return pick(NUMBERS)
  if (r < 0.97) return pick<unknown>([true, false, null, undefined, () => 1, Symbol('s')])
  return 10n
}

/** Objects that are not plain data, each printed differently by one stringifier or the other unless copied. */
function odd(rnd: () => number): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const withToJSON = { a: 1, toJSON: () => 'called' }
  const listed = Listed.from([1, 2])
  const hasToJSON: unknown[] = [1]
  Object.defineProperty(hasToJSON, 'toJSON', { value: () => 'called', enumerable: false })
  const getter = Object.defineProperty({ a: 1 }, 'b', { get: () => 'got', enumerable: true })
  return pick<unknown>([
    new Date(0),
    new Map([['k', 1]]),
    new Set([1]),
    new String('ab'),
    new Number(3),
    new Boolean(false),
    Object(1n),
    new Uint8Array([1, 2]),
    new Point(2, 1),
    Object.assign(Object.create(null), { a: 1, b: 2 }),
    Object.assign(Object.create(null), { b: 1, a: 2 }),
    JSON.parse('{"__proto__": {"x": 1}, "b": 2}'),
    JSON.parse('{"a": 1, "__proto__": [1]}'),
    withToJSON,
    { a: 1, toJSON: 'not a function' },
    listed,
    hasToJSON,
    getter,
    // eslint-disable-next-line no-sparse-arrays
    [1, , 3],
    { 10: 'x', 2: 'y', a: 1, b: 2 },
    { 10: 'x', 2: 'y', b: 1, a: 2 },
  ])
}

/** A value whose objects are built in sorted key order with probability `sorted`, else in random order. */
function randomValue(rnd: () => number, depth: number, sorted: number): unknown {
  const r = rnd()
  if (depth > 4 || r < 0.3) return leaf(rnd)
  if (r < 0.33) return odd(rnd)
  if (r < 0.55) {
    const n = Math.floor(rnd() * 5)
    const a: unknown[] = []
    for (let i = 0; i < n; i++) a.push(randomValue(rnd, depth + 1, sorted))
    if (rnd() < 0.05) a[n + 2] = 'after a hole'
    return a
  }
  const n = Math.floor(rnd() * 6)
  const keys = [...new Set(Array.from({ length: n }, () => KEYS[Math.floor(rnd() * KEYS.length)] as string))]
  if (rnd() < sorted) keys.sort()
  const o: Record<string, unknown> = rnd() < 0.1 ? Object.create(null) : {}
  for (const k of keys) {
    const v = randomValue(rnd, depth + 1, sorted)
    // An own `__proto__` key, as JSON.parse (and YAML readers) make it.
    if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true })
    else o[k] = v
  }
  return o
}

describe('stringifySorted prints what the writer prints', () => {
  it('on 6000 seeded values, taking the native path, the copies and the writer', () => {
    const rnd = prng(9)
    const taken = { native: 0, copied: 0, writer: 0 }
    for (let i = 0; i < 6000; i++) {
      const v = randomValue(rnd, 0, i % 3 === 0 ? 0.5 : 0.97)
      const ready = readyForNative(v)
      taken[ready === v ? 'native' : ready === WRITER_ONLY ? 'writer' : 'copied']++
      same(v)
      if (i % 10 === 0) same(v, '\t')
    }
    expect(taken.native).toBeGreaterThan(1000)
    expect(taken.copied).toBeGreaterThan(1000)
    expect(taken.writer).toBeGreaterThan(100)
  })

  it('on every odd value alone, at the top and inside sorted objects and arrays', () => {
    const rnd = prng(4)
    for (let i = 0; i < 400; i++) {
      const v = odd(rnd)
      same(v)
      same({ a: v, b: [v, 1] })
      same([v, { a: v }])
    }
  })

  it('at the edges by name: top-level values, indents, bigint, numbers, strings', () => {
    const cases: unknown[] = [undefined, () => 1, Symbol('s'), null, -0, NaN, 'x\ud800', 10n, { a: { b: [1n] } }, [-0, NaN, Infinity, undefined, () => 1, Symbol('s')], { a: undefined, b: () => 1, c: Symbol('s'), d: 1 }]
    for (const v of cases) for (const indent of ['  ', '\t', '', ' '.repeat(10), ' '.repeat(11), 'abcdefghijkl']) same(v, indent)
    for (const indent of ['', ' '.repeat(11)]) same({ a: [1, { b: 2 }] }, indent)
  })

  it('when a prototype a native stringify consults has a toJSON function', () => {
    const protos = [Object.prototype, Array.prototype, BigInt.prototype] as { toJSON?: unknown }[]
    for (const proto of protos) {
      proto.toJSON = () => 'polluted'
      try {
        same({ a: [1, { b: 2n }], c: 'd' })
        same([{ a: 1 }])
      } finally {
        delete proto.toJSON
      }
    }
    same({ a: [1, { b: 2 }] })
  })

  it('throws as the writer throws on a cycle and on a throwing getter', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic['b'] = cyclic
    expect(outcome(() => stringifySorted(cyclic))).toMatch(/^throws RangeError/)
    const throwing = Object.defineProperty({ a: 1 }, 'b', {
      get: () => {
        throw new Error('getter')
      },
      enumerable: true,
    })
    same(throwing)
    same([throwing])
    // Read once by the walk, throwing on the second read (native stringify's): the writer prints it.
    let reads = 0
    const second = Object.defineProperty({ a: 1 }, 'b', {
      get: () => {
        if (++reads === 2) throw new Error('second read')
        return 'ok'
      },
      enumerable: true,
    })
    expect(stringifySorted(second)).toBe('{\n  "a": 1,\n  "b": "ok"\n}')
  })

  it('copies only what is out of order: the rest of the value is shared', () => {
    const shared = { a: [1, 2], b: { c: 'd' } }
    const v = { x: shared, y: { z: 1, w: 2 } }
    const ready = readyForNative(v) as { x: unknown; y: unknown }
    expect(ready).not.toBe(v)
    expect(ready.x).toBe(shared)
    expect(Object.keys(ready.y as object)).toEqual(['w', 'z'])
    expect(nativeOrderOf(v)).toEqual(['.y {z,w}'])
    expect(readyForNative(shared)).toBe(shared)
    // Array-index keys enumerate first in numeric order, the writer's order too: no copy.
    const indexed = { 2: 'x', 10: 'y', a: 1, b: 2 }
    expect(readyForNative(indexed)).toBe(indexed)
  })

  it('gives up on a value with mostly unsorted objects (the writer prints it)', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ b: i, a: i }))
    expect(readyForNative(many)).toBe(WRITER_ONLY)
    expect(nativeOrderOf(many).length).toBe(400)
    same(many)
    const few = [...Array.from({ length: 400 }, (_, i) => ({ a: i, b: i })), { b: 1, a: 2 }]
    expect(readyForNative(few)).not.toBe(WRITER_ONLY)
  })
})

/** Every manifest-like file of the repository's examples and fixtures. */
const FILES: SourceFile[] = exampleAndFixtureFiles()

/** Maps that come from the user's manifests in their own order (copied by the walk when unsorted). */
const USER_MAPS = /^\.(services\[\d+\]\.selector|cluster\.nodes\[\d+\]\.labels|cluster\.kubeProxy\.featureGates|proxyConfig\.featureGates) /

describe('the plan document is built in native order', () => {
  it('finds the files, real manifests and fixtures with LoadBalancers, dual-stack, headless Services and errors among them', () => {
    expect(FILES.length).toBeGreaterThan(200)
    const all = FILES.map((f) => f.text).join('\n')
    for (const needle of ['real-manifests/', 'conformance/']) expect(FILES.some((f) => f.path.includes(needle))).toBe(true)
    for (const needle of ['type: LoadBalancer', 'PreferDualStack', 'clusterIP: None', 'kind: KubeProxyConfiguration', 'kind: ClusterProfile', 'kind: Node']) expect(all).toContain(needle)
  })

  it.each(['iptables', 'nftables'] as const)('%s mode: every file needs no copy but of user maps', (proxyMode) => {
    let issues = 0
    let userMaps = 0
    for (const f of FILES) {
      const result = planFromSources({ files: [f], options: { proxyMode } })
      issues += result.issues.length
      const found = nativeOrderOf(planDocument(result, '', undefined))
      expect(found.filter((p) => !USER_MAPS.test(p)), f.path).toEqual([])
      userMaps += found.length
    }
    // The issues, the nodes' labels and the Helm-style selectors of the real manifests are all there.
    expect(issues).toBeGreaterThan(150)
    expect(userMaps).toBeGreaterThan(10)
  })

  it('every directory planned at once, on each family and a named node, needs no copy but of user maps', () => {
    const byDir = new Map<string, SourceFile[]>()
    for (const f of FILES) {
      const d = f.path.slice(0, f.path.lastIndexOf('/'))
      byDir.set(d, [...(byDir.get(d) ?? []), f])
    }
    for (const [dir, files] of byDir) {
      for (const options of [{}, { ipFamily: 'IPv6' as const }, { node: 'node-2' }]) {
        const result = planFromSources({ files, options })
        expect(nativeOrderOf(planDocument(result, '', undefined)).filter((p) => !USER_MAPS.test(p)), `${dir} ${JSON.stringify(options)}`).toEqual([])
      }
    }
  })

  it('the examples are printed natively as they are', () => {
    const result = planFromSources({ files: FILES.filter((f) => f.path.startsWith('examples/')) })
    const doc = planDocument(result, '', undefined)
    expect(readyForNative(doc)).toBe(doc)
  })
})
