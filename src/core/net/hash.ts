/**
 * The hash kube-proxy puts in its per-service chain names.
 *
 * Mirrors pkg/proxy/iptables/proxier.go portProtoHash:
 *   hash := sha256.Sum256([]byte(servicePortName + protocol))
 *   encoded := base32.StdEncoding.EncodeToString(hash[:])
 *   return encoded[:16]
 * Synchronous SHA-256 (net/sha256.ts, allocation-free for short keys) so the same code runs in
 * Node and workerd.
 */
import { sha256Base32Prefix16 } from './sha256.ts'

/** RFC 4648 standard alphabet, as Go's base32.StdEncoding. */
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

/**
 * Base32 (RFC 4648, standard alphabet) of `bytes`, truncated to `chars` characters.
 * 16 characters are exactly the first 10 bytes, so padding never matters for chain names.
 */
export function base32Prefix(bytes: Uint8Array, chars: number): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff
    bits += 8
    while (bits >= 5 && out.length < chars) {
      out += BASE32[(buffer >> (bits - 5)) & 31]
      bits -= 5
    }
    if (out.length >= chars) return out
  }
  if (bits > 0 && out.length < chars) out += BASE32[(buffer << (5 - bits)) & 31]
  return out.slice(0, chars)
}

/** `base32_std(sha256(utf8(s)))[0:16]`: the suffix of every KUBE-SVC/SVL/EXT/FW/SEP chain. */
export function hash16(s: string): string {
  return sha256Base32Prefix16(s)
}
