/**
 * @module net/sha256
 * One-shot SHA-256 (FIPS 180-4) of a JavaScript string's UTF-8 bytes, for the many short keys
 * the planner hashes (chain names, allocation seeds, pod names). Same digest as
 * `sha256(utf8ToBytes(s))` from @noble/hashes, without its per-call allocations (encoder
 * output, hash object, DataView, buffers) and getter-based module interop, which made hashing
 * ≈ 20% of a 1k-Service `planDiff` and ≈ 9% of a Worker PR plan (bench profiles).
 *
 * The scratch buffers are module-level: every call runs to completion synchronously, so no
 * two calls ever share them.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
])

/** Message schedule, reused by every call. */
const W = new Int32Array(64)
/** The eight state words of the last digest (signed 32-bit; `>>> 0` for the unsigned value). */
const H = new Int32Array(8)
/** UTF-8 bytes of the input plus padding; grown (never shrunk) for long inputs. */
let buf = new Uint8Array(256)

/** Writes the UTF-8 bytes of `s` at 0 (growing `buf`), returns the byte length. */
function encode(s: string): number {
  const n = s.length
  if (buf.length < n * 3 + 72) buf = new Uint8Array(Math.max(n * 3 + 72, buf.length * 2))
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

/** Hashes the UTF-8 bytes of `s` into {@link H}. */
function digestInto(s: string): void {
  const len = encode(s)
  const b = buf
  // Padding: 0x80, zeros, then the bit length as a 64-bit big-endian integer.
  const total = (((len + 8) >> 6) + 1) << 6
  b[len] = 0x80
  b.fill(0, len + 1, total - 8)
  const bitsHi = Math.floor(len / 0x20000000)
  const bitsLo = (len << 3) >>> 0
  b[total - 8] = bitsHi >>> 24
  b[total - 7] = bitsHi >>> 16
  b[total - 6] = bitsHi >>> 8
  b[total - 5] = bitsHi
  b[total - 4] = bitsLo >>> 24
  b[total - 3] = bitsLo >>> 16
  b[total - 2] = bitsLo >>> 8
  b[total - 1] = bitsLo

  // The initial hash value H(0) as int32 literals. Destructured from an array per
  // call (`let [h0, …] = IV`) it cost ≈ 0.6 µs a hash, and the words above 2^31 as plain
  // literals are doubles, which kept the first block's additions off the int32 path: 1000
  // short keys took 1.4 ms before, 1.0 ms with unsigned literals, 0.65 ms like this.
  let h0 = 0x6a09e667, h1 = 0xbb67ae85 | 0, h2 = 0x3c6ef372, h3 = 0xa54ff53a | 0, h4 = 0x510e527f, h5 = 0x9b05688c | 0, h6 = 0x1f83d9ab, h7 = 0x5be0cd19 // prettier-ignore
  const w = W
  const k = K
  for (let off = 0; off < total; off += 64) {
    for (let i = 0, j = off; i < 16; i++, j += 4) {
      w[i] = ((b[j] as number) << 24) | ((b[j + 1] as number) << 16) | ((b[j + 2] as number) << 8) | (b[j + 3] as number)
    }
    for (let i = 16; i < 64; i++) {
      const w15 = w[i - 15] as number
      const w2 = w[i - 2] as number
      const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3)
      const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10)
      w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0
    }
    let a = h0, bb = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7 // prettier-ignore
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))
      const t1 = (h + S1 + ((e & f) ^ (~e & g)) + (k[i] as number) + (w[i] as number)) | 0
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))
      const t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0
      h = g
      g = f
      f = e
      e = (d + t1) | 0
      d = c
      c = bb
      bb = a
      a = (t1 + t2) | 0
    }
    h0 = (h0 + a) | 0
    h1 = (h1 + bb) | 0
    h2 = (h2 + c) | 0
    h3 = (h3 + d) | 0
    h4 = (h4 + e) | 0
    h5 = (h5 + f) | 0
    h6 = (h6 + g) | 0
    h7 = (h7 + h) | 0
  }
  H[0] = h0
  H[1] = h1
  H[2] = h2
  H[3] = h3
  H[4] = h4
  H[5] = h5
  H[6] = h6
  H[7] = h7
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
  digestInto(s)
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = byteAt(i)
  return out
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
