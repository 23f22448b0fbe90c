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
  const { tables, policies } = parsed.value
  return { value: { file, family, tables, policies }, issues }
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
