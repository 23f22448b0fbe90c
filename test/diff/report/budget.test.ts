import { describe, expect, it } from 'vitest'
import { fitBlocks, type Block } from '../../../src/core/report/budget.ts'

const notice = (d: { tiers: readonly number[]; essential: number }): string => `[dropped ${d.tiers.join(',')}/${d.essential}]\n`

describe('fitBlocks', () => {
  const blocks: Block[] = [
    { text: 'MARK\n', tier: 0, pinned: true },
    { text: '', tier: 0, notice: true },
    { text: 'ERR1\n', tier: 0 },
    { text: 'more\n'.repeat(4), tier: 3 },
    { text: 'detail\n'.repeat(4), tier: 2 },
    { text: 'rules\n'.repeat(10), tier: 1 },
    { text: 'FOOT\n', tier: 0, pinned: true },
  ]

  it('keeps everything and shows no notice when it fits', () => {
    const r = fitBlocks(blocks, 10_000, notice)
    expect(r.dropped).toEqual({ tiers: [], essential: 0 })
    expect(r.text).not.toContain('[dropped')
    expect(r.text.startsWith('MARK\n')).toBe(true)
  })

  it('drops the rules tier first, then details, then long lists', () => {
    const all = fitBlocks(blocks, 10_000, notice).text.length
    const r1 = fitBlocks(blocks, all - 1, notice)
    expect(r1.dropped.tiers).toEqual([1])
    expect(r1.text).not.toContain('rules')
    expect(r1.text).toContain('detail')
    const r2 = fitBlocks(blocks, r1.text.length - 20, notice)
    expect(r2.dropped.tiers).toEqual([1, 2])
    expect(r2.text).toContain('more')
    const r3 = fitBlocks(blocks, 45, notice)
    expect(r3.dropped.tiers).toEqual([1, 2, 3])
    expect(r3.text).toBe('MARK\n[dropped 1,2,3/0]\nERR1\nFOOT\n')
  })

  it('drops unpinned essentials from the end as a last resort, keeping pinned blocks', () => {
    const r = fitBlocks(blocks, 32, notice)
    expect(r.text).toBe('MARK\n[dropped 1,2,3/1]\nFOOT\n')
    expect(r.text.length).toBeLessThanOrEqual(32)
  })

  it('never exceeds the limit even when pinned blocks alone are too long', () => {
    const r = fitBlocks([{ text: 'x\n'.repeat(1000), tier: 0, pinned: true }], 100, notice)
    expect(r.text.length).toBeLessThanOrEqual(100)
    expect(r.text).toContain('(truncated)')
  })

  it('measures with the given function (bytes for job summaries)', () => {
    const utf8 = (s: string): number => new TextEncoder().encode(s).length
    const r = fitBlocks([{ text: 'é'.repeat(10), tier: 0, pinned: true }, { text: 'ü'.repeat(10), tier: 1 }], 25, notice, utf8)
    expect(r.dropped.tiers).toEqual([1])
    expect(utf8(r.text)).toBeLessThanOrEqual(25)
  })
})
