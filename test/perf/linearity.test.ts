/**
 * Issue 7: no phase is quadratic in Services or endpoints. Each phase of the plan (and the diff)
 * runs on a synthetic cluster of N and of 10·N Services (bench/generate.ts, the benchmark's own
 * inputs) while work-counter.ts counts element visits; 10× the input may cost at most ~11× the
 * visits. Counts, not timers: the result is the same on any machine and under any load.
 */
import { describe, expect, it } from 'vitest'
import { generate } from '../../bench/generate.ts'
import type { ClusterSpec } from '../../bench/generate.ts'
import * as P from '../../bench/phases.ts'
import { planDiff } from '../../src/core/diff/index.ts'
import { renderDiff } from '../../src/core/report/render-diff.ts'
import { countWork } from './work-counter.ts'

/** 10× the Services may cost this much more (linear plus per-size constants and log factors). */
const MAX_GROWTH = 11

/** Visits per phase for one input. */
function phaseWork(spec: ClusterSpec): Record<string, number> {
  const files = generate(spec)
  const parse = countWork(() => P.phaseParse(files))
  const allocate = countWork(() => P.phaseAllocate(parse.value))
  const endpoints = countWork(() => P.phaseEndpoints(allocate.value))
  const render = countWork(() => P.phaseRender(endpoints.value))
  const print = countWork(() => P.phasePrint(render.value))
  const report = countWork(() => P.phaseReport(render.value, print.value))
  return {
    parse: parse.visits,
    allocate: allocate.visits,
    endpoints: endpoints.visits,
    render: render.visits,
    print: print.visits,
    report: report.visits,
    restoreLines: print.value.split('\n').length,
  }
}

function growth(small: Record<string, number>, large: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {}
  for (const k of Object.keys(small)) out[k] = Math.round(((large[k] ?? 0) / Math.max(1, small[k] ?? 0)) * 100) / 100
  return out
}

const N = 40

describe('work grows linearly with the cluster (counted, not timed)', () => {
  it('the counter sees a quadratic function as quadratic and a linear one as linear', () => {
    const quadratic = (xs: readonly number[]): number => xs.filter((x) => xs.includes(x + 1)).length
    const linear = (xs: readonly number[]): number => {
      const s = new Set(xs)
      return xs.filter((x) => s.has(x + 1)).length
    }
    const small = Array.from({ length: 400 }, (_, i) => i)
    const large = Array.from({ length: 4000 }, (_, i) => i)
    const q = countWork(() => quadratic(large)).visits / countWork(() => quadratic(small)).visits
    const l = countWork(() => linear(large)).visits / countWork(() => linear(small)).visits
    expect(q).toBeGreaterThan(50)
    expect(l).toBeLessThanOrEqual(MAX_GROWTH)
    // Counting is removed afterwards: built-ins are the originals again.
    expect(Array.prototype.filter.toString()).toContain('[native code]')
    expect(Map.prototype[Symbol.iterator].toString()).toContain('[native code]')
  })

  const shapes: [string, Omit<ClusterSpec, 'services'>][] = [
    ['cluster export (pinned Services + EndpointSlices)', { endpoints: 5, shape: 'slices', mix: true, format: 'yaml', origin: 'existing' }],
    ['proposed Services + Deployments (allocation, pods, slices)', { endpoints: 5, shape: 'workloads', mix: true, format: 'yaml', origin: 'proposed' }],
    ['JSON input', { endpoints: 5, shape: 'slices', mix: false, format: 'json', origin: 'existing' }],
  ]
  for (const [name, spec] of shapes) {
    it(`every plan phase: ${name}`, () => {
      const small = phaseWork({ ...spec, services: N })
      const large = phaseWork({ ...spec, services: 10 * N })
      const g = growth(small, large)
      // The output itself is linear (sanity check that the inputs scale as intended).
      expect(g['restoreLines']).toBeGreaterThan(8)
      expect(g['restoreLines']).toBeLessThanOrEqual(MAX_GROWTH)
      for (const phase of ['parse', 'allocate', 'endpoints', 'render', 'print', 'report']) {
        expect(small[phase], `${phase} does some counted work`).toBeGreaterThan(0)
        expect(g[phase], `${phase}: ${small[phase]} → ${large[phase]} visits`).toBeLessThanOrEqual(MAX_GROWTH)
      }
    })
  }

  it('endpoints per Service: 10× the endpoints costs at most ~11× (slices and pods)', () => {
    for (const shape of ['slices', 'workloads'] as const) {
      const base = { services: 20, shape, mix: true, format: 'yaml', origin: shape === 'slices' ? 'existing' : 'proposed' } as const
      const small = phaseWork({ ...base, endpoints: 3 })
      const large = phaseWork({ ...base, endpoints: 30 })
      const g = growth(small, large)
      for (const phase of ['parse', 'allocate', 'endpoints', 'render', 'print', 'report'])
        expect(g[phase], `${shape} ${phase}: ${small[phase]} → ${large[phase]} visits`).toBeLessThanOrEqual(MAX_GROWTH)
    }
  })

  it('planDiff of two trees differing in 1% of Services, and its report', () => {
    const work = (services: number): number => {
      const spec: ClusterSpec = { services, endpoints: 3, shape: 'slices', mix: false, format: 'yaml', origin: 'proposed' }
      const base = generate(spec)
      const head = generate({ ...spec, changed: true })
      return countWork(() => {
        const d = planDiff({
          base: base.filter((f) => f.origin === 'proposed'),
          head: head.filter((f) => f.origin === 'proposed'),
          cluster: base.filter((f) => f.origin === 'existing'),
        })
        expect(d.value.summary.changed).toBeGreaterThan(0)
        return renderDiff(d, 'markdown')
      }).visits
    }
    // 60 → 600 Services: the 1% edits (every 100th Service, from the 51st) exist at both sizes.
    const small = work(60)
    const large = work(600)
    expect(large / small, `${small} → ${large} visits`).toBeLessThanOrEqual(MAX_GROWTH)
  })
})
