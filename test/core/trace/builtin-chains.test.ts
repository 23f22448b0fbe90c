import { describe, expect, it } from 'vitest'
import { hasEntryChains, withJumpRules } from '../../../src/core/trace/builtin-chains.ts'
import { JUMP_RULES } from '../../../src/core/proxy/iptables/jump-chains.ts'
import { chain, jump, rule, table } from './rules.ts'
import type { Chain, JumpRule, Rule, Table, TableName } from '../../../src/core/proxy/iptables/ir.ts'
import { jumpRuleToRule } from '../../../src/core/proxy/iptables/kernel-state.ts'
import { rng } from '../../helpers/seeded-rng.ts'

/** withJumpRules as first written: a findIndex per jump rule over every chain, an unshift per new chain. */
function reference(tables: readonly Table[], jumpRules: readonly JumpRule[]): Table[] {
  const byTable = new Map<TableName, Chain[]>()
  for (const t of tables) byTable.set(t.name, [...t.chains])
  const same = (r: Rule, b: Rule): boolean => JSON.stringify(r.matches.filter((m) => m.kind !== 'comment' && m.kind !== 'raw')) === JSON.stringify(b.matches.filter((m) => m.kind !== 'comment' && m.kind !== 'raw'))
  for (const j of jumpRules) {
    const chains = byTable.get(j.table) ?? []
    byTable.set(j.table, chains)
    const r = jumpRuleToRule(j)
    const at = chains.findIndex((c) => c.name === j.from)
    const existing = at >= 0 ? (chains[at] as Chain) : { name: j.from, rules: [] }
    const already = existing.rules.some((x) => x.target?.kind === 'jump' && x.target.chain === j.to && same(x, r))
    const updated: Chain = already ? existing : { name: existing.name, rules: [r, ...existing.rules] }
    if (at >= 0) chains[at] = updated
    else chains.unshift(updated)
    if (!chains.some((c) => c.name === j.to)) chains.push({ name: j.to, rules: [] })
  }
  const order: TableName[] = tables.map((t) => t.name)
  for (const name of byTable.keys()) if (!order.includes(name)) order.push(name)
  return order.map((name) => ({ name, chains: byTable.get(name) ?? [] }))
}

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

  it('gives what a findIndex over every chain gives (seeded tables: names twice, missing, jump targets absent)', () => {
    const names = ['PREROUTING', 'INPUT', 'OUTPUT', 'KUBE-SERVICES', 'KUBE-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-X']
    for (let seed = 0; seed < 300; seed++) {
      const r = rng(seed)
      const pickName = (): string => names[Math.floor(r() * names.length)] as string
      const tableNames: TableName[] = r() < 0.5 ? ['filter', 'nat'] : ['nat']
      const tables = tableNames.map((t) =>
        table(t, ...Array.from({ length: Math.floor(r() * 6) }, () => chain(pickName(), ...(r() < 0.5 ? [rule(jump(pickName()))] : [])))),
      )
      const jumps: JumpRule[] = [...JUMP_RULES.filter(() => r() < 0.7), ...Array.from({ length: Math.floor(r() * 4) }, () => ({ table: r() < 0.5 ? 'filter' as const : 'mangle' as const, from: pickName(), to: pickName(), extraArgs: [], comment: 'x' }))]
      expect(withJumpRules(tables, jumps), `seed ${seed}`).toEqual(reference(tables, jumps))
    }
  })

  it('knows when a ruleset has its entry chains', () => {
    expect(hasEntryChains([table('nat', chain('KUBE-SERVICES'))])).toBe(false)
    expect(hasEntryChains(tables)).toBe(true)
  })
})
