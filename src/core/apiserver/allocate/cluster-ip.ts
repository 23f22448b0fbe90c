/**
 * @module apiserver/allocate/cluster-ip
 * The legacy bitmap ClusterIP allocator of one family, mirroring
 * pkg/registry/core/service/ipallocator/bitmap.go Range (Allocate, AllocateNext, Release) with the
 * error texts of ipallocator/interfaces.go: the default allocator before 1.33, and the dual-write
 * target of 1.33 (for IPs inside the flag range).
 */
import type { Family } from '../../net/ip.ts'
import { cidrContains, formatIP, parseIPSloppy } from '../../net/ip.ts'
import type { RangeReport } from '../types.ts'
import { OffsetBitmap } from './bitmap.ts'
import { ERR_IP_ALLOCATED, type AllocResult, type DynamicBandHit, type IPAllocator } from './ip-allocator.ts'
import { ipAt } from './ranges.ts'
import type { IPRange } from './ranges.ts'
import { startsFor } from './seed.ts'

export class ClusterIPAllocator implements IPAllocator {
  readonly bitmap: OffsetBitmap
  readonly family: Family
  readonly rangeText: string

  constructor(readonly range: IPRange) {
    this.bitmap = new OffsetBitmap(range.size, range.offset)
    this.family = range.family
    this.rangeText = range.text
  }

  firstIP(): string | undefined {
    return this.range.size > 0 ? ipAt(this.range, 0) : undefined
  }

  /** Range.contains: the bitmap offset of `ip`, or undefined outside the usable window. */
  offsetOf(ip: string): number | undefined {
    const p = parseIPSloppy(ip)
    if (p === undefined || !cidrContains(this.range.cidr, p)) return undefined
    const k = p.value - this.range.base
    if (k < 0n || k >= BigInt(this.range.size)) return undefined
    return Number(k)
  }

  /** Allocate(ip). Reasons: ErrNotInRange (network, broadcast, outside) or ErrAllocated. */
  allocate(ip: string, owner: string): AllocResult {
    const k = this.offsetOf(ip)
    if (k === undefined) {
      const p = parseIPSloppy(ip)
      const shown = p === undefined ? ip : formatIP(p)
      return { ok: false, reason: `the provided IP (${shown}) is not in the valid range. The range of valid IPs is ${this.range.text}` }
    }
    const r = this.bitmap.take(k, owner)
    return r === 'ok' ? { ok: true } : { ok: false, reason: ERR_IP_ALLOCATED }
  }

  /** Marks an IP already in the cluster as used; IPs outside the window are ignored (like repair). */
  reserve(ip: string, owner: string): boolean {
    const k = this.offsetOf(ip)
    return k !== undefined && this.bitmap.take(k, owner) === 'ok'
  }

  /** Owner of an IP, if it is in the window and taken. */
  ownerOf(ip: string): string | undefined {
    const k = this.offsetOf(ip)
    return k === undefined ? undefined : this.bitmap.ownerOf(k)
  }

  /** AllocateNext with a start seeded by `key`; undefined when the range is full. */
  allocateNext(key: string, owner: string): string | undefined {
    const k = this.bitmap.takeNext(startsFor(key), owner)
    return k === undefined ? undefined : ipAt(this.range, k)
  }

  /** True when there is no free IP left. */
  full(): boolean {
    return this.bitmap.used >= this.range.size
  }

  /** Release(ip). */
  release(ip: string): void {
    const k = this.offsetOf(ip)
    if (k !== undefined) this.bitmap.release(k)
  }

  /** The range and its static band when `ip` lies in the dynamic band (KEP-3070). */
  dynamicBandOf(ip: string): DynamicBandHit | undefined {
    const k = this.offsetOf(ip)
    if (k === undefined || this.range.offset === 0 || k < this.range.offset) return undefined
    return { range: this.range.text, staticBand: this.report().staticBand }
  }

  reports(): RangeReport[] {
    return [this.report()]
  }

  /** The range report: allocatable size, static band, used and free. */
  report(): RangeReport {
    const o = this.range.offset
    // Keys in sorted order: the JSON report prints them with V8's own stringify (report/native-json.ts).
    return {
      free: this.range.size - this.bitmap.used,
      kind: 'service-cidr',
      range: this.range.text,
      size: this.range.size,
      staticBand: o > 0 ? { first: ipAt(this.range, 0), last: ipAt(this.range, o - 1), size: o } : { first: '', last: '', size: 0 },
      used: this.bitmap.used,
    }
  }
}
