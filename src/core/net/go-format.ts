/**
 * Go/C compatible decimal formatting of binary floating point numbers.
 *
 * kube-proxy writes statistic probabilities with Go `fmt.Sprintf("%0.10f", 1.0/float64(n))`
 * (pkg/proxy/iptables/proxier.go probability()), and Go's strconv converts the exact binary value
 * to decimal with round-half-to-even. `Number.prototype.toFixed` rounds exact ties up instead
 * (n = 2048 differs), so we do the exact conversion with bigint.
 */

/** Splits a finite non-negative double into `mant * 2^exp` exactly. */
function decompose(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8))
  view.setFloat64(0, x)
  const hi = view.getUint32(0)
  const lo = view.getUint32(4)
  const biased = (hi >>> 20) & 0x7ff
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo)
  if (biased === 0) return { mant: frac, exp: -1074 }
  return { mant: frac | (1n << 52n), exp: biased - 1075 }
}

/**
 * Formats a finite number with exactly `digits` decimals, rounding the exact binary value half to
 * even, as Go's `%.Nf` and glibc's `printf("%.Nf")` do.
 */
export function formatFixedExact(x: number, digits: number): string {
  if (!Number.isFinite(x)) return String(x)
  const negative = x < 0 || Object.is(x, -0)
  const { mant, exp } = decompose(Math.abs(x))
  const scale = 10n ** BigInt(digits)
  let q: bigint
  if (exp >= 0) {
    q = (mant << BigInt(exp)) * scale
  } else {
    const num = mant * scale
    const den = 1n << BigInt(-exp)
    q = num / den
    const twiceRem = (num % den) * 2n
    if (twiceRem > den || (twiceRem === den && q % 2n === 1n)) q += 1n
  }
  let text = q.toString()
  if (digits > 0) {
    text = text.padStart(digits + 1, '0')
    text = `${text.slice(0, -digits)}.${text.slice(-digits)}`
  }
  return negative ? `-${text}` : text
}

/** kube-proxy's probability text for the i-th of n remaining endpoints: Go `%0.10f` of 1/n. */
export function formatProbability(n: number): string {
  return formatFixedExact(1 / n, 10)
}

/**
 * What iptables-save prints for a `--probability` kube-proxy wrote: libxt_statistic stores
 * `lround(0x80000000 * strtod(text))` and prints `%.11f` of that over 2^31.
 */
export function saveProbability(text: string): string {
  const p = Number.parseFloat(text)
  const stored = Math.round(0x80000000 * p)
  return formatFixedExact(stored / 0x80000000, 11)
}
