/**
 * @module apiserver/allocate/ip-allocator
 * What the Service pipeline asks of a family's ClusterIP allocator, whichever generation backs it:
 * the legacy bitmap over `--service-cluster-ip-range` (cluster-ip.ts, default before 1.33) or
 * IPAddress objects over the ServiceCIDRs (ipaddress.ts, 1.33 with a bitmap dual write, 1.34+
 * alone). Mirrors the `ipallocator.Interface` methods alloc.go calls.
 */
import type { Family } from '../../net/ip.ts'
import type { RangeReport } from '../types.ts'

/** Outcome of a static request: ok, or the allocator's error text. */
export type AllocResult = { readonly ok: true } | { readonly ok: false; readonly reason: string }

/** ipallocator ErrAllocated. */
export const ERR_IP_ALLOCATED = 'provided IP is already allocated'

/** A requested IP that lies in the dynamic band of a range that has a static band (KEP-3070). */
export interface DynamicBandHit {
  readonly range: string
  readonly staticBand: RangeReport['staticBand']
}

export interface IPAllocator {
  readonly family: Family
  /** The flag range (`IPNet.String()`), the one the `kubernetes` Service's IP comes from. */
  readonly rangeText: string
  /** The first usable IP of the flag range (the `kubernetes` Service's), undefined when it has none. */
  firstIP(): string | undefined
  /** Allocate(ip) for `owner` (`namespace/name`). */
  allocate(ip: string, owner: string): AllocResult
  /** Marks an IP already in the cluster as used; false when the allocator cannot hold it. */
  reserve(ip: string, owner: string): boolean
  /** AllocateNext with a start seeded by `key`; undefined when every range is full. */
  allocateNext(key: string, owner: string): string | undefined
  /** True when no IP is left to pick dynamically. */
  full(): boolean
  /** Release(ip). */
  release(ip: string): void
  /** Where a requested IP lands when it is in a dynamic band (else undefined). */
  dynamicBandOf(ip: string): DynamicBandHit | undefined
  /** One report per range (per ServiceCIDR with the IPAddress allocator). */
  reports(): RangeReport[]
}
