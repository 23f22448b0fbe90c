import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import { renderPlan } from '../../../src/core/report/render-plan.ts'
import type { SourceFile } from '../../../src/core/model/inventory.ts'
import { traceProbes } from '../../../src/core/trace/index.ts'
import { renderTraces } from '../../../src/core/report/render-trace.ts'

const EXAMPLE = join(import.meta.dirname, '..', '..', '..', 'examples', 'multi-node')
const files: SourceFile[] = readdirSync(EXAMPLE)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ({ path: join(EXAMPLE, f), text: readFileSync(join(EXAMPLE, f), 'utf8'), origin: f === 'cluster.yaml' ? 'existing' : 'proposed' }))

const plan = (node?: string) => planFromSources({ files, options: node === undefined ? {} : { node } }).value

describe('traceProbes on a plan (examples/multi-node)', () => {
  const p = plan()
  const restore = renderPlan({ value: p, issues: [] }, 'iptables-restore').split('\n')

  it('resolves pod:/node: probes with the plan and keeps the probes order', () => {
    const r = traceProbes(p, [
      { name: 'hairpin', from: 'pod:shop/ingress-a', to: '10.96.0.50:443' },
      { name: 'gone', from: 'pod:shop/nope', to: '10.96.0.50:443' },
      { name: 'nodeport', from: '203.0.113.9', to: 'node:worker-1:30443' },
      { name: 'from node', from: 'node:worker-1', to: '10.96.0.50:443' },
    ])
    expect(r.value.map((t) => t.probe.name)).toEqual(['hairpin', 'nodeport', 'from node'])
    expect(r.issues.map((i) => [i.code, i.path])).toEqual([['trace/probe-unresolved', 'probes[1] (gone)']])
    const [hairpin, nodeport, fromNode] = r.value
    expect(hairpin?.probe.sourceIP).toBe('10.244.1.15')
    expect(hairpin?.outcomes.map((o) => [o.dnat, o.hairpin, o.masquerade])).toEqual([
      ['10.244.1.15:8443', true, true],
      ['10.244.3.15:8443', false, false],
    ])
    // eTP Local on worker-1: external NodePort traffic only goes to the local endpoint, unmasqueraded.
    expect(nodeport?.probe.destIP).toBe('192.168.10.11')
    expect(nodeport?.outcomes.map((o) => [o.verdict, o.dnat, o.masquerade, o.probability])).toEqual([['DNAT', '10.244.1.15:8443', false, 1]])
    expect(fromNode?.probe.local).toBe(true)
    expect(fromNode?.hooks[0]).toBe('nat OUTPUT')
    expect(fromNode?.outcomes.every((o) => o.masquerade)).toBe(true)
  })

  it("gives each payload rule its line in 'plan -o iptables-restore'; jump rules have none", () => {
    const [t] = traceProbes(p, [{ from: '203.0.113.9', to: '10.96.0.60:80' }]).value
    const steps = t?.outcomes.flatMap((o) => o.path) ?? []
    expect(steps.length).toBeGreaterThan(5)
    for (const s of steps) {
      if (['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'].includes(s.chain)) {
        expect(s.line).toBeUndefined()
      } else {
        expect(restore[(s.line ?? 0) - 1]).toBe(s.text)
      }
    }
  })

  it('reports ClientIP affinity and the three-way split of the first connection', () => {
    const [t] = traceProbes(p, [{ from: '203.0.113.9', to: '10.96.0.60:80' }]).value
    expect(t?.affinity?.timeoutSeconds).toBe(10800)
    expect(t?.outcomes.map((o) => o.fraction)).toEqual(['1/3', '1/3', '1/3'])
  })

  it('blocked LB source range → DROP; eTP Local without a local endpoint → DROP on worker-2', () => {
    const [lb] = traceProbes(p, [{ from: '198.18.0.1', to: '198.51.100.10:80' }]).value
    expect(lb?.output).toBe('DROP')
    expect(lb?.outcomes.map((o) => o.verdict)).toEqual(['DROP'])
    const [np] = traceProbes(plan('worker-2'), [{ from: '203.0.113.9', to: 'node:worker-2:30443' }]).value
    expect(np?.output).toBe('DROP')
    expect(np?.outcomes[0]?.decidedBy?.chain).toBe('KUBE-EXTERNAL-SERVICES')
  })

  it('renders JSON with output/masquerade/outcomes and readable text with rule lines', () => {
    const traces = traceProbes(p, [{ from: '10.244.2.9', to: '10.96.0.50:443' }])
    const single = JSON.parse(renderTraces(traces, 'json', { single: true })) as Record<string, unknown>
    expect(Object.keys(single).slice(0, 4)).toEqual(['probe', 'output', 'masquerade', 'outcomes'])
    expect(Array.isArray(JSON.parse(renderTraces(traces, 'json')))).toBe(true)
    const text = renderTraces(traces, 'text')
    expect(text).toMatch(/^Probe: 10\.244\.2\.9 -> 10\.96\.0\.50:443 TCP on node worker-1/)
    expect(text).toMatch(/1\/2 \(50%\)\s+DNAT to 10\.244\.1\.15:8443/)
    expect(text).toMatch(/line \d+\s+nat\s+-A KUBE-SERVICES /)
  })
})
