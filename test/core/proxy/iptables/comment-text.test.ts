import { describe, expect, it } from 'vitest'
import { isPlainText } from '../../../../src/core/proxy/iptables/comment-text.ts'

/** The character class isPlainText scans for, as the regex it replaced wrote it. */
const NOT_PLAIN = /[\u0000-\u001f\u007f"\\]/

describe('isPlainText', () => {
  it('agrees with the regex for every code unit, alone and inside a comment', () => {
    const disagree: string[] = []
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c)
      for (const text of [ch, `ns/svc:p80 -> ${ch}10.0.0.1:80`, `a${ch}`]) if (isPlainText(text) === NOT_PLAIN.test(text)) disagree.push(JSON.stringify(text))
    }
    expect(disagree).toEqual([])
    expect(isPlainText('')).toBe(true)
  })
})
