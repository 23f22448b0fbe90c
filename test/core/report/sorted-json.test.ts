/**
 * `stringifySorted` must print exactly `JSON.stringify(sortKeys(value), null, 2)`: over the plan
 * JSON of every example and fixture file (both proxy modes), the whole plan and diff objects of
 * every scenario, and seeded random values with the awkward cases (unicode and lone surrogates,
 * -0, non-finite numbers, holes, undefined/function/symbol values, array-index keys, __proto__).
 */
import { describe, expect, it } from 'vitest'
import { exampleAndFixtureFiles } from '../../helpers/manifest-files.ts'
import { rng as prng } from '../../helpers/seeded-rng.ts'
import { planDiff } from '../../../src/core/diff/index.ts'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import { planToJson } from '../../../src/core/report/json.ts'
import { renderPlan } from '../../../src/core/report/render-plan.ts'
import { sortKeys } from '../../../src/core/report/sort-keys.ts'
import { stringifySorted } from '../../../src/core/report/sorted-json.ts'
import { printRestore } from '../../../src/core/proxy/iptables/print-restore.ts'
import { printNftTransaction } from '../../../src/core/proxy/nftables/print-transaction.ts'
import type { SourceFile } from '../../../src/core/model/inventory.ts'
import { listScenarios, loadScenario } from '../../diff/scenario-loader.ts'

const reference = (v: unknown): string | undefined => JSON.stringify(sortKeys(v), null, 2)

/** Every manifest-like file of the repository's examples and fixtures, one plan each. */
const FILES: SourceFile[] = exampleAndFixtureFiles()

describe('plan JSON over every example and fixture', () => {
  it('finds the files', () => expect(FILES.length).toBeGreaterThan(200))

  it.each(['iptables', 'nftables'] as const)('%s mode: renderPlan json is JSON.stringify(sortKeys(planToJson))', (proxyMode) => {
    for (const f of FILES) {
      const result = planFromSources({ files: [f], options: { proxyMode } })
      const plan = result.value
      const restore = plan.nftables ? undefined : printRestore(plan.ruleset)
      const nft = plan.nftables ? printNftTransaction(plan.nftables) : undefined
      expect(renderPlan(result, 'json'), f.path).toBe(`${JSON.stringify(planToJson(result, restore, nft), null, 2)}\n`)
    }
  })

  it('the examples planned together, and with every file of a directory at once', () => {
    const byDir = new Map<string, SourceFile[]>()
    for (const f of FILES) {
      const d = f.path.slice(0, f.path.lastIndexOf('/'))
      byDir.set(d, [...(byDir.get(d) ?? []), f])
    }
    for (const [dir, files] of byDir) {
      const result = planFromSources({ files })
      const restore = result.value.nftables ? undefined : printRestore(result.value.ruleset)
      expect(renderPlan(result, 'json'), dir).toBe(`${JSON.stringify(planToJson(result, restore), null, 2)}\n`)
    }
  })
})

describe('whole result objects', () => {
  it.each(listScenarios())('scenario %s: the diff and both plans', (name) => {
    const diff = planDiff(loadScenario(name))
    const { diagrams: _d, ...rest } = diff.value
    expect(stringifySorted(rest)).toBe(reference(rest))
    expect(stringifySorted(diff.issues)).toBe(reference(diff.issues))
  })

  it('a plan result with its functions, raw objects and rulesets', () => {
    const files = FILES.filter((f) => f.path.startsWith('examples/'))
    const result = planFromSources({ files })
    // The ruleset and the raw manifests hold Maps, functions and every value kind the YAML reader makes.
    expect(stringifySorted(result)).toBe(reference(result))
  })
})


const STRINGS = ['', 'a', 'é', 'ü ß', '日本', '😀', '\ud83d', '\ude00', 'x\ud800y', '"q"', 'back\\slash', 'tab\t', 'nl\n', '\u0000', '\u001f', '\u007f', '\u2028\u2029', '</script>', 'ﬀ']
const KEYS = ['a', 'b', 'B', '_', 'Z', 'é', '😀', '\ud800', '0', '1', '2', '10', '9', '01', '-1', '1.5', '4294967294', '4294967295', '99999999999', 'toJSON', 'constructor', 'length', '', ' ', 'name', 'key\n"']
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789012345680000, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE, NaN, Infinity, -Infinity, 0.1 + 0.2]

function randomValue(rnd: () => number, depth: number): unknown {
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const r = rnd()
  if (depth > 4 || r < 0.35) {
    return pick<unknown>([pick(STRINGS), pick(NUMBERS), true, false, null, undefined, () => 1, Symbol('s'), pick(STRINGS), pick(NUMBERS)])
  }
  if (r < 0.6) {
    const a: unknown[] = []
    const n = Math.floor(rnd() * 5)
    for (let i = 0; i < n; i++) a.push(randomValue(rnd, depth + 1))
    if (rnd() < 0.1) a[n + 2] = 'after a hole'
    return a
  }
  if (r < 0.65) return pick<unknown>([new Date(0), new Map([['k', 1]]), new Set([1]), new String('ab'), new Number(3), Object.create(null), new Uint8Array([1, 2])])
  const o: Record<string, unknown> = rnd() < 0.2 ? Object.create(null) : {}
  const n = Math.floor(rnd() * 7)
  for (let i = 0; i < n; i++) o[pick(KEYS)] = randomValue(rnd, depth + 1)
  if (rnd() < 0.1) Object.defineProperty(o, '__proto__', { value: randomValue(rnd, depth + 1), enumerable: true, configurable: true, writable: true })
  if (rnd() < 0.05) Object.defineProperty(o, 'hidden', { value: 1, enumerable: false })
  if (rnd() < 0.05) o['toJSON'] = () => 'never called'
  return o
}

describe('seeded values', () => {
  it('match JSON.stringify(sortKeys(v), null, 2) on 5000 random trees', () => {
    const rnd = prng(16)
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(rnd, 0)
      expect(stringifySorted(v)).toBe(reference(v))
    }
  })

  it('covers the edge cases by name', () => {
    const parsed = JSON.parse('{"__proto__": {"x": 1}, "b": [1, {"__proto__": 2}]}') as unknown
    const cases: unknown[] = [
      undefined,
      () => 1,
      Symbol('s'),
      null,
      -0,
      [-0, NaN, Infinity, undefined, () => 1, Symbol('s')],
      // eslint-disable-next-line no-sparse-arrays
      [1, , 3],
      [[[]], [{}], [[1, [2, [3]]]]],
      { b: undefined, a: () => 1, c: Symbol('s'), d: 1 },
      { '10': 'x', '9': 'y', '01': 'z', '4294967294': 'max', '4294967295': 'beyond', a: 1, '-1': 2, '': 3 },
      { z: { y: { x: { w: 'deep' } } }, 'ü': '\ud800\udc00 \udc00\ud800', '😀': '😀' },
      parsed,
      { toJSON: 'not a function', n: new Date(0) },
      {},
      [],
      'top-level string',
      42,
    ]
    for (const v of cases) expect(stringifySorted(v)).toBe(reference(v))
    expect(stringifySorted({ b: 1, a: [true] })).toBe('{\n  "a": [\n    true\n  ],\n  "b": 1\n}')
  })

  it('writes repeated shapes the same at every depth, and shapes past the shape cache\'s bound', () => {
    // The writer sorts each object shape's keys once (per first key, up to 64 shapes; past that
    // it sorts anew): one shape seen many times at several depths, with each field in turn a plain
    // string, an empty one, one that needs escapes, a non-string or undefined (skipped); shapes
    // that differ only in their last key; and more shapes for one first key than the cache holds,
    // in one call (no other case here reaches the bound).
    const rnd = prng(3)
    const FIELD = ['plain', '', 'q"uote', 'nl\n', '\ud800', 7, true, null, undefined, ['x', 'y"'], { z: 'w' }]
    const pick = (): unknown => FIELD[Math.floor(rnd() * FIELD.length)]
    const record = (): Record<string, unknown> => ({ m: pick(), a: pick(), z: pick(), k: pick() })
    const values: unknown[] = []
    for (let i = 0; i < 300; i++) values.push(record(), [record(), { n: record(), b: [record()] }])
    for (let i = 0; i < 20; i++) values.push({ a: pick(), b: pick(), [i % 2 ? 'c' : 'd']: pick() })
    for (let i = 0; i < 100; i++) values.push({ a: pick(), [`k${i}`]: pick(), [`j${i % 7}`]: pick() })
    expect(stringifySorted(values)).toBe(reference(values))
    const first = { b: 'x', a: undefined, c: 'y' }
    expect(stringifySorted([first, { b: 'x', a: 'w', c: 'y' }, { b: undefined, a: undefined, c: undefined }])).toBe(
      reference([first, { b: 'x', a: 'w', c: 'y' }, { b: undefined, a: undefined, c: undefined }]),
    )
  })

  it('keeps the same indentation with another indent string', () => {
    const v = { b: [1, { d: 2, c: 3 }], a: 'x' }
    expect(stringifySorted(v, '\t')).toBe(JSON.stringify(sortKeys(v), null, '\t'))
  })
})
