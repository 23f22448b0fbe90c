/**
 * @module parse
 * The parse stage: manifest text → typed inventory with positions (see parse-sources.ts).
 */
export { DEFAULT_LIMITS } from './limits.ts'
export type { ParseLimits } from './limits.ts'
export { K8S_YAML_SCHEMA } from './schema.ts'
export * from './parse-sources.ts'
