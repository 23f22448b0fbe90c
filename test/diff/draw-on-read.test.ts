/**
 * planDiff's diagrams are drawn when `diagrams` is first read (plan-diff.ts `drawnOnRead`): not
 * by planDiff, nor by the text, SARIF and JSON reports, which do not show them; then once, the same as
 * drawn in planDiff. (Every format's bytes against the full computation: shortcuts.test.ts.)
 */
import { describe, expect, it, vi } from 'vitest'
import { planDiffWith, SHORTCUTS, type PlanDiffInput } from '../../src/core/diff/plan-diff.ts'
import { renderDiff } from '../../src/core/report/render-diff.ts'
import { seededPair } from './seeded-pairs.ts'

const drawings = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../src/core/diff/diagrams.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../src/core/diff/diagrams.ts')>()
  return {
    ...m,
    diffDiagrams: (...a: Parameters<typeof m.diffDiagrams>) => {
      drawings.count++
      return m.diffDiagrams(...a)
    },
  }
})

describe('diagrams drawn on read', () => {
  it('are drawn by the first read only, once, as planDiff draws them, and keep their key in place', () => {
    let some = 0
    for (let seed = 0; seed < 60; seed++) {
      const p = seededPair(seed)
      const input: PlanDiffInput = { base: p.base, head: p.head, cluster: p.cluster }
      const eager = planDiffWith(input, { ...SHORTCUTS, drawOnRead: false })
      const before = drawings.count
      const lazy = planDiffWith(input, SHORTCUTS)
      renderDiff(lazy, 'text')
      renderDiff(lazy, 'sarif')
      renderDiff(lazy, 'json')
      expect(drawings.count, `seed ${seed}`).toBe(before)
      expect(Object.keys(lazy.value)).toEqual(Object.keys(eager.value))
      const first = lazy.value.diagrams
      expect(lazy.value.diagrams).toBe(first)
      expect(drawings.count).toBe(before + 1)
      expect(first, `seed ${seed}`).toEqual(eager.value.diagrams)
      if (first.length > 0) some++
      // Frozen before the first read (the getter cannot be replaced): drawn once all the same.
      const frozen = planDiffWith(input, SHORTCUTS)
      Object.freeze(frozen.value)
      expect(frozen.value.diagrams).toEqual(eager.value.diagrams)
      expect(frozen.value.diagrams).toBe(frozen.value.diagrams)
      expect(drawings.count).toBe(before + 2)
    }
    expect(some).toBeGreaterThan(20)
  })
})
