import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { SCENARIOS_DIR } from './scenario-loader.ts'

async function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env })
  return { code, out, err }
}

const s = (name: string, part: string): string => join(SCENARIOS_DIR, name, part)

describe('kube-whatif diff', () => {
  it('exits 2 with changes and prints the text report', async () => {
    const r = await cli(['diff', '--base', s('shop-pr', 'base'), '--head', s('shop-pr', 'head'), '--cluster', s('shop-pr', 'cluster')])
    expect(r.code).toBe(2)
    expect(r.out).toContain('Plan: 1 to add, 2 to change, 1 to destroy · 2 findings')
    expect(r.out).not.toContain('\u001b[')
  })

  it('-o text prints each field change once', async () => {
    for (const name of ['shop-pr', 'lb-exposure']) {
      const args = ['diff', '--base', s(name, 'base'), '--head', s(name, 'head'), '--cluster', s(name, 'cluster')]
      const text = (await cli(args)).out
      const doc = JSON.parse((await cli([...args, '-o', 'json'])).out) as { services: { fields: { field: string; before?: string; after?: string }[] }[] }
      const fields = doc.services.flatMap((x) => x.fields)
      expect(fields.length).toBeGreaterThan(0)
      for (const f of fields) {
        const change = `${f.before ?? '∅'} → ${f.after ?? '∅'}`
        expect(text.split(change).length - 1, `${f.field}: ${change}`).toBe(1)
      }
    }
  })

  it('exits 0 without changes and 1 with error findings', async () => {
    expect((await cli(['diff', '--base', s('no-changes', 'base'), '--head', s('no-changes', 'head'), '--cluster', s('no-changes', 'cluster')])).code).toBe(0)
    expect((await cli(['diff', '--base', s('invalid-input', 'base'), '--head', s('invalid-input', 'head'), '--cluster', s('invalid-input', 'cluster')])).code).toBe(1)
  })

  it('prints stable JSON and the markdown comment', async () => {
    const args = ['diff', '--base', s('lb-exposure', 'base'), '--head', s('lb-exposure', 'head'), '--cluster', s('lb-exposure', 'cluster'), '--probes', s('lb-exposure', 'probes.yaml')]
    const j = await cli([...args, '-o', 'json'])
    const doc = JSON.parse(j.out) as { schemaVersion: number; exitCode: number; probes: { changed: boolean }[] }
    expect(doc).toMatchObject({ schemaVersion: 1, exitCode: 2 })
    expect(doc.probes.map((p) => p.changed)).toEqual([true, false, true])
    expect(Object.keys(doc)).toEqual([...Object.keys(doc)].sort())
    const m = await cli([...args, '-o', 'markdown', '--target', 'prod'])
    expect(m.out.startsWith('<!-- kube-whatif:v1 target=prod -->\n')).toBe(true)
    expect(m.out).toContain('reproduce: `kube-whatif diff --base')
  })

  it('colours text only when asked by the environment (FORCE_COLOR) and never with NO_COLOR', async () => {
    const args = ['diff', '--base', s('shop-pr', 'base'), '--head', s('shop-pr', 'head'), '--cluster', s('shop-pr', 'cluster')]
    expect((await cli(args, { FORCE_COLOR: '1' })).out).toContain('\u001b[31m')
    expect((await cli(args, { FORCE_COLOR: '1', NO_COLOR: '1' })).out).not.toContain('\u001b[')
  })

  it('never reads a --cluster file as one side\'s manifest too (so --head . --cluster cluster/ works)', async () => {
    const base = await cli(['diff', '--base', s('shop-pr', 'base'), '--head', s('shop-pr', 'head'), '--cluster', s('shop-pr', 'cluster'), '-o', 'json'])
    const both = await cli([
      'diff', '--base', s('shop-pr', 'base'), '--base', s('shop-pr', 'cluster'), '--head', s('shop-pr', 'head'), '--head', `${s('shop-pr', 'cluster')}/`,
      '--cluster', s('shop-pr', 'cluster'), '-o', 'json',
    ])
    expect(both.code).toBe(base.code)
    const findings = (out: string): string[] => (JSON.parse(out) as { findings: { message: string }[] }).findings.map((f) => f.message)
    expect(findings(both.out)).toEqual(findings(base.out))
  })

  it('usage and I/O errors exit 1 (2 means "changes")', async () => {
    const r = await cli(['diff', '--head', s('shop-pr', 'head')])
    expect(r.code).toBe(1)
    expect(r.err).toContain('no base side')
    expect((await cli(['diff', '--base', '/nonexistent', '--head', s('shop-pr', 'head')])).code).toBe(1)
    expect((await cli(['diff', '--base', 'x', '--base-ref', 'main', '--head', 'y'])).err).toContain('not both')
    expect((await cli(['diff', '-o', 'yaml', '--base', 'x', '--head', 'y'])).code).toBe(1)
  })

  describe('--base-ref', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-cli-diff-'))
    const git = (...args: string[]): string =>
      execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } }).trim()
    afterAll(() => rmSync(dir, { recursive: true, force: true }))

    it('reads the base side from a commit for the same paths, without checking it out', async () => {
      git('init', '-q', '-b', 'main')
      cpSync(s('shop-pr', 'base'), join(dir, 'k8s'), { recursive: true })
      mkdirSync(join(dir, 'k8s/.hidden'))
      writeFileSync(join(dir, 'k8s/.hidden/x.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: hidden}\nspec: {ports: [{port: 1}]}\n')
      writeFileSync(join(dir, 'k8s/notes.txt'), 'not a manifest')
      git('add', '-A')
      git('-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'base')
      cpSync(s('shop-pr', 'head'), join(dir, 'k8s'), { recursive: true })
      const prev = process.cwd()
      process.chdir(dir)
      try {
        const r = await cli(['diff', '--base-ref', 'main', '--head', 'k8s', '--cluster', s('shop-pr', 'cluster'), '-o', 'json'])
        expect(r.err).toBe('')
        expect(r.code).toBe(2)
        const doc = JSON.parse(r.out) as { summary: { added: number; changed: number; destroyed: number } }
        expect(doc.summary).toMatchObject({ added: 1, changed: 2, destroyed: 1 })
        // The working tree still holds the head files: nothing was checked out.
        expect(git('status', '--porcelain')).toContain('k8s/services.yaml')
        const bad = await cli(['diff', '--base-ref', 'no-such-ref', '--head', 'k8s'])
        expect(bad.code).toBe(1)
        expect(bad.err).toContain('not a commit')
      } finally {
        process.chdir(prev)
      }
    })
  })
})
