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
import { describe, expect, it } from 'vitest'
import { planDiff } from '../../src/core/diff/index.ts'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { PLAN_FORMATS, renderPlan } from '../../src/core/report/render-plan.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { renderDiffMarkdown } from '../../src/core/report/markdown.ts'
import { traceProbes } from '../../src/core/trace/index.ts'
import { CORPUS, mutate } from './mutate.ts'

const SEED = 0x12_2026
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60)
/** Wall time for the whole property; fast-check stops starting new runs after it. */
const BUDGET_MS = Number(process.env['FUZZ_BUDGET_MS'] ?? 25_000)
/** One mutated input through every stage; the default work limits keep this far away. */
const RUN_BOUND_MS = 15_000
const HEAP_BOUND_BYTES = 1_536 * 1024 * 1024

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
