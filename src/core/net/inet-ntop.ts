/**
 * @module net/inet-ntop
 * glibc `inet_ntop` (inet_ntop.c inet_ntop4/inet_ntop6): how iptables (xtables `xtables_ipaddr_to_numeric`
 * callers) and nft (`nft list`) print addresses. Unlike Go's `net.IP.String`, an IPv6 address whose
 * first 96 bits are zero, or an IPv4-mapped one, gets a dotted IPv4 tail (`::12.212.0.0`).
 */
import type { IPFamily } from '../model/k8s.ts'

/** glibc `inet_ntop` of a 32-bit (IPv4) or 128-bit (IPv6) value. */
export function inetNtop(family: IPFamily, v: bigint): string {
  if (family === 'IPv4') return `${(v >> 24n) & 0xffn}.${(v >> 16n) & 0xffn}.${(v >> 8n) & 0xffn}.${v & 0xffn}`
  const words: number[] = []
  for (let i = 7; i >= 0; i--) words.push(Number((v >> BigInt(i * 16)) & 0xffffn))
  // Longest run of zero words (first one on a tie), used only when at least two long.
  let bestBase = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLen) {
      bestBase = i
      bestLen = j - i
    }
    i = j
  }
  if (bestLen < 2) bestBase = -1
  let out = ''
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) out += ':'
      continue
    }
    if (i !== 0) out += ':'
    // glibc prints an embedded IPv4 tail for ::a.b.c.d and ::ffff:a.b.c.d.
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
      out += inetNtop('IPv4', v & 0xffffffffn)
      return out
    }
    out += (words[i] ?? 0).toString(16)
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) out += ':'
  return out
}
