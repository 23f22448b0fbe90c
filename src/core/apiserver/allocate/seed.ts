/**
 * @module apiserver/allocate/seed
 * Stable stand-in for the apiserver's time-seeded PRNG. A dynamic value is chosen by probing from
 * a start point derived from sha256(key), where the key names the Service and the value's role
 * (e.g. `default/web#clusterIP/IPv4`). The same Service therefore gets the same preview value in
 * every run and on both sides of a diff, whatever other Services exist (unless they take it).
 *
 * Every seed reads the digest's leading bytes as big-endian 32-bit words straight from the hash
 * state (`sha256Utf8State`): byte `i` is bits `24 - 8 * (i % 4)` of word `i / 4`.
 */
import { sha256Utf8State } from '../../net/sha256.ts'

/** Words `w`, `w + 1` of the digest in `h` as an unsigned 64-bit bigint (three bigint operations, not sixteen shifts and ors). */
function u64(h: Readonly<Int32Array>, w: number): bigint {
  return (BigInt((h[w] as number) >>> 0) << 32n) | BigInt((h[w + 1] as number) >>> 0)
}

/** 128 bits of sha256(key) as an unsigned bigint. */
export function seedFor(key: string): bigint {
  const h = sha256Utf8State(key)
  return (u64(h, 0) << 64n) | u64(h, 2)
}

/**
 * `(v · 2^32 + w) mod m` for 0 ≤ v < m ≤ 2^21 and 0 ≤ w < 2^32, by a double division: V8
 * compiles `%` on doubles to a call of C's fmod, several times the cost of a division and a
 * floor. Exact without a correction step: x = v · 2^32 + w < 2^53 is exact; x / m < 2^32, so
 * its rounding error is at most 2^-22, while its distance to the next integer is at least
 * 1 / m ≥ 2^-21 — the floor is the true quotient, and q · m ≤ x is exact.
 */
function wordRemainder(v: number, w: number, m: number): number {
  const x = v * 0x100000000 + w
  return x - Math.floor(x / m) * m
}

/**
 * `Number(seedFor(key) % BigInt(m))` without the 128-bit bigint: the digest's first 16 bytes
 * reduced by Horner's rule, exact in doubles while `m` ≤ 2^40 (every partial value stays below
 * 2^48). Pod IPs ask for one per pod (two for dual-stack); the bigint way built 16 intermediate
 * bigints each. For `m` ≤ 2^21 (every pod CIDR window: at most 65534 hosts) a whole word at a
 * time, each remainder a {@link wordRemainder} instead of a double `%`.
 */
export function seedModulo(key: string, m: number): number {
  const h = sha256Utf8State(key)
  let v = 0
  if (m <= 0x200000) {
    for (let w = 0; w < 4; w++) v = wordRemainder(v, (h[w] as number) >>> 0, m)
    return v
  }
  for (let i = 0; i < 16; i++) v = (v * 256 + (((h[i >> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff)) % m
  return v
}

/** The two independent start points a band scan needs (upper band, then static band). */
export function startsFor(key: string): { readonly upper: bigint; readonly lower: bigint } {
  // The two halves of seedFor(key), read straight from the digest: every allocated cluster IP
  // and NodePort asks for one, and the 128-bit bigint took ~50 bigint operations.
  const h = sha256Utf8State(key)
  return { upper: u64(h, 0), lower: u64(h, 2) }
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'
const SAFE_CODES = Array.from(SAFE_ALPHABET, (c) => c.charCodeAt(0))

/**
 * `n` characters from apimachinery's rand.SafeEncodeString alphabet, derived from sha256(key):
 * the look of generated name suffixes (`web-7d9c6b8f5-x2kq4`) without their randomness.
 * Pod names ask for 5 per pod: one `String.fromCharCode` instead of a string per appended
 * character.
 */
export function safeSuffix(key: string, n: number): string {
  const h = sha256Utf8State(key)
  if (n === 5) return String.fromCharCode(safeCode(h, 0), safeCode(h, 1), safeCode(h, 2), safeCode(h, 3), safeCode(h, 4))
  let out = ''
  for (let i = 0; i < n; i++) out += String.fromCharCode(safeCode(h, i))
  return out
}

/** Character `i` of {@link safeSuffix} from the digest words `h`: byte `i` (0 past the 32nd) modulo the alphabet. */
function safeCode(h: Readonly<Int32Array>, i: number): number {
  return SAFE_CODES[(i < 32 ? ((h[i >> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff : 0) % SAFE_CODES.length] as number
}
