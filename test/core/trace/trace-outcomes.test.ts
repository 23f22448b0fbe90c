/**
 * Diagrams trace with `traceTargetOutcomes` (trace/target.ts, trace.ts `tracePacketOutcomes`):
 * the walk of `traceTarget` without kube-proxy's test tracer and the notes. Its outcomes,
 * affinity, limit and issues must be `traceTarget`'s, on seeded plans of both backends, whole
 * targets and slices, and under a small `maxTracePaths` (probes dropped at the limit).
 */
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import { diagramContext } from '../../../src/core/diagram/plan-diagrams.ts'
import { planTarget, traceTarget, traceTargetOutcomes, type TraceTarget } from '../../../src/core/trace/target.ts'
import type { ProbeSpec, TraceOutcomes } from '../../../src/core/trace/types.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'

const outcomesOf = (t: TraceOutcomes): TraceOutcomes => ({
  probe: t.probe,
  outcomes: t.outcomes,
  ...(t.affinity !== undefined ? { affinity: t.affinity } : {}),
  ...(t.limitReached !== undefined ? { limitReached: t.limitReached } : {}),
})

describe('traceTargetOutcomes', () => {
  it('gives traceTarget’s outcomes, affinity, limits and issues on 120 seeded plans', () => {
    let traced = 0
    let limited = 0
    for (let seed = 0; seed < 120; seed++) {
      const p = seededPair(seed, seed % 3 === 2 ? 0.9 : 0)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) {
        const plan = planFromSources({ files }).value
        const probes: ProbeSpec[] = plan.servicePorts.flatMap((sp) => [
          { name: `c ${sp.spn}`, from: '10.244.0.5', to: `${sp.clusterIP}:${sp.port}` },
          { name: `n ${sp.spn}`, from: 'node:node-0', to: `${sp.clusterIP}:${sp.port}` },
          ...(sp.nodePort > 0 ? [{ name: `np ${sp.spn}`, from: '203.0.113.9', to: `192.168.10.11:${sp.nodePort}` }] : []),
        ])
        const ctx = diagramContext(plan, undefined, undefined, plan.servicePorts.slice(0, 2), true)
        const targets: TraceTarget[] = [planTarget(plan, undefined, { lines: false }), ctx.target]
        const first = plan.servicePorts[0]
        if (first !== undefined && ctx.slice !== undefined) targets.push(ctx.slice(first.spn, [{ ip: first.clusterIP, port: first.port }]))
        for (const target of targets) {
          for (const maxPaths of [target.maxPaths, 3]) {
            const t = { ...target, maxPaths }
            const full = traceTarget(t, probes)
            const fast = traceTargetOutcomes(t, probes)
            // (nftables mode traces in full: only what a diagram reads is compared.)
            expect(fast.value.map(outcomesOf), `seed ${seed}`).toEqual(full.value.map(outcomesOf))
            expect(fast.issues, `seed ${seed}`).toEqual(full.issues)
            traced += fast.value.length
            limited += full.issues.length
          }
        }
      }
    }
    // Not a test that cannot fail: most probes are traced, and the small limit drops some.
    expect(traced).toBeGreaterThan(2000)
    expect(limited).toBeGreaterThan(100)
  })
})
