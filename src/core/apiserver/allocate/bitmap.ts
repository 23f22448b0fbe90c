/**
 * @module apiserver/allocate/bitmap
 * A sparse stand-in for the apiserver's allocation bitmap (pkg/registry/core/service/allocator
 * bitmap.go): offsets 0..max-1, each free or owned by a Service. Only taken offsets are stored, so
 * a /12 (about a million offsets) costs nothing until used. Dynamic picks follow
 * randomScanStrategyWithOffset: a scan with wrap-around over the upper band [offset, max) from a
 * start point, then over the static band [0, offset) — with seeded instead of random starts.
 */

/** Why a static allocation failed. */
export type TakeResult = 'ok' | 'allocated' | 'out-of-range'

export class OffsetBitmap {
  private readonly owners = new Map<number, string>()
  private upperUsed = 0
  private lowerUsed = 0

  /**
   * @param max number of offsets (usable values)
   * @param offset static band size: offsets below it are the static band
   */
  constructor(
    readonly max: number,
    readonly offset: number,
  ) {}

  /** Offsets in use. */
  get used(): number {
    return this.owners.size
  }

  /** Owner key of offset `k`, if taken. */
  ownerOf(k: number): string | undefined {
    return this.owners.get(k)
  }

  /** Allocate(k): fails when outside the range or already taken. */
  take(k: number, owner: string): TakeResult {
    if (!Number.isInteger(k) || k < 0 || k >= this.max) return 'out-of-range'
    if (this.owners.has(k)) return 'allocated'
    this.owners.set(k, owner)
    if (k < this.offset) this.lowerUsed++
    else this.upperUsed++
    return 'ok'
  }

  /** Release(k); a no-op for a free offset. */
  release(k: number): void {
    if (!this.owners.delete(k)) return
    if (k < this.offset) this.lowerUsed--
    else this.upperUsed--
  }

  /** Releases every offset owned by `owner`. */
  releaseOwner(owner: string): void {
    for (const [k, o] of [...this.owners]) if (o === owner) this.release(k)
  }

  /**
   * AllocateNext with seeded starts. Returns the offset taken, or undefined when the range is full
   * (upstream ErrFull "range is full").
   */
  takeNext(starts: { readonly upper: bigint; readonly lower: bigint }, owner: string): number | undefined {
    const k = this.peekNext(starts)
    if (k !== undefined) this.take(k, owner)
    return k
  }

  /** The offset takeNext would pick, without taking it. */
  peekNext(starts: { readonly upper: bigint; readonly lower: bigint }): number | undefined {
    const sub = this.max - this.offset
    if (sub > 0 && this.upperUsed < sub) {
      const start = Number(starts.upper % BigInt(sub))
      for (let i = 0; i < sub; i++) {
        const at = this.offset + ((start + i) % sub)
        if (!this.owners.has(at)) return at
      }
    }
    if (this.offset > 0 && this.lowerUsed < this.offset) {
      const start = Number(starts.lower % BigInt(this.offset))
      for (let i = 0; i < this.offset; i++) {
        const at = (start + i) % this.offset
        if (!this.owners.has(at)) return at
      }
    }
    return undefined
  }
}
