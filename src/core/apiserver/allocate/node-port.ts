/**
 * @module apiserver/allocate/node-port
 * The cluster-wide NodePort pool (pkg/registry/core/service/portallocator/allocator.go): one
 * number serves one Service whatever the protocol. Same scan strategy as ClusterIPs, KEP-3668 band.
 */
import type { RangeReport } from '../types.ts'
import { OffsetBitmap } from './bitmap.ts'
import type { AllocResult } from './ip-allocator.ts'
import type { PortRange } from './ranges.ts'
import { startsFor } from './seed.ts'

/** portallocator ErrAllocated. */
export const ERR_PORT_ALLOCATED = 'provided port is already allocated'

export class NodePortAllocator {
  readonly bitmap: OffsetBitmap

  constructor(readonly range: PortRange) {
    this.bitmap = new OffsetBitmap(range.size, range.offset)
  }

  /** Allocate(port): ErrNotInRange or ErrAllocated. */
  allocate(port: number, owner: string): AllocResult {
    const r = this.bitmap.take(port - this.range.base, owner)
    if (r === 'ok') return { ok: true }
    if (r === 'out-of-range') {
      return { ok: false, reason: `provided port is not in the valid range. The range of valid ports is ${this.range.text}` }
    }
    return { ok: false, reason: ERR_PORT_ALLOCATED }
  }

  /** Marks a port already in the cluster as used; out-of-range ports are ignored. */
  reserve(port: number, owner: string): boolean {
    return this.bitmap.take(port - this.range.base, owner) === 'ok'
  }

  /** Owner of a port, if taken. */
  ownerOf(port: number): string | undefined {
    return this.bitmap.ownerOf(port - this.range.base)
  }

  /** AllocateNext seeded by `key`; undefined when full. */
  allocateNext(key: string, owner: string): number | undefined {
    const k = this.bitmap.takeNext(startsFor(key), owner)
    return k === undefined ? undefined : this.range.base + k
  }

  /** True when no port is free. */
  full(): boolean {
    return this.bitmap.used >= this.range.size
  }

  /** Release(port). */
  release(port: number): void {
    this.bitmap.release(port - this.range.base)
  }

  /** The range report. */
  report(): RangeReport {
    const { base, offset, size, text } = this.range
    // Keys in sorted order: the JSON report prints them with V8's own stringify (report/native-json.ts).
    return {
      free: size - this.bitmap.used,
      kind: 'node-ports',
      range: text,
      size,
      staticBand: offset > 0 ? { first: String(base), last: String(base + offset - 1), size: offset } : { first: '', last: '', size: 0 },
      used: this.bitmap.used,
    }
  }
}
