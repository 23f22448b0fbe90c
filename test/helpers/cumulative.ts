/**
 * The cumulative iptables state after a sequence of kube-proxy syncs, for conformance steps whose
 * `expected.iptables` is a partial-sync (incremental) payload. kube-proxy restores with `--noflush`:
 * a chain declared in a payload is flushed and refilled, `-X` deletes a chain, other chains keep
 * their contents. A full-state planner must equal that cumulative state (conformance README,
 * "Multi-step cases"), not the incremental payload itself.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

type State = Map<string, Map<string, string[]>>

/** Applies one restore payload to the state with `--noflush` semantics. */
export function applyNoflush(state: State, payload: string): void {
  let table: Map<string, string[]> | undefined
  for (const raw of payload.split('\n')) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line === 'COMMIT') continue
    if (line.startsWith('*')) {
      const name = line.slice(1)
      table = state.get(name) ?? new Map()
      state.set(name, table)
    } else if (table === undefined) {
      throw new Error(`line outside a table: ${line}`)
    } else if (line.startsWith(':')) {
      table.set(line.slice(1).split(' ')[0] ?? '', [])
    } else if (line.startsWith('-X ')) {
      table.delete(line.slice(3).trim())
    } else if (line.startsWith('-A ')) {
      const chain = line.slice(3).split(' ')[0] ?? ''
      const rules = table.get(chain)
      if (rules === undefined) throw new Error(`rule for undeclared chain: ${line}`)
      rules.push(line)
    }
  }
}

/** Prints a state as a restore payload (unsorted; pass it through sortIptablesRules). */
export function printState(state: State): string {
  const out: string[] = []
  for (const [table, chains] of state) {
    out.push(`*${table}`)
    for (const chain of chains.keys()) out.push(`:${chain} - [0:0]`)
    for (const rules of chains.values()) out.push(...rules)
    out.push('COMMIT')
  }
  return `${out.join('\n')}\n`
}

interface SyncMeta {
  readonly sync?: { readonly kind?: string; readonly previousCase?: string | null }
}

/**
 * The cumulative state after the case's sync, replaying its `previousCase` chain; undefined when a
 * step of the chain is not present (or has no expected payload), so it cannot be rebuilt.
 */
export function cumulativeExpected(dir: string, caseName: string): string | undefined {
  const chain: string[] = []
  for (let name: string | null | undefined = caseName; name; ) {
    const caseDir = join(dir, name)
    if (!existsSync(join(caseDir, 'expected.iptables')) || !existsSync(join(caseDir, 'config.json'))) return undefined
    chain.unshift(caseDir)
    const meta = JSON.parse(readFileSync(join(caseDir, 'config.json'), 'utf8')) as SyncMeta
    if (meta.sync?.kind !== 'partial') break
    name = meta.sync.previousCase
    if (!name) return undefined
  }
  const state: State = new Map()
  for (const caseDir of chain) applyNoflush(state, readFileSync(join(caseDir, 'expected.iptables'), 'utf8'))
  return printState(state)
}

/** True when the case's expected payload is an incremental (partial-sync) one. */
export function isPartialSync(dir: string, caseName: string): boolean {
  const meta = JSON.parse(readFileSync(join(dir, caseName, 'config.json'), 'utf8')) as SyncMeta
  return meta.sync?.kind === 'partial'
}
