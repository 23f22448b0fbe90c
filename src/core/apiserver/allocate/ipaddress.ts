/**
 * @module apiserver/allocate/ipaddress
 * The IPAddress-object ClusterIP allocator of one family (KEP-1880): one range per ServiceCIDR
 * (`kubernetes` mirrors the flag), every allocated IP an IPAddress object named after it, so
 * uniqueness is global across overlapping ranges. Mirrors pkg/registry/core/service/ipallocator
 * cidrallocator.go MetaAllocator (getAllocator, AllocateService, AllocateNextService) and
 * ipallocator.go Allocator (hostsPerNetwork, broadcastAddress, the band scan), plus the 1.33 dual
 * write to the legacy bitmap for IPs inside the flag range.
 *
 * Only used IPs are stored, so a /64 costs nothing until used; a dynamic pick scans from a seeded
 * start and steps over used IPs only.
 */
import type { Family, ParsedCIDR, ParsedIP } from '../../net/ip.ts'
import { cidrContains, formatCIDR, formatIP, parseIPSloppy } from '../../net/ip.ts'
import type { RangeReport } from '../types.ts'
import { ipStaticBandSize } from './bands.ts'
import type { ClusterIPAllocator } from './cluster-ip.ts'
import { ERR_MISMATCHED_NETWORK } from './generation.ts'
import { ERR_IP_ALLOCATED, type AllocResult, type DynamicBandHit, type IPAllocator } from './ip-allocator.ts'
import { startsFor } from './seed.ts'

/** One ServiceCIDR's CIDR of this family, as ipallocator.Allocator sees it. */
export interface CIDRRange {
  /** The ServiceCIDR's name (`kubernetes` for the flag). */
  readonly name: string
  readonly cidr: ParsedCIDR
  readonly text: string
  /** network + 1. */
  readonly first: bigint
  /** Usable addresses: IPv4 2^h-2, IPv6 2^h-1 (the all-ones address is usable). */
  readonly size: bigint
  /** Static band size (KEP-3070, same as the bitmap's). */
  readonly offset: bigint
}

/** Builds the allocator's view of a CIDR (hostsPerNetwork). */
export function cidrRangeOf(name: string, cidr: ParsedCIDR): CIDRRange {
  const bits = cidr.family === 'IPv4' ? 32 : 128
  const h = bits - cidr.prefix
  let size = cidr.family === 'IPv4' ? 2n ** BigInt(h) - 2n : 2n ** BigInt(h) - 1n
  if (size < 0n) size = 0n
  return { name, cidr, text: formatCIDR(cidr), first: cidr.network + 1n, size, offset: BigInt(ipStaticBandSize(h, cidr.family)) }
}

/** servicecidr prefixContainsIP: inside the CIDR, not its network address, and (IPv4) not its broadcast. */
function containsHost(r: CIDRRange, ip: ParsedIP): boolean {
  return cidrContains(r.cidr, ip) && ip.value >= r.first && ip.value < r.first + r.size
}

interface RangeState {
  readonly r: CIDRRange
  upperUsed: bigint
  lowerUsed: bigint
}

export class IPAddressAllocator implements IPAllocator {
  readonly family: Family
  readonly rangeText: string
  private readonly ranges: RangeState[]
  /** IPAddress objects: IP value → owner. */
  private readonly used = new Map<bigint, string>()

  /**
   * @param ranges the ready ranges of this family, the flag's (`kubernetes`) first; dynamic picks
   *   try them in this order (upstream iterates a Go map: effectively arbitrary)
   * @param bitmap the 1.33 dual-write target over the flag range, if any
   */
  constructor(
    ranges: readonly CIDRRange[],
    private readonly bitmap?: ClusterIPAllocator,
  ) {
    const flag = ranges[0]
    this.family = flag?.cidr.family ?? 'IPv4'
    this.rangeText = flag?.text ?? ''
    this.ranges = ranges.map((r) => ({ r, upperUsed: 0n, lowerUsed: 0n }))
  }

  firstIP(): string | undefined {
    const flag = this.ranges[0]?.r
    return flag !== undefined && flag.size > 0n ? formatIP({ family: this.family, value: flag.first }) : undefined
  }

  /** AllocateService: a ready ServiceCIDR must contain the IP; then the bitmap (1.33) and the IPAddress object. */
  allocate(ip: string, owner: string): AllocResult {
    const p = parseIPSloppy(ip)
    if (p === undefined || !this.ranges.some((s) => containsHost(s.r, p))) return { ok: false, reason: ERR_MISMATCHED_NETWORK }
    if (this.bitmap !== undefined && cidrContains(this.bitmap.range.cidr, p)) {
      const b = this.bitmap.allocate(ip, owner)
      if (!b.ok) return b
    }
    if (this.used.has(p.value)) {
      if (this.bitmap !== undefined) this.bitmap.release(ip)
      return { ok: false, reason: ERR_IP_ALLOCATED }
    }
    this.take(p.value, owner)
    return { ok: true }
  }

  /** An existing Service's IP: its IPAddress object exists whether or not a range still holds it. */
  reserve(ip: string, owner: string): boolean {
    const p = parseIPSloppy(ip)
    if (p === undefined || p.family !== this.family || this.used.has(p.value)) return false
    this.bitmap?.reserve(ip, owner)
    this.take(p.value, owner)
    return true
  }

  allocateNext(key: string, owner: string): string | undefined {
    const starts = startsFor(key)
    for (const s of this.ranges) {
      const v = this.pick(s, starts)
      if (v === undefined) continue
      const ip = formatIP({ family: this.family, value: v })
      this.take(v, owner)
      // Dual write (1.33): best effort for the picked IP; both stores agree in this model.
      this.bitmap?.reserve(ip, owner)
      return ip
    }
    return undefined
  }

  full(): boolean {
    return this.ranges.every((s) => s.upperUsed + s.lowerUsed >= s.r.size)
  }

  release(ip: string): void {
    const p = parseIPSloppy(ip)
    if (p === undefined || !this.used.delete(p.value)) return
    this.bitmap?.release(ip)
    for (const s of this.ranges) {
      if (!containsHost(s.r, p)) continue
      if (p.value - s.r.first < s.r.offset) s.lowerUsed--
      else s.upperUsed--
    }
  }

  dynamicBandOf(ip: string): DynamicBandHit | undefined {
    const p = parseIPSloppy(ip)
    if (p === undefined) return undefined
    const holding = this.ranges.filter((s) => containsHost(s.r, p))
    // Safe when any range holding it has it in its static band.
    if (holding.some((s) => p.value - s.r.first < s.r.offset)) return undefined
    const s = holding.find((x) => x.r.offset > 0n)
    return s === undefined ? undefined : { range: s.r.text, staticBand: this.staticBand(s.r) }
  }

  reports(): RangeReport[] {
    return this.ranges.map((s) => {
      const used = s.upperUsed + s.lowerUsed
      // Keys in sorted order: the JSON report prints them with V8's own stringify (report/native-json.ts).
      return {
        free: Number(s.r.size - used),
        kind: 'service-cidr',
        range: s.r.text,
        serviceCIDR: s.r.name,
        size: Number(s.r.size),
        staticBand: this.staticBand(s.r),
        used: Number(used),
      }
    })
  }

  private staticBand(r: CIDRRange): RangeReport['staticBand'] {
    if (r.offset === 0n) return { first: '', last: '', size: 0 }
    const at = (k: bigint): string => formatIP({ family: this.family, value: r.first + k })
    return { first: at(0n), last: at(r.offset - 1n), size: Number(r.offset) }
  }

  private take(v: bigint, owner: string): void {
    this.used.set(v, owner)
    for (const s of this.ranges) {
      const k = v - s.r.first
      if (k < 0n || k >= s.r.size || !cidrContains(s.r.cidr, { family: this.family, value: v })) continue
      if (k < s.r.offset) s.lowerUsed++
      else s.upperUsed++
    }
  }

  /**
   * ipallocator.Allocator AllocateNext: a seeded start in the upper band [first+offset, last],
   * linear scan with wrap skipping used IPs; then the same in the static band.
   */
  private pick(s: RangeState, starts: { readonly upper: bigint; readonly lower: bigint }): bigint | undefined {
    const { r } = s
    const sub = r.size - r.offset
    if (sub > 0n && s.upperUsed < sub) {
      const v = this.scan(r.first + r.offset, sub, starts.upper % sub)
      if (v !== undefined) return v
    }
    if (r.offset > 0n && s.lowerUsed < r.offset) return this.scan(r.first, r.offset, starts.lower % r.offset)
    return undefined
  }

  /** First free IP of [lo, lo+n) from lo+start, wrapping; at most used+1 steps. */
  private scan(lo: bigint, n: bigint, start: bigint): bigint | undefined {
    for (let i = 0n; i < n; i++) {
      const v = lo + ((start + i) % n)
      if (!this.used.has(v)) return v
    }
    return undefined
  }
}
