/**
 * @module trace/builtin-chains
 * The restore payload never holds the built-in chains (PREROUTING, INPUT, …) or the rules that
 * hook kube-proxy's chains into them; kube-proxy installs those separately (mirrors
 * proxier.go `iptablesJumpChains` + `EnsureRule(Prepend, …)`). A packet enters through them, so
 * the tracer adds them before walking.
 */
import type { Chain, JumpRule, Rule, Table, TableName } from '../proxy/iptables/ir.ts'
import { jumpRuleToRule } from '../proxy/iptables/kernel-state.ts'
import { chainNamesOf, joinChains } from './chain-names.ts'

/**
 * Returns `tables` with the built-in chains added and the jump rules in them (and each jump's
 * target chain, empty when the payload lacks it, as `EnsureChain` makes it). Each jump rule is
 * prepended (`iptables -I CHAIN 1`) in list order, as kube-proxy does on a fresh node, so the last
 * rule of the list for a chain ends up first. A jump rule already present in the chain (same
 * target, a ruleset that already holds the built-in chains) is not added twice, like `-C` would
 * find it.
 */
export function withJumpRules(tables: readonly Table[], jumpRules: readonly JumpRule[]): Table[] {
  // Per table: chains prepended (in their final order), the payload's own, chains appended, and
  // where the payload's first chain of each name a jump rule names is. Looked up there, not by a
  // `findIndex` over ≈ 11k chains per jump rule (and an `unshift` moving them all) at 1k Services;
  // the first chain of a name is still the one found (prepended ones come first, then the
  // payload's, then appended ones), and a replaced chain keeps its name, so its place.
  interface Chains {
    readonly front: Chain[]
    readonly body: Chain[]
    readonly back: Chain[]
    readonly first: Map<string, number>
    /** The list `body` copies (the same names at the same positions). */
    readonly of: readonly Chain[]
  }
  const named = new Map<TableName, Set<string>>()
  for (const j of jumpRules) {
    const names = named.get(j.table) ?? new Set<string>()
    named.set(j.table, names.add(j.from).add(j.to))
  }
  const of = (chains: readonly Chain[], table: TableName): Chains => {
    const first = new Map<string, number>()
    const names = named.get(table)
    // The payload's index by name (chain-names.ts), made once per payload and then also the
    // slicer's: without a name held twice, a name's last chain is its first.
    const index = names === undefined ? undefined : chainNamesOf(chains)
    if (names !== undefined && index !== undefined && !index.twice) {
      for (const n of names) {
        const at = index.last(n)
        if (at >= 0) first.set(n, at)
      }
    } else if (names !== undefined) {
      // Only a name of a named length can be one of `names`: the ≈ 11k KUBE-SVC/SEP chains of
      // 1k Services are passed over without hashing their names (most of this scan).
      const lengths = new Set<number>()
      for (const n of names) lengths.add(n.length)
      for (let i = 0; i < chains.length; i++) {
        const name = (chains[i] as Chain).name
        if (lengths.has(name.length) && names.has(name) && !first.has(name)) first.set(name, i)
      }
    }
    return { front: [], body: [...chains], back: [], first, of: chains }
  }
  const byTable = new Map<TableName, Chains>()
  for (const t of tables) byTable.set(t.name, of(t.chains, t.name))
  // The list holding the first chain named `name`, and its index there.
  const find = (c: Chains, name: string): { readonly list: Chain[]; readonly at: number } | undefined => {
    const f = c.front.findIndex((x) => x.name === name)
    if (f >= 0) return { list: c.front, at: f }
    const b = c.first.get(name)
    if (b !== undefined) return { list: c.body, at: b }
    const k = c.back.findIndex((x) => x.name === name)
    return k >= 0 ? { list: c.back, at: k } : undefined
  }
  for (const j of jumpRules) {
    const chains = byTable.get(j.table) ?? of([], j.table)
    byTable.set(j.table, chains)
    const rule = jumpRuleToRule(j)
    const at = find(chains, j.from)
    const existing = at !== undefined ? (at.list[at.at] as Chain) : { name: j.from, rules: [] }
    const already = existing.rules.some((r) => r.target?.kind === 'jump' && r.target.chain === j.to && sameMatches(r, rule))
    const updated: Chain = already ? existing : { name: existing.name, rules: [rule, ...existing.rules] }
    if (at !== undefined) at.list[at.at] = updated
    else chains.front.unshift(updated)
    // EnsureChain(table, to): the target exists even when the payload does not write it (e.g.
    // KUBE-FIREWALL on IPv6, where kube-proxy writes no localnet rule but kubelet's jumps stay).
    if (find(chains, j.to) === undefined) chains.back.push({ name: j.to, rules: [] })
  }
  const order: TableName[] = []
  for (const t of tables) order.push(t.name)
  for (const name of byTable.keys()) if (!order.includes(name)) order.push(name)
  return order.map((name) => {
    const c = byTable.get(name)
    return { name, chains: c === undefined ? [] : joinChains(c.front, c.body, c.back, c.of) }
  })
}

function sameMatches(a: Rule, b: Rule): boolean {
  const relevant = (r: Rule): string =>
    JSON.stringify(r.matches.filter((m) => m.kind !== 'comment' && m.kind !== 'raw'))
  return relevant(a) === relevant(b)
}

/** True when the ruleset has nat PREROUTING, i.e. already holds the entry chains. */
export function hasEntryChains(tables: readonly Table[]): boolean {
  return tables.some((t) => t.name === 'nat' && t.chains.some((c) => c.name === 'PREROUTING'))
}
