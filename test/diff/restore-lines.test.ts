/**
 * diff/restore-lines.ts: a ruleset's restore lines, rule lines shared through a cache, are the
 * lines of `printRestore` (random clusters with and without a previous node state, whose stale
 * chains give `-X` lines in write order), whichever ruleset filled the cache; a cached line is
 * never reused for another chain; names with a line break split as the text does.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { joinLines, restoreLines, type RuleLineCache } from '../../src/core/diff/restore-lines.ts'
import { splitLines } from '../../src/core/diff/line-diff.ts'
import { buildIptablesRuleset } from '../../src/core/proxy/iptables/build.ts'
import { readCurrentRules } from '../../src/core/proxy/iptables/current-rules.ts'
import type { Rule, Ruleset } from '../../src/core/proxy/iptables/ir.ts'
import { printRestore } from '../../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../../src/core/proxy/state.ts'
import { arbConfig, arbService, arbSlice, cluster, proxyConfig } from '../core/proxy/random-cluster.ts'

const agrees = (r: Ruleset, cache?: RuleLineCache): void => {
  const text = printRestore(r)
  const lines = restoreLines(r, cache)
  expect(lines).toEqual(splitLines(text))
  expect(joinLines(lines)).toBe(text)
}

describe('restoreLines', () => {
  it('gives the lines printRestore prints, with and without a previous node state, cache shared', () => {
    let deletions = 0
    fc.assert(
      fc.property(
        fc.array(arbService, { maxLength: 5 }),
        fc.array(arbSlice, { maxLength: 5 }),
        fc.array(arbService, { maxLength: 5 }),
        fc.array(arbSlice, { maxLength: 5 }),
        arbConfig,
        (ss, ls, prevSs, prevLs, c) => {
          const cfg = proxyConfig(c)
          const now = cluster(ss, ls)
          const state = buildProxyState(now.services, now.slices, cfg)
          const cache: RuleLineCache = new Map()
          const plain = buildIptablesRuleset(state, cfg)
          agrees(plain)
          agrees(plain, cache)
          agrees(plain, cache)
          const prev = cluster(prevSs, prevLs)
          const prevRules = buildIptablesRuleset(buildProxyState(prev.services, prev.slices, cfg), cfg)
          agrees(prevRules, cache)
          const current = readCurrentRules(printRestore(prevRules), 'current.rules', 'IPv4').value
          const synced = buildIptablesRuleset(state, cfg, current)
          if (synced.tables.some((t) => (t.deletions ?? []).length > 0)) deletions++
          agrees(synced, cache)
        },
      ),
      { numRuns: 300, seed: 11 },
    )
    expect(deletions).toBeGreaterThan(20)
  })

  it('reuses a cached line only for the chain it was formatted for', () => {
    const rule: Rule = { matches: [{ kind: 'comment', text: 'x' }], target: { kind: 'jump', chain: 'KUBE-MARK-MASQ' } }
    const bare: Rule = { matches: [] }
    const r: Ruleset = {
      backend: 'iptables',
      family: 'IPv4',
      node: 'n',
      tables: [
        {
          name: 'nat',
          chains: [
            { name: 'KUBE-A', rules: [rule, bare] },
            { name: 'KUBE-A-B', rules: [rule, bare] },
            { name: 'KUBE', rules: [rule, bare] },
            { name: 'KUBE A', rules: [rule, bare] },
            { name: 'KUBE', rules: [bare] },
          ],
        },
      ],
    }
    const cache: RuleLineCache = new Map()
    agrees(r, cache)
    agrees(r, cache)
    agrees({ ...r, tables: [{ ...r.tables[0]!, chains: [...r.tables[0]!.chains].reverse() }] }, cache)
  })

  it('takes cached lines by object when rules shift, and only from the same table and chain name', () => {
    const r = (text: string): Rule => ({ matches: [{ kind: 'comment', text }], target: { kind: 'jump', chain: 'KUBE-MARK-MASQ' } })
    const [a, b, c, d] = [r('a'), r('b'), r('c'), r('d')]
    const side = (nat: Rule[], filter: Rule[], written: boolean): Ruleset => {
      const table = (name: 'nat' | 'filter', rules: Rule[]) => ({
        name,
        chains: [{ name: 'KUBE-SERVICES', rules }, { name: 'KUBE-X', rules: [...rules].reverse() }],
        ...(written ? { writeOrder: [...rules.map((_, index) => ({ chain: 'KUBE-SERVICES', index })), ...rules.map((_, index) => ({ chain: 'KUBE-X', index }))] } : {}),
      })
      return { backend: 'iptables', family: 'IPv4', node: 'n', tables: [table('nat', nat), table('filter', filter)] }
    }
    for (const written of [true, false]) {
      const cache: RuleLineCache = new Map()
      agrees(side([a, b, c], [d], written), cache)
      // Shifted by an insert and a removal, the tables' rules swapped: every line still its own.
      agrees(side([d, a, c, b], [a, b, c], written), cache)
      agrees(side([c], [], written), cache)
      agrees(side([a, b, c], [d], !written), cache)
    }
  })

  it('splits names with a line break as the printed text splits', () => {
    const rule: Rule = { matches: [{ kind: 'raw', text: 'a\nb' }], target: { kind: 'verdict', verdict: 'ACCEPT' } }
    const r: Ruleset = {
      backend: 'iptables',
      family: 'IPv4',
      node: 'n',
      tables: [{ name: 'filter', chains: [{ name: 'X\nY', rules: [] }, { name: 'Z', rules: [rule, rule] }], writeOrder: [{ chain: 'Z', index: 0 }, { chain: 'Z', index: 1 }], deletions: [{ chain: 'Q\nR', at: 1 }] }],
    }
    const cache: RuleLineCache = new Map()
    agrees(r, cache)
    agrees(r, cache)
    expect(cache.size).toBe(0)
  })
})
