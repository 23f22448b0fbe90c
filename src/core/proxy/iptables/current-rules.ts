/**
 * @module proxy/iptables/current-rules
 * The node's iptables before the sync (`--current-rules FILE`: its `iptables-save` output), and
 * the chains a full sync from that state deletes. Mirrors proxier.go `syncProxyRules`: it reads
 * `iptables-save -t nat` (`utiliptables.GetChainsFromTable`), and every existing nat chain that is
 * a service chain (`isServiceChainName`: KUBE-SVC-, KUBE-SVL-, KUBE-EXT-, KUBE-FW-, KUBE-SEP-) but
 * not written in this sync gets a declaration (which flushes it) and a `-X` line.
 */
import { issue, type Issue, type Staged } from '../../issues.ts'
import type { IPFamily } from '../../model/k8s.ts'
import type { Ruleset, Rule } from './ir.ts'
import type { NodeRules } from './kernel-state.ts'
import { parseRestore } from './parse.ts'

/** proxier.go `isServiceChainName`: the per-service chain prefixes kube-proxy cleans up. */
export const SERVICE_CHAIN_PREFIXES: readonly string[] = ['KUBE-SVC-', 'KUBE-SVL-', 'KUBE-EXT-', 'KUBE-FW-', 'KUBE-SEP-']

/** True for a chain kube-proxy created for a service port or endpoint. */
export function isServiceChainName(chain: string): boolean {
  return SERVICE_CHAIN_PREFIXES.some((p) => chain.startsWith(p))
}

/** A `--current-rules` file as read, with where it came from. */
export interface CurrentRules extends NodeRules {
  readonly file: string
  /** 1-based line of each rule read from the file (absent for a state computed by a sync). */
  readonly ruleLines?: ReadonlyMap<Rule, number>
}

/**
 * Reads a node's `iptables-save` output (nat and filter tables; `[packets:bytes]` counters on
 * rules allowed, as `iptables-save -c` prints them) for the rendered family. Returns no value
 * when the file cannot stand for the node's state (no nat table, the other family's rules).
 */
export function readCurrentRules(text: string, file: string, family: IPFamily): Staged<CurrentRules | undefined> {
  const guessed = parseRestore(text, { file })
  const issues: Issue[] = [...guessed.issues]
  const at = { source: { file, line: 1, column: 1 } }
  const hasRules = guessed.value.tables.some((t) => t.chains.some((c) => c.rules.length > 0))
  if (hasRules && guessed.value.family !== family) {
    const tool = guessed.value.family === 'IPv6' ? 'ip6tables-save' : 'iptables-save'
    issues.push(
      issue(
        'proxy/current-rules',
        'error',
        `${file} holds ${guessed.value.family} rules (${tool} output) but the ${family} kube-proxy is rendered; give the ${family === 'IPv6' ? 'ip6tables-save' : 'iptables-save'} output or --ip-family ${guessed.value.family}. The file is ignored`,
        at,
      ),
    )
    return { value: undefined, issues }
  }
  if (!guessed.value.tables.some((t) => t.name === 'nat')) {
    issues.push(
      issue('proxy/current-rules', 'error', `${file} has no *nat table: give the node's iptables-save output (nat and filter tables). The file is ignored`, at),
    )
    return { value: undefined, issues }
  }
  const parsed = family === guessed.value.family ? guessed : parseRestore(text, { file, family })
  const { tables, policies, ruleLines } = parsed.value
  return { value: { file, family, tables, policies, ruleLines }, issues }
}

/**
 * The nat service chains of `current` that this sync does not write, in byte order. kube-proxy
 * walks them in Go map order (random); a stable order keeps the payload reproducible, and the
 * kernel state after the restore is the same in any order.
 */
export function staleServiceChains(current: NodeRules, written: (chain: string) => boolean): string[] {
  const nat = current.tables.find((t) => t.name === 'nat')
  const stale = (nat?.chains ?? []).map((c) => c.name).filter((c) => isServiceChainName(c) && !written(c))
  return [...new Set(stale)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The sync's `-X` lines that the kernel refuses: a chain the payload does not declare (so it
 * keeps its rules, e.g. one that is not kube-proxy's, or a built-in chain) still jumps to the
 * stale chain. `CHAIN_DEL` then fails with EBUSY and iptables-restore rejects the whole payload:
 * kube-proxy's sync fails and the node keeps its old rules (checked against iptables 1.8.9).
 */
export function deletionsInUse(current: CurrentRules, ruleset: Ruleset): Issue[] {
  const payload = ruleset.tables.find((t) => t.name === 'nat')
  const deleted = new Set((payload?.deletions ?? []).map((d) => d.chain))
  if (deleted.size === 0) return []
  const declared = new Set((payload?.chains ?? []).map((c) => c.name))
  const out: Issue[] = []
  for (const chain of current.tables.find((t) => t.name === 'nat')?.chains ?? []) {
    if (declared.has(chain.name)) continue
    for (const rule of chain.rules) {
      const target = rule.target?.kind === 'jump' ? rule.target.chain : undefined
      if (target === undefined || !deleted.has(target)) continue
      const line = current.ruleLines?.get(rule) ?? 1
      out.push(
        issue(
          'proxy/stale-chain-in-use',
          'error',
          `kube-proxy's sync from ${current.file} fails: chain ${chain.name} still jumps to the stale ${target}, so "-X ${target}" is refused (Device or resource busy) and iptables-restore rejects the whole payload; the node keeps its old rules until that rule is removed`,
          { source: { file: current.file, line, column: 1 } },
        ),
      )
    }
  }
  return out
}
