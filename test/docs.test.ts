/**
 * docs/issues.md must list exactly the issue codes src/core can emit: a new code without a row,
 * or a row for a code that no longer exists in the source, fails here.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const PREFIXES = ['yaml', 'manifest', 'cluster', 'service', 'alloc', 'endpoints', 'proxy', 'trace', 'diff', 'limit']
const P = PREFIXES.join('|')

/**
 * Codes built at run time (template literals, concatenation) that the literal scan cannot see.
 * None today: every code is a plain literal. If you add one, list each concrete code here with a
 * comment naming the file that builds it; the guard test below points you here.
 */
const DYNAMIC_CODES: readonly string[] = []

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/**
 * Drops comment lines (`//`, `/*`, JSDoc `*`), so a code mentioned only in prose does not count
 * as emitted. Line-based on purpose: a regex stripping `/* … *\/` spans misreads prose such as
 * "endpoints/*" as a comment opener and swallows real code.
 */
function withoutComments(text: string): string {
  return text.replace(/^\s*(?:\/\/|\/\*|\*).*$/gm, '')
}

const sources = tsFiles(join(root, 'src/core')).map((f) => ({
  file: relative(root, f),
  code: withoutComments(readFileSync(f, 'utf8')),
}))

function codesInSource(): Set<string> {
  const literal = new RegExp(`['"\`]((?:${P})/[a-z0-9-]+)['"\`]`, 'g')
  const out = new Set<string>(DYNAMIC_CODES)
  for (const s of sources) for (const m of s.code.matchAll(literal)) out.add(m[1] as string)
  return out
}

interface Row {
  readonly code: string
  readonly severity: string
  readonly stage: string
  readonly meaning: string
  readonly section: string
}

function rowsInDoc(text: string): Row[] {
  const rows: Row[] = []
  let section = ''
  for (const line of text.split('\n')) {
    const h = /^## (\w+)\//.exec(line)
    if (h) section = h[1] as string
    const m = /^\| `([^`]+)` \|([^|]*)\|([^|]*)\|(.*)\|\s*$/.exec(line)
    if (m) rows.push({ code: m[1] as string, severity: (m[2] as string).trim(), stage: (m[3] as string).trim(), meaning: (m[4] as string).trim(), section })
  }
  return rows
}

const doc = readFileSync(join(root, 'docs/issues.md'), 'utf8')
const rows = rowsInDoc(doc)

describe('docs/issues.md', () => {
  it('the source scan finds codes of every stage (the regex still works)', () => {
    const prefixes = new Set([...codesInSource()].map((c) => c.split('/')[0]))
    expect([...prefixes].sort()).toEqual([...PREFIXES].sort())
  })

  it('documents every code used in src/core', () => {
    const documented = new Set(rows.map((r) => r.code))
    const missing = [...codesInSource()].filter((c) => !documented.has(c)).sort()
    expect(missing, 'codes in src/core without a row in docs/issues.md').toEqual([])
  })

  it('documents no code that src/core no longer uses', () => {
    const used = codesInSource()
    const stale = rows.map((r) => r.code).filter((c) => !used.has(c)).sort()
    expect(stale, 'rows in docs/issues.md for codes absent from src/core').toEqual([])
  })

  it('has one well-formed row per code, under its own prefix heading', () => {
    const codes = rows.map((r) => r.code)
    expect(new Set(codes).size).toBe(codes.length)
    for (const r of rows) {
      expect(r.section, r.code).toBe(r.code.split('/')[0])
      expect(r.severity, r.code).toMatch(/^(error|warning|info|notice)(, (error|warning|info|notice))*$|^— \(never emitted\)$/)
      expect(r.stage, r.code).toMatch(/^(parse|cluster|apiserver|proxy|trace|diff)$/)
      expect(r.meaning.length, r.code).toBeGreaterThan(20)
    }
  })

  it('no code is built dynamically without being listed in DYNAMIC_CODES', () => {
    const dynamic = new RegExp(`\`(?:${P})/\\$\\{|['"\`](?:${P})/['"\`]\\s*\\+`)
    const hits = sources
      .filter((s) => s.file !== join('src', 'core', 'issues.ts')) // the IssueCode type itself
      .filter((s) => dynamic.test(s.code))
      .map((s) => s.file)
    expect(hits, 'list the codes these files build in DYNAMIC_CODES').toEqual([])
  })
})
