/**
 * The bench's workerd probe (bench/workerd-probe.ts, run by bench/workerd-isolate.ts) is what
 * target 3's workerd figures rest on, and the bench reports a probe that fails as "not measured"
 * rather than failing: this runs each of its calls once in real workerd and checks that it plans
 * what Node plans, so a probe broken by a change to the planner port or the bench's phases fails
 * here. Skips loudly when workerd cannot run, and fails instead under CI (as the worker suites).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { prYaml } from '../../bench/worker-pr.ts'
import { bundleProbe, clockTicks, processCpuMs, startInWorkerd } from '../../bench/workerd-isolate.ts'
import { corePlanner } from '../../worker/src/planner.ts'
import { readWorkerConfig } from '../../scripts/build-worker.mjs'
import { workerdMissing } from '../../worker/test/helpers/harness.ts'

const missing = workerdMissing()
if (missing !== undefined) {
  if (process.env['CI']) throw new Error(missing)
  console.warn(`SKIPPING the workerd probe test: ${missing}`)
}

const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-probe-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(missing !== undefined)('bench workerd probe', () => {
  it('times js-yaml, the planner port, the answer and the phases in workerd, planning what Node plans', async () => {
    const text = prYaml()
    const { mf, pid } = await startInWorkerd(await bundleProbe(dir), readWorkerConfig().compatibility_date)
    try {
      const call = async (what: string): Promise<Record<string, unknown>> => {
        const res = await mf.dispatchFetch(`http://localhost/?what=${what}&n=2`, { method: 'POST', body: text })
        expect(res.status, what).toBe(200)
        return (await res.json()) as Record<string, unknown>
      }
      const cpu0 = pid !== undefined ? processCpuMs(pid, clockTicks()) : undefined
      const yaml = await call('yaml')
      expect(yaml['size']).toBe(100) // 50 Services and 50 Deployments
      const plan = await call('plan')
      const node = corePlanner.run('plan', { kind: 'yaml', text }, 'json', { maxBytes: 1024 * 1024 }) as { body: string }
      expect(plan['size']).toBe(node.body.length)
      for (const r of [yaml, plan, await call('answer')]) expect(r['ms']).toBeGreaterThan(0)
      const phases = (await call('phases'))['ms'] as Record<string, number>
      expect(Object.keys(phases)).toEqual(['parse', 'allocate', 'endpoints', 'render', 'print', 'report'])
      expect(phases['parse']).toBeGreaterThan(0)
      const missingCall = await mf.dispatchFetch('http://localhost/?what=nothing', { method: 'POST', body: text })
      expect(missingCall.status).toBe(404)
      await missingCall.text()
      // Linux: the workerd started is found, and its CPU time moved while it planned.
      if (process.platform === 'linux') {
        expect(pid).toBeDefined()
        expect(processCpuMs(pid as number, clockTicks())).toBeGreaterThan(cpu0 as number)
      }
    } finally {
      await mf.dispose()
    }
  }, 120_000)
})
