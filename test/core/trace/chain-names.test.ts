/**
 * trace/chain-names.ts finds chains by name without a Map: it must answer what a Map set in list
 * order answers (the last position of a name, -1 for none) and see every repeated name, on
 * generated lists (short and empty names, names differing only early, kube-proxy-like hashed
 * names, repeats) and names looked up that the list lacks; also for lists joined from an indexed
 * one (joinChains, as withJumpRules makes them), and for lists a RulesetWriter built (found by the
 * positions the writer kept, writer.ts `declaredPositions`).
 */
import { describe, expect, it } from 'vitest'
import { declaredPositions, RulesetWriter } from '../../../src/core/proxy/iptables/writer.ts'
import { chainNames, chainNamesOf, joinChains } from '../../../src/core/trace/chain-names.ts'
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

  it('finds the chains of a writer-built list by the positions the writer kept, on 200 generated rulesets', () => {
    for (let seed = 0; seed < 200; seed++) {
      const r = rng(seed)
      const w = new RulesetWriter(['filter', 'nat'])
      const declared = { filter: new Set<string>(), nat: new Set<string>() }
      for (let k = Math.floor(r() * (seed % 10 === 0 ? 2000 : 60)); k > 0; k--) {
        const table = r() < 0.3 ? 'filter' : 'nat'
        const n = name(r)
        // The writer refuses a name declared twice in a table.
        if (declared[table].has(n)) continue
        declared[table].add(n)
        w.declare(table, n)
      }
      for (const t of w.finish('IPv4', 'n').tables) {
        expect(declaredPositions(t.chains), `seed ${seed}`).toBeDefined()
        const map = new Map<string, number>()
        t.chains.forEach((c, i) => map.set(c.name, i))
        const idx = chainNamesOf(t.chains)
        expect(idx.twice).toBe(false)
        for (const c of t.chains) expect(idx.last(c.name), `seed ${seed} ${c.name}`).toBe(map.get(c.name))
        for (let k = 0; k < 20; k++) {
          const other = name(r)
          expect(idx.last(other), `seed ${seed} ${other}`).toBe(map.get(other) ?? -1)
        }
      }
    }
  })
})
