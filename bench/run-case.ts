/**
 * Runs one case in this process: warm-up on a tenth-size input of the same shape (JIT without
 * paying for a full-size run), then `runs` measured runs, each timing js-yaml alone on the same
 * text first and then every phase, so both see the same machine conditions.
 */
import { loadAll } from 'js-yaml'
import { K8S_YAML_SCHEMA, planDiff, renderDiff, type SourceFile } from '#core'
import type { BackendsCase, DiffCase, PlanCase } from './cases.ts'
import { generate, totalBytes } from './generate.ts'
import type { ClusterSpec } from './generate.ts'
import { collect, median, round2, Samples, timed } from './measure.ts'
import type { Timing } from './measure.ts'
import * as P from './phases.ts'

/** What a case run reports (memory and ratios are added by the runner). */
export interface CaseTimings {
  readonly id: string
  readonly kind: 'plan' | 'diff' | 'backends'
  readonly services: number
  readonly endpoints: number
  readonly shape: string
  readonly format: string
  readonly origin: string
  readonly files: number
  readonly bytes: number
  readonly runs: number
  readonly counts: Record<string, number>
  /**
   * Median CPU ms per phase, plus `yaml` (js-yaml loadAll alone), `afterParse` (allocate +
   * endpoints + render + print), `plan` (parse + afterParse) and `e2e` (planFromSources +
   * printRestore in one call, ladder cases).
   */
  readonly cpuMs: Record<string, number>
  readonly wallMs: Record<string, number>
  /** Diff cases: per diff measure, the median over the interleaved rounds of its CPU / the round's plan. */
  readonly roundRatios?: Record<string, number>
}

/** js-yaml alone: `loadAll` with the planner's schema over every file (JSON files too: JSON is YAML). */
export function yamlAlone(files: readonly SourceFile[]): unknown[] {
  const docs: unknown[] = []
  for (const f of files) docs.push(loadAll(f.text, { schema: K8S_YAML_SCHEMA }))
  return docs
}

function jsonAlone(files: readonly SourceFile[]): number {
  let n = 0
  for (const f of files) n += f.text.length > 0 ? (JSON.parse(f.text) as { items?: unknown[] }).items?.length ?? 1 : 0
  return n
}

const smaller = (spec: ClusterSpec): ClusterSpec => ({ ...spec, services: Math.max(20, Math.round(spec.services / 10)) })

/**
 * One measured pass over every phase; adds to `s`. The heap is collected before every timed block
 * (outside the measurement), so each phase pays for its own garbage rather than for the previous
 * phase's; `e2e` (one planFromSources call) shows the cost with no collection in between.
 */
function planPass(files: readonly SourceFile[], format: ClusterSpec['format'], s: Samples, e2e: boolean): void {
  s.add('yaml', timed(() => yamlAlone(files)))
  if (format === 'json') s.add('jsonParse', timed(() => jsonAlone(files)))
  const parse = timed(() => P.phaseParse(files))
  const allocate = timed(() => P.phaseAllocate(parse.value))
  const endpoints = timed(() => P.phaseEndpoints(allocate.value))
  const render = timed(() => P.phaseRender(endpoints.value))
  const print = timed(() => P.phasePrint(render.value))
  const report = timed(() => P.phaseReport(render.value, print.value))
  const phases: Record<P.PlanPhase, Timing> = { parse, allocate, endpoints, render, print, report }
  for (const [k, t] of Object.entries(phases)) s.add(k, t)
  s.addSum('afterParse', [allocate, endpoints, render, print])
  s.addSum('plan', [parse, allocate, endpoints, render, print])
  if (e2e) s.add('e2e', timed(() => P.endToEnd(files)))
}

/** Runs a plan case. `log` receives progress lines. */
export function runPlanCase(c: PlanCase, log: (line: string) => void): CaseTimings {
  planPass(generate(smaller(c.spec)), c.spec.format, new Samples(), c.e2e)
  const files = generate(c.spec)
  const counts = P.checkPhases(files)
  const s = new Samples()
  for (let r = 0; r < c.runs; r++) {
    planPass(files, c.spec.format, s, c.e2e)
    log(`  ${c.id}: run ${r + 1}/${c.runs}`)
  }
  return describe(c, files, counts, s)
}

/** The diff case's head tree: the same spec with 1% of Services changed. */
export function diffTrees(spec: ClusterSpec): { base: SourceFile[]; head: SourceFile[]; cluster: SourceFile[] } {
  const base = generate(spec)
  const head = generate({ ...spec, changed: true })
  return {
    cluster: base.filter((f) => f.origin === 'existing'),
    base: base.filter((f) => f.origin === 'proposed'),
    head: head.filter((f) => f.origin === 'proposed'),
  }
}

/**
 * planDiff and the report `kube-whatif diff` prints by default (text), as the plan side is
 * planFromSources and its printing: planDiff leaves what only one format shows (the diagrams,
 * drawn when the Markdown report reads them) to that format, so planDiff alone would not be what
 * a user waits for.
 */
function diffAndText(input: Parameters<typeof planDiff>[0]): ReturnType<typeof planDiff> {
  const d = planDiff(input)
  renderDiff(d, 'text')
  return d
}

/**
 * The measures of a diff case in interleaved rounds: each round runs one plan, planDiff + text
 * report for one node (and every node), and every node with the Markdown report instead (the
 * Action's PR comment, which draws the diagrams), in an order rotated by one each round, with
 * the heap collected once before the rounds, not before every run: a forced full collection
 * shrinks the heap, and the run after it pays for growing it again (one plan at 1k × 10 measured
 * 410–470 ms CPU right after `gc()` and 280–300 ms back to back, while the diff moved less, so
 * collecting before every run made the ratio look better than the steady one). Each measure's median and,
 * per round, every diff measure over that round's plan (their medians are the ratios the targets
 * read: a slow stretch of a shared machine lands in the round's plan and diffs alike, where blocks
 * of back-to-back runs put it into one measure's median only); then the Markdown report of the
 * last diff alone.
 */
function diffPass(t: ReturnType<typeof diffTrees>, s: Samples, allNodes: boolean, runs: number): { counts: Record<string, number>; roundRatios: Record<string, number> } {
  // The diff the counts and the last report describe: every node's when measured, else one node's.
  let last: ReturnType<typeof planDiff> | undefined
  const measures: [string, () => unknown][] = [
    ['plan', () => P.endToEnd([...t.cluster, ...t.base])],
    ['diffOneNode', () => (allNodes ? diffAndText({ base: t.base, head: t.head, cluster: t.cluster, options: { node: 'node-1' } }) : (last = diffAndText({ base: t.base, head: t.head, cluster: t.cluster, options: { node: 'node-1' } })))],
  ]
  if (allNodes) {
    measures.push(['diffAllNodes', () => (last = diffAndText({ base: t.base, head: t.head, cluster: t.cluster }))])
    measures.push(['diffAllNodesMarkdown', () => renderDiff(planDiff({ base: t.base, head: t.head, cluster: t.cluster }), 'markdown')])
  }
  const ratios = new Map<string, number[]>()
  collect()
  for (let r = 0; r < runs; r++) {
    const cpu = new Map<string, number>()
    for (let j = 0; j < measures.length; j++) {
      const [name, f] = measures[(r + j) % measures.length] as [string, () => unknown]
      const tm = timed(f, false)
      s.add(name, tm)
      cpu.set(name, tm.cpu)
    }
    for (const [name, v] of cpu) if (name !== 'plan') (ratios.get(name) ?? ratios.set(name, []).get(name)!).push(v / (cpu.get('plan') as number))
  }
  const d = last as ReturnType<typeof planDiff>
  s.add('report', timed(() => renderDiff(d, 'markdown')))
  const summary = d.value.summary
  return {
    counts: {
      servicesChanged: summary.changed + summary.added + summary.destroyed,
      nodesCompared: d.value.nodesCompared.length,
      ruleLinesAdded: d.value.rules.reduce((n, r) => n + r.linesAdded, 0),
      ruleLinesRemoved: d.value.rules.reduce((n, r) => n + r.linesRemoved, 0),
    },
    roundRatios: Object.fromEntries([...ratios].map(([k, v]) => [k, round2(median(v))])),
  }
}

/**
 * Runs a diff case: one plan of the base tree, planDiff for one node (and for every node), the PR
 * comment, each the median of a block of `runs` back-to-back runs. Warm-up: a small tree, then
 * `warmRuns` unmeasured runs of each over the full-size trees, so the medians are a warm process's
 * (one run per case, as before, mixed JIT tiers into the ratio: 2.4× once against 4.2× warm).
 */
export function runDiffCase(c: DiffCase, log: (line: string) => void): CaseTimings {
  diffPass(diffTrees({ ...c.spec, services: Math.min(200, c.spec.services) }), new Samples(), c.allNodes, 1)
  const trees = diffTrees(c.spec)
  if (c.warmRuns > 0) diffPass(trees, new Samples(), c.allNodes, c.warmRuns)
  const s = new Samples()
  const { counts, roundRatios } = diffPass(trees, s, c.allNodes, c.runs)
  log(`  ${c.id}: ${c.runs} interleaved round(s) of the measures`)
  return { ...describe(c, [...trees.cluster, ...trees.base], counts, s), roundRatios }
}

/**
 * One backends pass: the iptables and the nftables backend lower the same front end (build the
 * IR, then print it as kube-proxy would send it); the heap is collected before each timed block.
 */
function backendsPass(front: P.WithState, s: Samples): Record<string, number> {
  const ipt = timed(() => P.phaseBackend(front, 'iptables'))
  const iptPrint = timed(() => P.phaseBackendPrint(ipt.value))
  const nft = timed(() => P.phaseBackend(front, 'nftables'))
  const nftPrint = timed(() => P.phaseBackendPrint(nft.value))
  s.add('iptablesRender', ipt)
  s.add('iptablesPrint', iptPrint)
  s.addSum('iptables', [ipt, iptPrint])
  s.add('nftablesRender', nft)
  s.add('nftablesPrint', nftPrint)
  s.addSum('nftables', [nft, nftPrint])
  return { iptablesLines: iptPrint.value.split('\n').length - 1, nftablesLines: nftPrint.value.split('\n').length - 1 }
}

/** Runs a backends case: parse and front end once, then both backends `runs` times. */
export function runBackendsCase(c: BackendsCase, log: (line: string) => void): CaseTimings {
  const warm = P.phaseEndpoints(P.phaseAllocate(P.phaseParse(generate(smaller(c.spec)))))
  backendsPass(warm, new Samples())
  const files = generate(c.spec)
  const front = P.phaseEndpoints(P.phaseAllocate(P.phaseParse(files)))
  const s = new Samples()
  // js-yaml on the same input, so the ratios column means what it means for the plan cases.
  let counts: Record<string, number> = {}
  for (let r = 0; r < c.runs; r++) {
    s.add('yaml', timed(() => yamlAlone(files)))
    counts = backendsPass(front, s)
    log(`  ${c.id}: run ${r + 1}/${c.runs}`)
  }
  return describe(c, files, counts, s)
}

function describe(c: PlanCase | DiffCase | BackendsCase, files: readonly SourceFile[], counts: Record<string, number>, s: Samples): CaseTimings {
  return {
    id: c.id,
    kind: c.kind,
    services: c.spec.services,
    endpoints: c.spec.endpoints,
    shape: c.spec.mix ? `${c.spec.shape}+mix` : c.spec.shape,
    format: c.spec.format,
    origin: c.spec.origin,
    files: files.length,
    bytes: totalBytes(files),
    runs: c.runs,
    counts,
    cpuMs: s.medians('cpu'),
    wallMs: s.medians('wall'),
  }
}
