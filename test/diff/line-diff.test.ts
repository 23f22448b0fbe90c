import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { countEdits, diffLines, editScript, splitLines, unifiedHunks, type LineEdit } from '../../src/core/diff/line-diff.ts'
import { referenceDiffLines } from './line-diff-reference.ts'

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
    const edits = editScript(['x', 'x', 'x'], ['x', 'y', 'x'])
    expect(countEdits(edits)).toEqual({ added: 1, removed: 1 })
  })

  it('anchors on unique lines so a moved block does not drag repeated lines along', () => {
    const a = ['COMMIT', '-A X -j A', 'COMMIT', '-A Y -j B', 'COMMIT']
    const b = ['COMMIT', '-A X -j A', 'COMMIT', '-A Y -j C', 'COMMIT']
    expect(countEdits(editScript(a, b))).toEqual({ added: 1, removed: 1 })
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
    expect(unifiedHunks(editScript(a, b))).toBe(
      ['@@ -1,6 +1,6 @@', ' 1', ' 2', '-3', '+three', ' 4', ' 5', ' 6', '@@ -8,3 +8,4 @@', ' 8', ' 9', ' 10', '+11', ''].join('\n'),
    )
    const merged = unifiedHunks(editScript(a.slice(0, 9), [...b.slice(0, 9), '10']))
    expect(merged.split('\n')[0]).toBe('@@ -1,9 +1,10 @@')
  })

  it('splits far-apart changes into separate hunks with correct ranges', () => {
    const a = Array.from({ length: 20 }, (_, i) => `${i + 1}`)
    const b = [...a]
    b[1] = 'two'
    b[17] = 'eighteen'
    const text = unifiedHunks(editScript(a, b))
    expect(text.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,5 +1,5 @@', '@@ -15,6 +15,6 @@'])
  })

  it('names the line before an insertion into an empty range (diff -u convention)', () => {
    expect(unifiedHunks(editScript([], ['x']))).toBe('@@ -0,0 +1 @@\n+x\n')
    expect(unifiedHunks(editScript(['x'], []))).toBe('@@ -1 +0,0 @@\n-x\n')
  })

  it('returns an empty string when nothing changed', () => {
    expect(unifiedHunks(editScript(['a'], ['a']))).toBe('')
  })
})

describe('against the string implementation (line-diff-reference.ts)', () => {
  /** Same script, and the script's counts. */
  function agrees(a: string[], b: string[]): void {
    const ref = referenceDiffLines(a, b)
    expect(diffLines(a, b)).toEqual(ref)
    expect(countEdits(editScript(a, b))).toEqual({ added: ref.filter((e) => e.op === '+').length, removed: ref.filter((e) => e.op === '-').length })
  }

  it('gives the same script on repeated lines only (Myers)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 40 }), fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 40 }), agrees),
      { numRuns: 500 },
    )
  })

  // A payload-like side: mostly unique lines, some repeated, then edited (lines replaced,
  // inserted, deleted, blocks moved), so anchors, gaps, nested ranges and Myers all occur.
  const line = fc.oneof(fc.integer({ min: 0, max: 400 }).map((i) => `-A R${i}`), fc.constantFrom('COMMIT', ':X - [0:0]', '-A DUP'))
  const edit = fc.record({ at: fc.nat(), kind: fc.constantFrom('replace', 'insert', 'delete', 'move'), len: fc.integer({ min: 1, max: 6 }), with: fc.array(line, { maxLength: 6 }) })
  const apply = (a: readonly string[], edits: readonly { at: number; kind: string; len: number; with: string[] }[]): string[] => {
    const b = [...a]
    for (const e of edits) {
      const at = b.length === 0 ? 0 : e.at % b.length
      if (e.kind === 'replace') b.splice(at, e.len, ...e.with)
      else if (e.kind === 'insert') b.splice(at, 0, ...e.with)
      else if (e.kind === 'delete') b.splice(at, e.len)
      else b.push(...b.splice(at, e.len))
    }
    return b
  }

  it('gives the same script on edited payload-like inputs', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 150 }), fc.array(edit, { maxLength: 8 }), fc.boolean(), (a, edits, swap) => {
        const b = apply(a, edits)
        if (swap) agrees(b, a)
        else agrees(a, b)
      }),
      { numRuns: 1000 },
    )
  })

  it('gives the same script past the Myers cap', () => {
    const a = Array.from({ length: 3_000 }, (_, i) => `a${i % 7}`)
    const b = Array.from({ length: 3_000 }, (_, i) => (i % 3 === 0 ? `a${i % 7}` : `b${i % 5}`))
    agrees(a, b)
    agrees([...a, 'u', ...b], [...b, 'u', ...a])
  })
})
