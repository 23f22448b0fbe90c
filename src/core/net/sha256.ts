/**
 * @module net/sha256
 * One-shot SHA-256 (FIPS 180-4) of a JavaScript string's UTF-8 bytes, for the many short keys
 * the planner hashes (chain names, allocation seeds, pod names). Same digest as
 * `sha256(utf8ToBytes(s))` from @noble/hashes, without its per-call allocations (encoder
 * output, hash object, DataView, buffers) and getter-based module interop, which made hashing
 * ≈ 20% of a 1k-Service `planDiff` and ≈ 9% of a Worker PR plan (bench profiles).
 *
 * ASCII text (every key the planner builds from names) is packed four characters to a message
 * word without a byte buffer; the rounds are written out (sha256-block.ts).
 *
 * The scratch buffers are module-level: every call runs to completion synchronously, so no
 * two calls ever share them.
 */

import { compressBlocks } from './sha256-block.ts'

/** The eight state words of the last digest (signed 32-bit; `>>> 0` for the unsigned value). */
const H = new Int32Array(8)
/** The padded message as big-endian 32-bit words, 16 per block; grown (never shrunk) for long inputs. */
let words = new Int32Array(64)
/** UTF-8 bytes of a non-ASCII input; grown (never shrunk) for long inputs. */
let buf = new Uint8Array(256)

/** Makes {@link words} hold `blocks` zeroed blocks. */
function zeroWords(blocks: number): void {
  const n = blocks << 4
  if (words.length < n) words = new Int32Array(Math.max(n, words.length * 2))
  else words.fill(0, 0, n)
}

/**
 * Packs `s` into {@link words} when every character is ASCII (one byte each): four characters
 * to a word, without the byte buffer. Returns the byte length, or -1 at the first non-ASCII
 * character (then {@link encode} takes over). Chain names, seeds and pod names are ASCII.
 */
function packAscii(s: string): number {
  const n = s.length
  zeroWords(((n + 8) >> 6) + 1)
  const ws = words
  let i = 0
  for (; i + 3 < n; i += 4) {
    const c0 = s.charCodeAt(i)
    const c1 = s.charCodeAt(i + 1)
    const c2 = s.charCodeAt(i + 2)
    const c3 = s.charCodeAt(i + 3)
    if ((c0 | c1 | c2 | c3) >= 0x80) return -1
    ws[i >> 2] = (c0 << 24) | (c1 << 16) | (c2 << 8) | c3
  }
  for (; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80) return -1
    ws[i >> 2] = (ws[i >> 2] as number) | (c << ((3 - (i & 3)) << 3))
  }
  return n
}

/** Writes the UTF-8 bytes of `s` at 0 (growing `buf`), returns the byte length. */
function encode(s: string): number {
  const n = s.length
  if (buf.length < n * 3) buf = new Uint8Array(Math.max(n * 3, buf.length * 2))
  const b = buf
  let p = 0
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      b[p++] = c
      continue
    }
    if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6)
      b[p++] = 0x80 | (c & 63)
      continue
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00)
        i++
        b[p++] = 0xf0 | (c >> 18)
        b[p++] = 0x80 | ((c >> 12) & 63)
        b[p++] = 0x80 | ((c >> 6) & 63)
        b[p++] = 0x80 | (c & 63)
        continue
      }
    }
    // A lone surrogate encodes as U+FFFD, as TextEncoder (and so utf8ToBytes) does.
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd
    b[p++] = 0xe0 | (c >> 12)
    b[p++] = 0x80 | ((c >> 6) & 63)
    b[p++] = 0x80 | (c & 63)
  }
  return p
}

/** Packs the UTF-8 bytes of `s` into {@link words} (via {@link encode}); returns the byte length. */
function packUtf8(s: string): number {
  const len = encode(s)
  zeroWords(((len + 8) >> 6) + 1)
  const ws = words
  const b = buf
  for (let i = 0; i < len; i++) ws[i >> 2] = (ws[i >> 2] as number) | ((b[i] as number) << ((3 - (i & 3)) << 3))
  return len
}

/** Hashes the UTF-8 bytes of `s` into {@link H}. */
function digestInto(s: string): void {
  let len = packAscii(s)
  if (len < 0) len = packUtf8(s)
  // Padding: 0x80 after the message, zeros (zeroWords), then the bit length as a 64-bit
  // big-endian integer in the last two words.
  const blocks = ((len + 8) >> 6) + 1
  const ws = words
  ws[len >> 2] = (ws[len >> 2] as number) | (0x80 << ((3 - (len & 3)) << 3))
  ws[(blocks << 4) - 2] = Math.floor(len / 0x20000000)
  ws[(blocks << 4) - 1] = len << 3

  compressBlocks(ws, blocks, H)
}

/** Byte `i` (0..31) of the digest in {@link H}. */
function byteAt(i: number): number {
  return ((H[i >> 2] as number) >>> (24 - 8 * (i & 3))) & 0xff
}

/**
 * SHA-256 of the UTF-8 encoding of `s` (lone surrogates as U+FFFD, like TextEncoder).
 *
 * @example
 * sha256Utf8('abc') // Uint8Array [0xba, 0x78, 0x16, 0xbf, …]
 */
export function sha256Utf8(s: string): Uint8Array {
  return sha256Utf8Into(s, new Uint8Array(32))
}

/**
 * The first `bytes` bytes (default all 32) of {@link sha256Utf8} written into `out`, returned:
 * callers that hash once per pod or allocation reuse one buffer instead of allocating a typed
 * array per hash, and read only the bytes they use.
 */
export function sha256Utf8Into(s: string, out: Uint8Array, bytes = 32): Uint8Array {
  digestInto(s)
  const n = bytes < 32 ? bytes : 32
  for (let i = 0; i < n; i++) out[i] = byteAt(i)
  return out
}

/**
 * The eight state words of SHA-256 of `s` (big-endian words of the digest, signed 32-bit; `>>> 0`
 * for the unsigned value). The array is this module's scratch: read it before the next call.
 * Allocation seeds (apiserver/allocate/seed.ts) read their bytes as words from here instead of
 * copying them out byte by byte and putting the words back together.
 */
export function sha256Utf8State(s: string): Readonly<Int32Array> {
  digestInto(s)
  return H
}

/** RFC 4648 standard alphabet, as Go's base32.StdEncoding, as character codes. */
const BASE32 = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', (c) => c.charCodeAt(0))

/**
 * `base32_std(sha256(utf8(s)))[0:16]` without building the digest: 16 characters are exactly
 * the first 80 bits (bytes 0..9), read straight from the state words.
 */
export function sha256Base32Prefix16(s: string): string {
  digestInto(s)
  const c = (v: number): number => BASE32[v & 31] as number
  // Bytes 0..9 are words 0, 1 and the top half of word 2: three 5-character groups of 25 bits
  // would not align, so take 40 bits (8 characters) at a time from two words.
  const w0 = H[0] as number
  const w1 = H[1] as number
  const w2 = H[2] as number
  return String.fromCharCode(
    c(w0 >>> 27), c(w0 >>> 22), c(w0 >>> 17), c(w0 >>> 12), c(w0 >>> 7), c(w0 >>> 2),
    c((w0 << 3) | (w1 >>> 29)), c(w1 >>> 24),
    c(w1 >>> 19), c(w1 >>> 14), c(w1 >>> 9), c(w1 >>> 4),
    c((w1 << 1) | (w2 >>> 31)), c(w2 >>> 26), c(w2 >>> 21), c(w2 >>> 16),
  ) // prettier-ignore
}
