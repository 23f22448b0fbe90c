/**
 * @module apiserver/workloads
 * Pods synthesised from workloads (see synthesise.ts).
 */
export * from './synthesise.ts'
