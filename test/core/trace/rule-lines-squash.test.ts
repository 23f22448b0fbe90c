// trace/rule-lines `squash`: its shortcut for already squashed text against trim + replace.
import { describe, expect, it } from 'vitest'
import { squash } from '../../../src/core/trace/rule-lines.ts'
import { rng } from '../../helpers/seeded-rng.ts'

const reference = (s: string): string => s.trim().replace(/\s+/g, ' ')
const PIECES = ['a', '-A', 'KUBE-SVC', '"x y"', ' ', '  ', '\t', '\r', '\n', '\u00a0', '\u2028', '\ufeff', '\u3000', '--dport', '80', 'é']

describe('squash', () => {
  it('equals trim + replace of whitespace runs on generated text (every JS whitespace kind, at ends and inside)', () => {
    const r = rng(7)
    let unchanged = 0
    for (let n = 0; n < 20000; n++) {
      const len = Math.floor(r() * 8)
      let s = ''
      for (let i = 0; i < len; i++) s += PIECES[Math.floor(r() * PIECES.length)]
      expect(squash(s), JSON.stringify(s)).toBe(reference(s))
      if (reference(s) === s) unchanged++
    }
    expect(unchanged).toBeGreaterThan(1000)
  })
})
