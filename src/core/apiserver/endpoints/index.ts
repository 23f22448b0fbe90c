/**
 * @module apiserver/endpoints
 * EndpointSlices computed like the EndpointSlice controller (see compute.ts).
 */
export * from './compute.ts'
