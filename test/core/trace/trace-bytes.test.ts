/**
 * The walk's and the locator's bookkeeping were rewritten for speed (trace/walk.ts: paths as
 * shared links, a frontier that makes no map for one branch, no reference per rule that matched
 * nothing; rule-lines.ts and slice.ts: steps cached by table, chain and index; diagram/build.ts:
 * hooks compared in place). Nothing a trace or a diagram says may change: the traces of every
 * service port's ways in and the plans' diagrams, on seeded plans of both backends, hash to what
 * they hashed to before the rewrite (commit 32b8027).
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import { renderPlan } from '../../../src/core/report/render-plan.ts'
import { traceProbes } from '../../../src/core/trace/index.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'

describe('trace and diagram bytes', () => {
  it('are those of 32b8027 on 80 seeded pairs (traces, mermaid, dot)', () => {
    const hash = createHash('sha256')
    let outcomes = 0
    for (let seed = 0; seed < 80; seed++) {
      const p = seededPair(seed, seed % 3 === 2 ? 0.9 : 0)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) {
        const plan = planFromSources({ files })
        const probes = plan.value.servicePorts.flatMap((sp) => [
          { from: '10.244.0.5', to: `${sp.clusterIP}:${sp.port}` },
          { from: 'node:node-0', to: `${sp.clusterIP}:${sp.port}` },
          ...(sp.nodePort > 0 ? [{ from: '203.0.113.9', to: `192.168.10.11:${sp.nodePort}` }] : []),
        ])
        const traces = traceProbes(plan.value, probes)
        outcomes += traces.value.reduce((n, t) => n + t.outcomes.length, 0)
        hash.update(JSON.stringify(traces)).update(renderPlan(plan, 'mermaid')).update(renderPlan(plan, 'dot'))
      }
    }
    expect(outcomes).toBeGreaterThan(3000)
    expect(hash.digest('hex')).toBe('15f3c8a61286a63421bf8d39e4e901a43057fad5e6354f4854ed4c9f19be23a9')
  })
})
