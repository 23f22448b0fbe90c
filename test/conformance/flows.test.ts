/**
 * Conformance: every `flows.json` of kube-proxy's own unit tests (runPacketFlowTests), traced
 * through the rules kube-whatif plans, via the CLI exactly as a user would run it:
 *   kube-whatif trace --cluster input.yaml --cluster <case facts> --from SRC --to DST:PORT --protocol P -o json
 * `output` and `masquerade` must equal the case's `output` and `masq`. `trace-packet` runs first:
 * it checks the tracer alone on its fixed ruleset (--rules).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { caseFactsFile, CONFORMANCE_DIR } from '../helpers/case-facts.ts'
import { runCli } from '../helpers/run-cli.ts'

interface Flow {
  readonly name: string
  readonly sourceIP: string
  readonly destIP: string
  readonly destPort: number
  readonly protocol: string
  readonly output: string
  readonly masq: boolean
}

interface CaseConfig {
  readonly ipFamily?: 'IPv4' | 'IPv6'
  readonly flowTracerNodeIPs?: readonly string[]
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T

/** Every case directory holding a flows.json, discovered by listing (hidden cases included). */
const flowCases = readdirSync(CONFORMANCE_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(CONFORMANCE_DIR, d.name, 'flows.json')))
  .map((d) => d.name)
  .sort()

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)

function flowArgs(f: Flow): string[] {
  // "" means the test left it unset; the upstream runner then uses tcp.
  const protocol = f.protocol === '' ? 'tcp' : f.protocol.toLowerCase()
  return ['--from', f.sourceIP, '--to', hostPort(f.destIP, f.destPort), '--protocol', protocol, '-o', 'json']
}

async function traceJson(argv: string[]): Promise<{ output: string; masquerade: boolean }> {
  const r = await runCli(['trace', ...argv])
  expect(r.stderr).not.toMatch(/error/)
  expect(r.code).toBe(0)
  return JSON.parse(r.stdout) as { output: string; masquerade: boolean }
}

it('finds the flow cases (the tracer self-test and proxier cases)', () => {
  expect(flowCases).toContain('trace-packet')
  expect(flowCases.length).toBeGreaterThanOrEqual(12)
})

describe('trace-packet: the tracer on its fixed ruleset (--rules)', () => {
  const dir = join(CONFORMANCE_DIR, 'trace-packet')
  const config = readJson<CaseConfig>(join(dir, 'config.json'))
  const flows = readJson<Flow[]>(join(dir, 'flows.json'))
  const nodeIPs = (config.flowTracerNodeIPs ?? []).flatMap((ip) => ['--node-ip', ip])
  it.each(flows)('$name', async (f) => {
    const t = await traceJson(['--rules', join(dir, 'input.iptables'), ...nodeIPs, ...flowArgs(f)])
    expect({ output: t.output, masq: t.masquerade }).toEqual({ output: f.output, masq: f.masq })
  })
})

for (const name of flowCases.filter((c) => c !== 'trace-packet')) {
  describe(name, () => {
    const dir = join(CONFORMANCE_DIR, name)
    const config = readJson<CaseConfig>(join(dir, 'config.json'))
    const flows = readJson<Flow[]>(join(dir, 'flows.json'))
    const family = config.ipFamily === 'IPv6' ? ['--ip-family', 'IPv6'] : []
    it.each(flows)('$name', async (f) => {
      const t = await traceJson(['--cluster', join(dir, 'input.yaml'), '--cluster', caseFactsFile(name), ...family, ...flowArgs(f)])
      expect({ output: t.output, masq: t.masquerade }).toEqual({ output: f.output, masq: f.masq })
    })
  })
}
