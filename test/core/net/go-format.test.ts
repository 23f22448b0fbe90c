import { describe, expect, it } from 'vitest'
import { formatFixedExact, formatProbability, saveProbability } from '../../../src/core/net/go-format.ts'

/**
 * Independent reference for Go's %0.10f: toFixed(100) is the exact decimal expansion of 1/n
 * (every double 1/n with n ≤ 2048 has fewer than 100 fractional digits), then round half to even
 * on the decimal string.
 */
function goFixed10(x: number): string {
  const exact = x.toFixed(100)
  const [intPart, frac] = exact.split('.') as [string, string]
  const kept = BigInt(intPart + frac.slice(0, 10))
  const rest = frac.slice(10)
  const half = '5' + '0'.repeat(rest.length - 1)
  let q = kept
  if (rest > half || (rest === half && kept % 2n === 1n)) q += 1n
  const s = q.toString().padStart(11, '0')
  return `${s.slice(0, -10)}.${s.slice(-10)}`
}

describe('formatProbability', () => {
  it('matches exact half-even rounding for n = 1..2048', () => {
    for (let n = 1; n <= 2048; n++) expect(formatProbability(n), `n=${n}`).toBe(goFixed10(1 / n))
  })
  it('rounds the n = 2048 tie to even, unlike toFixed', () => {
    expect(formatProbability(2048)).toBe('0.0004882812')
    expect((1 / 2048).toFixed(10)).toBe('0.0004882813')
    for (let n = 1; n < 2048; n++) expect(formatProbability(n)).toBe((1 / n).toFixed(10))
  })
  it('gives the spec literals', () => {
    expect(formatProbability(1)).toBe('1.0000000000')
    expect(formatProbability(2)).toBe('0.5000000000')
    expect(formatProbability(3)).toBe('0.3333333333')
    expect(formatProbability(6)).toBe('0.1666666667')
  })
})

describe('saveProbability (iptables-save %.11f of lround(2^31 p)/2^31)', () => {
  it.each([
    [2, '0.50000000000'],
    [3, '0.33333333349'],
    [4, '0.25000000000'],
    [5, '0.20000000019'],
    [6, '0.16666666651'],
    [7, '0.14285714272'],
    [8, '0.12500000000'],
    [9, '0.11111111101'],
    [10, '0.10000000009'],
    [12, '0.08333333349'],
    [20, '0.04999999981'],
    [100, '0.00999999978'],
  ])('n=%i → %s', (n, expected) => {
    expect(saveProbability(formatProbability(n))).toBe(expected)
  })
})

describe('formatFixedExact', () => {
  it('handles integers, negatives and zero digits', () => {
    expect(formatFixedExact(0, 3)).toBe('0.000')
    expect(formatFixedExact(2.5, 0)).toBe('2')
    expect(formatFixedExact(3.5, 0)).toBe('4')
    expect(formatFixedExact(-0.125, 2)).toBe('-0.12')
    expect(formatFixedExact(1e21, 1)).toBe('1000000000000000000000.0')
  })
})
