import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { compareSpans, deferredSpan, shiftSpan } from '../../src/core/deferred-span.ts'
import type { SourceSpan } from '../../src/core/issues.ts'
import { planDiff, planFromSources, renderPlan } from '../../src/core/index.ts'
import type { SourceFile } from '../../src/core/index.ts'
import { LineIndex } from '../../src/core/parse/lines.ts'

/** Whether reading `s.line` would still compute it. */
const deferred = (s: SourceSpan): boolean => Object.getOwnPropertyDescriptor(s, 'line')?.get !== undefined

describe('deferredSpan', () => {
  it('computes once, on the first read, and then reads like an eager span', () => {
    let calls = 0
    const s = deferredSpan('a.yaml', 3, 9, () => (calls++, { file: 'a.yaml', line: 5, column: 7 }))
    expect(calls).toBe(0)
    expect(Object.keys(s)).toEqual(['file', 'line', 'column'])
    expect(s.file).toBe('a.yaml')
    expect(calls).toBe(0)
    expect(s.column).toBe(7)
    expect(s.line).toBe(5)
    expect(calls).toBe(1)
    expect(deferred(s)).toBe(false)
    expect(JSON.stringify(s)).toBe(JSON.stringify({ file: 'a.yaml', line: 5, column: 7 }))
    expect({ ...s }).toEqual({ file: 'a.yaml', line: 5, column: 7 })
  })

  it('prints, spreads and lists keys like an eager span before it is read', () => {
    const s = deferredSpan('a.yaml', 1, 4, () => ({ file: 'a.yaml', line: 2, column: 3 }))
    expect(JSON.stringify(s, null, 2)).toBe(JSON.stringify({ file: 'a.yaml', line: 2, column: 3 }, null, 2))
    const t = deferredSpan('a.yaml', 1, 4, () => ({ file: 'a.yaml', line: 2, column: 3 }))
    expect(Object.entries({ ...t })).toEqual([['file', 'a.yaml'], ['line', 2], ['column', 3]])
  })

  it('still answers, once computed, when a library user froze it before the first read', () => {
    let calls = 0
    const s = Object.freeze(deferredSpan('a.yaml', 3, 9, () => (calls++, { file: 'a.yaml', line: 5, column: 7 })))
    expect(s.line).toBe(5)
    expect(s.column).toBe(7)
    expect(JSON.stringify(s)).toBe('{"file":"a.yaml","line":5,"column":7}')
    expect(calls).toBe(1)
  })

  it('shifts without computing, and the shifted span computes the moved position', () => {
    let calls = 0
    const s = deferredSpan('a.yaml', 3, 9, () => (calls++, { file: 'a.yaml', line: 5, column: 7 }))
    const t = shiftSpan(s, 10)
    expect(calls).toBe(0)
    expect(deferred(t)).toBe(true)
    expect(t).toEqual({ file: 'a.yaml', line: 15, column: 7 })
    expect(shiftSpan({ file: 'b', line: 1, column: 2 }, 3)).toEqual({ file: 'b', line: 4, column: 2 })
  })
})

describe('compareSpans', () => {
  /** A position and bounds around it; `eager` spans have none. */
  const spanArb = fc
    .record({ line: fc.integer({ min: 1, max: 12 }), column: fc.integer({ min: 1, max: 4 }), below: fc.integer({ min: 0, max: 3 }), above: fc.integer({ min: 0, max: 3 }), eager: fc.boolean() })
    .map((r) => ({ ...r, first: Math.max(1, r.line - r.below), last: r.line + r.above }))
  const make = (r: { line: number; column: number; first: number; last: number; eager: boolean }): SourceSpan =>
    r.eager ? { file: 'f', line: r.line, column: r.column } : deferredSpan('f', r.first, r.last, () => ({ file: 'f', line: r.line, column: r.column }))

  it('orders like comparing line, then column', () => {
    fc.assert(
      fc.property(spanArb, spanArb, (a, b) => {
        const exact = Math.sign(a.line - b.line || a.column - b.column)
        expect(Math.sign(compareSpans(make(a), make(b)))).toBe(exact)
      }),
      { numRuns: 3000 },
    )
  })

  it('leaves deferred spans in disjoint line ranges uncomputed', () => {
    const a = deferredSpan('f', 1, 10, () => ({ file: 'f', line: 4, column: 1 }))
    const b = deferredSpan('f', 11, 20, () => ({ file: 'f', line: 12, column: 1 }))
    expect(compareSpans(a, b)).toBeLessThan(0)
    expect(compareSpans(b, { file: 'f', line: 3, column: 9 })).toBeGreaterThan(0)
    expect(deferred(a) || deferred(b)).toBe(true)
    expect(deferred(a) && deferred(b)).toBe(true)
  })
})

/**
 * Services each requesting a ClusterIP in the dynamic band: every one gets a located info note
 * (alloc/static-ip-in-dynamic-band), which no restore text and no diff report shows.
 */
function pinned(n: number, file: string): SourceFile {
  const docs: string[] = []
  for (let i = 0; i < n; i++) {
    docs.push(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: svc-${i}`,
        '  namespace: default',
        'spec:',
        `  clusterIP: 10.96.${100 + i}.10`,
        '  ports:',
        `  - port: ${8000 + i}`,
      ].join('\n'),
    )
  }
  return { path: file, text: docs.join('\n---\n') + '\n', origin: 'proposed' }
}

describe('located issues are computed only when shown', () => {
  it('a plan printed as restore text leaves its notes deferred, and JSON prints their positions', () => {
    const plan = planFromSources({ files: [pinned(5, 'svc.yaml')] })
    const notes = plan.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band')
    expect(notes).toHaveLength(5)
    renderPlan(plan, 'iptables-restore')
    // Sorting the plan's issues by position compared notes of different documents only.
    expect(notes.every((i) => i.source !== undefined && deferred(i.source))).toBe(true)
    const json = JSON.parse(renderPlan(plan, 'json')) as { issues: { code: string; source: SourceSpan }[] }
    expect(json.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band').map((i) => i.source.line)).toEqual([7, 17, 27, 37, 47])
  })

  it("the notes' line bounds come from the parse's forward reading: no whole-file line index is built", () => {
    // DocumentLocator.settle fixes each document's first and last line while the parse reads the
    // file in order; computed by the apiserver stage instead, they made the file build its index.
    const starts = vi.spyOn(LineIndex.prototype as unknown as { starts: number[] }, 'starts', 'get')
    const file = pinned(40, 'svc.yaml')
    let plan: ReturnType<typeof planFromSources>
    try {
      plan = planFromSources({ files: [file] })
      renderPlan(plan, 'iptables-restore')
      expect(plan.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band')).toHaveLength(40)
      expect(starts).not.toHaveBeenCalled()
    } finally {
      // A failure above must not leave the spy on the getter for the tests after this one.
      starts.mockRestore()
    }
    const json = JSON.parse(renderPlan(plan, 'json')) as { issues: { code: string; source: SourceSpan }[] }
    const lines = json.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band').map((i) => i.source.line)
    expect(lines.map((l) => file.text.split('\n')[l - 1])).toEqual(Array.from({ length: 40 }, (_, i) => `  clusterIP: 10.96.${100 + i}.10`))
  })

  it('a diff computes none of the notes both sides share, also where the head moved them down', () => {
    const base = pinned(6, 'svc.yaml')
    // One more line in the second document: the head reads the later ones a line further down.
    const head = { ...base, text: base.text.replace('  - port: 8001\n', '  - port: 9001\n    name: web\n') }
    const d = planDiff({ base: [base], head: [head], cluster: [] })
    expect(d.value.summary.changed).toBe(1)
    const notes = d.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band')
    expect(notes).toHaveLength(6)
    expect(notes.filter((i) => i.source !== undefined && deferred(i.source))).toHaveLength(6)
    // Read now, they give the head's lines.
    expect(notes.map((i) => i.source?.line)).toEqual([7, 17, 28, 38, 48, 58])
  })
})
