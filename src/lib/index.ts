/**
 * @module kube-whatif (library entry)
 * What `import { plan, diff, trace } from 'kube-whatif'` gives scripts (see lib/library.ts).
 */
export { plan, diff, trace, renderDiff, renderPlan, renderTraces } from './library.ts'
export type {
  DiffFormat,
  DiffReportOptions,
  DiffRequest,
  IPFamily,
  Issue,
  PlanDiff,
  PlanFormat,
  PlanRequest,
  PlanResult,
  ProbeSpec,
  Source,
  TargetOptions,
  Trace,
  TraceFormat,
  TraceRequest,
} from './library.ts'
