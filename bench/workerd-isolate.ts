/**
 * Target 3 inside workerd: js-yaml alone and the Worker's planner path timed in the runtime that
 * serves `/v1/plan` (bench/workerd-probe.ts, bundled here with esbuild and run through Miniflare),
 * in interleaved rounds as the Node figures are (worker-pr.ts `interleaved`).
 *
 * Why: the ratio is read in Node 20, whose V8 runs js-yaml ≈ 3× slower than workerd's
 * (5.0 against 1.5–1.9 ms on the PR body, same machine), while the planner gains far less from the
 * newer V8 (8.8 against 5.5–6.2 ms). The free plan's 10 ms is spent in workerd, so the bench
 * reports both there: each call's wall time on the isolate's clock, and the workerd process's CPU
 * time (user + system of every thread, GC and compiler threads included, from /proc; Linux only)
 * per call, each batch of N calls inside one request so that Miniflare's dispatch is spread thin.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { median, round2 } from './measure.ts'

/** The figures of one run. */
export interface WorkerdIsolateResult {
  /** Median wall ms per js-yaml call on the isolate's clock. */
  readonly yamlMs: number
  /** Median wall ms per planner call (`corePlanner.run`, json) on the isolate's clock. */
  readonly planMs: number
  /** Median of the per-round plan / js-yaml wall ratios. */
  readonly planToYaml: number
  /** Median workerd process CPU ms per call (every thread); absent without /proc. */
  readonly yamlCpuMs?: number
  readonly planCpuMs?: number
  /** Median of the per-round plan / js-yaml CPU ratios. */
  readonly planToYamlCpu?: number
  /**
   * Median wall ms of `JSON.stringify(doc, null, 2)` on a plain object printing the planner's
   * answer: what writing the answer's bytes costs at the least, with V8's own serializer.
   */
  readonly answerMs: number
  /** The plan phases (phases.ts) in workerd, wall ms per call, one request after the rounds. */
  readonly phasesMs: Readonly<Record<string, number>>
}

/**
 * Calls per request: a request's own cost (≈ 0.5 ms of workerd CPU for `GET /healthz`) is spread
 * over them, and /proc counts CPU in 10 ms ticks, so a batch of js-yaml (≈ 170 ms) reads to ±6%.
 */
const BATCH = 100
/** Warm-up requests of each call before the rounds: 300 calls (WARM_CALLS in worker-pr.ts is 200). */
const WARM_BATCHES = 3

/** Clock ticks per second of /proc's CPU times. */
export function clockTicks(): number {
  try {
    const n = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    return Number.isFinite(n) && n > 0 ? n : 100
  } catch {
    return 100
  }
}

/** The pids of running `workerd` processes whose parent is this process (Miniflare spawns them). */
function workerdChildren(): Set<number> {
  const out = new Set<number>()
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return out
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      const close = stat.lastIndexOf(')')
      const comm = stat.slice(stat.indexOf('(') + 1, close)
      const ppid = Number(stat.slice(close + 2).split(' ')[1])
      if (comm === 'workerd' && ppid === process.pid) out.add(Number(e))
    } catch {
      // The process ended while listed.
    }
  }
  return out
}

/** User + system CPU ms of process `pid` so far (fields 14 and 15 of /proc/pid/stat). */
export function processCpuMs(pid: number, ticks: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(f[11]) + Number(f[12])) * 1000) / ticks
}

/**
 * Starts `scriptPath` (an ES module Worker) in its own workerd through Miniflare, and finds that
 * workerd's pid for {@link processCpuMs} (undefined where /proc cannot tell it).
 */
export async function startInWorkerd(scriptPath: string, compatibilityDate: string): Promise<{ mf: import('miniflare').Miniflare; pid: number | undefined }> {
  const { Miniflare } = await import('miniflare')
  const before = workerdChildren()
  const mf = new Miniflare({ modules: true, scriptPath, modulesRoot: dirname(scriptPath), compatibilityDate })
  try {
    await mf.ready
  } catch (err) {
    await mf.dispose().catch(() => undefined)
    throw err
  }
  const started = [...workerdChildren()].filter((p) => !before.has(p))
  return { mf, pid: started.length === 1 ? started[0] : undefined }
}

/** Bundles the probe Worker into `dir` (esbuild, the conditions wrangler resolves for workerd). */
export async function bundleProbe(dir: string): Promise<string> {
  const { build } = await import('esbuild')
  const outfile = join(dir, 'probe', 'index.js')
  await build({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'workerd-probe.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    minify: true,
    outfile,
    logLevel: 'warning',
  })
  return outfile
}

/**
 * Runs the probe in workerd: warm-up, then `rounds` rounds of one batch of each call (order
 * rotating, each measured batch after an unmeasured batch of the same call, as worker-pr.ts
 * `interleaved` does), then the phases. Throws when workerd cannot start or the isolate's clock
 * does not advance; the caller reports that as skipped.
 */
export async function runWorkerdIsolate(text: string, dir: string, compatibilityDate: string, rounds: number): Promise<WorkerdIsolateResult> {
  const { mf, pid } = await startInWorkerd(await bundleProbe(dir), compatibilityDate)
  try {
    const ticks = clockTicks()
    const call = async (what: string, n: number): Promise<{ ms: number; cpuMs: number | undefined }> => {
      const c0 = pid !== undefined ? processCpuMs(pid, ticks) : 0
      const res = await mf.dispatchFetch(`http://localhost/?what=${what}&n=${n}`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: text })
      if (res.status !== 200) throw new Error(`probe ${what} answered ${res.status}: ${(await res.text()).slice(0, 200)}`)
      const { ms } = (await res.json()) as { ms: number }
      return { ms, cpuMs: pid !== undefined ? (processCpuMs(pid, ticks) - c0) / n : undefined }
    }
    const names = ['yaml', 'plan', 'answer'] as const
    for (let i = 0; i < WARM_BATCHES; i++) for (const w of names) await call(w, BATCH)
    const wall: Record<string, number[]> = { yaml: [], plan: [], answer: [] }
    const cpu: Record<string, number[]> = { yaml: [], plan: [] }
    const ratios: number[] = []
    const cpuRatios: number[] = []
    for (let r = 0; r < rounds; r++) {
      const got: Record<string, { ms: number; cpuMs: number | undefined }> = {}
      for (let j = 0; j < names.length; j++) {
        const w = names[(r + j) % names.length] as string
        await call(w, BATCH)
        got[w] = await call(w, BATCH)
      }
      const y = got['yaml'] as { ms: number; cpuMs: number | undefined }
      const p = got['plan'] as { ms: number; cpuMs: number | undefined }
      if (!(y.ms > 0 && p.ms > 0)) throw new Error("the isolate's clock did not advance during the calls")
      ;(wall['yaml'] as number[]).push(y.ms)
      ;(wall['plan'] as number[]).push(p.ms)
      ;(wall['answer'] as number[]).push((got['answer'] as { ms: number }).ms)
      ratios.push(p.ms / y.ms)
      if (y.cpuMs !== undefined && p.cpuMs !== undefined && y.cpuMs > 0) {
        ;(cpu['yaml'] as number[]).push(y.cpuMs)
        ;(cpu['plan'] as number[]).push(p.cpuMs)
        cpuRatios.push(p.cpuMs / y.cpuMs)
      }
    }
    const res = await mf.dispatchFetch(`http://localhost/?what=phases&n=${BATCH}`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: text })
    const phasesMs = Object.fromEntries(Object.entries(((await res.json()) as { ms: Record<string, number> }).ms).map(([k, v]) => [k, round2(v)]))
    return {
      yamlMs: round2(median(wall['yaml'] as number[])),
      planMs: round2(median(wall['plan'] as number[])),
      planToYaml: round2(median(ratios)),
      answerMs: round2(median(wall['answer'] as number[])),
      ...(cpuRatios.length > 0
        ? { yamlCpuMs: round2(median(cpu['yaml'] as number[])), planCpuMs: round2(median(cpu['plan'] as number[])), planToYamlCpu: round2(median(cpuRatios)) }
        : {}),
      phasesMs,
    }
  } finally {
    await mf.dispose().catch(() => undefined)
  }
}
