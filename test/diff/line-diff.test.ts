import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { countEdits, diffLines, splitLines, unifiedHunks, type LineEdit } from '../../src/core/diff/line-diff.ts'

/** Applies an edit script to `a`; must give `b` for any correct script. */
function apply(edits: readonly LineEdit[]): { a: string[]; b: string[] } {
  return { a: edits.filter((e) => e.op !== '+').map((e) => e.line), b: edits.filter((e) => e.op !== '-').map((e) => e.line) }
}

describe('diffLines', () => {
  it('keeps equal inputs as context only', () => {
    expect(diffLines(['a', 'b'], ['a', 'b'])).toEqual([
      { op: '=', line: 'a' },
      { op: '=', line: 'b' },
    ])
  })

  it('puts deletions before insertions for a replaced line', () => {
    expect(diffLines(['a', 'x', 'c'], ['a', 'y', 'c'])).toEqual([
      { op: '=', line: 'a' },
      { op: '-', line: 'x' },
      { op: '+', line: 'y' },
      { op: '=', line: 'c' },
    ])
  })

  it('finds a minimal script when no line is unique (Myers step)', () => {
    const edits = diffLines(['x', 'x', 'x'], ['x', 'y', 'x'])
    expect(countEdits(edits)).toEqual({ added: 1, removed: 1 })
  })

  it('anchors on unique lines so a moved block does not drag repeated lines along', () => {
    const a = ['COMMIT', '-A X -j A', 'COMMIT', '-A Y -j B', 'COMMIT']
    const b = ['COMMIT', '-A X -j A', 'COMMIT', '-A Y -j C', 'COMMIT']
    expect(countEdits(diffLines(a, b))).toEqual({ added: 1, removed: 1 })
  })

  it('is a correct edit script for random inputs, and minimal for small alphabets', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 30 }), (a, b) => {
        const edits = diffLines(a, b)
        expect(apply(edits)).toEqual({ a, b })
      }),
      { numRuns: 300 },
    )
  })

  it('stays fast and correct on large, very different inputs (capped Myers)', () => {
    const a = Array.from({ length: 20_000 }, (_, i) => `a${i % 7}`)
    const b = Array.from({ length: 20_000 }, (_, i) => `b${i % 5}`)
    const t = performance.now()
    const edits = diffLines(a, b)
    expect(performance.now() - t).toBeLessThan(5_000)
    expect(apply(edits)).toEqual({ a, b })
  })
})

describe('unifiedHunks', () => {
  it('prints the same hunks as GNU diff -u (3 lines of context, merged when the gap is ≤ 6)', () => {
    const a = splitLines('1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n')
    const b = splitLines('1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n')
    // Reference: `diff -u a b` from GNU diffutils 3.8, header lines removed.
    expect(unifiedHunks(diffLines(a, b))).toBe(
      ['@@ -1,6 +1,6 @@', ' 1', ' 2', '-3', '+three', ' 4', ' 5', ' 6', '@@ -8,3 +8,4 @@', ' 8', ' 9', ' 10', '+11', ''].join('\n'),
    )
    const merged = unifiedHunks(diffLines(a.slice(0, 9), [...b.slice(0, 9), '10']))
    expect(merged.split('\n')[0]).toBe('@@ -1,9 +1,10 @@')
  })

  it('splits far-apart changes into separate hunks with correct ranges', () => {
    const a = Array.from({ length: 20 }, (_, i) => `${i + 1}`)
    const b = [...a]
    b[1] = 'two'
    b[17] = 'eighteen'
    const text = unifiedHunks(diffLines(a, b))
    expect(text.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@'])
  })

  it('names the line before an insertion into an empty range (diff -u convention)', () => {
    expect(unifiedHunks(diffLines([], ['x']))).toBe('@@ -0,0 +1 @@\n+x\n')
    expect(unifiedHunks(diffLines(['x'], []))).toBe('@@ -1 +0,0 @@\n-x\n')
  })

  it('returns an empty string when nothing changed', () => {
    expect(unifiedHunks(diffLines(['a'], ['a']))).toBe('')
  })
})
