/**
 * Every kube-proxy conformance case with an expected payload or expected chains is rendered from
 * its input.yaml + config.json and compared after upstream's normalisation (sortIPTablesRules).
 * Cases are discovered by listing the directory, never by name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildIptablesRuleset } from '../../src/core/proxy/iptables/build.ts'
import { checkIptablesRuleJumps, sortIptablesRules } from '../../src/core/proxy/iptables/normalize.ts'
import { formatRuleLine, printRestore } from '../../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../../src/core/proxy/state.ts'
import { proxyConfigFromCase, type CaseConfigJson } from '../helpers/case-config.ts'
import { objectsFromYaml } from '../helpers/k8s-from-raw.ts'
import { cumulativeExpected } from '../helpers/cumulative.ts'

const DIR = join(import.meta.dirname, '..', 'fixtures', 'conformance', 'kube-proxy-iptables')

interface Case {
  readonly name: string
  readonly dir: string
  readonly config: CaseConfigJson & { sync?: { kind?: string; checkConsistency?: boolean } }
}

const cases: Case[] = readdirSync(DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(DIR, d.name, 'input.yaml')) && existsSync(join(DIR, d.name, 'config.json')))
  .map((d) => ({ name: d.name, dir: join(DIR, d.name), config: JSON.parse(readFileSync(join(DIR, d.name, 'config.json'), 'utf8')) }))

function render(c: Case) {
  const { services, slices } = objectsFromYaml(readFileSync(join(c.dir, 'input.yaml'), 'utf8'), join(c.dir, 'input.yaml'))
  const cfg = proxyConfigFromCase(c.config)
  return buildIptablesRuleset(buildProxyState(services, slices, cfg), cfg)
}

/** The production payload with the test fake's mark spelling (allowed by the acceptance criteria). */
function testForm(text: string): string {
  return text.replaceAll('0x00004000', '0x4000')
}

const withPayload = cases.filter((c) => existsSync(join(c.dir, 'expected.iptables')))
const withChains = cases.filter((c) => existsSync(join(c.dir, 'expected-chains.json')))

describe('conformance: expected.iptables', () => {
  it('finds cases to run', () => {
    expect(withPayload.length).toBeGreaterThan(0)
  })
  it.for(withPayload.map((c) => [c.name, c] as const))('%s', ([name, c], ctx) => {
    let expected = readFileSync(join(c.dir, 'expected.iptables'), 'utf8').replace(/^[ \t\n]+/, '')
    if (c.config.sync?.kind === 'partial') {
      // An incremental payload: a full-state render equals the cumulative --noflush state.
      const cumulative = cumulativeExpected(DIR, name)
      if (cumulative === undefined) {
        console.warn(`SKIP ${name}: partial-sync payload whose earlier steps are not all present`)
        ctx.skip()
        return
      }
      expected = sortIptablesRules(cumulative)
    }
    const notes = existsSync(join(c.dir, 'notes.md')) ? readFileSync(join(c.dir, 'notes.md'), 'utf8') : ''
    const text = testForm(printRestore(render(c)))
    expect(sortIptablesRules(text)).toBe(expected)
    if (c.config.sync?.checkConsistency === true || notes.includes('checkConsistency=true')) {
      expect(checkIptablesRuleJumps(expected)).toEqual([])
    }
    // Our own output is always self-consistent.
    expect(checkIptablesRuleJumps(text)).toEqual([])
  })
})

describe('conformance: expected-chains.json', () => {
  it.each(withChains.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const ruleset = render(c)
    const checks = JSON.parse(readFileSync(join(c.dir, 'expected-chains.json'), 'utf8')) as { table: string; chain: string; rules: string[] }[]
    for (const check of checks) {
      const chain = ruleset.tables.find((t) => t.name === check.table)?.chains.find((ch) => ch.name === check.chain)
      const lines = (chain?.rules ?? []).map((r) => testForm(formatRuleLine(check.chain, r)))
      expect(lines, `${check.table}/${check.chain}`).toEqual(check.rules)
    }
  })
})

describe('conformance: every proxier case renders a self-consistent payload', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(checkIptablesRuleJumps(printRestore(render(c)))).toEqual([])
  })
})

describe('case config.json → ProxyConfig', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const cfg = proxyConfigFromCase(c.config)
    expect(cfg.ipFamily).toBe(c.config.ipFamily)
    expect(cfg.nodeName).toBe(c.config.nodeName)
    // The fake's masqueradeMark "0x4000" is 1 << masqueradeBit.
    expect(`0x${cfg.masqueradeMark.toString(16)}`).toBe((c.config as unknown as { masqueradeMark: string }).masqueradeMark)
    // localhostNodePorts only survives on IPv4.
    expect(cfg.localhostNodePorts).toBe(c.config.localhostNodePorts && c.config.ipFamily === 'IPv4')
    expect(cfg.localDetector).toEqual(
      c.config.localDetector.mode === 'ClusterCIDR' ? { mode: 'ClusterCIDR', cidr: c.config.localDetector.clusterCIDR } : { mode: 'NoOp' },
    )
    expect(cfg.nodePortAddresses).toEqual(c.config.nodePortAddresses === null ? [] : expect.any(Array))
  })
})
