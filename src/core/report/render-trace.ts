/**
 * @module report/render-trace
 * One renderer for `kube-whatif trace` and `POST /v1/trace`, so both print the same bytes.
 */
import { renderDot } from '../diagram/dot.ts'
import { renderMermaid } from '../diagram/mermaid.ts'
import { traceDiagrams } from '../diagram/plan-diagrams.ts'
import { renderSvgDocument } from '../diagram/svg.ts'
import type { Staged } from '../issues.ts'
import type { PlanResult } from '../plan/types.ts'
import { renderTracesText } from './trace-text.ts'
import type { Trace } from '../trace/types.ts'

/** Output formats of a trace. */
export const TRACE_FORMATS = ['text', 'json', 'mermaid', 'dot', 'svg'] as const
export type TraceFormat = (typeof TRACE_FORMATS)[number]

/**
 * Renders traces. `mermaid`/`dot`/`svg`: one diagram per probe. JSON: one trace object when `single` (the `--from/--to` form), else an array in
 * probe order; each has `output` and `masquerade` (kube-proxy's tracer view) and `outcomes`.
 * Issues (unresolved probes) are not part of the output; callers report them separately.
 * @example renderTraces(traceProbes(plan, probes), 'json', { single: false })
 */
export function renderTraces(
  traces: Staged<readonly Trace[]>,
  format: TraceFormat,
  opts: { readonly single?: boolean; readonly plan?: PlanResult } = {},
): string {
  if (format === 'mermaid' || format === 'dot' || format === 'svg') {
    // One subgraph per probe: the path it took; endpoints named from the plan when there is one.
    const diagrams = traceDiagrams(traces.value, opts.plan)
    if (format === 'mermaid') return renderMermaid(diagrams)
    return format === 'dot' ? renderDot(diagrams) : renderSvgDocument(diagrams)
  }
  if (format === 'json') {
    const value = opts.single === true ? (traces.value[0] ?? null) : traces.value
    return `${JSON.stringify(value, null, 2)}\n`
  }
  return renderTracesText(traces.value)
}
