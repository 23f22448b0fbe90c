/**
 * Turns case timings into ratios, growth factors, target verdicts, a text table and the JSON file.
 * Ratios are to `yaml` (js-yaml `loadAll` of the same text, same schema, same process, same run).
 */
import type { CaseTimings } from './run-case.ts'
import type { MemoryResult } from './memory.ts'
import { round2 } from './measure.ts'
import type { StartupResult } from './startup.ts'
import type { WorkerResult } from './worker-pr.ts'
import type { WholeProcessResult } from './whole-process.ts'

/** A case with its derived numbers. */
export interface CaseResult extends CaseTimings {
  /** Phase CPU median / js-yaml CPU median. */
  readonly ratios: Record<string, number>
  readonly memory?: MemoryResult
}

/** One target of issue 7 and whether this run met it. */
export interface TargetResult {
  readonly target: string
  readonly value: number
  readonly limit: number
  readonly met: boolean
  readonly note?: string
}

/** The whole results file. */
export interface BenchResults {
  readonly mode: 'full' | 'quick'
  readonly node: string
  readonly cpus: number
  readonly loadAverageAtStart: number
  readonly measure: string
  readonly cases: readonly CaseResult[]
  /** Issue 16 targets 1–2: fresh processes on one kubectl export. */
  readonly wholeProcess: readonly WholeProcessResult[]
  readonly growth: readonly { readonly from: string; readonly to: string; readonly factor: number; readonly phases: Record<string, number> }[]
  readonly worker?: WorkerResult
  readonly startup?: StartupResult
  readonly targets: readonly TargetResult[]
  readonly totalSeconds: number
}

/** Adds ratios to js-yaml alone. */
export function withRatios(t: CaseTimings, memory?: MemoryResult): CaseResult {
  const base = t.cpuMs['yaml'] ?? Number.NaN
  const ratios: Record<string, number> = {}
  for (const [k, v] of Object.entries(t.cpuMs)) if (k !== 'yaml') ratios[k] = round2(v / base)
  return { ...t, ratios, ...(memory ? { memory } : {}) }
}

/** Growth factor per phase between two cases of the same kind (the larger one's time / the smaller one's). */
export function growth(from: CaseResult, to: CaseResult): BenchResults['growth'][number] {
  const phases: Record<string, number> = {}
  for (const [k, v] of Object.entries(to.cpuMs)) {
    const a = from.cpuMs[k]
    if (a !== undefined && a > 0) phases[k] = round2(v / a)
  }
  return { from: from.id, to: to.id, factor: round2(to.services / from.services), phases }
}

/** Evaluates the issue's targets on the cases present (a target whose case did not run is left out). */
export function targets(cases: readonly CaseResult[], g: BenchResults['growth'], worker?: WorkerResult, whole: readonly WholeProcessResult[] = [], startup?: StartupResult): TargetResult[] {
  return [...startupTargets(startup), ...issue16Targets(cases, g, worker, whole), ...issue7Targets(cases, g, worker)]
}

/** Issue 14: start-up of the compiled CLI (`--only startup`), left out when it did not run. */
function startupTargets(startup: StartupResult | undefined): TargetResult[] {
  const out: TargetResult[] = []
  if (startup) {
    const note = `median of ${startup.runs}; node -e 0 ${startup.nodeMs} ms`
    out.push({ target: 'kube-whatif --version ≤ 1.5× node -e 0 (wall)', value: startup.versionRatio, limit: 1.5, met: startup.versionRatio <= 1.5, note })
    out.push({ target: 'kube-whatif plan examples/meu-namespace ≤ 2.5× node -e 0 (wall)', value: startup.planRatio, limit: 2.5, met: startup.planRatio <= 2.5, note })
  }
  return out
}

/** Issue 16 (performance round 3), targets 1–5; a target whose case did not run is left out. */
function issue16Targets(cases: readonly CaseResult[], g: BenchResults['growth'], worker: WorkerResult | undefined, whole: readonly WholeProcessResult[]): TargetResult[] {
  const out: TargetResult[] = []
  for (const w of whole) {
    out.push({ target: `16.1 ${w.id}: whole process wall ≤ 1.5× js-yaml loadAll`, value: w.ratios.wall, limit: 1.5, met: w.ratios.wall <= 1.5, note: `${w.plan.wallMs} vs ${w.yaml.wallMs} ms; CPU ${w.ratios.cpu}×` })
    out.push({ target: `16.2 ${w.id}: peak RSS ≤ 1.5× js-yaml loadAll`, value: w.ratios.rss, limit: 1.5, met: w.ratios.rss <= 1.5, note: `${w.plan.peakRssMb} vs ${w.yaml.peakRssMb} MiB` })
  }
  if (worker) {
    // The median of the interleaved rounds' ratios (worker-pr.ts `interleaved`); results from
    // before that method carry only the two medians.
    const r = worker.planToYaml ?? round2(worker.nodePlanCpuMs / worker.yamlCpuMs)
    out.push({ target: '16.3 Worker PR: planner ≤ 1.4× js-yaml alone (Node CPU)', value: r, limit: 1.4, met: r <= 1.4, note: `median of per-round ratios; medians ${worker.nodePlanCpuMs} vs ${worker.yamlCpuMs} ms; workerd ${worker.workerdPlanWallMs ?? '-'} ms wall median${worker.workerdFloorWallMs !== undefined ? ` (GET /healthz ${worker.workerdFloorWallMs} ms)` : ''}` })
    // The same target read inside workerd (workerd-isolate.ts): its V8 runs js-yaml ≈ 3× faster
    // than Node 20's, the planner far less, so the ratio there is the stricter one.
    const wi = worker.workerdIsolate
    if (wi !== undefined) {
      const cpu = wi.planToYamlCpu !== undefined
      const v = wi.planToYamlCpu ?? wi.planToYaml
      out.push({ target: `16.3 Worker PR in workerd: planner ≤ 1.4× js-yaml alone (workerd ${cpu ? 'process CPU' : 'isolate wall'})`, value: v, limit: 1.4, met: v <= 1.4, note: `median of per-round ratios; ${cpu ? `CPU ${wi.planCpuMs} vs ${wi.yamlCpuMs} ms, ` : ''}isolate wall ${wi.planMs} vs ${wi.yamlMs} ms (ratio ${wi.planToYaml})` })
      const ms = wi.planCpuMs ?? wi.planMs
      out.push({ target: `16.3 Worker PR in workerd: planner ${cpu ? 'CPU (every workerd thread)' : 'isolate wall'} per call < 10 ms (the free plan's CPU limit)`, value: ms, limit: 10, met: ms < 10, note: `a whole /v1/plan request: ${worker.workerdPlanCpuMs ?? '-'} ms workerd CPU against ${worker.workerdFloorCpuMs ?? '-'} for GET /healthz (Miniflare's entry Worker and the answer crossing its socket included)` })
    }
  }
  for (const step of g) {
    const limit = step.factor === 10 && step.from.startsWith('cluster-1kx') ? 10.5 : step.factor === 4.5 ? 4.7 : undefined
    if (limit === undefined) continue
    const which = step.phases['e2e'] !== undefined ? 'e2e' : 'plan'
    const v = step.phases[which] ?? NaN
    out.push({ target: `16.4 growth ${step.from} → ${step.to} (${which}) ≤ ${limit}×`, value: v, limit, met: v <= limit })
  }
  const d = cases.find((c) => c.kind === 'diff' && c.cpuMs['diffAllNodes'] !== undefined)
  if (d) {
    // The median of the interleaved rounds' ratios (run-case.ts `diffPass`); results from before
    // the rounds have medians of blocks only.
    const ratioOf = (k: string): number | undefined => d.roundRatios?.[k] ?? (d.cpuMs[k] !== undefined ? round2(d.cpuMs[k] / (d.cpuMs['plan'] ?? NaN)) : undefined)
    const all = ratioOf('diffAllNodes') ?? NaN
    const md = ratioOf('diffAllNodesMarkdown')
    out.push({ target: `16.5 ${d.id}: planDiff every node ≤ 1.5× one plan`, value: all, limit: 1.5, met: all <= 1.5, note: `${d.counts['nodesCompared'] ?? '?'} nodes; planDiff + text report${md !== undefined ? `; with the Markdown report instead (the Action's comment, diagrams drawn) ${md}×` : ''}${d.roundRatios ? '; medians of per-round ratios' : ''}` })
  }
  return out
}

/** Issue 7's targets (performance rounds 1–2), kept for comparison. */
function issue7Targets(cases: readonly CaseResult[], g: BenchResults['growth'], worker?: WorkerResult): TargetResult[] {
  const out: TargetResult[] = []
  const at = (id: string): CaseResult | undefined => cases.find((c) => c.id === id)
  const head = at('cluster-10kx10') ?? at('cluster-1kx10')
  if (head) {
    const r = head.ratios
    out.push({ target: `7 ${head.id}: after parsing ≤ 0.5× js-yaml`, value: r['afterParse'] ?? NaN, limit: 0.5, met: (r['afterParse'] ?? Infinity) <= 0.5 })
    out.push({ target: `7 ${head.id}: end to end ≤ 1.5× js-yaml`, value: r['e2e'] ?? NaN, limit: 1.5, met: (r['e2e'] ?? Infinity) <= 1.5 })
    if (head.memory) out.push({ target: `7 ${head.id}: peak RSS ≤ 2× js-yaml alone`, value: head.memory.ratio, limit: 2, met: head.memory.ratio <= 2 })
  }
  for (const step of g) {
    if (step.factor !== 10) continue
    const plan = step.phases['plan'] ?? NaN
    out.push({ target: `7 growth ${step.from} → ${step.to}: ≤ 11× time (plan)`, value: plan, limit: 11, met: plan <= 11 })
    const worst = Object.entries(step.phases).filter(([k]) => !['yaml', 'jsonParse'].includes(k)).sort((a, b) => b[1] - a[1])[0]
    // Per-phase timer growth is informative only: phases of tens of ms at the small size swing
    // with GC; the counter test (test/perf/linearity.test.ts) is what guards each phase.
    if (worst) out.push({ target: `7 growth ${step.from} → ${step.to}: worst single phase (${worst[0]}), timer`, value: worst[1], limit: 11, met: worst[1] <= 11, note: 'informative; guarded by test/perf' })
  }
  for (const d of cases.filter((c) => c.kind === 'diff')) {
    const plan = d.cpuMs['plan'] ?? NaN
    const one = d.roundRatios?.['diffOneNode'] ?? round2((d.cpuMs['diffOneNode'] ?? NaN) / plan)
    out.push({ target: `7 ${d.id}: planDiff (one node) ≤ 2× one plan`, value: one, limit: 2, met: one <= 2 })
    if (d.cpuMs['diffAllNodes'] !== undefined) {
      const all = d.roundRatios?.['diffAllNodes'] ?? round2(d.cpuMs['diffAllNodes'] / plan)
      const md = d.roundRatios?.['diffAllNodesMarkdown'] ?? (d.cpuMs['diffAllNodesMarkdown'] !== undefined ? round2(d.cpuMs['diffAllNodesMarkdown'] / plan) : undefined)
      out.push({ target: `7 ${d.id}: planDiff (default: every node) ≤ 2× one plan`, value: all, limit: 2, met: all <= 2, note: `${d.counts['nodesCompared'] ?? '?'} nodes; planDiff + text report${md !== undefined ? `; with the Markdown report instead (the Action's comment, diagrams drawn) ${md}×` : ''}` })
    }
  }
  for (const b of cases.filter((c) => c.kind === 'backends')) {
    const ratio = round2((b.cpuMs['nftables'] ?? NaN) / (b.cpuMs['iptables'] ?? NaN))
    out.push({ target: `${b.id}: nftables rendering (build + print) ≤ 1× iptables on the same input`, value: ratio, limit: 1, met: ratio <= 1 })
  }
  if (worker) {
    out.push({ target: '7 Worker PR /v1/plan warm, Node CPU < 8 ms', value: worker.nodePlanCpuMs, limit: 8, met: worker.nodePlanCpuMs < 8 })
    if (worker.workerdPlanWallMs !== undefined)
      out.push({ target: '7 Worker PR /v1/plan warm, workerd wall (upper bound of CPU) < 8 ms', value: worker.workerdPlanWallMs, limit: 8, met: worker.workerdPlanWallMs < 8 })
  }
  return out
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))
const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s)
const fmt = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : x >= 100 ? x.toFixed(0) : x.toFixed(1))
const fmtR = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : `${x.toFixed(2)}×`)

const PLAN_COLS = ['yaml', 'parse', 'allocate', 'endpoints', 'render', 'print', 'report', 'afterParse', 'plan', 'e2e'] as const

/** The results as a plain-text (and Markdown-compatible) report. */
export function renderTable(r: BenchResults): string {
  const lines: string[] = []
  const plans = r.cases.filter((c) => c.kind === 'plan')
  if (plans.length > 0) {
    lines.push('Plan cases: median CPU ms per phase (ratio to js-yaml alone below)', '')
    lines.push(`| case | MB | ${PLAN_COLS.join(' | ')} |`)
    lines.push(`|---|---:|${PLAN_COLS.map(() => '---:').join('|')}|`)
    for (const c of plans) {
      lines.push(`| ${c.id} | ${(c.bytes / 1e6).toFixed(1)} | ${PLAN_COLS.map((k) => fmt(c.cpuMs[k])).join(' | ')} |`)
      lines.push(`| ↳ ratio | | ${PLAN_COLS.map((k) => (k === 'yaml' ? '1×' : fmtR(c.ratios[k]))).join(' | ')} |`)
    }
    lines.push('')
  }
  for (const c of r.cases.filter((x) => x.kind === 'diff')) {
    // Per-round ratios when the case has them (run-case.ts `diffPass`), else medians over medians.
    const ratio = (k: string): number => c.roundRatios?.[k] ?? (c.cpuMs[k] ?? NaN) / (c.cpuMs['plan'] ?? NaN)
    lines.push(`Diff ${c.id} (${c.counts['servicesChanged']} Services changed; rules of ${c.counts['nodesCompared']} node(s) compared): ` +
      `one plan ${fmt(c.cpuMs['plan'])} ms, planDiff + text report one node ${fmt(c.cpuMs['diffOneNode'])} ms ` +
      `(${fmtR(ratio('diffOneNode'))} a plan)` +
      (c.cpuMs['diffAllNodes'] !== undefined ? `, every node ${fmt(c.cpuMs['diffAllNodes'])} ms (${fmtR(ratio('diffAllNodes'))})` : '') +
      (c.cpuMs['diffAllNodesMarkdown'] !== undefined ? `, every node with the Markdown report ${fmt(c.cpuMs['diffAllNodesMarkdown'])} ms (${fmtR(ratio('diffAllNodesMarkdown'))})` : '') +
      `, markdown report ${fmt(c.cpuMs['report'])} ms`, '')
  }
  for (const c of r.cases.filter((x) => x.kind === 'backends')) {
    lines.push(`Backends ${c.id} (same front end): iptables build ${fmt(c.cpuMs['iptablesRender'])} + print ${fmt(c.cpuMs['iptablesPrint'])} = ${fmt(c.cpuMs['iptables'])} ms ` +
      `(${c.counts['iptablesLines']} lines); nftables build ${fmt(c.cpuMs['nftablesRender'])} + print ${fmt(c.cpuMs['nftablesPrint'])} = ${fmt(c.cpuMs['nftables'])} ms ` +
      `(${c.counts['nftablesLines']} lines); nftables / iptables ${fmtR((c.cpuMs['nftables'] ?? NaN) / (c.cpuMs['iptables'] ?? NaN))}`, '')
  }
  const mem = r.cases.filter((c) => c.memory)
  if (mem.length > 0) {
    lines.push('| peak RSS (MiB) | node baseline | js-yaml alone | plan | plan / js-yaml | above baseline |', '|---|---:|---:|---:|---:|---:|')
    for (const c of mem) {
      const m = c.memory as MemoryResult
      lines.push(`| ${c.id} | ${m.baselineRssMb} | ${m.yamlPeakRssMb} | ${m.planPeakRssMb} | ${fmtR(m.ratio)} | ${fmtR(m.ratioAboveBaseline)} |`)
    }
    lines.push('')
  }
  if (r.growth.length > 0) {
    lines.push('| growth | services × | yaml | parse | allocate | endpoints | render | print | plan |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const g of r.growth) {
      const p = g.phases
      lines.push(`| ${g.from} → ${g.to} | ${g.factor} | ${['yaml', 'parse', 'allocate', 'endpoints', 'render', 'print', 'plan'].map((k) => fmtR(p[k])).join(' | ')} |`)
    }
    lines.push('')
  }
  if (r.worker) {
    const w = r.worker
    lines.push(`Worker PR (${w.services} Services, ${w.pods} pods, ${(w.bytes / 1024).toFixed(1)} KiB YAML; js-yaml alone ${w.yamlCpuMs} ms): /v1/plan json ${w.nodePlanCpuMs} ms CPU ` +
      `(markdown ${w.nodePlanMarkdownCpuMs} ms) in Node; workerd ${w.workerdPlanWallMs !== undefined ? `${w.workerdPlanWallMs} ms wall per request${w.workerdFloorWallMs !== undefined ? ` (dispatch floor, GET /healthz: ${w.workerdFloorWallMs} ms)` : ''}` : `not measured${w.workerdSkipped ? ` (${w.workerdSkipped})` : ''}`}` +
      `${w.workerdPlanCpuMs !== undefined ? `, ${w.workerdPlanCpuMs} ms workerd CPU per request (GET /healthz ${w.workerdFloorCpuMs} ms)` : ''}` +
      `${w.bundleGzipBytes !== undefined ? `; bundle ${(w.bundleBytes! / 1024).toFixed(0)} KiB, ${(w.bundleGzipBytes / 1024).toFixed(0)} KiB gzipped` : ''}`, '')
    const wi = w.workerdIsolate
    if (wi !== undefined)
      lines.push(`Inside workerd (bench/workerd-probe.ts, batches of calls in one request): js-yaml alone ${wi.yamlMs} ms, planner ${wi.planMs} ms on the isolate's clock` +
        `${wi.planCpuMs !== undefined ? ` (workerd process CPU ${wi.yamlCpuMs} / ${wi.planCpuMs} ms)` : ''}; phases ${Object.entries(wi.phasesMs).map(([k, v]) => `${k} ${v}`).join(', ')} ms; ` +
        `writing the answer alone (V8's JSON.stringify of a plain object with its bytes) ${wi.answerMs} ms, so parse + answer alone are ${fmtR(round2(((wi.phasesMs['parse'] ?? NaN) + wi.answerMs) / wi.yamlMs))} js-yaml there`, '')
    else if (w.workerdIsolateSkipped !== undefined) lines.push(`Inside workerd: not measured (${w.workerdIsolateSkipped})`, '')
  }
  if (r.wholeProcess.length > 0) {
    lines.push('Whole process (fresh processes, median of runs): `kube-whatif plan --cluster export.yaml -o iptables-restore` vs `node -e "require(\'js-yaml\').loadAll(fs.readFileSync(f,\'utf8\'))"`', '')
    lines.push('| case | MB | js-yaml wall | plan wall | ratio | js-yaml CPU | plan CPU | ratio | js-yaml RSS MiB | plan RSS MiB | ratio |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const w of r.wholeProcess)
      lines.push(`| ${w.id} | ${(w.bytes / 1e6).toFixed(1)} | ${w.yaml.wallMs} | ${w.plan.wallMs} | ${fmtR(w.ratios.wall)} | ${w.yaml.cpuMs} | ${w.plan.cpuMs} | ${fmtR(w.ratios.cpu)} | ${w.yaml.peakRssMb} | ${w.plan.peakRssMb} | ${fmtR(w.ratios.rss)} |`)
    lines.push('')
  }
  lines.push('| target | value | limit | met |', '|---|---:|---:|:---:|')
  for (const t of r.targets) lines.push(`| ${pad(t.target, 10)}${t.note ? ` (${t.note})` : ''} | ${lpad(t.value < 10 ? t.value.toFixed(2) : fmt(t.value), 5)} | ${t.limit} | ${t.met ? 'yes' : '**no**'} |`)
  return lines.join('\n') + '\n'
}

/** JSON with keys sorted at every level (stable diffs of results.json). */
export function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort)
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(v).sort()) out[k] = sort((v as Record<string, unknown>)[k])
      return out
    }
    return typeof v === 'number' && !Number.isFinite(v) ? null : v
  }
  return JSON.stringify(sort(value), null, 2) + '\n'
}
