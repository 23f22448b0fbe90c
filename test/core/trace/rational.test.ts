import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { add, complement, mul, ONE, parseProbability, rational, toFraction } from '../../../src/core/trace/rational.ts'

describe('probabilities', () => {
  it("reads kube-proxy's 1/k text as exactly 1/k", () => {
    for (const k of [1, 2, 3, 7, 10, 1000]) {
      expect(parseProbability((1 / k).toFixed(10))).toEqual({ p: rational(1n, BigInt(k)), exact: true })
    }
  })

  it('keeps other decimals as written and clamps above 1', () => {
    expect(toFraction(parseProbability('0.25').p)).toBe('1/4')
    expect(toFraction(parseProbability('0.3').p)).toBe('3/10')
    expect(toFraction(parseProbability('1.5').p)).toBe('1')
    expect(parseProbability('abc').exact).toBe(false)
  })

  it('the 1/(n-i) chain of n endpoints gives n equal shares summing to exactly 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), (n) => {
        let rest = ONE
        let sum = rational(0n, 1n)
        for (let i = 0; i < n; i++) {
          const p = i < n - 1 ? parseProbability((1 / (n - i)).toFixed(10)).p : ONE
          const share = mul(rest, p)
          expect(share).toEqual(rational(1n, BigInt(n)))
          sum = add(sum, share)
          rest = mul(rest, complement(p))
        }
        expect(sum).toEqual(ONE)
      }),
    )
  })
})
