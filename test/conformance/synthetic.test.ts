/**
 * Hand-written cases in the conformance format for upstream kube-proxy tests the shipped
 * conformance folder does not include (test/fixtures/synthetic/kube-proxy-iptables, each case's
 * notes.md names its test). They run exactly like the hidden conformance cases will: config.json →
 * cluster facts (caseFactsYaml) → `kube-whatif plan` / `kube-whatif trace` through the CLI, and
 * upstream's normalisation before comparing. Cases are discovered by listing the folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkIptablesRuleJumps, sortIptablesRules } from '../../src/core/proxy/iptables/normalize.ts'
import { caseFactsFile, readCaseConfig } from '../helpers/case-facts.ts'
import { runCli } from '../helpers/run-cli.ts'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'synthetic', 'kube-proxy-iptables')

interface Flow {
  readonly name: string
  readonly sourceIP: string
  readonly destIP: string
  readonly destPort: number
  readonly protocol: string
  readonly output: string
  readonly masq: boolean
}

interface ChainExpectation {
  readonly table: string
  readonly chain: string
  readonly rules: readonly string[]
}

const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(DIR, d.name, 'config.json')))
  .map((d) => d.name)
  .sort()
const has = (name: string, file: string): boolean => existsSync(join(DIR, name, file))
const readJson = <T>(name: string, file: string): T => JSON.parse(readFileSync(join(DIR, name, file), 'utf8')) as T

function clusterArgs(name: string): string[] {
  const family = readCaseConfig(name, DIR).ipFamily === 'IPv6' ? ['--ip-family', 'IPv6'] : []
  return ['--cluster', join(DIR, name, 'input.yaml'), '--cluster', caseFactsFile(name, DIR), ...family]
}

/** The restore payload with the test fake's mark spelling. */
async function plan(name: string): Promise<string> {
  const r = await runCli(['plan', ...clusterArgs(name), '-o', 'iptables-restore'])
  expect(r.code, r.stderr).toBe(0)
  return r.stdout.replaceAll('0x00004000', '0x4000')
}

function chainRules(restore: string, table: string, chain: string): string[] {
  let current = ''
  const out: string[] = []
  for (const line of restore.split('\n')) {
    if (line.startsWith('*')) current = line.slice(1)
    else if (current === table && line.startsWith(`-A ${chain} `)) out.push(line)
  }
  return out
}

it('finds the synthetic cases, each asserting something', () => {
  expect(cases.length).toBeGreaterThanOrEqual(20)
  for (const c of cases) expect(['expected.iptables', 'expected-chains.json', 'flows.json'].some((f) => has(c, f)), c).toBe(true)
})

describe.each(cases)('%s', (name) => {
  if (has(name, 'expected.iptables')) it('expected.iptables', async () => {
    const expected = readFileSync(join(DIR, name, 'expected.iptables'), 'utf8').replace(/^[ \t\n]+/, '')
    expect(checkIptablesRuleJumps(expected)).toEqual([])
    expect(sortIptablesRules(await plan(name))).toBe(expected)
  })

  if (has(name, 'expected-chains.json')) it('expected-chains.json', async () => {
    const text = await plan(name)
    for (const e of readJson<ChainExpectation[]>(name, 'expected-chains.json')) {
      expect(chainRules(text, e.table, e.chain), `${e.table} ${e.chain}`).toEqual(e.rules)
    }
  })

  if (has(name, 'flows.json')) it('flows.json', async () => {
    const base = clusterArgs(name)
    for (const f of readJson<Flow[]>(name, 'flows.json')) {
      const to = f.destIP.includes(':') ? `[${f.destIP}]:${f.destPort}` : `${f.destIP}:${f.destPort}`
      const protocol = f.protocol === '' ? 'tcp' : f.protocol.toLowerCase()
      const r = await runCli(['trace', ...base, '--from', f.sourceIP, '--to', to, '--protocol', protocol, '-o', 'json'])
      expect(r.code, r.stderr).toBe(0)
      const t = JSON.parse(r.stdout) as { output: string; masquerade: boolean }
      expect({ name: f.name, output: t.output, masq: t.masquerade }).toEqual({ name: f.name, output: f.output, masq: f.masq })
    }
  })
})
