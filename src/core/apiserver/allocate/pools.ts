/**
 * @module apiserver/allocate/pools
 * The allocators of one cluster (one ClusterIP allocator per configured family, one NodePort pool)
 * and a small transaction log, mirroring the apiserver's per-request rollback: if any later step
 * of a request fails, everything this request took is released (storage/transaction.go).
 */
import type { Family } from '../../net/ip.ts'
import type { IPAllocator } from './ip-allocator.ts'
import type { NodePortAllocator } from './node-port.ts'

/** The allocators of the emulated apiserver. */
export interface Pools {
  /** Configured families in flag order; the first is the primary. */
  readonly families: readonly Family[]
  readonly ips: ReadonlyMap<Family, IPAllocator>
  readonly ports: NodePortAllocator
}

/** What one request took (undone on failure) and what it releases once it succeeds. */
export class Txn {
  private readonly undo: (() => void)[] = []
  private readonly deferred: (() => void)[] = []

  /** Records an allocation to undo on revert. */
  took(release: () => void): void {
    this.undo.push(release)
  }

  /** ReleaseDeferred: runs only on commit. */
  releaseLater(release: () => void): void {
    this.deferred.push(release)
  }

  /** Rolls back every allocation of this request. */
  revert(): void {
    for (const u of this.undo.reverse()) u()
    this.undo.length = 0
    this.deferred.length = 0
  }

  /** Applies deferred releases. */
  commit(): void {
    for (const r of this.deferred) r()
    this.deferred.length = 0
    this.undo.length = 0
  }
}
