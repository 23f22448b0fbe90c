/**
 * trace/chain-names.ts finds chains by name without a Map: it must answer what a Map set in list
 * order answers (the last position of a name, -1 for none) and see every repeated name, on
 * generated lists (short and empty names, names differing only early, kube-proxy-like hashed
 * names, repeats) and names looked up that the list lacks; also for lists joined from an indexed
 * one (joinChains, as withJumpRules makes them); and for a head table sharing a base table's
 * Chain objects (tableChainNames, from writer.ts `chainsSharedWith`).
 */
import { describe, expect, it } from 'vitest'
import { chainNames, chainNamesOf, joinChains, tableChainNames } from '../../../src/core/trace/chain-names.ts'
import type { Rule, Table, TableName } from '../../../src/core/proxy/iptables/ir.ts'
import { chainsSharedWith, RulesetWriter, type WriteSpan } from '../../../src/core/proxy/iptables/writer.ts'
import { rng } from '../../helpers/seeded-rng.ts'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567-'

function name(r: () => number): string {
  const kind = Math.floor(r() * 4)
  const chars = (n: number, from = ALPHABET): string => Array.from({ length: n }, () => from[Math.floor(r() * from.length)]).join('')
  if (kind === 0) return chars(Math.floor(r() * 4), 'AB')
  if (kind === 1) return `KUBE-${['SVC', 'SEP', 'EXT', 'FW'][Math.floor(r() * 4)]}-${chars(16)}`
  // Same tail, different head: the buckets' characters are the last three.
  if (kind === 2) return `${chars(2, 'XYZ')}-SAME-TAIL`
  return chars(1 + Math.floor(r() * 12))
}

describe('chainNames', () => {
  it('answers as a Map of every name on 400 generated lists', () => {
    let repeated = 0
    for (let seed = 0; seed < 400; seed++) {
      const r = rng(seed)
      const n = Math.floor(r() * (seed % 10 === 0 ? 3000 : 60))
      const chains = Array.from({ length: n }, () => ({ name: name(r) }))
      // Some lists repeat a name on purpose.
      if (n > 2 && r() < 0.3) chains.push({ name: (chains[Math.floor(r() * n)] as { name: string }).name })
      const map = new Map<string, number>()
      chains.forEach((c, i) => map.set(c.name, i))
      const idx = chainNames(chains)
      expect(idx.twice, `seed ${seed}`).toBe(map.size !== chains.length)
      if (idx.twice) repeated++
      for (const c of chains) expect(idx.last(c.name), `seed ${seed} ${c.name}`).toBe(map.get(c.name))
      for (let k = 0; k < 50; k++) {
        const other = name(r)
        expect(idx.last(other), `seed ${seed} ${other}`).toBe(map.get(other) ?? -1)
      }
    }
    expect(repeated).toBeGreaterThan(50)
  })

  it('indexes a joined list as a Map of every name, on 300 generated front/body/back lists', () => {
    let repeated = 0
    for (let seed = 0; seed < 300; seed++) {
      const r = rng(seed)
      const list = (n: number): { name: string }[] => Array.from({ length: n }, () => ({ name: name(r) }))
      const payload = list(Math.floor(r() * 80))
      if (seed % 3 === 0) chainNamesOf(payload)
      // The body copies the payload's names (withJumpRules replaces chains, never their names).
      const body = payload.map((c) => ({ name: c.name }))
      const front = list(Math.floor(r() * 4))
      const back = list(Math.floor(r() * 4))
      if (r() < 0.2 && payload.length > 0) back.push({ name: (payload[Math.floor(r() * payload.length)] as { name: string }).name })
      const joined = joinChains(front, body, back, payload)
      expect(joined).toEqual([...front, ...body, ...back])
      const map = new Map<string, number>()
      joined.forEach((c, i) => map.set(c.name, i))
      const idx = chainNamesOf(joined)
      expect(idx.twice, `seed ${seed}`).toBe(map.size !== joined.length)
      if (idx.twice) repeated++
      for (const c of joined) expect(idx.last(c.name), `seed ${seed} ${c.name}`).toBe(map.get(c.name))
      for (let k = 0; k < 20; k++) {
        const other = name(r)
        expect(idx.last(other), `seed ${seed} ${other}`).toBe(map.get(other) ?? -1)
      }
    }
    expect(repeated).toBeGreaterThan(30)
  })
})

describe('tableChainNames', () => {
  const TABLES: readonly TableName[] = ['filter', 'nat']
  const rule = (k: string): Rule => ({ matches: [{ kind: 'comment', text: k }] })
  /**
   * A base build of spans (each declaring some chains and writing to them and KUBE-SERVICES), and
   * a head replaying some spans and writing chains of its own, some into the spans' chains (which
   * the head then copies): the head's tables share the base's other Chain objects.
   */
  function builds(seed: number): { base: readonly Table[]; head: readonly Table[] } {
    const r = rng(seed)
    const base = new RulesetWriter(TABLES)
    for (const t of TABLES) base.declare(t, 'KUBE-SERVICES')
    const spans: { span: WriteSpan; chains: { table: TableName; chain: string }[] }[] = []
    const groups = 1 + Math.floor(r() * 40)
    for (let g = 0; g < groups; g++) {
      const mark = base.mark()
      const chains: { table: TableName; chain: string }[] = []
      for (const table of TABLES) {
        for (const c of ['a', 'b', 'c']) {
          if (r() < 0.4) continue
          const chain = `KUBE-SEP-${g}${c}${name(r)}`
          base.declare(table, chain)
          chains.push({ table, chain })
          for (let k = Math.floor(r() * 3); k > 0; k--) base.append(table, chain, rule(`${chain}/${k}`))
        }
        if (r() < 0.5) base.append(table, 'KUBE-SERVICES', rule(`${g}`))
      }
      spans.push({ span: base.spanSince(mark), chains })
    }
    const baseTables = base.finish('IPv4', 'n').tables
    const head = new RulesetWriter(TABLES)
    for (const t of TABLES) head.declare(t, 'KUBE-SERVICES')
    const left = [...spans]
    const replayed: { table: TableName; chain: string }[] = []
    for (let k = 0; k < groups + 3; k++) {
      if (r() < 0.7 && left.length > 0) {
        // Each span once (a second replay would declare its chains twice).
        const s = left.splice(Math.floor(r() * left.length), 1)[0] as (typeof spans)[number]
        head.replay(s.span)
        replayed.push(...s.chains)
      } else if (r() < 0.5 && replayed.length > 0) {
        // Into a replayed span's chain: the head's copy of it is its own.
        const c = replayed[Math.floor(r() * replayed.length)] as { table: TableName; chain: string }
        head.append(c.table, c.chain, rule(`head ${k}`))
      } else head.declare(TABLES[Math.floor(r() * 2)] as TableName, `H-${k}-${name(r)}`)
    }
    return { base: baseTables, head: head.finish('IPv4', 'n').tables }
  }

  it('answers as a Map of every name for head tables sharing the base\'s chains, on 300 seeded builds', () => {
    let sharedTables = 0
    for (let seed = 0; seed < 300; seed++) {
      const { base, head } = builds(seed)
      // The base's index made first (as the diagrams do) or made by the head's.
      if (seed % 2 === 0) for (const t of base) tableChainNames(t)
      const names = [...base, ...head].flatMap((t) => t.chains.map((c) => c.name))
      for (const t of head) {
        if (chainsSharedWith(t) !== undefined) sharedTables++
        const map = new Map<string, number>()
        t.chains.forEach((c, i) => map.set(c.name, i))
        const idx = tableChainNames(t)
        expect(idx.twice, `seed ${seed}`).toBe(map.size !== t.chains.length)
        for (const n of names) expect(idx.last(n), `seed ${seed} ${t.name} ${n}`).toBe(map.get(n) ?? -1)
        for (let k = 0; k < 20; k++) {
          const other = name(rng(seed * 100 + k))
          expect(idx.last(other), `seed ${seed} ${other}`).toBe(map.get(other) ?? -1)
        }
      }
    }
    expect(sharedTables).toBeGreaterThan(200)
  })
})
