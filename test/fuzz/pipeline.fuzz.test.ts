/**
 * Fuzz suite (issue 12): seeded mutation of every fixture and example manifest, through the whole
 * pipeline — plan in every format, a trace, a diff against the unmutated file and the PR
 * comment. Mutations are the kinds the hostile-input run used: huge, negative and fractional
 * numbers (replicas, ports), hostile strings in names and values (quotes, newlines, `*`,
 * `COMMIT`, URLs, very long runs), duplicated list items and documents, and raw byte edits.
 *
 * Properties, for every mutated input:
 * - no exception escapes the core (a thrown error fails the property with the seed to replay);
 * - each run finishes under a time bound and the heap stays under a memory bound;
 * - the same input gives the same bytes (plan JSON, restore text, comment);
 * - the restore text holds exactly one `-A` line per rule of the IR (nothing injected).
 *
 * Seeded and bounded (run count and wall time), so it runs in `npm test` and CI. Replay a
 * failure with the `seed` and `path` fast-check prints.
 */
import fc from 'fast-check'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planDiff } from '../../src/core/diff/index.ts'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { PLAN_FORMATS, renderPlan } from '../../src/core/plan/render.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { renderDiffMarkdown } from '../../src/core/report/markdown.ts'
import { traceProbes } from '../../src/core/trace/index.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const SEED = 0x12_2026
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60)
/** Wall time for the whole property; fast-check stops starting new runs after it. */
const BUDGET_MS = Number(process.env['FUZZ_BUDGET_MS'] ?? 25_000)
/** One mutated input through every stage; the default work limits keep this far away. */
const RUN_BOUND_MS = 10_000
const HEAP_BOUND_BYTES = 1_536 * 1024 * 1024

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return yamlFiles(path)
      return /\.ya?ml$/.test(name) ? [path] : []
    })
}

/** The corpus: every manifest of the examples and test fixtures (found by listing, never by name). */
const CORPUS = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))]
  .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }))
  .filter((f) => f.text.length < 200_000)

const HOSTILE_STRINGS = [
  '"\n-A KUBE-SERVICES -j DNAT --to-destination 6.6.6.6:80\nCOMMIT\n*nat\n',
  'a"b\\c',
  '* COMMIT',
  'https://evil.example/x www.evil.example',
  '`` <script>alert(1)</script> [x](http://e) @everyone',
  'x'.repeat(5_000),
  '',
  '\u0000\u202e',
  'Bad_Name.',
]
const HOSTILE_NUMBERS = ['2147483647', '-1', '0', '99999999999999999999', '1.5', '1e9', '65536', '0x10', '.inf', 'null']

/** A mutation: a function of the text and a few random choices. */
type Mutation = (text: string, pick: (n: number) => number) => string

const lines = (t: string) => t.split('\n')
const pickIndex = (t: string, re: RegExp, pick: (n: number) => number): RegExpExecArray | undefined => {
  const all = [...t.matchAll(new RegExp(re.source, 'g'))]
  return all.length === 0 ? undefined : (all[pick(all.length)] as RegExpExecArray)
}

const MUTATIONS: readonly Mutation[] = [
  // A number (replicas, port, nodePort, parallelism, ...) becomes huge, negative or odd.
  (t, pick) => {
    const m = pickIndex(t, /(:\s*)(\d+)\b/, pick)
    if (m?.index === undefined) return t
    const start = m.index + (m[1] as string).length
    return t.slice(0, start) + (HOSTILE_NUMBERS[pick(HOSTILE_NUMBERS.length)] as string) + t.slice(start + (m[2] as string).length)
  },
  // A scalar after `name:` (or any key) becomes a hostile string, JSON-quoted so it stays one scalar.
  (t, pick) => {
    const m = pickIndex(t, /((?:name|namespace|app|kubernetes\.io\/service-name|nodeName|clusterIP|targetPort):\s*)([^\s,{}[\]#]+)/, pick)
    if (m?.index === undefined) return t
    const start = m.index + (m[1] as string).length
    return t.slice(0, start) + JSON.stringify(HOSTILE_STRINGS[pick(HOSTILE_STRINGS.length)]) + t.slice(start + (m[2] as string).length)
  },
  // A list item is repeated many times (ports, endpoints, containers).
  (t, pick) => {
    const ls = lines(t)
    const items = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*- /.test(l))
    const chosen = items.length === 0 ? undefined : items[pick(items.length)]
    if (chosen === undefined) return t
    const [line, i] = chosen
    return [...ls.slice(0, i + 1), ...Array.from({ length: 1 + pick(300) }, () => line), ...ls.slice(i + 1)].join('\n')
  },
  // The whole stream is repeated (duplicate objects).
  (t, pick) => Array.from({ length: 2 + pick(20) }, () => t).join('\n---\n'),
  // A line is deleted or duplicated.
  (t, pick) => {
    const ls = lines(t)
    const i = pick(ls.length)
    return pick(2) === 0 ? [...ls.slice(0, i), ...ls.slice(i + 1)].join('\n') : [...ls.slice(0, i + 1), ls[i] ?? '', ...ls.slice(i + 1)].join('\n')
  },
  // A raw character is inserted anywhere.
  (t, pick) => {
    const chars = ':-[]{}&*!|>\'"#%@`? \t\n0aZ.\\'
    const i = pick(t.length + 1)
    return t.slice(0, i) + chars[pick(chars.length)] + t.slice(i)
  },
]

/** Applies 1–4 mutations chosen by `choices` (fast-check shrinks these numbers). */
function mutate(text: string, choices: readonly number[]): string {
  let i = 0
  const pick = (n: number): number => (n <= 0 ? 0 : (choices[i++ % choices.length] as number) % n)
  let out = text
  const count = 1 + pick(4)
  for (let k = 0; k < count; k++) out = (MUTATIONS[pick(MUTATIONS.length)] as Mutation)(out, pick)
  return out
}

/** Every stage on one input; returns the bytes that must be the same on a second run. */
function runAll(original: SourceFile, mutated: SourceFile): string {
  const plan = planFromSources({ files: [mutated] })
  const outputs = PLAN_FORMATS.map((f) => renderPlan(plan, f))
  const restore = outputs[PLAN_FORMATS.indexOf('iptables-restore')] as string
  // Nothing injected: one `-A` line per rule of the IR, and every line is a known kind.
  const rules = plan.value.ruleset.tables.reduce((n, t) => n + t.chains.reduce((m, c) => m + c.rules.length, 0), 0)
  expect(restore.split('\n').filter((l) => l.startsWith('-A ')).length).toBe(rules)
  for (const line of restore.split('\n')) expect(line).toMatch(/^(\*(nat|filter)|:[A-Z0-9-]+ - \[0:0\]|-A [A-Z0-9-]+( .*)?|COMMIT|)$/)
  const svc = plan.value.servicePorts[0]
  const traces = svc === undefined ? undefined : traceProbes(plan.value, [{ name: 'fuzz', from: '10.0.0.2', to: `${svc.clusterIP.includes(':') ? `[${svc.clusterIP}]` : svc.clusterIP}:${svc.port}` }])
  const diff = planDiff({ base: [original], head: [mutated], options: { maxNodes: 2 } })
  const comment = renderDiffMarkdown(diff)
  expect(comment.length).toBeLessThan(65_536)
  return JSON.stringify([outputs, traces?.value.map((t) => t.outcomes.map((o) => o.fraction)), traces?.issues, comment])
}

describe('fuzz: mutated fixtures and examples through the whole pipeline', () => {
  it('finds a corpus', () => {
    expect(CORPUS.length).toBeGreaterThan(20)
  })

  it(
    'never throws, stays within time and memory bounds, and gives the same bytes twice',
    () => {
      const input = fc.record({
        file: fc.integer({ min: 0, max: CORPUS.length - 1 }),
        choices: fc.array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
      })
      fc.assert(
        fc.property(input, ({ file, choices }) => {
          const source = CORPUS[file] as { path: string; text: string }
          const original: SourceFile = { path: source.path, text: source.text, origin: 'proposed' }
          const mutated: SourceFile = { ...original, text: mutate(source.text, choices) }
          const t0 = performance.now()
          const first = runAll(original, mutated)
          const ms = performance.now() - t0
          expect(ms, `${source.path}: one run took ${ms.toFixed(0)} ms`).toBeLessThan(RUN_BOUND_MS)
          expect(process.memoryUsage().heapUsed).toBeLessThan(HEAP_BOUND_BYTES)
          expect(runAll(original, mutated)).toBe(first)
        }),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: BUDGET_MS, markInterruptAsFailure: false, endOnFailure: true },
      )
    },
    BUDGET_MS + 60_000,
  )
})
