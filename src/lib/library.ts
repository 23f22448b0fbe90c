/**
 * @module lib/library
 * What `import { plan, diff, trace } from 'kube-whatif'` gives scripts: the CLI's three commands
 * over manifest text already in memory (no file system, no process), with the same results and
 * renderings the CLI prints. Reading files from disk is the caller's business (or the CLI's).
 */
import {
  parseProbesFile,
  planDiff,
  planFromSources,
  renderDiff,
  renderPlan,
  renderTraces,
  traceProbes,
  type DiffFormat,
  type DiffReportOptions,
  type IPFamily,
  type Issue,
  type PlanDiff,
  type PlanFormat,
  type PlanResult,
  type ProbeSpec,
  type SourceFile,
  type Staged,
  type Trace,
  type TraceFormat,
} from '#core'

export type { DiffFormat, DiffReportOptions, IPFamily, Issue, PlanDiff, PlanFormat, PlanResult, ProbeSpec, Trace, TraceFormat }
export { renderDiff, renderPlan, renderTraces }

/** One manifest file's text and the path its issues are reported against. */
export interface Source {
  readonly path: string
  readonly text: string
}

/** What the rendered node and family are (as `plan --node` / `--ip-family`). */
export interface TargetOptions {
  readonly node?: string
  readonly ipFamily?: IPFamily
}

/** Input of {@link plan}: the proposed manifests and what already exists (`--cluster`). */
export interface PlanRequest extends TargetOptions {
  readonly proposed?: readonly Source[]
  readonly cluster?: readonly Source[]
}

/** Input of {@link diff}: both sides, the shared cluster facts, optional probes. */
export interface DiffRequest extends TargetOptions {
  readonly base: readonly Source[]
  readonly head: readonly Source[]
  readonly cluster?: readonly Source[]
  /** Probe specs, or the text of a probes file (YAML/JSON list of `{name, from, to, protocol}`). */
  readonly probes?: readonly ProbeSpec[] | Source
}

/** Input of {@link trace}: what to plan, and the probes to send through the node's rules. */
export interface TraceRequest extends PlanRequest {
  /** Probe specs (`{from, to, protocol?, name?}`), or the text of a probes file. */
  readonly probes: readonly ProbeSpec[] | Source
}

const files = (sources: readonly Source[] | undefined, origin: SourceFile['origin']): SourceFile[] =>
  (sources ?? []).map((s) => ({ path: s.path, text: s.text, origin }))

const target = (r: TargetOptions) => ({ ...(r.node !== undefined ? { node: r.node } : {}), ...(r.ipFamily !== undefined ? { ipFamily: r.ipFamily } : {}) })

function probeSpecs(probes: readonly ProbeSpec[] | Source): Staged<{ specs: readonly ProbeSpec[]; sources: Parameters<typeof traceProbes>[2] }> {
  if (!('text' in probes)) return { value: { specs: probes, sources: [] }, issues: [] }
  const parsed = parseProbesFile(probes.path, probes.text)
  return { value: { specs: parsed.value.specs, sources: parsed.value.sources }, issues: parsed.issues }
}

/**
 * `kube-whatif plan`: allocations, endpoints and kube-proxy's rules for one node.
 *
 * @example
 * const { value, issues } = plan({ proposed: [{ path: 'svc.yaml', text }] })
 * console.log(renderPlan({ value, issues }, 'iptables-restore'))
 */
export function plan(request: PlanRequest): Staged<PlanResult> {
  return planFromSources({ files: [...files(request.cluster, 'existing'), ...files(request.proposed, 'proposed')], options: target(request) })
}

/**
 * `kube-whatif diff`: base and head planned against the same cluster facts, and what changes.
 * `renderDiff(result, 'json' | 'markdown' | 'text' | 'sarif')` prints it as the CLI does.
 */
export function diff(request: DiffRequest): Staged<PlanDiff> {
  const probes = request.probes === undefined ? undefined : probeSpecs(request.probes)
  const result = planDiff({
    base: files(request.base, 'proposed'),
    head: files(request.head, 'proposed'),
    cluster: files(request.cluster, 'existing'),
    ...(probes !== undefined ? { probes: probes.value.specs } : {}),
    options: target(request),
  })
  return probes === undefined ? result : { value: result.value, issues: [...probes.issues, ...result.issues] }
}

/**
 * `kube-whatif trace`: every outcome of each probe on the planned node, with its probability and
 * the rules on its path. Issues of the plan and of the probes come back with the traces.
 */
export function trace(request: TraceRequest): Staged<Trace[]> {
  const planned = plan(request)
  const probes = probeSpecs(request.probes)
  const traced = traceProbes(planned.value, probes.value.specs, probes.value.sources)
  return { value: traced.value, issues: [...probes.issues, ...planned.issues, ...traced.issues] }
}
