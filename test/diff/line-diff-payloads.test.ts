/**
 * The line diff on ids (line-diff.ts `editScript`) against the string implementation it replaced
 * (line-diff-reference.ts), on the payloads of seeded base/head pairs: each side's restore text
 * or nft transaction, as the rule diff compares them.
 */
import { describe, expect, it } from 'vitest'
import { countEdits, diffLines, editScript, splitLines } from '../../src/core/diff/line-diff.ts'
import { rulesText } from '../../src/core/diff/rules.ts'
import { planFromSources } from '../../src/core/plan/index.ts'
import { referenceDiffLines } from './line-diff-reference.ts'
import { seededPair } from './seeded-pairs.ts'

describe('editScript on seeded payloads', () => {
  it('gives the string implementation’s script', () => {
    for (let seed = 0; seed < 60; seed++) {
      const p = seededPair(seed)
      const lines = (files: typeof p.base) => splitLines(rulesText(planFromSources({ files: [...p.cluster, ...files] }).value))
      const a = lines(p.base)
      const b = lines(p.head)
      for (const [x, y] of [[a, b], [b, a]] as const) {
        const ref = referenceDiffLines(x, y)
        expect(diffLines(x, y), `seed ${seed}`).toEqual(ref)
        expect(countEdits(editScript(x, y)).added, `seed ${seed}`).toBe(ref.filter((e) => e.op === '+').length)
      }
    }
  })
})

describe('editScript on payloads sharing line strings', () => {
  // planDiff's head holds the base's very line strings for unchanged ports (port-sharing.ts): edit
  // a payload by taking its string objects (drop, repeat, move, insert new ones) and check the
  // script against the string implementation's.
  it('gives the string implementation’s script', () => {
    let edited = 0
    for (let seed = 0; seed < 40; seed++) {
      const p = seededPair(seed)
      const a = splitLines(rulesText(planFromSources({ files: [...p.cluster, ...p.base] }).value))
      let x = seed * 7919 + 1
      const rnd = (n: number): number => {
        x = (x * 48271) % 2147483647
        return x % n
      }
      const b: string[] = []
      for (let i = 0; i < a.length; i++) {
        const r = rnd(40)
        if (r === 0) continue
        b.push(a[i] as string)
        if (r === 1) b.push(a[rnd(a.length)] as string)
        if (r === 2) b.push(`${a[i] as string} -j NEW`)
        if (r === 3) b.push(a[i] as string)
      }
      if (b.length !== a.length) edited++
      for (const [u, v] of [[a, b], [b, a]] as const) expect(diffLines(u, v), `seed ${seed}`).toEqual(referenceDiffLines(u, v))
    }
    expect(edited).toBeGreaterThan(20)
  })
})
