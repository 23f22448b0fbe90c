/**
 * @module diff
 * The what-if diff of two plans (see plan-diff.ts).
 */
export type * from './types.ts'
export * from './plan-diff.ts'
