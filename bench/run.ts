/**
 * `npm run bench` — the performance benchmark of issue 7.
 *
 *   npm run bench                     full run (< 5 min on 2 cores), writes bench/results.json
 *   npm run bench -- --quick          small sizes (about a minute), writes bench/results-quick.json
 *   npm run bench -- --only cluster-10kx10,diff-10kx10     just these cases
 *   npm run bench -- --no-workerd     skip the Miniflare part of the Worker case
 *   npm run bench -- --profile cluster-10kx10              CPU profile of one plan (see profile.ts)
 *   npm run bench -- --only startup   CLI start-up ratios to `node -e 0` (compiled CLI; run `npm run build` first)
 *
 * Prints the table (Markdown) and the targets; exit code 0 even when a target is missed (the
 * table says so) — the bench measures, the tests guard.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FULL_CASES, FULL_WHOLE_PROCESS, QUICK_CASES, QUICK_WHOLE_PROCESS } from './cases.ts'
import type { BenchCase } from './cases.ts'
import { generate } from './generate.ts'
import { hasGc, round2 } from './measure.ts'
import { measureMemory, prepareChild } from './memory.ts'
import { profileCase } from './profile.ts'
import { growth, renderTable, sortedJson, targets, withRatios } from './report.ts'
import type { BenchResults, CaseResult } from './report.ts'
import { runBackendsCase, runDiffCase, runPlanCase } from './run-case.ts'
import { measureStartup } from './startup.ts'
import { runWorkerCase } from './worker-pr.ts'
import { prepareWholeProcess, runWholeProcess } from './whole-process.ts'
import type { WholeProcessResult } from './whole-process.ts'

const here = dirname(fileURLToPath(import.meta.url))

interface Args {
  quick: boolean
  only?: string[]
  workerd: boolean
  worker: boolean
  memory: boolean
  profile?: string
  out?: string
}

function parseArgs(argv: readonly string[]): Args {
  const a: Args = { quick: false, workerd: true, worker: true, memory: true }
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]
    if (x === '--quick') a.quick = true
    else if (x === '--only') a.only = (argv[++i] ?? '').split(',').filter(Boolean)
    else if (x === '--no-workerd') a.workerd = false
    else if (x === '--no-worker') a.worker = false
    else if (x === '--no-memory') a.memory = false
    else if (x === '--profile') a.profile = argv[++i]
    else if (x === '--out') a.out = argv[++i]
    else {
      console.error(`unknown argument ${x}; see the header of bench/run.ts`)
      process.exit(2)
    }
  }
  return a
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const all: readonly BenchCase[] = args.quick ? QUICK_CASES : FULL_CASES
  if (args.profile !== undefined) {
    const c = [...FULL_CASES, ...QUICK_CASES].find((x) => x.id === args.profile)
    if (!c) throw new Error(`no case ${args.profile}; cases: ${[...FULL_CASES, ...QUICK_CASES].map((x) => x.id).join(', ')}`)
    process.stdout.write(await profileCase(c.spec))
    return
  }
  if (!hasGc) log('note: run with node --expose-gc (npm run bench does) so every timed block starts from a collected heap')
  const cases = args.only ? all.filter((c) => args.only!.includes(c.id)) : all
  const started = performance.now()
  const load = loadavg()[0] ?? 0
  const kit = await prepareChild()
  const scratch = mkdtempSync(join(tmpdir(), 'kube-whatif-bench-worker-'))
  try {
    const results: CaseResult[] = []
    for (const c of cases) {
      log(`${c.id} …`)
      const t = c.kind === 'plan' ? runPlanCase(c, log) : c.kind === 'diff' ? runDiffCase(c, log) : runBackendsCase(c, log)
      const memory = c.kind === 'plan' && c.memory && args.memory ? measureMemory(kit, c.id, generate(c.spec)) : undefined
      results.push(withRatios(t, memory))
      log(`  ${c.id}: done at ${Math.round((performance.now() - started) / 1000)} s`)
    }
    const wholeCases = args.only ? [...FULL_WHOLE_PROCESS, ...QUICK_WHOLE_PROCESS].filter((c) => args.only!.includes(c.id)) : args.quick ? QUICK_WHOLE_PROCESS : FULL_WHOLE_PROCESS
    const whole: WholeProcessResult[] = []
    if (wholeCases.length > 0) {
      const wk = await prepareWholeProcess()
      try {
        for (const c of wholeCases) {
          log(`${c.id} (whole process) …`)
          whole.push(runWholeProcess(wk, c.id, c.services, c.endpoints, c.full, c.runs, log))
        }
      } finally {
        wk.dispose()
      }
    }
    const ladder = results.filter((c) => c.kind === 'plan' && c.id.startsWith('cluster-') && c.endpoints === 10).sort((a, b) => a.services - b.services)
    const ladder1 = results.filter((c) => c.kind === 'plan' && c.id.startsWith('cluster-') && c.endpoints === 1).sort((a, b) => a.services - b.services)
    const workloads = results.filter((c) => c.id.startsWith('workloads-')).sort((a, b) => a.services - b.services)
    const g = [...pairs(ladder), ...pairs(ladder1), ...pairs(workloads)].map(([a, b]) => growth(a, b))
    let worker
    if (args.worker && (!args.only || args.only.includes('worker-pr'))) {
      log('worker PR …')
      worker = await runWorkerCase(scratch, { workerd: args.workerd, runs: args.quick ? 30 : 100 })
    }
    let startup
    if (!args.only || args.only.includes('startup')) {
      log('CLI start-up …')
      startup = measureStartup(join(here, '..'), args.quick ? 10 : 30)
    }
    const out: BenchResults = {
      mode: args.quick ? 'quick' : 'full',
      node: process.version,
      cpus: availableParallelism(),
      loadAverageAtStart: round2(load),
      measure: 'median CPU time (process.cpuUsage, user+system) after warm-up; ratios to js-yaml loadAll of the same input in the same run',
      cases: results,
      wholeProcess: whole,
      growth: g,
      ...(worker ? { worker } : {}),
      ...(startup ? { startup } : {}),
      targets: targets(results, g, worker, whole, startup),
      totalSeconds: Math.round((performance.now() - started) / 1000),
    }
    process.stdout.write(renderTable(out))
    log(`total ${out.totalSeconds} s (load average at start ${out.loadAverageAtStart} on ${out.cpus} CPUs)`)
    const file = args.out ?? (args.only ? undefined : join(here, args.quick ? 'results-quick.json' : 'results.json'))
    if (file !== undefined) {
      writeFileSync(file, sortedJson(out))
      log(`wrote ${file}`)
    }
  } finally {
    kit.dispose()
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Consecutive pairs of a ladder (10×, and 10k → 45k at one endpoint per Service). */
function pairs(xs: readonly CaseResult[]): [CaseResult, CaseResult][] {
  const out: [CaseResult, CaseResult][] = []
  for (let i = 1; i < xs.length; i++) {
    const a = xs[i - 1] as CaseResult
    const b = xs[i] as CaseResult
    if (b.services === a.services * 10 || b.services === a.services * 4.5) out.push([a, b])
  }
  return out
}

await main()
