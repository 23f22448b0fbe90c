/**
 * Every example and fixture the diagram tests draw, discovered by listing folders (never by
 * name): the examples/ folders, both sides of each diff scenario, and every kube-proxy
 * conformance and synthetic case (its input.yaml with the case's cluster facts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import type { IPFamily } from '../../src/core/model/k8s.ts'
import { caseFactsFile, CONFORMANCE_DIR, readCaseConfig } from '../helpers/case-facts.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const SYNTHETIC_DIR = join(ROOT, 'test', 'fixtures', 'synthetic', 'kube-proxy-iptables')
const SCENARIOS_DIR = join(ROOT, 'test', 'fixtures', 'scenarios')

export interface DiagramInput {
  readonly name: string
  readonly files: readonly SourceFile[]
  readonly ipFamily?: IPFamily
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f)
      if (statSync(p).isDirectory()) return yamlFiles(p)
      return /\.(ya?ml|json)$/.test(f) ? [p] : []
    })
}

const file = (path: string, origin: SourceFile['origin']): SourceFile => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8'), origin })

function cases(dir: string, label: string): DiagramInput[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'input.yaml')) && existsSync(join(dir, d.name, 'config.json')))
    .filter((d) => 'nodeName' in (JSON.parse(readFileSync(join(dir, d.name, 'config.json'), 'utf8')) as object))
    .map((d) => ({
      name: `${label}/${d.name}`,
      files: [file(join(dir, d.name, 'input.yaml'), 'existing'), file(caseFactsFile(d.name, dir), 'existing')],
      ipFamily: readCaseConfig(d.name, dir).ipFamily,
    }))
}

/** Every input, sorted by name. */
export function diagramInputs(): DiagramInput[] {
  const out: DiagramInput[] = []
  const examples = join(ROOT, 'examples')
  for (const d of readdirSync(examples, { withFileTypes: true }).filter((x) => x.isDirectory())) {
    const paths = yamlFiles(join(examples, d.name))
    out.push({ name: `examples/${d.name}`, files: paths.map((p) => file(p, /cluster/.test(p) ? 'existing' : 'proposed')) })
  }
  for (const d of readdirSync(SCENARIOS_DIR, { withFileTypes: true }).filter((x) => x.isDirectory())) {
    const cluster = yamlFiles(join(SCENARIOS_DIR, d.name, 'cluster')).map((p) => file(p, 'existing'))
    for (const side of ['base', 'head']) {
      const own = yamlFiles(join(SCENARIOS_DIR, d.name, side)).map((p) => file(p, 'proposed'))
      if (own.length > 0) out.push({ name: `scenarios/${d.name}/${side}`, files: [...cluster, ...own] })
    }
  }
  out.push(...cases(CONFORMANCE_DIR, 'conformance'), ...cases(SYNTHETIC_DIR, 'synthetic'))
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

/** The ```` ```mermaid ```` blocks of the committed scenario comments (the diff's before/after drawings). */
export function committedCommentDiagrams(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = []
  for (const d of readdirSync(SCENARIOS_DIR, { withFileTypes: true }).filter((x) => x.isDirectory())) {
    const path = join(SCENARIOS_DIR, d.name, 'expected', 'comment.md')
    if (!existsSync(path)) continue
    const md = readFileSync(path, 'utf8')
    let i = 0
    for (const m of md.matchAll(/^(`{3,})mermaid\n([\s\S]*?)^\1$/gm)) out.push({ name: `scenarios/${d.name} comment #${++i}`, text: m[2] ?? '' })
  }
  return out
}
