/**
 * @module proxy/iptables/kernel-state
 * What the kernel holds after kube-proxy's start-up sequence on a fresh node (proxier.go syncProxyRules'
 * `iptablesJumpChains` loop, then `RestoreAll`; test/kernel loads it into real iptables): each jump rule as `iptables -t T -N DST` (if
 * missing) then `iptables -t T -I SRC 1 … -j DST`, in the table's order, then
 * `iptables-restore --noflush` of the payload. Chains come out in the order iptables prints them
 * (built-ins in hook order, then user chains sorted by strcmp: iptables-nft `nft_cache_sort_chains`),
 * rules in kernel order. Shared by the iptables-save and iptables -L printers.
 *
 * `--noflush` semantics, checked against iptables 1.8.9 (nf_tables): declaring a user chain that
 * exists flushes it; declaring a built-in chain (`:INPUT - [0:0]`) does not flush it, and a policy
 * other than `-` sets the policy; `-X` deletes the chain. Touching a table creates all its
 * built-in chains, and listing/saving a table prints them even when nothing touched it.
 */
import type { IPFamily } from '../../model/k8s.ts'
import type { JumpRule, Rule, Ruleset, Table, TableName } from './ir.ts'
import { toKernelRule, type KernelRule } from './kernel-rule.ts'

/** Built-in chains per table, in hook order (the order iptables-save and -L print them). */
export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
}

/** A chain removed by `-X` in a restore payload. */
export interface DeletedChain {
  readonly table: TableName
  readonly chain: string
}

/** A built-in chain policy set in a restore payload (`:INPUT DROP [0:0]`). */
export interface ChainPolicy {
  readonly table: TableName
  readonly chain: string
  readonly policy: string
}

/** Optional extras a parsed payload carries beyond the IR (see parse.ts). */
export interface RulesetExtras {
  readonly deletedChains?: readonly DeletedChain[]
  readonly policies?: readonly ChainPolicy[]
}

/** One chain after loading, in the order iptables prints chains. */
export interface KernelChain {
  readonly name: string
  readonly builtin: boolean
  /** `ACCEPT`/`DROP` for built-ins, `-` for user chains. */
  readonly policy: string
  readonly rules: readonly KernelRule[]
  /** Rules (in this table) whose target is this chain: the `(N references)` of `iptables -L`. */
  readonly references: number
}

/** One table after loading: built-in chains in hook order, then user chains by strcmp. */
export interface KernelTable {
  readonly name: TableName
  readonly chains: readonly KernelChain[]
}

/** What {@link loadKernelState} loads before the payload, and which tables it returns. */
export interface LoadOptions {
  /** Base-chain jump rules installed before the payload (normally `JUMP_RULES`). */
  readonly jumpRules: readonly JumpRule[]
  /** Tables to return, in this order. Default: nat then filter (what the kernel suite prints). */
  readonly tables?: readonly TableName[]
  /** What the node held before (its `iptables-save`); default: empty tables, a fresh node. */
  readonly initial?: NodeRules
}

/**
 * A node's iptables as `iptables-save` shows them: every chain of each table (built-ins
 * included) with its rules, and the built-in chains' policies other than ACCEPT.
 */
export interface NodeRules {
  readonly family: IPFamily
  readonly tables: readonly Table[]
  readonly policies: readonly ChainPolicy[]
}

interface MutableChain {
  builtin: boolean
  policy: string
  rules: Rule[]
}

type State = Map<TableName, Map<string, MutableChain>>

/** The rule `EnsureRule(Prepend, table, from, extraArgs…, -m comment --comment C, -j to)` adds. */
export function jumpRuleToRule(j: JumpRule): Rule {
  const matches = j.comment === '' ? [...j.extraArgs] : [...j.extraArgs, { kind: 'comment' as const, text: j.comment }]
  return { matches, target: { kind: 'jump', chain: j.to } }
}

/** strcmp order (byte order of the ASCII chain names). */
function strcmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const isBuiltin = (table: TableName, chain: string): boolean => BUILTIN_CHAINS[table].includes(chain)

function tableOf(state: State, name: TableName): Map<string, MutableChain> {
  let t = state.get(name)
  if (t === undefined) {
    t = new Map()
    for (const b of BUILTIN_CHAINS[name]) t.set(b, { builtin: true, policy: 'ACCEPT', rules: [] })
    state.set(name, t)
  }
  return t
}

function ensureUser(t: Map<string, MutableChain>, name: string): MutableChain {
  let c = t.get(name)
  if (c === undefined) {
    c = { builtin: false, policy: '-', rules: [] }
    t.set(name, c)
  }
  return c
}

/** The node's tables before the sync: a copy of `initial`, or nothing (a fresh node). */
function startState(initial: NodeRules | undefined): State {
  const state: State = new Map()
  for (const tbl of initial?.tables ?? []) {
    const t = tableOf(state, tbl.name)
    for (const c of tbl.chains) {
      const chain = isBuiltin(tbl.name, c.name) ? (t.get(c.name) as MutableChain) : ensureUser(t, c.name)
      chain.rules = [...c.rules]
    }
  }
  for (const p of initial?.policies ?? []) {
    const c = tableOf(state, p.table).get(p.chain)
    if (c?.builtin === true) c.policy = p.policy
  }
  return state
}

/**
 * kube-proxy's start-up and one full sync, applied to `state`: each jump rule as `EnsureChain`
 * (its target) and `EnsureRule(Prepend)` (`-C` finds an identical rule already there, else
 * `-I CHAIN 1`), then `iptables-restore --noflush` of the payload: a declared user chain is
 * flushed (created when missing), a declared built-in is not, rules are appended, `-X` deletes.
 */
function applySync(state: State, ruleset: Ruleset & RulesetExtras, jumpRules: readonly JumpRule[]): void {
  const family = ruleset.family
  const kernelText = (r: Rule): string => JSON.stringify(toKernelRule(r, family), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  for (const j of jumpRules) {
    const t = tableOf(state, j.table)
    ensureUser(t, j.to)
    const from = ensureUser(t, j.from)
    const rule = jumpRuleToRule(j)
    // `iptables -C` compares the kernel form, so spelling differences of a read-back rule do not count.
    const want = kernelText(rule)
    if (!from.rules.some((r) => kernelText(r) === want)) from.rules.unshift(rule)
  }
  for (const tbl of ruleset.tables) {
    const t = tableOf(state, tbl.name)
    for (const chain of tbl.chains) {
      const existing = t.get(chain.name)
      if (existing === undefined) t.set(chain.name, { builtin: false, policy: '-', rules: [] })
      else if (!existing.builtin) existing.rules = []
    }
    for (const chain of tbl.chains) {
      const c = t.get(chain.name)
      if (c !== undefined) c.rules.push(...chain.rules)
    }
  }
  for (const p of ruleset.policies ?? []) {
    const c = tableOf(state, p.table).get(p.chain)
    if (c?.builtin === true) c.policy = p.policy
  }
  const deletions = [
    ...(ruleset.deletedChains ?? []),
    ...ruleset.tables.flatMap((tbl) => (tbl.deletions ?? []).map((d) => ({ table: tbl.name, chain: d.chain }))),
  ]
  for (const d of deletions) {
    const t = tableOf(state, d.table)
    if (t.get(d.chain)?.builtin === false) t.delete(d.chain)
  }
}

/** Built-in chains in hook order, then user chains by strcmp: the order iptables prints them. */
function chainOrder(state: State, name: TableName): string[] {
  const t = tableOf(state, name)
  return [...BUILTIN_CHAINS[name], ...[...t.keys()].filter((n) => t.get(n)?.builtin === false).sort(strcmp)]
}

/**
 * The node's rules after kube-proxy's jump rules and `ruleset` are loaded over `initial` (or
 * empty tables), as IR tables in the order iptables prints them: what a packet meets after the sync.
 */
export function syncedRules(initial: NodeRules | undefined, ruleset: Ruleset & RulesetExtras, jumpRules: readonly JumpRule[]): NodeRules {
  const state = startState(initial)
  applySync(state, ruleset, jumpRules)
  const policies: ChainPolicy[] = []
  const tables: Table[] = [...state.keys()].map((name) => ({
    name,
    chains: chainOrder(state, name).map((chain) => {
      const c = tableOf(state, name).get(chain) as MutableChain
      if (c.builtin && c.policy !== 'ACCEPT') policies.push({ table: name, chain, policy: c.policy })
      return { name: chain, rules: c.rules }
    }),
  }))
  return { family: ruleset.family, tables, policies }
}

/**
 * Simulates loading `jumpRules` then `ruleset` into `opts.initial` (default: empty tables) and
 * returns the requested tables as iptables would print them. Pure and deterministic.
 */
export function loadKernelState(ruleset: Ruleset & RulesetExtras, opts: LoadOptions): KernelTable[] {
  const family: IPFamily = ruleset.family
  const state = startState(opts.initial)
  applySync(state, ruleset, opts.jumpRules)
  const table = (name: TableName): Map<string, MutableChain> => tableOf(state, name)

  const wanted = opts.tables ?? (['nat', 'filter'] as const)
  return wanted.map((name) => {
    const t = table(name)
    const order = chainOrder(state, name)
    const kernelRules = new Map<string, KernelRule[]>()
    const refs = new Map<string, number>()
    for (const n of order) {
      const rules = (t.get(n)?.rules ?? []).map((r) => toKernelRule(r, family))
      kernelRules.set(n, rules)
      for (const r of rules) {
        if (r.target?.kind === 'standard') refs.set(r.target.name, (refs.get(r.target.name) ?? 0) + 1)
      }
    }
    const chains: KernelChain[] = order.map((n) => {
      const c = t.get(n)
      return {
        name: n,
        builtin: c?.builtin ?? true,
        policy: c?.policy ?? 'ACCEPT',
        rules: kernelRules.get(n) ?? [],
        references: refs.get(n) ?? 0,
      }
    })
    return { name, chains }
  })
}
