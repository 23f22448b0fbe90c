/**
 * @module apiserver/allocate/seed
 * Stable stand-in for the apiserver's time-seeded PRNG. A dynamic value is chosen by probing from
 * a start point derived from sha256(key), where the key names the Service and the value's role
 * (e.g. `default/web#clusterIP/IPv4`). The same Service therefore gets the same preview value in
 * every run and on both sides of a diff, whatever other Services exist (unless they take it).
 */
import { sha256Utf8Into } from '../../net/sha256.ts'

/** Digest scratch of {@link seedModulo} and {@link safeSuffix} (one hash per pod; read before the next call). */
const DIGEST = new Uint8Array(32)

/** Bytes `at`..`at + 7` of {@link DIGEST} as an unsigned 64-bit bigint (two 32-bit halves: three bigint operations, not sixteen shifts and ors). */
function u64(at: number): bigint {
  const d = DIGEST
  const hi = (((d[at] as number) << 24) | ((d[at + 1] as number) << 16) | ((d[at + 2] as number) << 8) | (d[at + 3] as number)) >>> 0
  const lo = (((d[at + 4] as number) << 24) | ((d[at + 5] as number) << 16) | ((d[at + 6] as number) << 8) | (d[at + 7] as number)) >>> 0
  return (BigInt(hi) << 32n) | BigInt(lo)
}

/** 128 bits of sha256(key) as an unsigned bigint. */
export function seedFor(key: string): bigint {
  sha256Utf8Into(key, DIGEST, 16)
  return (u64(0) << 64n) | u64(8)
}

/**
 * `Number(seedFor(key) % BigInt(m))` without the 128-bit bigint: the digest's first 16 bytes
 * reduced byte by byte (Horner), exact in doubles while `m` ≤ 2^40 (every partial value stays
 * below 2^48). Pod IPs ask for one per pod; the bigint way built 16 intermediate bigints each.
 * For `m` ≤ 2^21 (every pod CIDR window) four bytes at a time: the partial value stays below
 * 2^53, and four double remainders replace sixteen.
 */
export function seedModulo(key: string, m: number): number {
  const d = sha256Utf8Into(key, DIGEST, 16)
  let v = 0
  if (m <= 0x200000) {
    for (let i = 0; i < 16; i += 4) {
      const word = (((d[i] as number) << 24) | ((d[i + 1] as number) << 16) | ((d[i + 2] as number) << 8) | (d[i + 3] as number)) >>> 0
      v = (v * 0x100000000 + word) % m
    }
    return v
  }
  for (let i = 0; i < 16; i++) v = (v * 256 + (d[i] as number)) % m
  return v
}

/** The two independent start points a band scan needs (upper band, then static band). */
export function startsFor(key: string): { readonly upper: bigint; readonly lower: bigint } {
  // The two halves of seedFor(key), read straight from the digest: every allocated cluster IP
  // and NodePort asks for one, and the 128-bit bigint took ~50 bigint operations.
  sha256Utf8Into(key, DIGEST, 16)
  return { upper: u64(0), lower: u64(8) }
}

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789'

/**
 * `n` characters from apimachinery's rand.SafeEncodeString alphabet, derived from sha256(key):
 * the look of generated name suffixes (`web-7d9c6b8f5-x2kq4`) without their randomness.
 */
export function safeSuffix(key: string, n: number): string {
  const digest = sha256Utf8Into(key, DIGEST, n)
  let out = ''
  for (let i = 0; i < n; i++) out += SAFE_ALPHABET[(digest[i] ?? 0) % SAFE_ALPHABET.length]
  return out
}
