/**
 * @module trace/builtin-chains
 * The restore payload never holds the built-in chains (PREROUTING, INPUT, …) or the rules that
 * hook kube-proxy's chains into them; kube-proxy installs those separately (mirrors
 * proxier.go `iptablesJumpChains` + `EnsureRule(Prepend, …)`). A packet enters through them, so
 * the tracer adds them before walking.
 */
import type { Chain, JumpRule, Rule, Table, TableName } from '../proxy/iptables/ir.ts'
import { jumpRuleToRule } from '../proxy/iptables/kernel-state.ts'

/**
 * Returns `tables` with the built-in chains added and the jump rules in them (and each jump's
 * target chain, empty when the payload lacks it, as `EnsureChain` makes it). Each jump rule is
 * prepended (`iptables -I CHAIN 1`) in list order, as kube-proxy does on a fresh node, so the last
 * rule of the list for a chain ends up first. A jump rule already present in the chain (same
 * target, a ruleset that already holds the built-in chains) is not added twice, like `-C` would
 * find it.
 */
export function withJumpRules(tables: readonly Table[], jumpRules: readonly JumpRule[]): Table[] {
  const byTable = new Map<TableName, Chain[]>()
  for (const t of tables) byTable.set(t.name, [...t.chains])
  for (const j of jumpRules) {
    const chains = byTable.get(j.table) ?? []
    byTable.set(j.table, chains)
    const rule = jumpRuleToRule(j)
    const at = chains.findIndex((c) => c.name === j.from)
    const existing = at >= 0 ? (chains[at] as Chain) : { name: j.from, rules: [] }
    const already = existing.rules.some((r) => r.target?.kind === 'jump' && r.target.chain === j.to && sameMatches(r, rule))
    const updated: Chain = already ? existing : { name: existing.name, rules: [rule, ...existing.rules] }
    if (at >= 0) chains[at] = updated
    else chains.unshift(updated)
    // EnsureChain(table, to): the target exists even when the payload does not write it (e.g.
    // KUBE-FIREWALL on IPv6, where kube-proxy writes no localnet rule but kubelet's jumps stay).
    if (!chains.some((c) => c.name === j.to)) chains.push({ name: j.to, rules: [] })
  }
  const order: TableName[] = []
  for (const t of tables) order.push(t.name)
  for (const name of byTable.keys()) if (!order.includes(name)) order.push(name)
  return order.map((name) => ({ name, chains: byTable.get(name) ?? [] }))
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
