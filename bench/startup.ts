/**
 * Start-up of the installed CLI (bin/kube-whatif.js → the compiled dist/cli/main.js), as ratios to
 * a bare `node -e 0` measured in the same run: wall time of whole processes, the three commands
 * interleaved round by round so load on the machine hits them alike, median of each.
 */
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { round2 } from './measure.ts'

/** Median wall times (ms) and their ratios to `node -e 0`. */
export interface StartupResult {
  readonly runs: number
  readonly nodeMs: number
  readonly versionMs: number
  readonly planMs: number
  readonly versionRatio: number
  readonly planRatio: number
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

function wallMs(args: readonly string[], cwd: string): number {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`)
  return ms
}

/** Measures `runs` rounds (after one warm-up round that fills the file cache). */
export function measureStartup(root: string, runs: number): StartupResult {
  const bin = join(root, 'bin', 'kube-whatif.js')
  const commands = [['-e', '0'], [bin, '--version'], [bin, 'plan', 'examples/meu-namespace']] as const
  const times: number[][] = commands.map(() => [])
  for (let round = -1; round < runs; round++) {
    commands.forEach((args, i) => {
      const ms = wallMs(args, root)
      if (round >= 0) times[i]?.push(ms)
    })
  }
  const [nodeMs, versionMs, planMs] = times.map(median) as [number, number, number]
  return { runs, nodeMs: round2(nodeMs), versionMs: round2(versionMs), planMs: round2(planMs), versionRatio: round2(versionMs / nodeMs), planRatio: round2(planMs / nodeMs) }
}
