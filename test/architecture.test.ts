/**
 * Architecture guards: the core is pure (no Node modules, no ambient clock/randomness/I/O) so the
 * same code runs in Node and in workerd, and the core never depends on an adapter.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

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
