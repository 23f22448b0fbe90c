/**
 * Architecture guards:
 * - the core is pure (no Node modules, no ambient clock/randomness/I/O) so the same code runs in
 *   Node and in workerd, and the core never depends on an adapter;
 * - adapters (CLI, Action, Node reader, Worker, bench) reach the core only through its front
 *   door `#core`, whose export list is pinned here;
 * - no import cycle anywhere, and the core's folders depend on each other in one direction;
 * - index.ts files only re-export.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findCycles, importGraph, importsOf } from './helpers/import-graph.ts'

const root = join(import.meta.dirname, '..')

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/** Source without comments and string/template contents, so only code is inspected. */
function codeOnly(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:\\])\/\/.*$/gm, '$1')
    .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, "''")
}

// js-yaml is the published package's only runtime dependency (package.json); ip-num was removed
// (docs/installing.md says why) and @noble/hashes is only the tests' reference for net/sha256.ts.
const ALLOWED_PACKAGES = [/^js-yaml$/]
const FORBIDDEN_GLOBALS = [
  /\bprocess\s*\./,
  /\bnew Date\b|\bDate\.now\b/,
  /\bMath\.random\b/,
  /\bconsole\s*\./,
  /\bfetch\s*\(/,
  /\bcrypto\s*\./,
  /\bsetTimeout\b|\bsetInterval\b/,
  /\brequire\s*\(/,
  /\bBuffer\b/,
]

describe('core purity', () => {
  const files = tsFiles(join(root, 'src/core'))

  it('finds the core sources', () => {
    expect(files.length).toBeGreaterThan(50)
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s imports only core modules and pure packages', (_name, file) => {
    const text = readFileSync(file, 'utf8')
    const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"\n;]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '')
    for (const spec of specifiers) {
      if (spec.startsWith('.')) {
        const target = join(file, '..', spec)
        expect(relative(join(root, 'src/core'), target).startsWith('..'), `${spec} leaves src/core`).toBe(false)
      } else {
        expect(ALLOWED_PACKAGES.some((re) => re.test(spec)), `${spec} is not an allowed core dependency`).toBe(true)
      }
    }
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s uses no ambient clock, randomness or I/O', (_name, file) => {
    const code = codeOnly(readFileSync(file, 'utf8'))
    for (const re of FORBIDDEN_GLOBALS) expect(code, `matches ${re}`).not.toMatch(re)
  })

  it('type-checks without Node or DOM globals (tsconfig.core.json: types [], lib ES2022)', () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc')
    let out = ''
    try {
      execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.core.json')], { encoding: 'utf8', stdio: 'pipe' })
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? err)
    }
    expect(out).toBe('')
  }, 120_000)
})

/** Adapter source trees: they may use the core only through `#core`. */
const ADAPTERS = ['src/cli', 'src/action', 'src/node', 'worker/src', 'bench']
const CORE = join(root, 'src/core')
const insideCore = (file: string): boolean => !relative(CORE, file).startsWith('..')

describe('adapters use the front door', () => {
  const files = ADAPTERS.flatMap((d) => tsFiles(join(root, d)))

  it('finds every adapter', () => {
    for (const d of ADAPTERS) expect(files.some((f) => f.startsWith(join(root, d))), d).toBe(true)
  })

  it.each(files.map((f) => [relative(root, f), f]))('%s imports the core only as #core', (_name, file) => {
    for (const edge of importsOf(file, readFileSync(file, 'utf8'), root)) {
      if (edge.target !== undefined && insideCore(edge.target)) {
        expect(edge.specifier, `${edge.specifier} bypasses the front door: export what you need from src/core/index.ts`).toBe('#core')
      }
    }
  })

  it('the Action never imports the CLI (shared Node code lives in src/node/)', () => {
    for (const file of tsFiles(join(root, 'src/action'))) {
      for (const edge of importsOf(file, readFileSync(file, 'utf8'), root)) {
        expect(edge.target !== undefined && !relative(join(root, 'src/cli'), edge.target).startsWith('..'), `${relative(root, file)} imports ${edge.specifier}`).toBe(false)
      }
    }
  })

  it('the core imports no adapter, no node:* module and nothing dynamically', () => {
    for (const file of tsFiles(CORE)) {
      const text = readFileSync(file, 'utf8')
      expect(codeOnly(text), `${relative(root, file)} uses import()`).not.toMatch(/\bimport\s*\(/)
      for (const edge of importsOf(file, text, root)) {
        expect(edge.specifier.startsWith('node:'), `${relative(root, file)} imports ${edge.specifier}`).toBe(false)
        expect(edge.specifier === '#core' || (edge.target !== undefined && !insideCore(edge.target)), `${relative(root, file)} imports ${edge.specifier}`).toBe(false)
      }
    }
  })
})

describe('import graph', () => {
  const sources = ['src', 'worker/src', 'bench'].flatMap((d) => tsFiles(join(root, d)))
  const graph = importGraph(sources, root)

  it('has no import cycle (type-only imports included)', () => {
    const cycles = findCycles(graph).map((c) => c.map((f) => relative(root, f)).join(' -> '))
    expect(cycles).toEqual([])
  })

  it('the cycle finder finds a cycle when there is one', () => {
    const g = new Map<string, string[]>([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])
    expect(findCycles(g)).toEqual([['a', 'b', 'c']])
    expect(findCycles(new Map([['a', ['b']], ['b', []]]))).toEqual([])
  })

  it("the core's folders depend on each other in one direction (e.g. report -> plan, never back)", () => {
    const folder = (f: string): string | undefined => {
      const rel = relative(CORE, f).split('/')
      return rel[0] === '..' || rel.length < 2 ? undefined : rel[0]
    }
    const folders = new Map<string, string[]>()
    for (const [file, deps] of graph) {
      const a = folder(file)
      if (a === undefined) continue
      for (const d of deps) {
        const b = folder(d)
        if (b === undefined || b === a) continue
        const list = folders.get(a) ?? []
        if (!list.includes(b)) list.push(b)
        folders.set(a, list)
      }
    }
    expect(findCycles(folders)).toEqual([])
  })
})

describe('index.ts files only re-export', () => {
  // The two bundle entry points run their adapter (esbuild / wrangler `main`) and are exempt.
  const ENTRY_POINTS = ['src/action/index.ts', 'worker/src/index.ts']
  const barrels = ['src', 'worker/src', 'bench']
    .flatMap((d) => tsFiles(join(root, d)))
    .filter((f) => f.endsWith('/index.ts') && !ENTRY_POINTS.includes(relative(root, f)))

  it.each(barrels.map((f) => [relative(root, f), f]))('%s', (_name, file) => {
    const statements = codeOnly(readFileSync(file, 'utf8'))
      .replace(/export\s+(?:type\s+)?(?:\*|\{[^}]*\})\s+from\s+''/g, '')
      .trim()
    expect(statements, 'logic belongs in a module named for what it does').toBe('')
  })
})

/** Every name `src/core/index.ts` exports, runtime and type-only, split. */
function coreExports(): { values: string[]; types: string[] } {
  const text = readFileSync(join(CORE, 'index.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '')
  const values: string[] = []
  const types: string[] = []
  for (const m of text.matchAll(/export\s+(type\s+)?\{([^}]*)\}/g)) {
    for (const part of (m[2] ?? '').split(',')) {
      const t = part.trim()
      if (t === '') continue
      const name = t.replace(/^type\s+/, '').split(/\s+as\s+/).pop() as string
      ;(m[1] !== undefined || t.startsWith('type ') ? types : values).push(name)
    }
  }
  expect(text.replace(/export\s+(?:type\s+)?\{[^}]*\}\s+from\s+'[^']+'/g, '').trim()).toBe('')
  return { values: values.sort(), types: types.sort() }
}

describe('the front door (src/core/index.ts)', () => {
  it('exports exactly the use cases, renderers and types adapters use (change this list on purpose)', () => {
    expect(coreExports()).toEqual({
      values: [
        'DEFAULT_KUBERNETES_VERSION', 'DEFAULT_LIMITS', 'DEFAULT_WORK_LIMITS', 'DIFF_FORMATS', 'K8S_YAML_SCHEMA', 'KUBERNETES_VERSIONS', 'PLAN_FORMATS', 'PLAN_STAGES',
        'SUPPORTED_VERSIONS_TEXT', 'TRACE_FORMATS', 'WORK_LIMIT_OPTIONS', 'canonicalIP', 'destinationFamily', 'diffExitCode', 'formatIssue', 'hasErrors', 'hasMarker',
        'parseKubernetesVersion', 'parseProbesFile', 'planDiff', 'planFromSources', 'printNftTransaction', 'printRestore', 'proxyModeOfFormat', 'pushAll',
        'renderDiff', 'renderDiffMarkdown', 'renderPlan', 'renderPlanJson', 'renderPlanMarkdown', 'renderTraces', 'traceProbes', 'traceRules',
      ],
      types: [
        'DiffFormat', 'DiffReportOptions', 'DiffSummary', 'Finding', 'FindingSeverity', 'Flow', 'IPFamily', 'Issue', 'IssueCode',
        'KubernetesVersion', 'MigrationDifference', 'ObjectRef', 'ParseLimits', 'PathStep', 'PlanDiff', 'PlanDiffInput', 'PlanDiffOptions', 'PlanFormat', 'PlanInput',
        'PlanOptions', 'PlanResult', 'PlannedEndpoint', 'PlannedPort', 'PlannedService', 'PlannedServicePort', 'Probe', 'ProbeSources', 'ProbeSpec',
        'ProxyMode', 'ServiceChange', 'Severity', 'SourceFile', 'SourceSpan', 'Staged', 'Trace', 'TraceFormat', 'TraceOutcome', 'TraceRulesInput',
        'TrafficOutcome', 'Verdict', 'WorkLimits',
      ],
    })
  })

  it('every runtime export is used by some adapter (types describe the use cases and their results)', () => {
    const used = new Set<string>()
    for (const file of ADAPTERS.flatMap((d) => tsFiles(join(root, d)))) {
      for (const m of readFileSync(file, 'utf8').matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'#core'/g)) {
        for (const part of (m[1] ?? '').split(',')) used.add(part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0] as string)
      }
    }
    expect(coreExports().values.filter((n) => !used.has(n))).toEqual([])
  })
})


describe('comments cite documents in the repository', () => {
  const files = ['src', 'worker/src', 'bench'].flatMap((d) => tsFiles(join(root, d)))
  const outside = /\bspec §|§\s*\d+(?:\.\d+)*\s*(?:of\s+)?(?:spec|apiserver|ecosystem|architecture)\b|\bspec\b[^\n]*?\b(?:apiserver|ecosystem|architecture|kube-proxy-(?:iptables|nftables))\.md|shared\/spec|\b(?:apiserver|ecosystem|kube-proxy-(?:iptables|nftables))\.md\b/

  it.each(files.map((f) => [relative(root, f), f]))('%s', (_name, file) => {
    const text = readFileSync(file, 'utf8')
    expect(text, 'cite the upstream function it mirrors, or a page in docs/').not.toMatch(outside)
    for (const m of text.matchAll(/\bdocs\/([\w.-]+\.md)\b/g)) {
      expect(readdirSync(join(root, 'docs')), `docs/${m[1]} is cited but does not exist`).toContain(m[1])
    }
  })
})

describe("the core's folder barrels", () => {
  const CONSUMERS = ['src', 'test', 'worker/src', 'worker/test', 'bench']

  it('re-export only names some module imports through them', () => {
    const used = new Map<string, Set<string>>()
    for (const file of CONSUMERS.flatMap((d) => tsFiles(join(root, d)))) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
        const spec = m[2] as string
        const target = spec === '#core' ? join(CORE, 'index.ts') : spec.startsWith('.') ? join(file, '..', spec) : undefined
        if (target === undefined) continue
        const names = used.get(target) ?? new Set<string>()
        for (const part of (m[1] ?? '').split(',')) names.add(part.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0] as string)
        used.set(target, names)
      }
    }
    const unused: string[] = []
    for (const barrel of tsFiles(CORE).filter((f) => f.endsWith('/index.ts') && f !== join(CORE, 'index.ts'))) {
      for (const m of readFileSync(barrel, 'utf8').matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
        for (const part of (m[1] ?? '').split(',')) {
          const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop() as string
          if (name !== '' && !(used.get(barrel)?.has(name) ?? false)) unused.push(`${relative(root, barrel)}: ${name}`)
        }
      }
    }
    expect(unused).toEqual([])
  })
})
