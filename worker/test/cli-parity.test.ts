// The Worker's /v1/plan (running in workerd) answers byte for byte what `kube-whatif plan -o FORMAT`
// prints for the same files: the CLI runs in-process with injected files of the same names, and
// once as the real `bin/kube-whatif.js` process.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { EXAMPLES } from '../src/examples.ts'
import { postJson, postYaml, startWorker } from './helpers/harness.ts'
import type { Harness } from './helpers/harness.ts'

const ROOT = resolve(import.meta.dirname, '../..')
const started = await startWorker()
const ready = 'mf' in started
const w = started as Harness
afterAll(async () => {
  if (ready) await w.dispose()
})

type Files = Record<string, string>

/** Runs the CLI in-process over in-memory files. */
async function cli(argv: string[], files: Files): Promise<{ code: number; stdout: string }> {
  let stdout = ''
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: () => undefined,
    readFile: async (p) => {
      const text = files[p]
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' })
      return text
    },
    stat: async (p) => (files[p] === undefined ? undefined : 'file'),
    readDir: async () => [],
    env: {},
  })
  return { code, stdout }
}

function readDir(dir: string): Files {
  const out: Files = {}
  for (const name of readdirSync(join(ROOT, dir)).sort()) if (/\.(ya?ml|json)$/.test(name)) out[`${dir}/${name}`] = readFileSync(join(ROOT, dir, name), 'utf8')
  return out
}

interface Case {
  name: string
  manifests: Files
  cluster: Files
  options?: { node?: string; ipFamily?: 'IPv4' | 'IPv6'; kubernetesVersion?: string }
}

const CASES: Case[] = [
  ...EXAMPLES.filter((e) => e.manifests !== '').map((e) => ({ name: `playground ${e.id}`, manifests: { 'manifests.yaml': e.manifests }, cluster: { 'cluster.yaml': e.cluster } })),
  { name: 'playground example at Kubernetes 1.32', manifests: { 'manifests.yaml': EXAMPLES[0]!.manifests }, cluster: { 'cluster.yaml': EXAMPLES[0]!.cluster }, options: { kubernetesVersion: '1.32' } },
  { name: 'playground example on node-2', manifests: { 'manifests.yaml': EXAMPLES[0]!.manifests }, cluster: { 'cluster.yaml': EXAMPLES[0]!.cluster }, options: { node: 'node-2' } },
  { name: 'examples/meu-namespace', manifests: readDir('examples/meu-namespace'), cluster: {} },
  { name: 'examples/multi-node', manifests: readDir('examples/multi-node'), cluster: {} },
  {
    name: 'invalid objects still planned',
    manifests: { 'manifests.yaml': EXAMPLES[0]!.manifests + '---\napiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {ports: [{port: 0}]}\n' },
    cluster: { 'cluster.yaml': EXAMPLES[0]!.cluster },
  },
]

const FORMATS = ['json', 'text', 'iptables-restore', 'iptables-save', 'iptables-list'] as const

function argvFor(c: Case, format: string): string[] {
  const argv = ['plan', ...Object.keys(c.manifests)]
  for (const p of Object.keys(c.cluster)) argv.push('--cluster', p)
  if (c.options?.node) argv.push('--node', c.options.node)
  if (c.options?.ipFamily) argv.push('--ip-family', c.options.ipFamily)
  if (c.options?.kubernetesVersion) argv.push('--kubernetes-version', c.options.kubernetesVersion)
  return [...argv, '-o', format]
}

function bodyFor(c: Case) {
  const files = (f: Files) => Object.entries(f).map(([path, text]) => ({ path, text }))
  return { manifests: files(c.manifests), cluster: files(c.cluster), ...(c.options ? { options: c.options } : {}) }
}

describe.skipIf(!ready)('/v1/plan equals kube-whatif plan -o FORMAT', () => {
  for (const c of CASES) {
    it.each(FORMATS)(`${c.name} (%s)`, async (format) => {
      const { stdout } = await cli(argvFor(c, format), { ...c.manifests, ...c.cluster })
      expect(stdout.length).toBeGreaterThan(0)
      const res = await w.fetch(`/v1/plan?format=${format}`, postJson(bodyFor(c)))
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(stdout)
    })
  }

  // Wherever the CLI prints a plan and exits 1, the Worker answers 200 with the same bytes: the
  // issues are inside the plan. (Before: 422 "Nothing could be planned", 400 or 413.)
  const refusedOnly = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  clusterIP: 10.33.9.4\n  selector: {app: web}\n  ports: [{port: 80}]\n'
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
  for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`)
  const PARTLY_BAD: [string, string][] = [
    ['one refused Service and nothing else', refusedOnly],
    ['one refused Service next to a Deployment', refusedOnly + '---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x}]}}\n'],
    ['malformed YAML next to a valid Service', EXAMPLES[0]!.manifests + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n'],
    ['a YAML alias bomb', bomb.join('\n') + '\n'],
    ['nesting deeper than the limit', 'a: ' + '['.repeat(200) + ']'.repeat(200) + '\n'],
    ['more documents than the limit', '---\nkind: ConfigMap\n'.repeat(10_001)],
    ['no Service at all', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n'],
  ]
  it.each(PARTLY_BAD)('%s: 200 with what the CLI prints (exit 0 or 1), never 4xx', async (_name, text) => {
    for (const format of ['json', 'text'] as const) {
      // The CLI with the Worker's caps (a 1 MiB body, hence the core's 10 000-document default).
      const { code, stdout } = await cli(['plan', 'manifests.yaml', '--max-input-bytes', '1Mi', '-o', format], { 'manifests.yaml': text })
      expect([0, 1]).toContain(code)
      const res = await w.fetch(`/v1/plan?format=${format}`, postYaml(text))
      expect(res.status).toBe(200)
      expect(await res.text()).toBe(stdout)
    }
  })

  it('a raw YAML body equals the CLI reading the same text from a file named manifests.yaml', async () => {
    const text = EXAMPLES[0]!.cluster + '---\n' + EXAMPLES[0]!.manifests
    const { stdout } = await cli(['plan', 'manifests.yaml', '-o', 'json'], { 'manifests.yaml': text })
    const res = await w.fetch('/v1/plan', postYaml(text))
    expect(await res.text()).toBe(stdout)
  })

  it('/v1/diff JSON equals kube-whatif diff -o json', async () => {
    const d = EXAMPLES.find((e) => e.id === 'expose-web')!
    const files = { 'base/app.yaml': d.base!, 'head/app.yaml': d.head!, 'cluster.yaml': d.cluster }
    const { stdout } = await cli(['diff', '--base', 'base/app.yaml', '--head', 'head/app.yaml', '--cluster', 'cluster.yaml', '-o', 'json'], files)
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'kube-whatif/diff' })
    const res = await w.fetch('/v1/diff', postJson({ base: [{ path: 'base/app.yaml', text: d.base }], head: [{ path: 'head/app.yaml', text: d.head }], cluster: [{ path: 'cluster.yaml', text: d.cluster }] }))
    expect(await res.text()).toBe(stdout)
  })

  it.each(['json', 'text'])('/v1/trace equals kube-whatif trace -o %s', async (format) => {
    const t = EXAMPLES.find((e) => e.id === 'lb-local')!
    for (const node of ['node-1', 'node-2']) {
      const argv = ['trace', 'manifests.yaml', '--cluster', 'cluster.yaml', '--from', t.probe!.from, '--to', t.probe!.to, '--protocol', t.probe!.protocol, '--node', node, '-o', format]
      const { stdout } = await cli(argv, { 'manifests.yaml': t.manifests, 'cluster.yaml': t.cluster })
      expect(stdout.length).toBeGreaterThan(0)
      const res = await w.fetch(`/v1/trace?format=${format}`, postJson({ manifests: t.manifests, cluster: t.cluster, probe: t.probe, options: { node } }))
      expect(await res.text()).toBe(stdout)
    }
  })

  it.each(['json', 'text'])('/v1/trace with rules equals kube-whatif trace --rules -o %s', async (format) => {
    const t = EXAMPLES.find((e) => e.id === 'lb-local')!
    const files = { 'manifests.yaml': t.manifests, 'cluster.yaml': t.cluster }
    const rules = (await cli(['plan', 'manifests.yaml', '--cluster', 'cluster.yaml', '--node', 'node-2', '-o', 'iptables-save'], files)).stdout
    const probe = ['--from', t.probe!.from, '--to', t.probe!.to, '--protocol', t.probe!.protocol]
    // With the manifests (node addresses, pod:/node: probes from the plan), and from the rules alone.
    const withPlan = await cli(['trace', 'manifests.yaml', '--cluster', 'cluster.yaml', '--rules', 'rules', '--node', 'node-2', ...probe, '-o', format], { ...files, rules })
    expect(withPlan.stdout.length).toBeGreaterThan(0)
    const res = await w.fetch(`/v1/trace?format=${format}`, postJson({ manifests: t.manifests, cluster: t.cluster, rules, probe: t.probe, options: { node: 'node-2' } }))
    expect(await res.text()).toBe(withPlan.stdout)
    if (/^\d/.test(t.probe!.from)) {
      const alone = await cli(['trace', '--rules', 'rules', '--node-ip', '192.168.0.2', ...probe, '-o', format], { rules })
      const res2 = await w.fetch(`/v1/trace?format=${format}`, postJson({ rules, nodeIPs: ['192.168.0.2'], probe: t.probe }))
      expect(await res2.text()).toBe(alone.stdout)
    }
  })

  it('/v1/trace refuses a bad nodeIPs entry and nodeIPs without rules', async () => {
    const t = EXAMPLES.find((e) => e.id === 'lb-local')!
    const bad = await w.fetch('/v1/trace', postJson({ rules: '*nat\nCOMMIT\n', nodeIPs: ['not-an-ip'], probe: t.probe }))
    expect(bad.status).toBe(400)
    expect(await bad.text()).toContain('/nodeIPs/0')
    const orphan = await w.fetch('/v1/trace', postJson({ manifests: t.manifests, nodeIPs: ['10.0.0.1'], probe: t.probe }))
    expect(orphan.status).toBe(400)
  })

  it('equals the real bin/kube-whatif.js process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-parity-'))
    const e = EXAMPLES[0]!
    writeFileSync(join(dir, 'manifests.yaml'), e.manifests)
    writeFileSync(join(dir, 'cluster.yaml'), e.cluster)
    const stdout = execFileSync(process.execPath, [join(ROOT, 'bin/kube-whatif.js'), 'plan', 'manifests.yaml', '--cluster', 'cluster.yaml', '-o', 'json'], { cwd: dir, encoding: 'utf8' })
    const res = await w.fetch('/v1/plan', postJson({ manifests: e.manifests, cluster: e.cluster }))
    expect(await res.text()).toBe(stdout)
  }, 60_000)
})
