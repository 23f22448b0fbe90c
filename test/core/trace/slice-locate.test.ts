/**
 * A slice hands the rule it holds to its target's locator (trace/slice.ts, rule-lines.ts), so the
 * whole table is never indexed by name: every step it locates must be the one the whole target
 * locates for the mapped reference, with and without restore-text lines, and in a table holding
 * two chains of one name (the locator's is the first).
 */
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import type { Rule, Table } from '../../../src/core/proxy/iptables/ir.ts'
import { formatRuleArgs } from '../../../src/core/proxy/iptables/print-restore.ts'
import { ruleLocator } from '../../../src/core/trace/rule-lines.ts'
import { targetSlicer, type SliceDestination } from '../../../src/core/trace/slice.ts'
import { planTarget, traceTarget, type TraceTarget } from '../../../src/core/trace/target.ts'
import type { RuleRef } from '../../../src/core/trace/types.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'

/** Every reference into the slice's tables, and the whole target's reference it stands for. */
function* refs(whole: TraceTarget, slice: TraceTarget): Generator<{ ref: RuleRef; mapped: RuleRef }> {
  for (const t of slice.tables) {
    for (const c of t.chains) {
      const full = whole.tables.find((x) => x.name === t.name)?.chains.find((x) => x.name === c.name)
      for (let i = 0; i < c.rules.length; i++) {
        const index = full?.rules.indexOf(c.rules[i] as Rule) ?? -1
        yield { ref: { table: t.name, chain: c.name, index: i }, mapped: { table: t.name, chain: c.name, index } }
      }
    }
  }
}

describe('locating through a slice', () => {
  it('gives the whole target’s steps on 150 seeded plans (with and without lines), and the same traces', () => {
    let located = 0
    for (let seed = 0; seed < 150; seed++) {
      const p = seededPair(seed)
      const plan = planFromSources({ files: [...p.cluster, ...p.base] }).value
      if (plan.nftables !== undefined) continue
      for (const lines of [true, false]) {
        const make = (): TraceTarget => (lines ? planTarget(plan) : planTarget(plan, undefined, { lines: false }))
        // The whole target compared with has its own locator (a locator caches what it located).
        const target = make()
        const whole = make()
        const slicer = targetSlicer(target)
        for (const sp of plan.servicePorts) {
          const dests: SliceDestination[] = [{ ip: sp.clusterIP, port: sp.port }]
          const slice = slicer(sp.spn, dests)
          for (const { ref, mapped } of refs(target, slice)) {
            expect(slice.locate(ref), `seed ${seed} ${sp.spn}`).toEqual(whole.locate(mapped))
            located++
          }
          const probes = [{ name: 'vip', from: '10.244.9.9', to: `${sp.clusterIP}:${sp.port}`, protocol: sp.protocol.toLowerCase() }]
          expect(traceTarget(slice, probes).value, `seed ${seed} ${sp.spn}`).toEqual(traceTarget(whole, probes).value)
        }
      }
    }
    expect(located).toBeGreaterThan(5000)
  })

  it('leaves a chain of a name given twice to the locator (it takes the first)', () => {
    const rule = (comment: string): Rule => ({ matches: [{ kind: 'comment', text: comment }], target: { kind: 'jump', chain: 'KUBE-MARK-MASQ' }, servicePortName: 'ns/a:http' })
    const tables: Table[] = [
      { name: 'nat', chains: [{ name: 'PREROUTING', rules: [{ matches: [], target: { kind: 'jump', chain: 'KUBE-X' } }] }, { name: 'KUBE-X', rules: [rule('first')] }, { name: 'KUBE-X', rules: [rule('second')] }, { name: 'KUBE-MARK-MASQ', rules: [] }] },
    ]
    const target: TraceTarget = {
      tables,
      locate: ruleLocator(tables, undefined, (r) => formatRuleArgs(r)),
      context: { node: 'n', ipFamily: 'IPv4', nodeIPs: [], pods: [], nodes: [] },
      notes: [],
      maxPaths: 100,
    }
    const slice = targetSlicer(target)('ns/a:http', [{ ip: '10.0.0.1', port: 80 }])
    const fresh = ruleLocator(tables, undefined, (r) => formatRuleArgs(r))
    expect(slice.locate({ table: 'nat', chain: 'KUBE-X', index: 0 })).toEqual(fresh({ table: 'nat', chain: 'KUBE-X', index: 0 }))
    expect(slice.locate({ table: 'nat', chain: 'KUBE-X', index: 0 }).text).toContain('first')
  })
})
