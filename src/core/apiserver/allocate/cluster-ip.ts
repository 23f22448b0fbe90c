/**
 * @module apiserver/allocate/cluster-ip
 * One ClusterIP allocator per family, mirroring the bitmap allocator
 * (pkg/registry/core/service/ipallocator/bitmap.go Range: Allocate, AllocateNext, Release) with
 * the error texts of ipallocator/interfaces.go for v1.32.
 */
import { cidrContains, formatIP, parseIPSloppy } from '../../net/ip.ts'
import type { RangeReport } from '../types.ts'
import { OffsetBitmap } from './bitmap.ts'
import { ipAt } from './ranges.ts'
import type { IPRange } from './ranges.ts'
import { startsFor } from './seed.ts'

/** ipallocator ErrAllocated. */
export const ERR_IP_ALLOCATED = 'provided IP is already allocated'

/** Outcome of a static request: ok, or the allocator's error text. */
export type AllocResult = { readonly ok: true } | { readonly ok: false; readonly reason: string }

export class ClusterIPAllocator {
  readonly bitmap: OffsetBitmap

  constructor(readonly range: IPRange) {
    this.bitmap = new OffsetBitmap(range.size, range.offset)
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

  /** True when `ip` lies in the static band (KEP-3070). */
  inStaticBand(ip: string): boolean {
    const k = this.offsetOf(ip)
    return k !== undefined && k < this.range.offset
  }

  /** The range report: allocatable size, static band, used and free. */
  report(): RangeReport {
    const o = this.range.offset
    return {
      kind: 'service-cidr',
      range: this.range.text,
      size: this.range.size,
      staticBand: o > 0 ? { first: ipAt(this.range, 0), last: ipAt(this.range, o - 1), size: o } : { first: '', last: '', size: 0 },
      used: this.bitmap.used,
      free: this.range.size - this.bitmap.used,
    }
  }
}
