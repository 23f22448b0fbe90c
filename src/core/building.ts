/**
 * @module building
 * Objects with optional fields built by assignment instead of conditional spreads
 * (`...(x !== undefined ? { x } : {})`): each such spread allocates a small object and copies it
 * through V8's generic CopyDataProperties, ≈ 40 ns apiece (an endpoint object with three of them:
 * 150 ns built by spreads, 30 ns by assignment, Node 20). Fields are assigned in the order the
 * literal listed them, so every object keeps its key order.
 */

/** `T` while its fields are being assigned: writable, each one optional until assigned. */
export type Building<T> = { -readonly [K in keyof T]?: T[K] }
