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
import { CONFORMANCE_DIR, listProxierCases } from '../helpers/case-facts.ts'
import { chainRules, planCaseRestore as planCase, readCaseJson, type ChainExpectation } from '../helpers/conformance-case.ts'
import { cumulativeExpected, isPartialSync } from '../helpers/cumulative.ts'

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
    const expectations = readCaseJson<ChainExpectation[]>(CONFORMANCE_DIR, name, 'expected-chains.json')
    const actual = await planCase(name)
    for (const e of expectations) {
      expect(chainRules(actual, e.table, e.chain), `${e.table} ${e.chain}`).toEqual(e.rules)
    }
    expect(checkIptablesRuleJumps(sortIptablesRules(actual))).toEqual([])
  })
})
