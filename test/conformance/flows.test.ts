/**
 * Issue 4 acceptance: every conformance case with a flows.json passes through the CLI —
 * `kube-whatif trace --cluster input.yaml --cluster <case facts> --from S --to D:P --protocol P -o json`
 * gives the case's `output` and `masq` (kube-proxy's own test-tracer semantics). `trace-packet`
 * checks the tracer alone on its fixed ruleset (`--rules`). Cases are discovered by listing.
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONFORMANCE_DIR } from '../helpers/case-facts.ts'
import { clusterArgs, readCaseJson, traceFlow, type Flow } from '../helpers/conformance-case.ts'

/** Every case directory holding a flows.json, discovered by listing (hidden cases included). */
const flowCases = readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(CONFORMANCE_DIR, d.name, 'flows.json')))
  .map((d) => d.name)
  .sort()

it('finds the flow cases (the tracer self-test and proxier cases)', () => {
  expect(flowCases).toContain('trace-packet')
  expect(flowCases.length).toBeGreaterThanOrEqual(12)
})

describe('trace-packet: the tracer on its fixed ruleset (--rules)', () => {
  const config = readCaseJson<{ flowTracerNodeIPs?: readonly string[] }>(CONFORMANCE_DIR, 'trace-packet', 'config.json')
  const nodeIPs = (config.flowTracerNodeIPs ?? []).flatMap((ip) => ['--node-ip', ip])
  const rules = ['--rules', join(CONFORMANCE_DIR, 'trace-packet', 'input.iptables'), ...nodeIPs]
  it.each(readCaseJson<Flow[]>(CONFORMANCE_DIR, 'trace-packet', 'flows.json'))('$name', async (f) => {
    expect(await traceFlow(rules, f)).toEqual({ output: f.output, masq: f.masq })
  })
})

for (const name of flowCases.filter((c) => c !== 'trace-packet')) {
  describe(name, () => {
    it.each(readCaseJson<Flow[]>(CONFORMANCE_DIR, name, 'flows.json'))('$name', async (f) => {
      expect(await traceFlow(clusterArgs(name), f)).toEqual({ output: f.output, masq: f.masq })
    })
  })
}
