/**
 * Allocation seeds are read straight from the digest's words (no 128-bit bigint built byte by
 * byte); they must stay the digest's bytes 0..15 as a big-endian number, and startsFor its two
 * halves, for any key (IPs and NodePorts of every plan hang on them).
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { safeSuffix, seedFor, seedModulo, startsFor } from '../../../src/core/apiserver/allocate/seed.ts'

/** Bytes 0..15 of sha256(key), big-endian, the way seedFor was first written. */
function reference(key: string): bigint {
  const d = sha256(utf8ToBytes(key))
  let v = 0n
  for (let i = 0; i < 16; i++) v = (v << 8n) | BigInt(d[i] ?? 0)
  return v
}

describe('allocation seeds', () => {
  it('seedFor, startsFor and seedModulo agree with the digest bytes (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.integer({ min: 1, max: 2 ** 40 }), (key, m) => {
        const v = reference(key)
        expect(seedFor(key)).toBe(v)
        expect(startsFor(key)).toEqual({ upper: v >> 64n, lower: v & ((1n << 64n) - 1n) })
        expect(seedModulo(key, m)).toBe(Number(v % BigInt(m)))
      }),
      { numRuns: 1000 },
    )
  })

  it('seedModulo for pod-window sizes (m up to 2^21, a digest word at a time by division) (property)', () => {
    const edges = [1, 2, 3, 253, 65533, 65534, 2 ** 21 - 1, 2 ** 21, 2 ** 21 + 1]
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.oneof(fc.integer({ min: 1, max: 2 ** 21 }), fc.constantFrom(...edges)), (key, m) => {
        expect(seedModulo(key, m)).toBe(Number(reference(key) % BigInt(m)))
      }),
      { numRuns: 2000 },
    )
  })

  it('safeSuffix is digest byte i modulo the 27-character alphabet, byte 0 past the 32nd (property)', () => {
    const alphabet = 'bcdfghjklmnpqrstvwxz2456789'
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.integer({ min: 0, max: 40 }), (key, n) => {
        const d = sha256(utf8ToBytes(key))
        let want = ''
        for (let i = 0; i < n; i++) want += alphabet[(d[i] ?? 0) % alphabet.length]
        expect(safeSuffix(key, n)).toBe(want)
      }),
      { numRuns: 1000 },
    )
  })

  it('keys whose digest has the top bit set in either half stay unsigned', () => {
    let seen = 0
    for (let i = 0; i < 200 && seen < 4; i++) {
      const key = `default/svc-${i}#clusterIP/IPv4`
      const v = reference(key)
      if (v >> 127n === 1n || ((v >> 63n) & 1n) === 1n) seen++
      expect(startsFor(key)).toEqual({ upper: v >> 64n, lower: v & ((1n << 64n) - 1n) })
    }
    expect(seen).toBeGreaterThan(0)
  })
})
