/**
 * Child process of the benchmark, bundled by esbuild and run with plain `node` so no TypeScript
 * loader skews its memory. Usage: `node child.mjs <mode> <dir>` where `dir` holds the input files
 * and `manifest.json` (written by memory.ts). Modes:
 * - `baseline`: read the inputs only;
 * - `yaml`: js-yaml `loadAll` of every file with the planner's schema, results kept alive;
 * - `plan`: planFromSources + the iptables-restore payload, results kept alive.
 * Prints one JSON line: `{ mode, maxRssKb, heapUsedKb, cpuMs }`. `maxRssKb` is the process's
 * peak resident set (getrusage ru_maxrss), which includes Node's own baseline.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SourceFile } from '#core'
import { yamlAlone } from './run-case.ts'
import { endToEnd } from './phases.ts'

const [mode, dir] = process.argv.slice(2)
if (dir === undefined || (mode !== 'baseline' && mode !== 'yaml' && mode !== 'plan')) {
  console.error('usage: child.mjs baseline|yaml|plan DIR')
  process.exit(2)
}
const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { path: string; origin: SourceFile['origin']; file: string }[]
const files: SourceFile[] = manifest.map((m) => ({ path: m.path, origin: m.origin, text: readFileSync(join(dir, m.file), 'utf8') }))
const c0 = process.cpuUsage()
let kept: unknown
if (mode === 'yaml') kept = yamlAlone(files)
else if (mode === 'plan') kept = endToEnd(files)
const c = process.cpuUsage(c0)
const out = {
  mode,
  kept: typeof kept,
  maxRssKb: process.resourceUsage().maxRSS,
  heapUsedKb: Math.round(process.memoryUsage().heapUsed / 1024),
  cpuMs: Math.round((c.user + c.system) / 1000),
}
console.log(JSON.stringify(out))
