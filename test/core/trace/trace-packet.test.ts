/**
 * The tracer on the fixed ruleset of upstream's TestTracePacket (conformance case trace-packet),
 * straight through the core: parseRestore → traceLikeUpstream / the full trace. Run before the
 * proxier flow cases, which depend on the tracer being right.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseRestore } from '../../../src/core/proxy/iptables/parse.ts'
import { rulesetTarget, traceTarget } from '../../../src/core/trace/index.ts'
import { traceLikeUpstream } from '../../../src/core/trace/kube-tracer.ts'
import { CONFORMANCE_DIR } from '../../helpers/case-facts.ts'
import type { Flow } from '../../helpers/conformance-case.ts'



const dir = join(CONFORMANCE_DIR, 'trace-packet')
const text = readFileSync(join(dir, 'input.iptables'), 'utf8')
const flows = JSON.parse(readFileSync(join(dir, 'flows.json'), 'utf8')) as Flow[]
const nodeIPs = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { flowTracerNodeIPs: string[] }).flowTracerNodeIPs
const parsed = parseRestore(text, { file: 'input.iptables' })

describe('trace-packet (TestTracePacket)', () => {
  it('parses cleanly', () => {
    expect(parsed.issues).toEqual([])
  })

  it.each(flows)('$name', (f) => {
    const r = traceLikeUpstream(parsed.value.tables, f, nodeIPs)
    expect({ output: r.output, masq: r.masq }).toEqual({ output: f.output, masq: f.masq })
  })

  const target = rulesetTarget({
    tables: parsed.value.tables,
    text,
    ruleLines: parsed.value.ruleLines,
    file: 'input.iptables',
    node: 'test-node',
    ipFamily: 'IPv4',
    nodeIPs,
  })
  const specs = flows.map((f) => ({ name: f.name, from: f.sourceIP, to: `${f.destIP}:${f.destPort}`, protocol: f.protocol }))
  const traces = traceTarget(target.value, specs)
  const lines = text.split('\n')

  it('traces every flow with the same summary, outcomes summing to 1, and true line numbers', () => {
    expect(traces.issues).toEqual([])
    expect(traces.value.map((t) => t.probe.name)).toEqual(flows.map((f) => f.name))
    for (const [i, t] of traces.value.entries()) {
      expect(t.output).toBe(flows[i]?.output)
      expect(t.masquerade).toBe(flows[i]?.masq)
      expect(t.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 12)
      for (const step of [...t.upstreamPath, ...t.outcomes.flatMap((o) => o.path)]) {
        // Every rule of this file is in the file: each step names its own line.
        expect(step.line).toBeDefined()
        expect(lines[(step.line ?? 0) - 1]?.trim()).toBe(step.text)
        expect(step.text.startsWith(`-A ${step.chain} `)).toBe(true)
      }
    }
  })

  it('on the real path agrees with the upstream summary for every flow of this ruleset', () => {
    for (const t of traces.value) {
      expect(t.notes.filter((n) => n.startsWith('On the real path'))).toEqual([])
    }
  })

  it('explains the local flows (OUTPUT path) and the DROP with the rule that decided it', () => {
    const local = traces.value.find((t) => t.probe.name === 'LOCAL, KUBE-MARK-MASQ')
    expect(local?.probe.local).toBe(true)
    expect(local?.hooks[0]).toBe('nat OUTPUT')
    expect(local?.outcomes.map((o) => [o.verdict, o.dnat, o.masquerade])).toEqual([['DNAT', '10.180.0.2:80', true]])
    const drop = traces.value.find((t) => t.probe.name === 'DROP')
    expect(drop?.outcomes[0]?.verdict).toBe('DROP')
    expect(drop?.outcomes[0]?.decidedBy?.chain).toBe('KUBE-EXTERNAL-SERVICES')
    const multi = traces.value.find((t) => t.probe.name === 'multiple endpoints')
    expect(multi?.outcomes.map((o) => [o.dnat, o.fraction])).toEqual([
      ['10.180.0.4:80', '1/2'],
      ['10.180.0.5:80', '1/2'],
    ])
  })

  it('adds the jump rules when the file is a bare restore payload, and says so', () => {
    const payload = text.split('\n').filter((l) => !/^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) /.test(l) && !/^:(PREROUTING|INPUT|OUTPUT|POSTROUTING|FORWARD) /.test(l)).join('\n')
    const p = parseRestore(payload, { file: 'payload.iptables' })
    const t = rulesetTarget({ tables: p.value.tables, text: payload, ruleLines: p.value.ruleLines, file: 'payload.iptables', node: '', ipFamily: 'IPv4', nodeIPs })
    expect(t.value.notes[0]).toMatch(/jump rules were assumed/)
    const r = traceTarget(t.value, [{ from: '10.0.0.2', to: '172.30.0.41:80' }])
    expect(r.value[0]?.output).toBe('10.180.0.1:80')
    expect(r.value[0]?.notes[0]).toMatch(/jump rules were assumed/)
  })

  it('warns when no node address is known', () => {
    const t = rulesetTarget({ tables: parsed.value.tables, text, file: 'x', node: '', ipFamily: 'IPv4', nodeIPs: [] })
    expect(t.issues.map((i) => i.code)).toEqual(['trace/no-node-addresses'])
  })
})
