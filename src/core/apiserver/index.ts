/**
 * @module apiserver
 * kube-apiserver emulation: validation, defaulting, allocation, workloads and EndpointSlices (see emulate.ts).
 */
export type * from './types.ts'
export { kubectlInvalid, kubectlInternal } from './validate/field-errors.ts'
export { ipStaticBandSize, portStaticBandSize } from './allocate/bands.ts'
export * from './emulate.ts'
