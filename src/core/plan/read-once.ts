/**
 * @module plan/read-once
 * Properties of a view object computed on first read from what the object holds, for the plan's
 * per-Service and per-port views (services.ts, service-ports.ts): a diff reads every view of both
 * sides but the endpoints of its changed Services only. The properties are enumerable own
 * accessors defined in the place assigning them would take, so JSON, spreads and comparisons read
 * them as data.
 */

/** Fields of `V` computed together from one held `H`, defined on objects as accessors. */
export interface ReadOnce<H, V> {
  /** Holds `held` for `o` and defines `keys` on `o` (in that order), each read from one `compute(held)`. */
  define(o: object, held: H, keys: readonly (keyof V & string)[]): void
  /** What `o` holds, undefined for an object `define` was not called on. */
  held(o: object): H | undefined
}

/**
 * A {@link ReadOnce} over `compute`, with one accessor per key shared by every object: a closure
 * per object would give each its own hidden class (V8 keeps accessor functions in the map), making
 * every read of them megamorphic.
 */
export function readOnce<H, V>(compute: (held: H) => V, keys: readonly (keyof V & string)[]): ReadOnce<H, V> {
  const slots = new WeakMap<object, { readonly held: H; value?: V }>()
  const valueOf = (o: object): V => {
    const slot = slots.get(o) as { readonly held: H; value?: V }
    if (!('value' in slot)) slot.value = compute(slot.held)
    return slot.value as V
  }
  const descriptors = new Map<string, PropertyDescriptor>()
  for (const k of keys) descriptors.set(k, { get(this: object) { return valueOf(this)[k] }, enumerable: true, configurable: true })
  return {
    define(o, held, which) {
      slots.set(o, { held })
      for (const k of which) Object.defineProperty(o, k, descriptors.get(k) as PropertyDescriptor)
    },
    held: (o) => slots.get(o)?.held,
  }
}
