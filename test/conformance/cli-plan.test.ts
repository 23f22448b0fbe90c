/**
 * The acceptance test of the planner: every kube-proxy conformance case with an
 * `expected.iptables` (full sync) or `expected-chains.json` is reproduced through the CLI,
 * `kube-whatif plan --cluster input.yaml --cluster <case facts> -o iptables-restore`, after the
 * normalisation the cases' README describes (mark spelling 0x00004000 → 0x4000 of the test fake,
 * then upstream's sortIPTablesRules).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkIptablesRuleJumps, sortIptablesRules } from '../../src/core/proxy/iptables/normalize.ts'
import { caseFactsFile, CONFORMANCE_DIR, listProxierCases, readCaseConfig } from '../helpers/case-facts.ts'
import { cumulativeExpected, isPartialSync } from '../helpers/cumulative.ts'
import { runCli } from '../helpers/run-cli.ts'

interface ChainExpectation {
  readonly table: string
  readonly chain: string
  readonly rules: readonly string[]
}

/** The test fake formats the mark as `0x4000`; production (our output) as Go `%#08x`. */
function testMarkSpelling(text: string): string {
  return text.replaceAll('0x00004000', '0x4000')
}

async function planCase(name: string): Promise<string> {
  const config = readCaseConfig(name)
  const argv = ['plan', '--cluster', join(CONFORMANCE_DIR, name, 'input.yaml'), '--cluster', caseFactsFile(name), '-o', 'iptables-restore']
  if (config.ipFamily === 'IPv6') argv.push('--ip-family', 'IPv6')
  const r = await runCli(argv)
  // Existing objects are taken as given, so no errors; odd values may still earn a warning.
  expect(r.code, r.stderr).toBe(0)
  return testMarkSpelling(r.stdout)
}

/** The rules of one chain of one table, as `-A CHAIN ...` lines in order. */
function chainRules(restore: string, table: string, chain: string): string[] {
  const out: string[] = []
  let current = ''
  for (const line of restore.split('\n')) {
    if (line.startsWith('*')) current = line.slice(1)
    else if (current === table && line.startsWith(`-A ${chain} `)) out.push(line)
  }
  return out
}

const cases = listProxierCases()
const withRestore = cases.filter((c) => existsSync(join(CONFORMANCE_DIR, c, 'expected.iptables')))
const withChains = cases.filter((c) => existsSync(join(CONFORMANCE_DIR, c, 'expected-chains.json')))

describe('conformance through the CLI: expected.iptables', () => {
  it('finds the full-sync cases', () => {
    expect(withRestore.length).toBeGreaterThanOrEqual(2)
  })

  it.for(withRestore)('%s', async (name, ctx) => {
    let expected = readFileSync(join(CONFORMANCE_DIR, name, 'expected.iptables'), 'utf8').replace(/^[ \t\n]+/, '')
    if (isPartialSync(CONFORMANCE_DIR, name)) {
      // An incremental payload: compare our full state with the cumulative state of the steps.
      const cumulative = cumulativeExpected(CONFORMANCE_DIR, name)
      if (cumulative === undefined) {
        console.warn(`SKIP ${name}: partial-sync payload whose earlier steps are not all present`)
        ctx.skip()
        return
      }
      expected = sortIptablesRules(cumulative)
    }
    const actual = sortIptablesRules(await planCase(name))
    expect(actual).toBe(expected)
    expect(checkIptablesRuleJumps(actual)).toEqual([])
  })
})

describe('conformance through the CLI: expected-chains.json', () => {
  it('finds the chain cases', () => {
    expect(withChains.length).toBeGreaterThanOrEqual(2)
  })

  it.each(withChains)('%s', async (name) => {
    const expectations = JSON.parse(readFileSync(join(CONFORMANCE_DIR, name, 'expected-chains.json'), 'utf8')) as ChainExpectation[]
    const actual = await planCase(name)
    for (const e of expectations) {
      expect(chainRules(actual, e.table, e.chain), `${e.table} ${e.chain}`).toEqual(e.rules)
    }
    expect(checkIptablesRuleJumps(sortIptablesRules(actual))).toEqual([])
  })
})
