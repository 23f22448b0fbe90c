/**
 * Loads `test/fixtures/scenarios/<name>/{base,head,cluster}/**` and `probes.yaml` into planDiff
 * input. Base and head paths are relative to their side's folder (as in a PR, both sides use
 * the same repository paths); cluster files keep a `cluster/` prefix.
 */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import type { ProbeSpec } from '../../src/core/trace/types.ts'
import { parseProbesFile } from '../../src/core/trace/probe.ts'

export const SCENARIOS_DIR = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/scenarios')

/** Scenario folder names, sorted. */
export function listScenarios(): string[] {
  return readdirSync(SCENARIOS_DIR)
    .filter((n) => !n.startsWith('.') && !n.startsWith('_') && statSync(join(SCENARIOS_DIR, n)).isDirectory())
    .sort()
}

function walk(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n)
      return statSync(p).isDirectory() ? walk(p) : /\.(ya?ml|json)$/.test(n) ? [p] : []
    })
}

function read(dir: string, origin: SourceFile['origin'], prefix: string): SourceFile[] {
  return walk(dir).map((p) => ({ path: `${prefix}${relative(dir, p)}`, text: readFileSync(p, 'utf8'), origin }))
}

/** The planDiff input of a scenario. */
export function loadScenario(name: string): { base: SourceFile[]; head: SourceFile[]; cluster: SourceFile[]; probes?: ProbeSpec[] } {
  const root = join(SCENARIOS_DIR, name)
  const probesPath = join(root, 'probes.yaml')
  const probes = existsSync(probesPath) ? parseProbesFile('probes.yaml', readFileSync(probesPath, 'utf8')).value.specs : undefined
  return {
    base: read(join(root, 'base'), 'proposed', ''),
    head: read(join(root, 'head'), 'proposed', ''),
    cluster: read(join(root, 'cluster'), 'existing', 'cluster/'),
    ...(probes ? { probes } : {}),
  }
}
