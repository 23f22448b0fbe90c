import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import type { PlanResult } from '../../../src/core/plan/types.ts'
import { planTarget, traceProbes } from '../../../src/core/trace/target.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'

/** `plan` with its `services` read counted (the other fields are the plan's). */
function counted(plan: PlanResult): { plan: PlanResult; reads: () => number } {
  let n = 0
  const view = Object.create(plan, { services: { get: () => (n++, plan.services) } }) as PlanResult
  return { plan: view, reads: () => n }
}

describe("a plan's trace target reads the plan's Services only to resolve a probe", () => {
  it('builds no Service view for a target (a diff draws service ports, resolving no probe), and resolves svc: probes with them (iptables and nftables plans)', () => {
    const modes = new Set<string>()
    for (let seed = 0; seed < 12; seed++) {
      const p = seededPair(seed)
      const plan = planFromSources({ files: [...p.cluster, ...p.base] }).value
      modes.add(plan.proxyMode)
      const c = counted(plan)
      const target = planTarget(c.plan)
      expect(c.reads(), `seed ${seed}`).toBe(0)
      expect(target.context.services).toBe(plan.services)
      expect(c.reads()).toBe(1)
      // A Service port probe needs them: the trace resolves it through the counted plan.
      const sp = plan.servicePorts[0]
      if (sp === undefined) continue
      const probe = { from: '10.244.0.250', to: `svc:${sp.namespace}/${sp.name}:${sp.port}`, protocol: sp.protocol.toLowerCase() as 'tcp' }
      const d = counted(plan)
      const traced = traceProbes(d.plan, [probe])
      expect(d.reads(), `seed ${seed}`).toBeGreaterThan(0)
      expect(traced).toEqual(traceProbes(plan, [probe]))
    }
    expect([...modes].sort()).toEqual(['iptables', 'nftables'])
  })
})
