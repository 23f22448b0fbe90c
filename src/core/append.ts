/**
 * @module append
 * `target.push(...items)` passes every item as a call argument, and V8 refuses calls with more
 * than roughly 100k arguments ("Maximum call stack size exceeded"). Input-sized lists (issues of
 * a Service with 35,000 ports, trace branches, endpoints) are appended with this loop instead.
 */

/** Appends every item of `items` to `target` in order; returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item)
  return target
}
