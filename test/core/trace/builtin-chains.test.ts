import { describe, expect, it } from 'vitest'
import { hasEntryChains, withJumpRules } from '../../../src/core/trace/builtin-chains.ts'
import { JUMP_RULES } from '../../../src/core/proxy/iptables/jump-chains.ts'
import { chain, table } from './rules.ts'

describe('withJumpRules', () => {
  const tables = withJumpRules([table('filter', chain('KUBE-SERVICES')), table('nat', chain('KUBE-SERVICES'))], JUMP_RULES)
  const rulesOf = (t: string, c: string) =>
    tables.find((x) => x.name === t)?.chains.find((x) => x.name === c)?.rules.map((r) => (r.target?.kind === 'jump' ? r.target.chain : '?'))

  it('prepends in list order, so the order on a fresh node is the reverse (spec §2.2)', () => {
    expect(rulesOf('filter', 'INPUT')).toEqual(['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES'])
    expect(rulesOf('filter', 'FORWARD')).toEqual(['KUBE-PROXY-FIREWALL', 'KUBE-FORWARD', 'KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES'])
    expect(rulesOf('filter', 'OUTPUT')).toEqual(['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-SERVICES'])
    expect(rulesOf('nat', 'PREROUTING')).toEqual(['KUBE-SERVICES'])
    expect(rulesOf('nat', 'OUTPUT')).toEqual(['KUBE-SERVICES'])
    expect(rulesOf('nat', 'POSTROUTING')).toEqual(['KUBE-POSTROUTING'])
  })

  it('creates jump targets the payload lacks, empty (EnsureChain)', () => {
    expect(rulesOf('filter', 'KUBE-FIREWALL')).toEqual([])
    expect(rulesOf('nat', 'KUBE-POSTROUTING')).toEqual([])
  })

  it('does not add a jump twice to a ruleset that already holds it', () => {
    const again = withJumpRules(tables, JUMP_RULES)
    expect(again.find((t) => t.name === 'filter')?.chains.find((c) => c.name === 'INPUT')?.rules).toHaveLength(4)
  })

  it('knows when a ruleset has its entry chains', () => {
    expect(hasEntryChains([table('nat', chain('KUBE-SERVICES'))])).toBe(false)
    expect(hasEntryChains(tables)).toBe(true)
  })
})
