/**
 * Issue 16 targets 1 and 2: the whole process, the way a user meets it. One `kubectl get -o
 * yaml`-style export (kubectl-export.ts) is written to a file; then, alternating, fresh processes
 * run
 *   - `kube-whatif plan --cluster export.yaml -o iptables-restore` (the CLI, bundled by esbuild
 *     into one file and run with plain `node`, as the compiled CLI is; output to /dev/null), and
 *   - `node -e "require('js-yaml').loadAll(fs.readFileSync(f,'utf8'))"` (the baseline).
 * Each child reports its peak RSS (getrusage maxRSS) and CPU time on exit; the parent times the
 * wall clock around the spawn. Medians of the runs; ratios plan / js-yaml of the same run.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { kubectlExport } from './kubectl-export.ts'
import { median, round2 } from './measure.ts'

const here = dirname(fileURLToPath(import.meta.url))

/** Written into every child: on exit, its peak RSS and CPU time go to the file named by KW_BENCH_REPORT. */
const REPORT = `process.on('exit', () => { const u = process.resourceUsage(); require('node:fs').writeFileSync(process.env.KW_BENCH_REPORT, JSON.stringify({ maxRssKb: u.maxRSS, cpuMs: Math.round((u.userCPUTime + u.systemCPUTime) / 1000) })) });`

export interface WholeProcessResult {
  readonly id: string
  readonly services: number
  readonly endpoints: number
  /** managedFields, last-applied annotation, uids, status included. */
  readonly full: boolean
  readonly bytes: number
  readonly runs: number
  readonly yaml: { readonly wallMs: number; readonly cpuMs: number; readonly peakRssMb: number }
  readonly plan: { readonly wallMs: number; readonly cpuMs: number; readonly peakRssMb: number; readonly exitCode: number; readonly outputBytes: number }
  /** plan / js-yaml, per measure. */
  readonly ratios: { readonly wall: number; readonly cpu: number; readonly rss: number }
}

interface Run {
  wallMs: number
  cpuMs: number
  maxRssKb: number
  status: number
}

function run(args: readonly string[], report: string): Run {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, {
    env: { ...process.env, KW_BENCH_REPORT: report },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 24,
  })
  const wallMs = performance.now() - t0
  if (r.error) throw r.error
  const rep = JSON.parse(readFileSync(report, 'utf8')) as { maxRssKb: number; cpuMs: number }
  return { wallMs, cpuMs: rep.cpuMs, maxRssKb: rep.maxRssKb, status: r.status ?? -1 }
}

/** A scratch directory with the bundled CLI and the js-yaml one-liner's script. */
export interface WholeProcessKit {
  readonly dir: string
  readonly cli: string
  readonly yaml: string
  dispose(): void
}

export async function prepareWholeProcess(): Promise<WholeProcessKit> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-bench-cli-'))
  const entry = join(dir, 'entry.ts')
  // The CLI's own entry (bin/kube-whatif.js) minus the tsx loader, plus the exit report.
  writeFileSync(entry, `import { main } from ${JSON.stringify(resolve(here, '../src/cli/main.ts'))}\nimport { createRequire } from 'node:module'\nconst require = createRequire(import.meta.url)\n${REPORT}\nprocess.exitCode = await main(process.argv.slice(2))\n`)
  const cli = join(dir, 'cli.mjs')
  await build({ entryPoints: [entry], outfile: cli, bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning' })
  const yaml = join(dir, 'yaml.cjs')
  // Exactly the one-liner; require resolves js-yaml from this repository.
  writeFileSync(yaml, `module.paths.unshift(${JSON.stringify(resolve(here, '../node_modules'))})\n${REPORT}\nconst fs = require('node:fs')\nrequire('js-yaml').loadAll(fs.readFileSync(process.argv[2], 'utf8'))\n`)
  return { dir, cli, yaml, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

const mb = (kb: number): number => Math.round(kb / 102.4) / 10

/** Measures one export size: `runs` alternating pairs of fresh processes. */
export function runWholeProcess(kit: WholeProcessKit, id: string, services: number, endpoints: number, full: boolean, runs: number, log: (l: string) => void): WholeProcessResult {
  const file = kubectlExport(services, endpoints, full)
  const input = join(kit.dir, `${id}.yaml`)
  writeFileSync(input, file.text)
  const report = join(kit.dir, 'report.json')
  const ys: Run[] = []
  const ps: Run[] = []
  for (let i = 0; i < runs; i++) {
    ys.push(run([kit.yaml, input], report))
    const p = run([kit.cli, 'plan', '--cluster', input, '-o', 'iptables-restore'], report)
    if (p.status !== 0) throw new Error(`${id}: kube-whatif plan exited ${p.status}`)
    ps.push(p)
    log(`  ${id} run ${i + 1}: js-yaml ${Math.round(ys[i]!.wallMs)} ms wall, plan ${Math.round(p.wallMs)} ms wall`)
  }
  // One more plan run to count the output bytes (not timed).
  const out = spawnSync(process.execPath, [kit.cli, 'plan', '--cluster', input, '-o', 'iptables-restore'], { env: { ...process.env, KW_BENCH_REPORT: report }, maxBuffer: 1 << 30 })
  rmSync(input, { force: true })
  const m = (rs: Run[], f: (r: Run) => number): number => median(rs.map(f))
  const yaml = { wallMs: Math.round(m(ys, (r) => r.wallMs)), cpuMs: Math.round(m(ys, (r) => r.cpuMs)), peakRssMb: mb(m(ys, (r) => r.maxRssKb)) }
  const plan = { wallMs: Math.round(m(ps, (r) => r.wallMs)), cpuMs: Math.round(m(ps, (r) => r.cpuMs)), peakRssMb: mb(m(ps, (r) => r.maxRssKb)), exitCode: 0, outputBytes: out.stdout.length }
  return {
    id, services, endpoints, full, bytes: file.text.length, runs, yaml, plan,
    ratios: { wall: round2(plan.wallMs / yaml.wallMs), cpu: round2(plan.cpuMs / yaml.cpuMs), rss: round2(plan.peakRssMb / yaml.peakRssMb) },
  }
}
