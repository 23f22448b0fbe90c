/**
 * @module trace/rational
 * Exact branch probabilities. kube-proxy writes `1/(n-i)` rounded to ten decimals
 * (proxier.go: `fmt.Sprintf("%0.10f", 1.0/float64(n-i))`); multiplying those floats would make
 * the outcome shares drift (0.33333333335) and their sum miss 1. Fractions keep Σ = 1 exactly.
 */

/** A non-negative fraction `num/den`, always reduced, `den > 0`. */
export interface Rational {
  readonly num: bigint
  readonly den: bigint
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}

/** Builds a reduced fraction. */
export function rational(num: bigint, den: bigint): Rational {
  const g = gcd(num, den)
  return g === 0n ? { num: 0n, den: 1n } : { num: num / g, den: den / g }
}

export const ONE: Rational = { num: 1n, den: 1n }

export function mul(a: Rational, b: Rational): Rational {
  return rational(a.num * b.num, a.den * b.den)
}

export function add(a: Rational, b: Rational): Rational {
  return rational(a.num * b.den + b.num * a.den, a.den * b.den)
}

/** 1 − p. */
export function complement(p: Rational): Rational {
  return rational(p.den - p.num, p.den)
}

export function toNumber(r: Rational): number {
  return Number(r.num) / Number(r.den)
}

export function toFraction(r: Rational): string {
  return r.den === 1n ? `${r.num}` : `${r.num}/${r.den}`
}

/**
 * Reads a `--probability` value. Text that is exactly kube-proxy's rendering of `1/k` becomes
 * `1/k` (what kube-proxy meant; the kernel's own rounding to 2^-31 is finer than either). Other
 * decimal text is taken at face value, clamped to [0, 1]. Unreadable text counts as 1/2 and is
 * reported by returning `exact: false`.
 */
export function parseProbability(text: string): { readonly p: Rational; readonly exact: boolean } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (m === null) return { p: rational(1n, 2n), exact: false }
  const whole = m[1] ?? '0'
  const frac = m[2] ?? ''
  let p = rational(BigInt(whole + frac), 10n ** BigInt(frac.length))
  if (p.num > p.den) p = ONE
  if (p.num > 0n) {
    const k = Math.round(Number(p.den) / Number(p.num))
    if (k >= 1 && (1 / k).toFixed(10) === text.trim()) return { p: rational(1n, BigInt(k)), exact: true }
  }
  return { p, exact: true }
}
