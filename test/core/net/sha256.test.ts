/**
 * The one-shot SHA-256 must give @noble/hashes' digest for every string (it replaced
 * `sha256(utf8ToBytes(s))` in chain names and allocation seeds), including multi-block inputs,
 * padding edges (55/56/63/64 bytes), non-ASCII text and lone surrogates; ASCII text (packed
 * straight into message words) and text that turns non-ASCII after an ASCII run (packed again
 * through the byte buffer) both.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8ToBytes } from '@noble/hashes/utils.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base32Prefix } from '../../../src/core/net/hash.ts'
import { readFileSync } from 'node:fs'
import { sha256Base32Prefix16, sha256Utf8, sha256Utf8Into } from '../../../src/core/net/sha256.ts'
import { sha256BlockSource } from '../../../scripts/gen-sha256-block.mjs'

const reference = (s: string): Uint8Array => sha256(utf8ToBytes(s))

describe('sha256Utf8', () => {
  it('FIPS 180-4 test vectors', () => {
    const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join('')
    expect(hex(sha256Utf8(''))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(hex(sha256Utf8('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    expect(hex(sha256Utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    )
  })

  it('padding edges and long inputs match @noble/hashes', () => {
    for (const n of [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 1000, 5000]) {
      const s = 'x'.repeat(n)
      expect(sha256Utf8(s), `length ${n}`).toEqual(reference(s))
    }
  })

  it('non-ASCII and lone surrogates match @noble/hashes (TextEncoder semantics)', () => {
    for (const s of ['é', '€uro', '😀', 'a\ud800b', '\udc00', 'x\ud83d', 'ns/名前:port']) expect(sha256Utf8(s), s).toEqual(reference(s))
  })

  it('any string matches @noble/hashes (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        expect(sha256Utf8(s)).toEqual(reference(s))
        expect(sha256Base32Prefix16(s)).toBe(base32Prefix(reference(s), 16))
      }),
      { numRuns: 500 },
    )
  })

  it('a long input then a short one (the grown scratch buffer is re-padded)', () => {
    sha256Utf8('y'.repeat(3000))
    expect(sha256Utf8('default/web:httptcp')).toEqual(reference('default/web:httptcp'))
  })

  it('ASCII text, and text whose first non-ASCII character comes after any ASCII run, match @noble/hashes (property)', () => {
    const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 200 })
    fc.assert(
      fc.property(ascii, fc.constantFrom('', 'é', '\u0080', '😀', '\ud800', '\uffff'), ascii, (a, x, b) => {
        const s = a + x + b
        expect(sha256Utf8(s)).toEqual(reference(s))
        expect(sha256Base32Prefix16(s)).toBe(base32Prefix(reference(s), 16))
      }),
      { numRuns: 1000 },
    )
  })

  it('sha256Utf8Into writes the digest into the given buffer', () => {
    const out = new Uint8Array(32).fill(7)
    expect(sha256Utf8Into('default/web#pod#0', out)).toBe(out)
    expect(out).toEqual(reference('default/web#pod#0'))
  })

  it('sha256-block.ts is what the generator script writes', () => {
    expect(readFileSync(new URL('../../../src/core/net/sha256-block.ts', import.meta.url), 'utf8')).toBe(sha256BlockSource())
  })
})
