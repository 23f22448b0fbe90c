/**
 * @module apiserver
 * kube-apiserver emulation: validation, defaulting, allocation, workloads and EndpointSlices (see emulate.ts).
 */
export type * from './types.ts'
export * from './emulate.ts'
