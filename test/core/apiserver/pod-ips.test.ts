/**
 * The pod IP allocator counts in doubles; these tests pin it to the bigint formulation it
 * replaced (start = sha256 seed mod span, scan upwards skipping taken addresses), kept here as
 * the reference, over IPv4 and IPv6 pod CIDRs of every size class, collisions and full CIDRs.
 */
import { describe, expect, it } from 'vitest'
import { seedFor, seedModulo } from '../../../src/core/apiserver/allocate/seed.ts'
import { PodIPAllocator } from '../../../src/core/apiserver/workloads/pod-ips.ts'
import { formatIP, parseCIDRSloppy, parseIPSloppy } from '../../../src/core/net/ip.ts'
import type { ParsedCIDR } from '../../../src/core/net/ip.ts'

/** The allocator as it was written with bigints. */
class ReferenceAllocator {
  private readonly taken = new Set<string>()
  private readonly full = new Set<string>()
  reserve(ip: string): void {
    const p = parseIPSloppy(ip)
    if (p !== undefined) this.taken.add(formatIP(p))
  }
  assign(cidr: ParsedCIDR, key: string): string | undefined {
    const bits = cidr.family === 'IPv4' ? 32 : 128
    const total = 1n << BigInt(bits - cidr.prefix)
    let span = total - (cidr.family === 'IPv4' ? 3n : 2n)
    if (span > 65534n) span = 65534n
    if (span <= 0n) return undefined
    const id = `${cidr.family}/${cidr.network}/${cidr.prefix}`
    if (this.full.has(id)) return undefined
    const start = seedFor(`${key}#${cidr.family}`) % span
    for (let i = 0n; i < span; i++) {
      const ip = formatIP({ family: cidr.family, value: cidr.network + 2n + ((start + i) % span) })
      if (!this.taken.has(ip)) {
        this.taken.add(ip)
        return ip
      }
    }
    this.full.add(id)
    return undefined
  }
}

const CIDRS = [
  '10.244.0.0/24', '10.244.1.0/24', '0.0.0.0/24', '255.255.255.0/24', '192.168.0.0/16', '10.0.0.0/8', '10.1.2.0/30',
  '10.1.2.4/31', '10.1.2.8/32', '10.1.0.0/28', '100.64.0.0/15', '172.16.0.0/17', '10.3.16.0/20', '10.5.2.0/23', '10.6.7.128/25',
  'fd00:10:244::/64', 'fd00::/112', 'fd00::/120', 'fd00::/126', 'fd00::/127', 'fd00::/128', '2001:db8::/48', 'ffff:ffff:ffff:ffff::/64', 'fd00::/111',
  // A last group of the network that is not zero (prefix > 112): the host is added to it.
  'fd00::ab00/120', 'fd00::ff00/120', 'fd00:0:0:1::fff0/124', '::ff00/120', '1:0:0:0:0:0:1:0/112',
].map((c) => parseCIDRSloppy(c) as ParsedCIDR) // prettier-ignore

describe('PodIPAllocator', () => {
  it('assigns exactly what the bigint formulation assigns, through collisions until each CIDR is full', () => {
    const fast = new PodIPAllocator()
    const ref = new ReferenceAllocator()
    for (const ip of ['10.244.0.7', '10.1.2.2', 'fd00::5', '10.1.0.9']) {
      fast.reserve(ip)
      ref.reserve(ip)
    }
    for (let i = 0; i < 3000; i++) {
      const cidr = CIDRS[i % CIDRS.length] as ParsedCIDR
      const key = `ns-${i % 7}/pod-${i}-é`
      expect(fast.assign(cidr, key), `${key} in ${formatIP({ family: cidr.family, value: cidr.network })}/${cidr.prefix}`).toBe(ref.assign(cidr, key))
    }
  })

  it('seedModulo is seedFor mod m', () => {
    for (const m of [1, 2, 3, 253, 254, 65533, 65534, 2 ** 32, 2 ** 40]) {
      for (const key of ['', 'a', 'shop/web-abc#IPv4', 'x'.repeat(300)]) expect(seedModulo(key, m), `${key} mod ${m}`).toBe(Number(seedFor(key) % BigInt(m)))
    }
  })
})
