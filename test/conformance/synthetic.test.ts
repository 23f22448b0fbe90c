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
import {
  chainRules,
  clusterArgs,
  planCaseRestore,
  readCaseJson,
  traceFlow,
  type ChainExpectation,
  type Flow,
} from '../helpers/conformance-case.ts'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'synthetic', 'kube-proxy-iptables')

const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(DIR, d.name, 'config.json')))
  .map((d) => d.name)
  .sort()
const has = (name: string, file: string): boolean => existsSync(join(DIR, name, file))

it('finds the synthetic cases, each asserting something', () => {
  expect(cases.length).toBeGreaterThanOrEqual(20)
  for (const c of cases) expect(['expected.iptables', 'expected-chains.json', 'flows.json'].some((f) => has(c, f)), c).toBe(true)
})

describe.each(cases)('%s', (name) => {
  if (has(name, 'expected.iptables')) it('expected.iptables', async () => {
    const expected = readFileSync(join(DIR, name, 'expected.iptables'), 'utf8').replace(/^[ \t\n]+/, '')
    expect(checkIptablesRuleJumps(expected)).toEqual([])
    expect(sortIptablesRules(await planCaseRestore(name, DIR))).toBe(expected)
  })

  if (has(name, 'expected-chains.json')) it('expected-chains.json', async () => {
    const text = await planCaseRestore(name, DIR)
    for (const e of readCaseJson<ChainExpectation[]>(DIR, name, 'expected-chains.json')) {
      expect(chainRules(text, e.table, e.chain), `${e.table} ${e.chain}`).toEqual(e.rules)
    }
  })

  if (has(name, 'flows.json')) it('flows.json', async () => {
    const args = clusterArgs(name, DIR)
    for (const f of readCaseJson<Flow[]>(DIR, name, 'flows.json')) {
      expect({ name: f.name, ...(await traceFlow(args, f)) }).toEqual({ name: f.name, output: f.output, masq: f.masq })
    }
  })
})
