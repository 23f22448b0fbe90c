import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { readSources } from '../../src/node/manifest-reader.ts'
import { withDefaults } from '../../src/cli/io.ts'
import { runCli } from '../helpers/run-cli.ts'
import { tmpTree } from '../helpers/tmp-tree.ts'

const root = join(import.meta.dirname, '..', '..')
const ex = (p: string): string => join(root, 'examples', p)

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  clusterIP: 10.96.0.20
  ports:
  - name: http
    port: 80
`
const BAD = `apiVersion: v1
kind: Service
metadata:
  name: broken
spec:
  clusterIP: 10.96.0.21
  ports:
  - port: 99999
`


describe('kube-whatif plan: exit codes', () => {
  it('exits 0 and prints the text plan when the input is clean', async () => {
    const r = await runCli(['plan', ex('meu-namespace')])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^Plan for node node-1 \(IPv4\)/)
  })

  it('exits 1 when the input has errors, still prints the plan, and names file:line', async () => {
    const dir = tmpTree({ 'good.yaml': SVC, 'bad.yaml': BAD })
    const text = await runCli(['plan', dir])
    expect(text.code).toBe(1)
    expect(text.stdout).toContain('default/web')
    expect(text.stdout).toMatch(new RegExp(`${dir}/bad\\.yaml:8: error: .*99999`))
    // Machine formats keep stdout clean and put the issues on stderr.
    const restore = await runCli(['plan', dir, '-o', 'iptables-restore'])
    expect(restore.code).toBe(1)
    expect(restore.stdout).toMatch(/^\*filter\n/)
    expect(restore.stdout).toContain('"default/web:http has no endpoints"')
    expect(restore.stderr).toMatch(new RegExp(`^${dir}/bad\\.yaml:8: error: `))
  })

  it.each([
    [['plan'], /no input/],
    [['plan', 'x.yaml', '--bogus'], /Unknown option '--bogus'/],
    [['plan', 'x.yaml', '-o', 'yaml'], /invalid value 'yaml' for -o\/--output: expected one of text, json, iptables-restore, iptables-save, iptables-list/],
    [['plan', 'x.yaml', '--ip-family', 'IPv5'], /invalid value 'IPv5' for --ip-family/],
    [['plan', '--node'], /argument missing|requires a value|--node/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('exits 2 with a one-line message for bad usage: %j', async (argv, message) => {
    const r = await runCli(argv)
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('exits 2 for a missing file or an unreadable path, naming it', async () => {
    const missing = await runCli(['plan', '/nonexistent/manifests.yaml'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toBe("kube-whatif: cannot read '/nonexistent/manifests.yaml': no such file or directory\n")
    const cluster = await runCli(['plan', ex('meu-namespace'), '--cluster', '/nope'])
    expect(cluster.code).toBe(2)
    expect(cluster.stderr).toContain("cannot read '/nope'")
    const denied = await runCli(['plan', 'a.yaml'], {
      stat: async () => 'file',
      readFile: async () => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' })
      },
    })
    expect(denied).toMatchObject({ code: 2, stderr: "kube-whatif: cannot read 'a.yaml': permission denied\n" })
  })

  it('reports a bug as an internal error with exit 70, without a stack unless KUBE_WHATIF_DEBUG is set', async () => {
    let stderr = ''
    const io = {
      readStdin: async () => SVC,
      stdout: (): void => {
        throw new TypeError('boom')
      },
      stderr: (t: string): void => void (stderr += t),
    }
    expect(await main(['plan', '-'], { ...io, env: {} })).toBe(70)
    expect(stderr).toBe('kube-whatif: internal error (a bug, please report it): boom\n')
    stderr = ''
    expect(await main(['plan', '-'], { ...io, env: { KUBE_WHATIF_DEBUG: '1' } })).toBe(70)
    expect(stderr).toMatch(/TypeError: boom\n\s+at /)
  })
})

describe('kube-whatif plan: inputs', () => {
  it('reads standard input for -', async () => {
    const r = await runCli(['plan', '-', '-o', 'json'], { stdinText: SVC })
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { services: { name: string; source: { file: string } }[] }
    expect(doc.services.map((s) => [s.name, s.source.file])).toEqual([['web', '<stdin>']])
  })

  it('refuses - twice', async () => {
    const r = await runCli(['plan', '-', '--cluster', '-'], { stdinText: SVC })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("'-' (standard input) can be given only once")
  })

  it('walks directories recursively, reads only manifests, sorted, skipping dot-directories', async () => {
    const dir = tmpTree({
      'b/2.yml': '# b2\n',
      'a.json': '{}',
      'b/1.yaml': '# b1\n',
      'notes.txt': 'not yaml: [',
      '.git/x.yaml': 'kind: [',
      'c/d/e.YAML': '# deep\n',
    })
    const files = await readSources(withDefaults(), [dir], 'proposed', { maxBytes: 1 << 20 })
    expect(files.map((f) => f.path.slice(dir.length + 1))).toEqual(['a.json', 'b/1.yaml', 'b/2.yml', 'c/d/e.YAML'])
    expect(files.every((f) => f.origin === 'proposed')).toBe(true)
  })

  it('reads an explicit file whatever its extension', async () => {
    const dir = tmpTree({ 'svc.txt': SVC })
    const r = await runCli(['plan', join(dir, 'svc.txt'), '-o', 'json'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('"name": "web"')
  })

  it('plans --cluster files as existing and positional files as proposed (an update)', async () => {
    const dir = tmpTree({ 'cluster.yaml': SVC, 'pr.yaml': SVC.replace('port: 80', 'port: 8080') })
    const r = await runCli(['plan', join(dir, 'pr.yaml'), '--cluster', join(dir, 'cluster.yaml'), '-o', 'json'])
    expect(r.code).toBe(0)
    const doc = JSON.parse(r.stdout) as { services: { origin: string; update: boolean; ports: { port: number }[] }[] }
    expect(doc.services).toHaveLength(1)
    expect(doc.services[0]).toMatchObject({ origin: 'proposed', update: true, ports: [{ port: 8080 }] })
  })

  it('honours --node and --ip-family', async () => {
    const r = await runCli(['plan', ex('multi-node'), '--node', 'worker-3', '-o', 'json'])
    expect(JSON.parse(r.stdout)).toMatchObject({ node: 'worker-3', ipFamily: 'IPv4' })
    const v6 = await runCli(['plan', ex('multi-node'), '--ip-family', 'IPv6', '-o', 'json'])
    expect(JSON.parse(v6.stdout)).toMatchObject({ ipFamily: 'IPv6', servicePorts: [] })
    const unknown = await runCli(['plan', ex('multi-node'), '--node', 'worker-9'])
    expect(unknown.code).toBe(2)
    expect(unknown.stdout).toBe('')
    expect(unknown.stderr).toContain('kube-whatif: --node "worker-9" names no Node (known: worker-1, worker-2, worker-3)')
  })
})

describe('kube-whatif help and version', () => {
  it('prints the tool help with every command, and each command help', async () => {
    const top = await runCli(['--help'])
    expect(top.code).toBe(0)
    expect(top.stdout).toMatch(/^Usage: kube-whatif <command>/)
    expect(top.stdout).toMatch(/\n {2}plan +Plan allocations/)
    for (const argv of [['plan', '--help'], ['plan', '-h'], ['help', 'plan']]) {
      const r = await runCli(argv)
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^Usage: kube-whatif plan \[PATH \.\.\.\] \[--cluster PATH\]\.\.\./)
    }
  })

  it('prints usage on stderr and exits 2 without a command', async () => {
    const r = await runCli([])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^Usage: kube-whatif/)
  })

  it('prints the package version', async () => {
    const r = await runCli(['--version'])
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/^kube-whatif \d+\.\d+\.\d+\n$/) })
  })
})
