/**
 * Counts the element visits a function makes through the built-in collection operations: every
 * element an Array callback method (filter, map, find, some, ...) or search (includes, indexOf)
 * may touch, every element sorted, and every step of an Array / Map / Set iterator (for…of,
 * spread, destructuring, Array.from). A nested loop over two inputs shows up as their product, so
 * the count grows quadratically exactly when the work does — with no timer involved.
 *
 * Counting is installed on the built-in prototypes for the duration of `countWork` only and is
 * always removed afterwards. Index loops (`for (let i…)`) and string scans are not seen; they are a
 * minority in the core, and the checks that matter (nested passes over Services, pods, slices)
 * go through these operations.
 */

type AnyFn = (...args: unknown[]) => unknown

/** Array methods whose work is at most the receiver's length (callback methods and searches). */
const ARRAY_LINEAR = [
  'filter', 'map', 'forEach', 'find', 'findIndex', 'findLast', 'findLastIndex', 'some', 'every',
  'reduce', 'reduceRight', 'flatMap', 'includes', 'indexOf', 'lastIndexOf', 'join', 'slice', 'concat', 'sort',
] as const

let visits = 0

function patch(target: object, key: PropertyKey, make: (orig: AnyFn) => AnyFn, undo: (() => void)[]): void {
  const desc = Object.getOwnPropertyDescriptor(target, key)
  if (!desc || typeof desc.value !== 'function') return
  const orig = desc.value as AnyFn
  Object.defineProperty(target, key, { ...desc, value: make(orig) })
  undo.push(() => Object.defineProperty(target, key, desc))
}

/** Wraps an iterator so each `next()` counts one visit. */
function counting<T>(it: Iterator<T>): IterableIterator<T> {
  const wrapped: IterableIterator<T> = {
    // No spread or rest here: they would iterate an array, i.e. call back into this wrapper.
    next() {
      visits++
      return it.next()
    },
    [Symbol.iterator]() {
      return wrapped
    },
  }
  return wrapped
}

function install(): () => void {
  const undo: (() => void)[] = []
  for (const m of ARRAY_LINEAR) {
    patch(Array.prototype, m, (orig) => function (this: unknown[], ...args: unknown[]) {
      visits += this.length
      return orig.apply(this, args)
    }, undo)
  }
  for (const proto of [Array.prototype, Map.prototype, Set.prototype]) {
    for (const m of [Symbol.iterator, 'entries', 'values', 'keys'] as const) {
      patch(proto, m, (orig) => function (this: unknown) {
        return counting(orig.call(this) as Iterator<unknown>)
      }, undo)
    }
    if (proto !== Array.prototype) {
      patch(proto, 'forEach', (orig) => function (this: Map<unknown, unknown> | Set<unknown>, ...args: unknown[]) {
        visits += this.size
        return orig.apply(this, args)
      }, undo)
    }
  }
  return () => {
    for (const u of undo.reverse()) u()
  }
}

/** Visits counted so far in the current `countWork` (for attributing work to a part of it). */
export function visitsSoFar(): number {
  return visits
}

/** Runs `f` with counting installed; returns its result and the number of element visits. */
export function countWork<T>(f: () => T): { value: T; visits: number } {
  const uninstall = install()
  visits = 0
  try {
    const value = f()
    return { value, visits }
  } finally {
    uninstall()
  }
}
