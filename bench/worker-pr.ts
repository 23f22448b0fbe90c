/**
 * The Worker target: a typical pull request (50 Services, 50 Deployments × 4 = 200 pods, ≈ 40 kB
 * of YAML) planned warm. Measured (1) in Node through the Worker's own planner port
 * (worker/src/planner.ts `corePlanner`, the exact code `/v1/plan` runs after reading the body), as
 * CPU time per request; (2) in workerd through Miniflare, as wall time per `dispatchFetch` — an
 * upper bound of the Worker's CPU time (workerd's clocks do not advance during CPU work, so CPU
 * time cannot be read from inside). The gzipped bundle size is reported too.
 */
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { corePlanner } from '../worker/src/planner.ts'
import { generate, totalBytes } from './generate.ts'
import type { ClusterSpec } from './generate.ts'
import { median, round2, timed } from './measure.ts'
import { yamlAlone } from './run-case.ts'
import { clockTicks, processCpuMs, runWorkerdIsolate, startInWorkerd } from './workerd-isolate.ts'
import type { WorkerdIsolateResult } from './workerd-isolate.ts'

/** The PR: proposed Services with selectors and Deployments (4 replicas), the mix of types. */
export const PR_SPEC: ClusterSpec = { services: 50, endpoints: 4, shape: 'workloads', mix: true, format: 'yaml', origin: 'proposed' }

/** The PR as one YAML stream, the body of `POST /v1/plan` (no `--cluster` facts: nodes are synthesised). */
export function prYaml(): string {
  return generate(PR_SPEC)
    .filter((f) => f.origin === 'proposed')
    .map((f) => f.text)
    .join('---\n')
}

/** Worker measurements. */
export interface WorkerResult {
  readonly bytes: number
  readonly services: number
  readonly pods: number
  /** Median CPU ms of js-yaml alone (loadAll, planner schema) on the same body, warm. */
  readonly yamlCpuMs: number
  /** Median CPU ms per `/v1/plan` (json) through corePlanner in Node, warm. */
  readonly nodePlanCpuMs: number
  /** Same for `?format=markdown`. */
  readonly nodePlanMarkdownCpuMs: number
  /** Median over the interleaved rounds of (json batch / js-yaml batch): target 3's figure. */
  readonly planToYaml?: number
  /** Median wall ms per request in workerd (Miniflare), warm; absent when workerd cannot start. */
  readonly workerdPlanWallMs?: number
  /**
   * Median wall ms of `GET /healthz` in the same workerd, measured alternately with the plans:
   * what Miniflare's dispatch costs a request that does nothing, so the plan's own share of
   * `workerdPlanWallMs` can be read (the plan's body and its ≈ 470 KB answer also cross the
   * loopback socket, which this floor does not carry).
   */
  readonly workerdFloorWallMs?: number
  /** workerd process CPU ms (every thread) per `/v1/plan` request, and per `GET /healthz`; absent without /proc. */
  readonly workerdPlanCpuMs?: number
  readonly workerdFloorCpuMs?: number
  readonly workerdSkipped?: string
  /** js-yaml alone and the planner timed inside workerd (workerd-isolate.ts); absent when skipped. */
  readonly workerdIsolate?: WorkerdIsolateResult
  readonly workerdIsolateSkipped?: string
  readonly bundleBytes?: number
  readonly bundleGzipBytes?: number
}

/**
 * Warm-up calls before measuring. A Worker isolate serves many requests, so the figure that matters
 * is the JIT's steady state. 30 calls (the earlier setting) left `/v1/plan` json half-optimised:
 * 18.5–19.6 ms against 12.7–13.2 ms after 200 and 11.4–12.9 ms after 500 in the same session, while
 * js-yaml alone stayed at 4.9–5.2 ms with either (measured 2026-12-07, quiet machine).
 */
const WARM_CALLS = 200

/** CPU ms of 10 calls of `call`, per call (no forced GC in between: GC is part of the cost). */
function batchCpu(call: () => unknown): number {
  return timed(() => {
    for (let i = 0; i < 10; i++) call()
  }, false).cpu / 10
}

/**
 * Median CPU ms per call of js-yaml alone, `/v1/plan` json and markdown, measured in rounds (the
 * order rotating), and the median of the per-round json / js-yaml ratios. Measured in two separate
 * loops (js-yaml first, then the planner, the method before), the ratio of five runs in a row was
 * 1.41, 1.74, 1.99, 2.03 and 2.40 (2026-12-07, quiet machine): load and heap drifted between the
 * loops, so each loop met a different machine; rounds put both sides on the same machine.
 * Each measured batch follows an unmeasured batch of the same call, because a batch pays for the
 * garbage the batch before it left: js-yaml after a planner batch measured 5.60 / 5.69 ms against
 * 5.32 / 5.41 after js-yaml, and the planner after js-yaml 8.88 / 9.18 against 10.28 / 10.58 after
 * itself (80 rounds, two runs), so plain alternation would flatter the planner by ≈ 10%. The
 * figure is each side's own steady state, as the two loops measured it, without their drift.
 */
function interleaved(calls: readonly (() => unknown)[], runs: number): { medians: number[]; ratio: number } {
  for (let i = 0; i < WARM_CALLS; i++) for (const c of calls) c()
  const rounds = Math.max(3, Math.round(runs / 10))
  const xs: number[][] = calls.map(() => [])
  const ratios: number[] = []
  for (let r = 0; r < rounds; r++) {
    const got: number[] = new Array<number>(calls.length)
    for (let j = 0; j < calls.length; j++) {
      const k = (r + j) % calls.length
      const call = calls[k] as () => unknown
      batchCpu(call)
      got[k] = batchCpu(call)
    }
    got.forEach((ms, k) => (xs[k] as number[]).push(ms))
    ratios.push((got[1] as number) / (got[0] as number))
  }
  return { medians: xs.map((v) => round2(median(v))), ratio: round2(median(ratios)) }
}

function nodeCall(text: string, format: string): () => unknown {
  return () => corePlanner.run('plan', { kind: 'yaml', text }, format, { maxBytes: 1024 * 1024 })
}

async function workerd(text: string, dir: string, runs: number): Promise<Pick<WorkerResult, 'workerdPlanWallMs' | 'workerdFloorWallMs' | 'workerdPlanCpuMs' | 'workerdFloorCpuMs' | 'workerdSkipped' | 'bundleBytes' | 'bundleGzipBytes'>> {
  const { buildWorker, readWorkerConfig } = await import('../scripts/build-worker.mjs')
  const built = await buildWorker({ outdir: join(dir, 'worker'), minify: true })
  const sizes = { bundleBytes: built.bytes, bundleGzipBytes: built.gzipBytes }
  let mf: import('miniflare').Miniflare | undefined
  try {
    const started = await startInWorkerd(built.path, readWorkerConfig().compatibility_date)
    mf = started.mf
    const post = async (): Promise<void> => {
      const res = await mf!.dispatchFetch('http://localhost/v1/plan', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: text })
      if (res.status !== 200) throw new Error(`/v1/plan answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
      await res.text()
    }
    const health = async (): Promise<void> => {
      const res = await mf!.dispatchFetch('http://localhost/healthz')
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`)
      await res.text()
    }
    for (let i = 0; i < WARM_CALLS; i++) await post()
    for (let i = 0; i < 20; i++) await health()
    const xs: number[] = []
    const floor: number[] = []
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now()
      await post()
      const t1 = performance.now()
      await health()
      floor.push(performance.now() - t1)
      xs.push(t1 - t0)
    }
    // The workerd process's CPU per request, `runs` requests of each in a block (/proc counts in
    // 10 ms ticks, too coarse to read one request): everything a request costs there, Miniflare's
    // entry Worker and the ≈ 500 KB answer crossing its socket included.
    let cpu: Pick<WorkerResult, 'workerdPlanCpuMs' | 'workerdFloorCpuMs'> = {}
    const pid = started.pid
    if (pid !== undefined) {
      const ticks = clockTicks()
      const block = async (f: () => Promise<void>): Promise<number> => {
        const c0 = processCpuMs(pid, ticks)
        for (let i = 0; i < runs; i++) await f()
        return round2((processCpuMs(pid, ticks) - c0) / runs)
      }
      cpu = { workerdPlanCpuMs: await block(post), workerdFloorCpuMs: await block(health) }
    }
    return { ...sizes, workerdPlanWallMs: round2(median(xs)), workerdFloorWallMs: round2(median(floor)), ...cpu }
  } catch (err) {
    return { ...sizes, workerdSkipped: err instanceof Error ? err.message : String(err) }
  } finally {
    await mf?.dispose().catch(() => undefined)
  }
}

/** The Node figures of the case, measured in the calling process (bench/worker-child.ts runs it in a fresh one). */
export function nodeFigures(runs: number): Pick<WorkerResult, 'yamlCpuMs' | 'nodePlanCpuMs' | 'nodePlanMarkdownCpuMs' | 'planToYaml'> {
  const text = prYaml()
  const yaml = (): unknown => yamlAlone([{ path: 'pr.yaml', text, origin: 'proposed' }])
  const { medians, ratio } = interleaved([yaml, nodeCall(text, 'json'), nodeCall(text, 'markdown')], runs)
  const [yamlCpuMs, nodePlanCpuMs, nodePlanMarkdownCpuMs] = medians as [number, number, number]
  return { yamlCpuMs, nodePlanCpuMs, nodePlanMarkdownCpuMs, planToYaml: ratio }
}

/**
 * The Node figures from a fresh child process. A Worker isolate runs nothing but requests; measured
 * in the bench's own process after the other cases (10k–45k Service plans, workloads, diffs), the
 * same requests cost 17.3 ms instead of 10.3–10.8 (their call sites had seen every other case's
 * shapes and the heap was large), so the ratio depended on which cases ran before it.
 */
function nodeFiguresInChild(runs: number): ReturnType<typeof nodeFigures> {
  const child = join(dirname(fileURLToPath(import.meta.url)), 'worker-child.ts')
  const out = execFileSync(process.execPath, [...process.execArgv, child, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 })
  return JSON.parse(out) as ReturnType<typeof nodeFigures>
}

/** Runs the Worker case; `dir` is a scratch directory for the bundle. */
export async function runWorkerCase(dir: string, opts: { workerd: boolean; runs: number }): Promise<WorkerResult> {
  const text = prYaml()
  const base = {
    bytes: totalBytes([{ path: 'pr.yaml', text, origin: 'proposed' }]),
    services: PR_SPEC.services,
    pods: PR_SPEC.services * PR_SPEC.endpoints,
    ...nodeFiguresInChild(opts.runs),
  }
  if (!opts.workerd) return base
  const served = await workerd(text, dir, opts.runs)
  let isolate: Pick<WorkerResult, 'workerdIsolate' | 'workerdIsolateSkipped'>
  try {
    const { readWorkerConfig } = await import('../scripts/build-worker.mjs')
    isolate = { workerdIsolate: await runWorkerdIsolate(text, dir, readWorkerConfig().compatibility_date, Math.max(3, Math.round(opts.runs / 10))) }
  } catch (err) {
    isolate = { workerdIsolateSkipped: err instanceof Error ? err.message : String(err) }
  }
  return { ...base, ...served, ...isolate }
}
