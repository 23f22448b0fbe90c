/**
 * The conformance cases' cluster facts: the committed YAML is what scripts/case-facts.ts writes
 * from each config.json, and parsing it with the real pipeline (parse → resolveCluster →
 * proxyConfigFor) gives exactly the proxier settings the case describes.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { proxyConfigFor } from '../../src/core/cluster/proxy-config.ts'
import { resolveCluster } from '../../src/core/cluster/resolve.ts'
import { parseSources } from '../../src/core/parse/index.ts'
import {
  CASE_FACTS_DIR,
  caseFactsYaml,
  committedFactsPath,
  intendedProxyConfig,
  listProxierCases,
  readCaseConfig,
  type CaseConfig,
} from '../helpers/case-facts.ts'

const cases = listProxierCases()

function resolve(name: string, text: string, config: CaseConfig) {
  const parsed = parseSources([{ path: `${name}.yaml`, text, origin: 'existing' }])
  const facts = resolveCluster(parsed.value)
  const cfg = proxyConfigFor(facts.value, config.ipFamily)
  return { issues: [...parsed.issues, ...facts.issues, ...cfg.issues], facts: facts.value, cfg: cfg.value }
}

describe('case facts files', () => {
  const committed = readdirSync(CASE_FACTS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort()

  it('exist for the proxier cases, and only for them', () => {
    expect(cases.length).toBeGreaterThan(10)
    // A case added later without regenerating still works (caseFactsFile generates on the fly),
    // but a facts file whose case is gone is stale.
    expect(committed.filter((c) => !cases.includes(c))).toEqual([])
    expect(committed.length).toBeGreaterThan(10)
  })

  it.each(committed)('%s is current (npx tsx scripts/case-facts.ts regenerates it)', (name) => {
    expect(readFileSync(committedFactsPath(name), 'utf8')).toBe(caseFactsYaml(name, readCaseConfig(name)))
  })

  it.each(cases)('%s round-trips to the intended ProxyConfig', (name) => {
    const config = readCaseConfig(name)
    const path = committedFactsPath(name)
    const text = existsSync(path) ? readFileSync(path, 'utf8') : caseFactsYaml(name, config)
    const r = resolve(name, text, config)
    expect(r.issues).toEqual([])
    expect(r.facts.nodeName).toBe(config.nodeName)
    // The facts name no Kubernetes version (the conformance runner passes the suite's): the default is stated.
    expect(r.facts.assumptions).toEqual([expect.stringMatching(/^Kubernetes 1\.35 \(the default/)])
    expect(r.cfg).toEqual(intendedProxyConfig(config))
  })
})

describe('case facts conversion', () => {
  const base = readCaseConfig('overall-iptables-rules')

  it('expresses the knobs the current cases never change (NoOp detector, masqueradeAll, nodePortAddresses, liberal conntrack, random-fully, no nfacct, gates, another bit)', () => {
    const config: CaseConfig = {
      ...base,
      localDetector: { mode: 'NoOp' },
      masqueradeAll: true,
      masqueradeBit: 5,
      masqueradeMark: '0x20',
      nodePortAddresses: ['192.168.0.0/24', '2001:db8::/64'],
      conntrackTCPLiberal: true,
      iptablesHasRandomFully: true,
      nfacctCounters: { ct_state_invalid_dropped_pkts: false, localhost_nps_accepted_pkts: false },
      featureGates: { PreferSameTrafficDistribution: true },
    }
    const yaml = caseFactsYaml('synthetic', config)
    const r = resolve('synthetic', yaml, config)
    expect(r.issues).toEqual([])
    expect(r.cfg).toEqual(intendedProxyConfig(config))
    expect(r.cfg).toMatchObject({
      localDetector: { mode: 'NoOp' },
      masqueradeAll: true,
      masqueradeMark: 0x20,
      nodePortAddresses: ['192.168.0.0/24'],
      localhostNodePorts: false,
      conntrackTCPLiberal: true,
      iptablesHasRandomFully: true,
      nfacct: { ctStateInvalidDroppedPkts: false, localhostNpsAcceptedPkts: false },
      featureGates: { PreferSameTrafficDistribution: true },
    })
  })

  it('expresses nfacct counters that differ with hostCapabilities.nfacctCounters', () => {
    for (const [invalid, localhost] of [
      [true, false],
      [false, true],
    ] as const) {
      const config: CaseConfig = { ...base, nfacctCounters: { ct_state_invalid_dropped_pkts: invalid, localhost_nps_accepted_pkts: localhost } }
      const yaml = caseFactsYaml('synthetic', config)
      expect(yaml).toContain('nfacctCounters:')
      const r = resolve('synthetic', yaml, config)
      expect(r.issues).toEqual([])
      expect(r.cfg.nfacct).toEqual({ ctStateInvalidDroppedPkts: invalid, localhostNpsAcceptedPkts: localhost })
      expect(r.cfg).toEqual(intendedProxyConfig(config))
    }
  })

  it('refuses settings the facts cannot express', () => {
    expect(() => caseFactsYaml('x', { ...base, masqueradeBit: 3 })).toThrow(/masqueradeMark/)
  })
})
