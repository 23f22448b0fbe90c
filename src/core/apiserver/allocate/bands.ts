/**
 * @module apiserver/allocate/bands
 * Static/dynamic band sizes. KEP-3070 for ClusterIPs (pkg/registry/core/service/ipallocator
 * calculateRangeOffset) and KEP-3668 for NodePorts (portallocator calculateRangeOffset). The static
 * band is the low end of a range: dynamic allocation prefers the rest ("upper band") and only
 * falls back to the static band when the upper band is full, so hand-picked values there rarely
 * collide with random ones.
 */

/**
 * Static band size for a Service CIDR: `cidrSize <= 16 → 0`, else clamp(cidrSize/16, 16, 256).
 * `cidrSize` is the total address count of the CIDR (k8s.io/utils/net RangeSize: 0 for IPv4 /31,/32
 * and IPv6 /127,/128; saturating for huge IPv6 prefixes), not the usable count.
 */
export function ipStaticBandSize(hostBits: number, _family: 'IPv4' | 'IPv6'): number {
  // RangeSize is 0 for /31,/32 and /127,/128; the same formula covers both families.
  if (hostBits <= 1) return 0
  const cidrSize = 2n ** BigInt(hostBits)
  if (cidrSize <= 16n) return 0
  const offset = cidrSize / 16n
  if (offset < 16n) return 16
  if (offset > 256n) return 256
  return Number(offset)
}

/** Static band size for a NodePort range of `size` ports: `size <= 16 → 0`, else clamp(size/32, 16, 128). */
export function portStaticBandSize(size: number): number {
  if (size <= 16) return 0
  return Math.min(128, Math.max(16, Math.floor(size / 32)))
}
