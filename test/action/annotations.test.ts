import { describe, expect, it } from 'vitest'
import { planAnnotations } from '../../src/action/annotations.ts'
import type { Finding } from '../../src/core/diff/types.ts'

const f = (severity: Finding['severity'], n: number, side: 'base' | 'head' = 'head', withSource = true): Finding => ({
  severity,
  code: 'diff/x',
  message: `${severity} ${n}`,
  side,
  ...(withSource ? { source: { file: 'a.yaml', line: n, column: 1 } } : {}),
})

describe('planAnnotations', () => {
  it('caps errors and warnings at 10 per step and leaves the rest for the summary', () => {
    const fs = [...Array.from({ length: 12 }, (_, i) => f('error', i + 1)), ...Array.from({ length: 15 }, (_, i) => f('warning', i + 1))]
    const p = planAnnotations(fs)
    expect(p.annotate.filter((x) => x.severity === 'error')).toHaveLength(10)
    expect(p.annotate.filter((x) => x.severity === 'warning')).toHaveLength(10)
    expect(p.rest).toHaveLength(7)
  })

  it('only annotates findings with a head-side file and line', () => {
    const p = planAnnotations([f('error', 1, 'base'), f('warning', 2, 'head', false), f('notice', 3)])
    expect(p.annotate.map((x) => x.message)).toEqual(['notice 3'])
    expect(p.rest).toHaveLength(2)
  })
})
