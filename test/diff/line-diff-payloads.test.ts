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
