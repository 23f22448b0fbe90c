/**
 * Timing primitives. CPU time (user + system of the whole process, GC helper threads included) is
 * the primary measure: on a shared machine wall time is dominated by scheduling, while CPU time
 * and the ratios between phases measured in the same process stay stable. Wall time is recorded
 * too. With `--expose-gc` the heap is collected before every timed block, so each block pays for
 * its own garbage rather than for the previous block's.
 */

/** One timed block. */
export interface Timing {
  readonly cpu: number
  readonly wall: number
}

const gc: (() => void) | undefined = (globalThis as { gc?: () => void }).gc

/** True when the process runs with `--expose-gc` (the bench script sets it). */
export const hasGc = gc !== undefined

/** Collects the heap now (with `--expose-gc`; nothing without). */
export function collect(): void {
  gc?.()
}

/**
 * Runs `f` once and returns its result with its CPU and wall time in milliseconds. `collect: false`
 * skips the collection before it: for blocks of a few milliseconds the concurrent sweeping that
 * follows a forced full GC would land in the measurement.
 */
export function timed<T>(f: () => T, collect = true): { value: T } & Timing {
  if (collect) gc?.()
  const c0 = process.cpuUsage()
  const w0 = performance.now()
  const value = f()
  const wall = performance.now() - w0
  const c = process.cpuUsage(c0)
  return { value, cpu: (c.user + c.system) / 1000, wall }
}

/** Median (mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN
  const s = [...xs].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** Collects named samples over several runs and reduces them to medians. */
export class Samples {
  private readonly cpu = new Map<string, number[]>()
  private readonly wall = new Map<string, number[]>()

  add(name: string, t: Timing): void {
    ;(this.cpu.get(name) ?? this.cpu.set(name, []).get(name)!).push(t.cpu)
    ;(this.wall.get(name) ?? this.wall.set(name, []).get(name)!).push(t.wall)
  }

  /** Adds the sum of several named samples of the current run as another name. */
  addSum(name: string, parts: readonly Timing[]): void {
    this.add(name, { cpu: parts.reduce((n, t) => n + t.cpu, 0), wall: parts.reduce((n, t) => n + t.wall, 0) })
  }

  /** Medians per name, rounded to 0.1 ms. */
  medians(which: 'cpu' | 'wall'): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [k, v] of which === 'cpu' ? this.cpu : this.wall) out[k] = round1(median(v))
    return out
  }
}

/** Rounds to one decimal. */
export function round1(x: number): number {
  return Math.round(x * 10) / 10
}

/** Rounds to two decimals (ratios). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100
}
