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

  describe('a Service the apiserver refuses', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-refused-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const svc = (extra: string): string =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  type: NodePort\n${extra}  selector: {app: web}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n`
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web-1, namespace: default, labels: {app: web}}\nspec: {nodeName: node-2, containers: [{name: c, image: x}]}\nstatus: {phase: Running, podIP: 10.244.1.5, conditions: [{type: Ready, status: "True"}]}\n'
    const side = (name: string, text: string): string => {
      mkdirSync(join(dir, name))
      writeFileSync(join(dir, name, 'web.yaml'), text)
      writeFileSync(join(dir, name, 'pod.yaml'), pod)
      return join(dir, name)
    }
    const base = side('base', svc(''))
    const empty = side('empty', '')
    type Doc = { assumptions: string[]; exitCode: number; summary: Record<string, number | boolean>; services: { kind: string; note: string; refused?: { operation: string; messages: string[] } }[]; rules: unknown[]; findings: { severity: string; message: string }[] }

    it.each([
      ['an out-of-range clusterIP', 'clusterIP: 10.33.9.4', 'may not change once set'],
      ['a malformed clusterIP', 'clusterIP: 10.0.0.300', 'must be a valid IP address'],
      ['a nodePort outside the range', 'X', 'provided port is not in the valid range'],
      ['a port that is not a number', 'Y', 'must be an integer'],
    ])('update refused (%s): its own row, the base object and its rules stay, exit 1', async (_what, extra, message) => {
      let text = svc(`  ${extra}\n`)
      if (extra === 'X') text = svc('').replace('targetPort: 8080}', 'targetPort: 8080, nodePort: 80}')
      if (extra === 'Y') text = svc('').replace('port: 80,', 'port: eighty,')
      const head = side(`head-${extra.replace(/\W/g, '')}`, text)
      const r = await cli(['diff', '--base', base, '--head', head, '-o', 'json'])
      expect(r.code).toBe(1)
      const doc = JSON.parse(r.out) as Doc
      expect(doc.summary).toMatchObject({ added: 0, changed: 0, destroyed: 0, refused: 1 })
      expect(doc.services).toHaveLength(1)
      expect(doc.services[0]?.kind).toBe('refused')
      expect(doc.services[0]?.refused?.operation).toBe('update')
      expect(doc.services[0]?.refused?.messages.join('\n')).toContain(message)
      expect(doc.services[0]?.note).not.toContain('frees')
      expect(doc.assumptions).toContain("default/web: the head's request is refused, so the object the base defines stays (its ClusterIP, NodePorts, endpoints and rules); the request was judged as an update of that object, as when the base is applied before the head")
      // The failed apply leaves the base object: no rule of any node changes.
      expect(doc.rules).toEqual([])
      expect(doc.findings.filter((f) => f.severity === 'error').map((f) => f.message).join('\n')).toContain(message)
      const text2 = await cli(['diff', '--base', base, '--head', head])
      expect(text2.out).toContain('Plan: 0 to add, 0 to change, 0 to destroy, 1 refused')
      expect(text2.out).toContain('! default/web (NodePort)')
      expect(text2.out).not.toMatch(/^- default\/web/m)
      const md = await cli(['diff', '--base', base, '--head', head, '-o', 'markdown'])
      expect(md.out).toContain('| `!` | `default/web` | NodePort | refused | update refused: the current object stays, its rules unchanged;')
    })

    it('create refused: nothing is created, no rules', async () => {
      const head = side('head-create', svc('  clusterIP: 10.33.9.4\n'))
      const r = await cli(['diff', '--base', empty, '--head', head, '-o', 'json'])
      expect(r.code).toBe(1)
      const doc = JSON.parse(r.out) as Doc
      expect(doc.summary).toMatchObject({ added: 0, destroyed: 0, refused: 1 })
      expect(doc.services[0]).toMatchObject({ kind: 'refused', refused: { operation: 'create' } })
      expect(doc.services[0]?.note).toMatch(/^create refused: nothing is created; .*(?:not in the valid range|does not match the current range)/)
      expect(doc.rules).toEqual([])
    })
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
