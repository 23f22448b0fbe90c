/**
 * The npm package as users get it: `npm pack` of the compiled CLI and library (built by the test
 * suite's global setup) and their declarations (built here with buildTypes, what `prepack` runs),
 * the file list, then an offline install of the tarball into an
 * empty folder and `plan`, `diff` and `trace` run from there through both bin names, the
 * library entry from JavaScript, and its types from a TypeScript consumer.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildTypes } from '../../scripts/build-cli.mjs'

const root = join(import.meta.dirname, '..', '..')
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
let work = ''
let app = ''
let files: string[] = []

interface Manifest {
  dependencies?: Record<string, string>
}

/** Directories (under node_modules) of the runtime dependencies and theirs, transitively. */
function runtimeClosure(pkg: Manifest): string[] {
  const seen = new Set<string>()
  const visit = (m: Manifest) => {
    for (const name of Object.keys(m.dependencies ?? {})) {
      const dir = join(root, 'node_modules', name)
      if (seen.has(dir)) continue
      seen.add(dir)
      visit(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest)
    }
  }
  visit(pkg)
  return [...seen]
}

function run(bin: string, args: readonly string[], cwd = app) {
  return spawnSync(join(app, 'node_modules', '.bin', bin), [...args], { cwd, encoding: 'utf8', timeout: 60_000 })
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'kube-whatif-pack-'))
  // --ignore-scripts: prepack/prepare would rebuild dist/cli under the feet of other test files
  // that run bin/kube-whatif.js at the same time; the global setup built it from these sources.
  buildTypes()
  const out = execFileSync(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 })
  const packed = JSON.parse(out) as { filename: string; files: { path: string }[] }[]
  const [info] = packed
  if (info === undefined) throw new Error('npm pack printed no package')
  files = info.files.map((f) => f.path).sort()
  app = join(work, 'app')
  cpSync(join(root, 'examples'), join(app, 'examples'), { recursive: true })
  cpSync(join(root, 'test/fixtures/scenarios/shop-pr'), join(app, 'shop-pr'), { recursive: true })
  writeFileSync(join(app, 'package.json'), '{"name":"consumer","private":true,"type":"module"}\n')
  // Offline: the runtime dependencies come as tarballs packed from this checkout's node_modules
  // (npm's cache holds their tarballs but not the registry metadata a range needs).
  const deps = runtimeClosure(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest)
  const depTarballs = deps.map((dir) => {
    const name = execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work, dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim().split('\n').pop() ?? ''
    return join(work, name)
  })
  execFileSync(npm, ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', ...depTarballs, join(work, info.filename)], {
    cwd: app,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  })
}, 300_000)

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true })
})

describe('npm pack', () => {
  it('builds what it packs: prepare compiles the CLI and library, prepack also their types', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    expect(pkg.scripts.prepare).toBe('node scripts/build-cli.mjs')
    expect(pkg.scripts.prepack).toBe('node scripts/build-cli.mjs --types')
  })

  it('contains only the compiled CLI and library, their types, the schemas and the package files', () => {
    const outside = files.filter((f) => !/^(bin\/kube-whatif\.js|dist\/(cli|lib)\/(chunks\/)?[^/]+\.js|dist\/types\/.+\.d\.ts|schemas\/[a-z-]+\.schema\.json|package\.json|README\.md|LICENSE)$/.test(f))
    expect(outside).toEqual([])
    expect(files).toContain('dist/cli/main.js')
    expect(files).toContain('dist/types/lib/index.d.ts')
    expect(files).toEqual(expect.arrayContaining(['schemas/plan.schema.json', 'schemas/diff.schema.json', 'schemas/trace.schema.json']))
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('src/') || f.startsWith('dist/action/'))).toBe(false)
  })
})

describe('the installed tarball', () => {
  it('plans, diffs and traces through the kube-whatif bin', () => {
    const version = run('kube-whatif', ['--version'])
    expect(version.stdout).toMatch(/^kube-whatif \d+\.\d+\.\d+\n$/)

    const plan = run('kube-whatif', ['plan', 'examples/meu-namespace', '-o', 'json'])
    expect(plan.stderr).toBe('')
    expect(plan.status).toBe(0)
    expect(JSON.parse(plan.stdout)).toMatchObject({ schemaVersion: 1, services: expect.arrayContaining([expect.objectContaining({ name: 'meu-service' })]) })

    const diff = run('kube-whatif', ['diff', '--base', 'base', '--head', 'head', '--cluster', 'cluster', '-o', 'json'], join(app, 'shop-pr'))
    expect(diff.status).toBe(2)
    expect(JSON.parse(diff.stdout)).toMatchObject({ kind: 'kube-whatif/diff', summary: { hasChanges: true } })

    const trace = run('kube-whatif', ['trace', 'examples/meu-namespace', '--from', '10.244.1.10', '--to', '10.96.0.100:27017', '-o', 'json'])
    expect(trace.status).toBe(0)
    expect(JSON.parse(trace.stdout)).toMatchObject({ output: '10.244.1.10:27017' })
  })

  it('answers as the kubectl plugin kubectl-whatif', () => {
    const r = run('kubectl-whatif', ['plan', 'examples/meu-namespace', '-o', 'iptables-restore'])
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/-A KUBE-SERVICES -m comment --comment "meu-namespace\/meu-service:mongodb cluster IP"/)
  })

  it('exposes plan, diff and trace as a library, with types a TypeScript consumer compiles against', () => {
    const script = `
import { plan, diff, trace, renderPlan } from 'kube-whatif'
import schema from 'kube-whatif/schemas/plan.schema.json' with { type: 'json' }
const svc = 'apiVersion: v1\\nkind: Service\\nmetadata: {name: a, namespace: x}\\nspec: {clusterIP: 10.96.0.9, ports: [{port: 80}]}\\n'
const p = plan({ proposed: [{ path: 'a.yaml', text: svc }] })
const d = diff({ base: [], head: [{ path: 'a.yaml', text: svc }] })
const t = trace({ proposed: [{ path: 'a.yaml', text: svc }], probes: [{ from: '203.0.113.1', to: '10.96.0.9:80' }] })
console.log(JSON.stringify({ services: p.value.services.length, added: d.value.summary.added, verdict: t.value[0].output, restore: renderPlan(p, 'iptables-restore').includes('KUBE-SERVICES'), schema: schema.$schema }))
`
    writeFileSync(join(app, 'use.mjs'), script)
    const r = spawnSync(process.execPath, ['use.mjs'], { cwd: app, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ services: 1, added: 1, verdict: 'REJECT', restore: true, schema: 'https://json-schema.org/draft/2020-12/schema' })

    writeFileSync(
      join(app, 'use.ts'),
      `import { plan, trace, type PlanResult, type Trace } from 'kube-whatif'
const p: PlanResult = plan({ proposed: [{ path: 'a.yaml', text: '' }], ipFamily: 'IPv4' }).value
const t: Trace[] = trace({ cluster: [], probes: [{ from: '10.0.0.1', to: '10.96.0.1:443' }] }).value
export const n: number = p.services.length + t.length
// @ts-expect-error -- ipFamily is 'IPv4' | 'IPv6'
plan({ ipFamily: 'IPv5' })
`,
    )
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: [] }, files: ['use.ts'] }),
    )
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: app, encoding: 'utf8' })
    expect(tsc.stdout + tsc.stderr).toBe('')
    expect(tsc.status).toBe(0)
  }, 60_000)
})
