/**
 * @module diff/rules
 * Rule changes of one node: chains added / removed / changed per table (from the IR, keyed by
 * chain name, so hashed KUBE-SVC-/KUBE-SEP- names line up exactly when the service port is the
 * same), and a unified diff of the `iptables-restore` text kube-proxy would write. Nodes whose
 * diffs are identical are grouped, so a 50-node cluster does not print the same hunk 50 times.
 */
import type { PlanResult } from '../plan/types.ts'
import type { Chain, Table } from '../proxy/iptables/ir.ts'
import { printRestore } from '../proxy/iptables/print-restore.ts'
import { chainsSharedWith } from '../proxy/iptables/writer.ts'
import { printNftTransaction } from '../proxy/nftables/print-transaction.ts'
import { countEdits, editScript, splitLines, unifiedHunks } from './line-diff.ts'
import { chainsOf, restoreLines, type RuleLineCache } from './restore-lines.ts'
import { sameData, sameList } from './same-data.ts'
import { cmp } from './services.ts'
import type { RulesChange, TableChange } from './types.ts'

/** What the rule comparison reads of a node's plan: its iptables ruleset, or its nftables table. */
export type NodeRules = Pick<PlanResult, 'ipFamily' | 'ruleset' | 'nftables'>

/** A table's chains by name (the last chain of a name winning). */
type ChainsByName = ReadonlyMap<string, { readonly rules: unknown }>

/** One table of a node's rules: the iptables Table when it is one, and its chains by name (built when first asked). */
interface RulesTable {
  readonly table?: Table
  byName(): ChainsByName
}

/** Every table of a node's rules by name (iptables `nat`/`filter`, or `ip kube-proxy`). */
function tablesOf(r: NodeRules): Map<string, RulesTable> {
  const out = new Map<string, RulesTable>()
  if (r.nftables !== undefined) {
    const nft = r.nftables
    const chains = new Map<string, { readonly rules: unknown }>()
    for (const c of nft.chains) chains.set(c.name, c)
    out.set(`${nft.family} ${nft.table}`, { byName: () => chains })
    return out
  }
  // The index restoreLines reads too (built once per table).
  for (const t of r.ruleset.tables) out.set(t.name, { table: t, byName: () => chainsOf(t) })
  return out
}

/**
 * The text kube-proxy would write for a node's rules: the `iptables-restore` payload, or the
 * `nft -f` transaction in nftables mode.
 */
export function rulesText(r: NodeRules): string {
  return r.nftables !== undefined ? printNftTransaction(r.nftables) : printRestore(r.ruleset)
}

/** Chain-level comparison of two nodes' rules, per table (tables without changes left out). */
export function diffChains(base: NodeRules, head: NodeRules): TableChange[] {
  const bt = tablesOf(base)
  const ht = tablesOf(head)
  const tables = [...new Set([...bt.keys(), ...ht.keys()])].sort(cmp)
  const out: TableChange[] = []
  for (const name of tables) {
    const { chainsAdded, chainsRemoved, chainsChanged } = chainChanges(bt.get(name), ht.get(name))
    chainsAdded.sort(cmp)
    chainsRemoved.sort(cmp)
    chainsChanged.sort(cmp)
    if (chainsAdded.length + chainsRemoved.length + chainsChanged.length > 0) out.push({ table: name, chainsAdded, chainsRemoved, chainsChanged })
  }
  return out
}

/** A table's chain changes, unsorted. */
interface ChainChanges {
  readonly chainsAdded: string[]
  readonly chainsRemoved: string[]
  readonly chainsChanged: string[]
}

const NO_CHAINS: ChainsByName = new Map()

/** The chains added, removed and changed (unsorted) from one table to the other (either may be absent). */
function chainChanges(base: RulesTable | undefined, head: RulesTable | undefined): ChainChanges {
  const shared = base?.table !== undefined && head?.table !== undefined ? chainsSharedWith(head.table) : undefined
  if (shared !== undefined && shared.from === base?.table) return changesBesideShared(shared.from, (head as RulesTable).table as Table, shared.at)
  return changesByName(base?.byName() ?? NO_CHAINS, head?.byName() ?? NO_CHAINS)
}

/** {@link chainChanges} of two tables' chains by name. */
function changesByName(b: ChainsByName, h: ChainsByName): ChainChanges {
  const chainsAdded: string[] = []
  const chainsChanged: string[] = []
  for (const [c, chain] of h) {
    const before = b.get(c)
    if (before === undefined) chainsAdded.push(c)
    else if (!sameRules(before.rules, chain.rules)) chainsChanged.push(c)
  }
  const chainsRemoved: string[] = []
  for (const c of b.keys()) if (!h.has(c)) chainsRemoved.push(c)
  return { chainsAdded, chainsRemoved, chainsChanged }
}

/**
 * {@link changesByName} of a head table holding Chain objects of the base's (writer.ts
 * `chainsSharedWith`: the chains of unchanged service ports), without indexing every chain of
 * both sides by name: a chain object on both sides has the same name and rules there, and, names
 * being unique in writer-built tables, no other chain of either side has its name. It is neither
 * added, removed nor changed, and only the other chains are compared by name.
 */
function changesBesideShared(base: Table, head: Table, at: Int32Array): ChainChanges {
  const inHead = new Uint8Array(base.chains.length)
  const b = new Map<string, Chain>()
  const h = new Map<string, Chain>()
  for (let j = 0; j < head.chains.length; j++) {
    const i = at[j] as number
    if (i >= 0) inHead[i] = 1
    else h.set((head.chains[j] as Chain).name, head.chains[j] as Chain)
  }
  for (let i = 0; i < base.chains.length; i++) if (inHead[i] === 0) b.set((base.chains[i] as Chain).name, base.chains[i] as Chain)
  return changesByName(b, h)
}

/**
 * `sameData` of two chains' rules, answered by one loop of identity compares when every rule is
 * the same object (the head's chains of unchanged ports hold the base's rules, port-sharing.ts):
 * then `sameData` would find each pair `===` too.
 */
function sameRules(a: unknown, b: unknown): boolean {
  return (Array.isArray(a) && Array.isArray(b) && sameList(a, b)) || sameData(a, b)
}

/**
 * The lines of {@link rulesText} (`splitLines` of it). iptables rules are not printed as a text:
 * their lines come from the IR (restore-lines.ts), each rule's taken from `cache` when the diff
 * formatted it already (the head's rules of unchanged ports are the base's objects).
 */
export function rulesLines(r: NodeRules, cache?: RuleLineCache): readonly string[] {
  return r.nftables !== undefined ? splitLines(printNftTransaction(r.nftables)) : restoreLines(r.ruleset, cache)
}

/** Unified diff of two restore texts with a `--- base` / `+++ head` header; `''` when equal. */
export function unifiedRestoreDiff(baseText: string, headText: string, label: string): { text: string; added: number; removed: number } {
  return unifiedLinesDiff(splitLines(baseText), splitLines(headText), label)
}

/** {@link unifiedRestoreDiff} of the texts' lines (`splitLines`). */
export function unifiedLinesDiff(baseLines: readonly string[], headLines: readonly string[], label: string): { text: string; added: number; removed: number } {
  const edits = editScript(baseLines, headLines)
  const hunks = unifiedHunks(edits)
  if (hunks === '') return { text: '', added: 0, removed: 0 }
  const { added, removed } = countEdits(edits)
  return { text: `--- base/${label}\n+++ head/${label}\n${hunks}`, added, removed }
}

/**
 * Diffs the rules of matching node plans (each pair: the base and head plan of one node, in node
 * order; an iterable, so a caller can build each node's rules only when it is diffed) and
 * groups nodes whose diff text is identical. Groups are sorted by their first node. `lines` is
 * {@link rulesLines}, or a memo of it when the caller reads the same rules' lines elsewhere too.
 */
export function diffRulesByNode(
  pairs: Iterable<{ node: string; base: NodeRules; head: NodeRules }>,
  lines: (r: NodeRules) => readonly string[] = (r) => rulesLines(r),
): RulesChange[] {
  const groups = new Map<string, { nodes: string[]; change: Omit<RulesChange, 'nodes'> }>()
  // Nodes often render the same text (no node-local policy): the line diff of the previous node
  // is reused when both texts are equal (only the last pair is kept: texts are ~40 MB at 10k).
  let last: { baseText: readonly string[]; headText: readonly string[]; u: ReturnType<typeof unifiedRestoreDiff> } | undefined
  // A node whose rules are the same objects as the previous node's (planDiff shares the default
  // node's rules with nodes whose backend input is the same) has the same chain changes.
  let lastChains: { base: NodeRules; head: NodeRules; tables: TableChange[] } | undefined
  for (const { node, base, head } of pairs) {
    const tables = lastChains !== undefined && lastChains.base === base && lastChains.head === head ? lastChains.tables : diffChains(base, head)
    lastChains = { base, head, tables }
    // The label is the same for every node so identical changes group; nodes are listed separately.
    const baseText = lines(base)
    const headText = lines(head)
    let u = last !== undefined && sameList(last.baseText, baseText) && sameList(last.headText, headText) ? last.u : undefined
    if (u === undefined) {
      const label = base.nftables === undefined && head.nftables === undefined ? 'iptables-restore' : head.nftables !== undefined && base.nftables !== undefined ? 'nft' : 'rules'
      u = unifiedLinesDiff(baseText, headText, label)
      last = { baseText, headText, u }
    }
    if (u.text === '' && tables.length === 0) continue
    const k = u.text
    const g = groups.get(k)
    if (g) g.nodes.push(node)
    else groups.set(k, { nodes: [node], change: { family: head.ipFamily, ...modeOf(base, head), tables, unified: u.text, linesAdded: u.added, linesRemoved: u.removed } })
  }
  return [...groups.values()]
    .map((g) => ({ nodes: [...g.nodes].sort(cmp), ...g.change }))
    .sort((x, y) => cmp(x.nodes[0] ?? '', y.nodes[0] ?? ''))
}

/** `proxyMode` of a rules change: one mode, or `iptables->nftables` style for a migration. */
function modeOf(base: NodeRules, head: NodeRules): { proxyMode?: string } {
  const b = base.nftables !== undefined ? 'nftables' : 'iptables'
  const h = head.nftables !== undefined ? 'nftables' : 'iptables'
  if (b === 'iptables' && h === 'iptables') return {}
  return { proxyMode: b === h ? h : `${b}->${h}` }
}
