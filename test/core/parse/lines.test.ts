import { describe, expect, it } from 'vitest'
import { LineIndex } from '../../../src/core/parse/lines.ts'
import { DEFAULT_LIMITS, resolveLimits, utf8Length } from '../../../src/core/parse/limits.ts'

describe('LineIndex', () => {
  const idx = new LineIndex('f.yaml', 'ab\ncd\n\nefg')
  it('maps offsets to 1-based line and column', () => {
    expect(idx.span(0)).toEqual({ file: 'f.yaml', line: 1, column: 1 })
    expect(idx.span(4)).toEqual({ file: 'f.yaml', line: 2, column: 2 })
    expect(idx.span(6)).toEqual({ file: 'f.yaml', line: 3, column: 1 })
    expect(idx.span(9)).toEqual({ file: 'f.yaml', line: 4, column: 3 })
  })
  it('gives the same spans counting forward as through the index, in any query order', () => {
    const text = 'a\n\nbc\nd\n\n\nefgh\ni\n'
    const brute = (off: number): { line: number; column: number } => {
      const o = Math.max(0, off)
      const before = text.slice(0, o)
      const line = before.split('\n').length
      return { line, column: o - (before.lastIndexOf('\n') + 1) + 1 }
    }
    // Increasing queries (the cursor), then a step back (the index takes over), then more.
    const orders = [
      [0, 1, 2, 3, 3, 5, 9, 14, 18, 40],
      [4, 4, 12, 2, 7, 0, 30, -3],
      [-1, 6, 6, 7, 8, 17, 16, 1],
    ]
    for (const order of orders) {
      const fresh = new LineIndex('g.yaml', text)
      for (const off of order) expect(fresh.span(off), `offset ${off}`).toEqual({ file: 'g.yaml', ...brute(off) })
    }
  })
  it('clamps offsets outside the file', () => {
    expect(idx.span(-5).line).toBe(1)
    expect(idx.span(999).line).toBe(4)
  })
})

describe('limits', () => {
  it('counts UTF-8 bytes, including surrogate pairs', () => {
    expect(utf8Length('a')).toBe(1)
    expect(utf8Length('é')).toBe(2)
    expect(utf8Length('€')).toBe(3)
    expect(utf8Length('😀')).toBe(4)
    expect(utf8Length('\ud800x')).toBe(4)
  })
  it('merges overrides and ignores invalid ones', () => {
    expect(resolveLimits({ maxDepth: 5 })).toEqual({ ...DEFAULT_LIMITS, maxDepth: 5 })
    expect(resolveLimits({ maxDepth: -1, maxAliases: 1.5 })).toEqual(DEFAULT_LIMITS)
  })
})
