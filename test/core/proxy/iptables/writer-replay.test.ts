/**
 * RulesetWriter.replay (writer.ts) against making the same writes one call each: random base
 * write sequences grouped into spans (mark/spanSince), and head sequences mixing writes of their
 * own with replayed spans, in any order (chains written before they are declared, written by
 * several spans, written again after a span, spans replayed twice). Same tables, write order,
 * lines and errors; the Chain objects reported shared are the base's.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Rule, Table, TableName } from '../../../../src/core/proxy/iptables/ir.ts'
import { chainsSharedWith, declaredPositions, RulesetWriter, writtenLines, type WriteSpan } from '../../../../src/core/proxy/iptables/writer.ts'

type Op = { readonly op: 'declare'; readonly table: TableName; readonly chain: string } | { readonly op: 'append'; readonly table: TableName; readonly chain: string; readonly rule: number }

const TABLES: readonly TableName[] = ['filter', 'nat']
/** Writes to `names` (declared or not) and appends to KUBE-SERVICES (declared first on both sides). */
const arbOp = (names: readonly string[], declares: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { weight: declares, arbitrary: fc.record({ op: fc.constant('declare' as const), table: fc.constantFrom(...TABLES), chain: fc.constantFrom(...names) }) },
    { weight: 6, arbitrary: fc.record({ op: fc.constant('append' as const), table: fc.constantFrom(...TABLES), chain: fc.constantFrom(...names, 'KUBE-SERVICES'), rule: fc.nat(5) }) },
  )
/** One base span: declares some chains of its own (each once), appends to them and KUBE-SERVICES, some before declaring. */
const arbGroup = (g: number): fc.Arbitrary<Op[]> =>
  fc.tuple(fc.subarray(TABLES.flatMap((table) => ['a', 'b', 'c'].map((c) => ({ op: 'declare' as const, table, chain: `g${g}${c}` })))), fc.array(fc.nat(), { maxLength: 8 })).map(([declared, picks]) => {
    const targets = [...declared.map((d) => ({ table: d.table, chain: d.chain })), ...TABLES.map((table) => ({ table, chain: 'KUBE-SERVICES' }))]
    const appends: Op[] = picks.map((n) => {
      const t = targets[n % targets.length] as { table: TableName; chain: string }
      return { op: 'append', table: t.table, chain: t.chain, rule: n % 6 }
    })
    return [...appends.slice(0, 2), ...declared, ...appends.slice(2)]
  })
/** The base: groups of writes, each group a span. */
const arbBase = fc.array(fc.nat(), { minLength: 1, maxLength: 5 }).chain((gs) => fc.tuple(...gs.map((_, g) => arbGroup(g))))
/** The head: writes of its own (some to the base spans' chains), or a base span (by number). */
const arbHead = fc.array(fc.oneof({ weight: 2, arbitrary: arbOp(['H', 'g0a', 'g1b'], 1) }, { weight: 5, arbitrary: fc.record({ op: fc.constant('span' as const), span: fc.nat(4) }) }), { maxLength: 10 })
const STATIC: readonly Op[] = TABLES.map((table) => ({ op: 'declare', table, chain: 'KUBE-SERVICES' }))

const rules = new Map<string, Rule>()
const ruleOf = (n: number, chain: string): Rule => {
  const k = `${chain}/${n}`
  let r = rules.get(k)
  if (r === undefined) {
    r = { matches: [{ kind: 'comment', text: k }], target: { kind: 'jump', chain: 'X' } }
    rules.set(k, r)
  }
  return r
}

/** Runs `f`, giving what it returns or the message it throws. */
function outcome<T>(f: () => T): T | string {
  try {
    return f()
  } catch (e) {
    return `throws ${(e as Error).message}`
  }
}

/** declaredPositions of a finished table: every chain's own index in `chains`, and no other name. */
function expectPositions(t: Table): void {
  const at = declaredPositions(t.chains)
  expect(at?.size).toBe(t.chains.length)
  t.chains.forEach((c, i) => expect(at?.get(c.name), c.name).toBe(i))
  // Read as a whole too (a ReadonlyMap of exactly those names, in declaration order).
  const want = t.chains.map((c, i): [string, number] => [c.name, i])
  expect(new Map(at)).toEqual(new Map(want))
  expect([...(at?.entries() ?? [])]).toEqual(want)
  expect([...(at?.keys() ?? [])]).toEqual(want.map(([n]) => n))
  expect([...(at?.values() ?? [])]).toEqual(want.map(([, i]) => i))
  const seen: [string, number][] = []
  at?.forEach((i, n, m) => {
    expect(m).toBe(at)
    seen.push([n, i])
  })
  expect(seen).toEqual(want)
  expect(at?.has('no such chain')).toBe(false)
}

function write(w: RulesetWriter, o: Op): void {
  if (o.op === 'declare') w.declare(o.table, o.chain)
  else w.append(o.table, o.chain, ruleOf(o.rule, o.chain))
}

describe('RulesetWriter.replay', () => {
  it('makes the writes of the span as one call per write would (random spans and heads, lines kept or not)', () => {
    let replayed = 0
    let shared = 0
    fc.assert(
      fc.property(arbBase, arbHead, fc.boolean(), (groups, headOps, keepLines) => {
        const base = new RulesetWriter(TABLES, keepLines)
        const spans: { span: WriteSpan; ops: Op[] }[] = []
        const built = outcome(() => {
          for (const o of STATIC) write(base, o)
          for (const g of groups) {
            const mark = base.mark()
            for (const o of g) write(base, o)
            spans.push({ span: base.spanSince(mark), ops: g })
          }
          return base.finish('IPv4', 'n')
        })
        if (typeof built === 'string') return
        const fast = new RulesetWriter(TABLES, keepLines)
        const slow = new RulesetWriter(TABLES, keepLines)
        const run = (w: RulesetWriter, replay: boolean) =>
          outcome(() => {
            for (const o of STATIC) write(w, o)
            for (const o of headOps) {
              if (o.op !== 'span') write(w, o)
              else {
                const s = spans[o.span % spans.length] as { span: WriteSpan; ops: Op[] }
                if (replay) w.replay(s.span)
                else {
                  // The span's writes per table: declarations, then rules, in order.
                  for (const t of TABLES) for (const x of s.ops) if (x.table === t && x.op === 'declare') write(w, x)
                  for (const t of TABLES) for (const x of s.ops) if (x.table === t && x.op === 'append') write(w, x)
                }
              }
            }
            return w.finish('IPv4', 'n')
          })
        const got = run(fast, true)
        const want = run(slow, false)
        if (typeof got === 'string' || typeof want === 'string') {
          expect(got).toEqual(want)
          return
        }
        replayed++
        expect(got).toEqual(want)
        for (const t of [...built.tables, ...got.tables, ...want.tables]) expectPositions(t)
        got.tables.forEach((t, i) => {
          expect(t.writeOrder).toEqual(want.tables[i]?.writeOrder)
          expect(writtenLines(t)).toEqual(writtenLines(want.tables[i] as (typeof want.tables)[number]))
          const s = chainsSharedWith(t)
          if (s === undefined) return
          expect(s.from).toBe(built.tables[i])
          s.at.forEach((k, j) => {
            if (k < 0) return
            shared++
            expect(t.chains[j]).toBe(s.from.chains[k])
          })
        })
      }),
      { numRuns: 3000, seed: 16 },
    )
    expect(replayed).toBeGreaterThan(500)
    expect(shared).toBeGreaterThan(100)
  })
})

describe('RulesetWriter.finish', () => {
  it('refuses rules written to a chain never declared (replayed or not), and spans of a second build', () => {
    const rule = ruleOf(0, 'Z')
    const w = new RulesetWriter(TABLES)
    w.declare('nat', 'A')
    w.append('nat', 'A', rule)
    w.append('nat', 'Z', rule)
    w.append('nat', 'A', rule)
    expect(() => w.finish('IPv4', 'n')).toThrow('rules written to undeclared chain Z in nat')
    const base = new RulesetWriter(TABLES)
    const mark = base.mark()
    base.declare('nat', 'A')
    base.append('nat', 'A', rule)
    const span = base.spanSince(mark)
    base.finish('IPv4', 'n')
    const head = new RulesetWriter(TABLES)
    head.append('filter', 'Y', rule)
    head.replay(span)
    expect(() => head.finish('IPv4', 'n')).toThrow('rules written to undeclared chain Y in filter')
    // Borrowed chains are told apart by the one build they were replayed from.
    const other = new RulesetWriter(TABLES)
    const span2 = other.spanSince(other.mark())
    other.finish('IPv4', 'n')
    const mixed = new RulesetWriter(TABLES)
    mixed.replay(span)
    expect(() => mixed.replay(span2)).toThrow('replayed writes of two builds')
    // A span of a build that replayed writes: its runs do not hold its chains' final rules.
    const again = new RulesetWriter(TABLES)
    again.replay(span)
    const span3 = again.spanSince(again.mark())
    again.finish('IPv4', 'n')
    expect(() => new RulesetWriter(TABLES).replay(span3)).toThrow('replayed writes of a build that replayed writes (filter)')
  })
})
