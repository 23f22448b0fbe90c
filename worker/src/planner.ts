/**
 * @module worker/planner
 * The `Planner` port implemented with `#core`: request bodies become `SourceFile[]`, the core
 * plans, and the result is rendered exactly as the CLI renders it (`/v1/plan` JSON is
 * `renderPlan(result, 'json')`, byte for byte what `kube-whatif plan -o json` prints, files in the
 * CLI's order: `--cluster` files first, then the proposed ones).
 * The status follows the CLI: whenever `kube-whatif` prints a result (exit 0 or 1) the answer is
 * 200 with the issues inside it; 422 only where the CLI prints nothing (no input, a probe that
 * cannot be traced); 413 only for the body cap.
 */
import { canonicalIP, DEFAULT_LIMITS, DEFAULT_WORK_LIMITS, destinationFamily, PLAN_FORMATS, planDiff, planFromSources, proxyModeOfFormat, renderDiff, renderPlan, renderPlanMarkdown, renderTraces, traceProbes, traceRules } from '#core'
import type { DiffFormat, PlanFormat, PlanResult, SourceFile, Staged, Trace, TraceFormat, WorkLimits } from '#core'
import { HttpError } from './errors.ts'
import { FieldErrors, checkKeys, isRecord, readOptions, readProbes, toSourceFiles } from './input.ts'
import type { RequestOptions, RequestProbe } from './input.ts'
import { FORMAT_MEDIA_TYPES } from './openapi.ts'
import type { Planner, Rendered, RouteName } from './planner-port.ts'
import type { RequestBody } from './request.ts'
import { errorText } from './request.ts'
import { MAX_PROBES } from './probe-schema.ts'
import { VERSION } from './version.ts'

/** Caps for manifests sent as JSON objects, the same as the YAML parser's. */
const INPUT_LIMITS = { maxDocuments: DEFAULT_LIMITS.maxDocuments, maxDepth: DEFAULT_LIMITS.maxDepth }

/**
 * The work limits of every request (docs/limits.md), fixed: a request cannot raise them, so no
 * request can make the isolate synthesise millions of pods or enumerate millions of trace
 * paths. Lower than the CLI's defaults where a request would otherwise run for seconds; each
 * still sits above what real clusters hold per object.
 */
export const WORKER_LIMITS: WorkLimits = Object.freeze({
  maxReplicas: 10_000,
  maxPods: 20_000,
  maxServicePorts: 1_000,
  maxServiceEndpoints: 20_000,
  // Summed over the probes of a request; a trace outcome is ~3 KB of JSON, and workerd has 128 MB.
  maxEndpoints: 50_000,
  maxTracePaths: 5_000,
  maxValueBytes: DEFAULT_WORK_LIMITS.maxValueBytes,
})

/** The plan inputs read from a request. */
interface PlanRequest {
  readonly files: readonly SourceFile[]
  readonly options: RequestOptions
}

function expectObject(value: unknown): Record<string, unknown> {
  if (isRecord(value)) return value
  const errs = new FieldErrors()
  errs.add('', 'expected a JSON object')
  errs.throwIfAny()
  return {}
}

/** Reads `/v1/plan`'s body: a raw YAML stream, or `{manifests, cluster, options}`. */
function readPlanRequest(body: RequestBody, extraKeys: readonly string[] = []): { req: PlanRequest; value: Record<string, unknown>; errs: FieldErrors } {
  if (body.kind === 'yaml') {
    return { req: { files: [{ path: 'manifests.yaml', text: body.text, origin: 'proposed' }], options: {} }, value: {}, errs: new FieldErrors() }
  }
  const value = expectObject(body.value)
  const errs = new FieldErrors()
  checkKeys(value, ['manifests', 'cluster', 'options', ...extraKeys], '', errs)
  const files = [
    ...toSourceFiles(value['cluster'], 'cluster', 'existing', INPUT_LIMITS, errs),
    ...toSourceFiles(value['manifests'], 'manifests', 'proposed', INPUT_LIMITS, errs),
  ]
  const options = readOptions(value['options'], errs)
  return { req: { files, options }, value, errs }
}

/** Calls into the core; an exception there is a planner bug, reported as 422 (never a 500). */
function guarded<T>(what: string, fn: () => T): T {
  try {
    return fn()
  } catch (err) {
    if (err instanceof HttpError) throw err
    throw new HttpError(
      'planner-failure',
      `The planner failed while ${what}: ${errorText(err)}. This is a bug in kube-whatif; please report it with this input.`,
    )
  }
}

/**
 * Throws only where `kube-whatif` would print no plan at all: no input (the CLI's "no input"
 * usage error). Everything else is planned as the CLI plans it, and answered 200 with the
 * issues inside the result, exactly when the CLI prints the result and exits 1: malformed YAML,
 * parser limits (documents, aliases, depth), refused or invalid objects, an input with no
 * Service. The request body cap (413) and a malformed request (400) are checked before this.
 */
export function checkInput(files: readonly SourceFile[]): void {
  if (files.every((f) => f.text.trim() === '')) {
    throw new HttpError('cannot-plan', 'The request has no manifests: give "manifests" (and optionally "cluster") as YAML/JSON text or objects.')
  }
}

function planOptions(o: RequestOptions, format?: string) {
  // Like the CLI: an iptables-* or nft* rendering implies its mode unless proxyMode says one.
  const implied = format !== undefined && (PLAN_FORMATS as readonly string[]).includes(format) ? proxyModeOfFormat(format as PlanFormat) : undefined
  const proxyMode = o.proxyMode ?? implied
  return {
    ...(o.node !== undefined ? { node: o.node } : {}),
    ...(o.ipFamily !== undefined ? { ipFamily: o.ipFamily } : {}),
    ...(o.kubernetesVersion !== undefined ? { kubernetesVersion: o.kubernetesVersion } : {}),
    limits: WORKER_LIMITS,
    ...(proxyMode !== undefined ? { proxyMode } : {}),
  }
}

/** The diff's options: one version for both sides, as the CLI's --kubernetes-version; proxy modes as given. */
function diffOptions(o: RequestOptions) {
  const { kubernetesVersion, ...rest } = planOptions(o)
  return {
    ...rest,
    ...(kubernetesVersion !== undefined ? { baseKubernetesVersion: kubernetesVersion, headKubernetesVersion: kubernetesVersion } : {}),
    ...(o.baseProxyMode !== undefined ? { baseProxyMode: o.baseProxyMode } : {}),
    ...(o.headProxyMode !== undefined ? { headProxyMode: o.headProxyMode } : {}),
  }
}

function planOnce(req: PlanRequest, format?: string): Staged<PlanResult> {
  checkInput(req.files)
  if (format !== undefined && req.options.proxyMode !== undefined) {
    const implied = (PLAN_FORMATS as readonly string[]).includes(format) ? proxyModeOfFormat(format as PlanFormat) : undefined
    if (implied !== undefined && implied !== req.options.proxyMode) {
      const errs = new FieldErrors()
      errs.add('/options/proxyMode', `?format=${format} shows ${implied} rules, but proxyMode is ${req.options.proxyMode}`)
      errs.throwIfAny()
    }
  }
  return guarded('planning', () => planFromSources({ files: req.files, options: planOptions(req.options, format) }))
}

/** Same final-newline rule as the CLI (`withFinalNewline`), so API and CLI bytes agree. */
function rendered(format: string, text: string): Rendered {
  return {
    contentType: FORMAT_MEDIA_TYPES[format] ?? 'text/plain; charset=utf-8',
    body: text === '' || text.endsWith('\n') ? text : `${text}\n`,
  }
}

function runPlan(body: RequestBody, format: string): Rendered {
  const { req, errs } = readPlanRequest(body)
  errs.throwIfAny()
  const result = planOnce(req, format)
  if (format === 'markdown') return rendered(format, guarded('rendering', () => renderPlanMarkdown(result)))
  return rendered(format, guarded('rendering', () => renderPlan(result, format as PlanFormat)))
}

function toSpecs(probes: readonly RequestProbe[]) {
  return probes.map((p) => ({ from: p.from, to: p.to, ...(p.name !== undefined ? { name: p.name } : {}), ...(p.protocol !== undefined ? { protocol: p.protocol } : {}) }))
}

/** Path shown for the `rules` text in issues and trace steps. */
const RULES_PATH = 'rules'

/** `nodeIPs` of a trace request: the node's own addresses for a `rules` trace (CLI --node-ip). */
function readNodeIPs(value: unknown, errs: FieldErrors): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    errs.add('/nodeIPs', 'expected an array of IP addresses')
    return []
  }
  const out: string[] = []
  value.forEach((v, i) => {
    const ip = typeof v === 'string' ? canonicalIP(v) : undefined
    if (ip === undefined) errs.add(`/nodeIPs/${i}`, 'expected an IP address')
    else out.push(ip)
  })
  return out
}

function runTrace(body: RequestBody, format: string): Rendered {
  const { req, value, errs } = readPlanRequest(body, ['probe', 'probes', 'rules', 'nodeIPs'])
  const probes = readProbes(value, true, MAX_PROBES, errs)
  const rules = value['rules']
  if (rules !== undefined && typeof rules !== 'string') errs.add('/rules', 'expected the text of an iptables-restore or iptables-save file')
  const nodeIPs = readNodeIPs(value['nodeIPs'], errs)
  if (rules === undefined && nodeIPs.length > 0) errs.add('/nodeIPs', '"nodeIPs" needs "rules" (CLI --node-ip needs --rules)')
  errs.throwIfAny()
  let traces: Staged<Trace[]>
  // The plan whose endpoints the trace diagrams name (absent for a bare rules file).
  let described: PlanResult | undefined
  if (typeof rules === 'string') {
    // As `kube-whatif trace --rules`: a ruleset file, with manifests (when given) planned for the
    // node's addresses and the Pods/Nodes that pod:/node: probes name.
    const single = value['probe'] !== undefined ? probes[0]?.to : undefined
    const ipFamily = req.options.ipFamily ?? destinationFamily(single)
    let planned: PlanResult | undefined
    if (req.files.some((f) => f.text.trim() !== '')) {
      const options = planOptions({ ...req.options, ...(ipFamily !== undefined ? { ipFamily } : {}) })
      // As the CLI: broken manifests are reported in the plan's issues, never a reason to fail.
      planned = guarded('planning', () => planFromSources({ files: req.files, options })).value
      described = planned
    }
    traces = guarded('tracing', () =>
      traceRules({
        rules: { path: RULES_PATH, text: rules },
        probes: toSpecs(probes),
        ...(req.options.node !== undefined ? { node: req.options.node } : {}),
        ...(ipFamily !== undefined ? { ipFamily } : {}),
        nodeIPs,
        ...(planned !== undefined ? { plan: planned } : {}),
        limits: WORKER_LIMITS,
      }),
    )
  } else {
    const plan = planOnce(req)
    described = plan.value
    traces = guarded('tracing', () => traceProbes(plan.value, toSpecs(probes)))
  }
  // The trace JSON is the CLI's, which carries no issues (the CLI prints them on stderr), so a
  // probe that cannot be resolved, or a rules file that cannot be read, fails the request instead
  // of silently going missing.
  const errors = traces.issues.filter((i) => i.severity === 'error')
  if (errors.length > 0) {
    const first = errors[0]!
    const what = first.code.startsWith('trace/') ? 'A probe cannot be traced' : 'The rules cannot be read'
    const at = first.source && first.source.file === RULES_PATH ? `${first.source.file}:${first.source.line}: ` : ''
    throw new HttpError('cannot-plan', `${what}: ${at}${first.message}`, { issues: errors })
  }
  // A single `probe` answers one trace, `probes` an array: the CLI's --from/--to vs --probes forms.
  const single = value['probe'] !== undefined
  return rendered(format, guarded('rendering', () => renderTraces(traces, format as TraceFormat, { single, ...(described !== undefined ? { plan: described } : {}) })))
}

function runDiff(body: RequestBody, format: string): Rendered {
  const value = expectObject(body.kind === 'json' ? body.value : undefined)
  const errs = new FieldErrors()
  checkKeys(value, ['base', 'head', 'cluster', 'options', 'probes'], '', errs)
  const base = toSourceFiles(value['base'], 'base', 'proposed', INPUT_LIMITS, errs)
  const head = toSourceFiles(value['head'], 'head', 'proposed', INPUT_LIMITS, errs)
  const cluster = toSourceFiles(value['cluster'], 'cluster', 'existing', INPUT_LIMITS, errs)
  const options = readOptions(value['options'], errs, true)
  const probes = readProbes(value, false, MAX_PROBES, errs)
  errs.throwIfAny()
  checkInput([...base, ...head, ...cluster])
  const diff = guarded('diffing', () =>
    planDiff({ base, head, cluster, options: diffOptions(options), ...(probes.length > 0 ? { probes: toSpecs(probes) } : {}) }),
  )
  return rendered(format, guarded('rendering', () => renderDiff(diff, format as DiffFormat, { version: VERSION })))
}

/** The real planner. */
export const corePlanner: Planner = {
  run(route: RouteName, body: RequestBody, format: string): Rendered {
    switch (route) {
      case 'plan':
        return runPlan(body, format)
      case 'trace':
        return runTrace(body, format)
      case 'diff':
        return runDiff(body, format)
    }
  },
}
