/**
 * @module limits
 * Work limits: every cost that grows with a number written in the input (not with its size in
 * bytes, which the parser limits bound) is checked against one of these BEFORE the work is done.
 * A manifest with `replicas: 2147483647` is 400 bytes; without a check, synthesising its pods
 * would exhaust any heap. Breaking a limit leaves that object out with a `limit/*` issue at the
 * offending field, and the rest is still planned. The CLI can raise them (`--max-*` options); the
 * Worker cannot. `docs/limits.md` lists them with their defaults.
 */

/** Limits on the work one plan (or trace) may do. */
export interface WorkLimits {
  /** Pods synthesised for one workload (`spec.replicas`, Job `parallelism`). */
  readonly maxReplicas: number
  /** Pods synthesised in total, over all workloads of one plan. */
  readonly maxPods: number
  /** Ports of one Service (`spec.ports`). */
  readonly maxServicePorts: number
  /** Endpoints of one Service (given EndpointSlices or computed from Pods), counted per port. */
  readonly maxServiceEndpoints: number
  /** Endpoints of all Services together. */
  readonly maxEndpoints: number
  /** Distinct outcomes of all probes of one trace run (equal branches are merged before counting); at least `maxServiceEndpoints`, one outcome per endpoint. */
  readonly maxTracePaths: number
  /** UTF-8 bytes one value (a name, an issue message) may take in any output; longer ones are cut. */
  readonly maxValueBytes: number
}

/**
 * Defaults, above the benchmark's sizes (45k Services, 100k endpoints, 100k synthesised pods)
 * and above what real clusters hold (Kubernetes' tested scalability limits: 150k pods per
 * cluster; Services with more than a few dozen ports do not occur in practice).
 */
export const DEFAULT_WORK_LIMITS: WorkLimits = Object.freeze({
  maxReplicas: 50_000,
  maxPods: 200_000,
  maxServicePorts: 1_000,
  maxServiceEndpoints: 100_000,
  maxEndpoints: 300_000,
  maxTracePaths: 100_000,
  maxValueBytes: 4_096,
})

/** The option that raises each limit on the CLI (`--max-replicas N`, ...). */
export const WORK_LIMIT_OPTIONS: Readonly<Record<keyof WorkLimits, string>> = Object.freeze({
  maxReplicas: '--max-replicas',
  maxPods: '--max-pods',
  maxServicePorts: '--max-service-ports',
  maxServiceEndpoints: '--max-service-endpoints',
  maxEndpoints: '--max-endpoints',
  maxTracePaths: '--max-trace-paths',
  maxValueBytes: '--max-value-bytes',
})

/** Merges overrides onto the defaults, ignoring values that are not positive integers. */
export function resolveWorkLimits(overrides: Partial<WorkLimits> = {}): WorkLimits {
  const out: Record<string, number> = {}
  for (const key of Object.keys(DEFAULT_WORK_LIMITS) as (keyof WorkLimits)[]) {
    const v = overrides[key]
    out[key] = typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : DEFAULT_WORK_LIMITS[key]
  }
  return out as unknown as WorkLimits
}

/** How to raise `key`, for issue messages. */
export function raiseHint(key: keyof WorkLimits): string {
  return `raise it with ${WORK_LIMIT_OPTIONS[key]} on the CLI`
}
