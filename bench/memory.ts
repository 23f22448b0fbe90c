/**
 * Peak memory, measured in fresh child processes so runs do not pollute each other: one reads the
 * inputs only (baseline), one parses them with js-yaml alone, one plans them. The children are a
 * single esbuild bundle run with plain `node` (no TypeScript loader thread in the numbers).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import type { SourceFile } from '#core'

const here = dirname(fileURLToPath(import.meta.url))

/** Peak RSS of the three children, in MiB, and the plan's ratio to js-yaml alone. */
export interface MemoryResult {
  readonly baselineRssMb: number
  readonly yamlPeakRssMb: number
  readonly planPeakRssMb: number
  /** planPeak / yamlPeak (the target: at most 2). */
  readonly ratio: number
  /** (planPeak − baseline) / (yamlPeak − baseline): the same without Node's fixed footprint. */
  readonly ratioAboveBaseline: number
}

/** A temporary directory with the bundled child; `dispose` removes it. */
export interface ChildKit {
  readonly script: string
  readonly dir: string
  dispose(): void
}

/** Bundles bench/child.ts into a temporary directory. */
export async function prepareChild(): Promise<ChildKit> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-bench-'))
  const script = join(dir, 'child.mjs')
  await build({
    entryPoints: [resolve(here, 'child.ts')],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
  })
  return { script, dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Writes the inputs where a child can read them; returns the directory. */
export function writeInputs(kit: ChildKit, name: string, files: readonly SourceFile[]): string {
  const dir = join(kit.dir, name)
  mkdirSync(dir, { recursive: true })
  const manifest = files.map((f, i) => {
    const file = `${String(i).padStart(4, '0')}.txt`
    writeFileSync(join(dir, file), f.text)
    return { path: f.path, origin: f.origin, file }
  })
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest))
  return dir
}

/** Runs one child and returns its report. Extra node flags (e.g. `--cpu-prof`) go first. */
export function runChild(kit: ChildKit, mode: 'baseline' | 'yaml' | 'plan', inputDir: string, nodeFlags: readonly string[] = []): { maxRssKb: number; cpuMs: number } {
  const out = execFileSync(process.execPath, [...nodeFlags, kit.script, mode, inputDir], { encoding: 'utf8', maxBuffer: 1 << 20 })
  const line = out.trim().split('\n').pop() ?? '{}'
  return JSON.parse(line) as { maxRssKb: number; cpuMs: number }
}

const mb = (kb: number): number => Math.round(kb / 102.4) / 10

/** Measures peak RSS of baseline, js-yaml alone and the plan for one input. */
export function measureMemory(kit: ChildKit, name: string, files: readonly SourceFile[]): MemoryResult {
  const dir = writeInputs(kit, name, files)
  const base = runChild(kit, 'baseline', dir).maxRssKb
  const yaml = runChild(kit, 'yaml', dir).maxRssKb
  const plan = runChild(kit, 'plan', dir).maxRssKb
  rmSync(dir, { recursive: true, force: true })
  return {
    baselineRssMb: mb(base),
    yamlPeakRssMb: mb(yaml),
    planPeakRssMb: mb(plan),
    ratio: Math.round((plan / yaml) * 100) / 100,
    ratioAboveBaseline: Math.round(((plan - base) / Math.max(1, yaml - base)) * 100) / 100,
  }
}
