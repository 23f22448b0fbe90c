import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { logSafe, looksLikeManifest, run, withoutRunLinks } from '../../src/action/main.ts'
import { headDirs, shellWord } from '../../src/node/reproduce.ts'
import { ForbiddenError, type RunContext } from '../../src/action/ports.ts'
import { FakeActionIO, FakeCommentStore, MemoryManifestSource } from './fakes.ts'

const scenario = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/scenarios/shop-pr')
const read = (p: string): string => readFileSync(join(scenario, p), 'utf8')
const cluster = { 'cluster/cluster.yaml': read('cluster/cluster.yaml') }
const baseTree = { ...cluster, 'k8s/pods.yaml': read('base/pods.yaml'), 'k8s/services.yaml': read('base/services.yaml') }
const headTree = { ...cluster, 'k8s/pods.yaml': read('head/pods.yaml'), 'k8s/services.yaml': read('head/services.yaml'), 'README.json': '{"x": 1}' }
const pr: RunContext = { pullRequest: 7, baseSha: 'aaaaaaa1111', headSha: 'bbbbbbb2222', repository: 'acme/shop', runUrl: 'https://github.com/acme/shop/actions/runs/1' }

function setup(inputs: Record<string, string> = {}, head: Record<string, string> = headTree, context: RunContext = pr) {
  const io = new FakeActionIO({ cluster: 'cluster/*.yaml', ...inputs })
  const comments = new FakeCommentStore()
  const manifests = new MemoryManifestSource(head, baseTree)
  return { io, comments, ports: { io, context, manifests, comments, version: '9.9.9' } }
}

describe('run()', () => {
  it('plans, comments, annotates, summarises and sets every output', async () => {
    const { io, comments, ports } = setup()
    const r = await run(ports)
    expect(r.exitCode).toBe(0)
    expect(io.failed).toBeUndefined()
    expect(comments.dump()).toEqual(['100 github-actions[bot]: <!-- kube-whatif:v1 target= -->'])
    expect(comments.comments[0]?.body).toContain('kube-whatif v9.9.9 · base `aaaaaaa` → head `bbbbbbb`')
    expect(comments.comments[0]?.body).toContain('[`k8s/services.yaml:1`](https://github.com/acme/shop/blob/bbbbbbb2222/k8s/services.yaml#L1)')
    expect(io.outputs).toEqual({
      'has-changes': 'true', added: '1', changed: '2', destroyed: '1', refused: '0', errors: '0', warnings: '2', 'plan-json': '/tmp/plan.json', sarif: '/tmp/kube-whatif.sarif', 'comment-id': '100',
    })
    expect(JSON.parse(io.files['/tmp/plan.json'] as string).schemaVersion).toBe(1)
    const sarif = JSON.parse(io.files['/tmp/kube-whatif.sarif'] as string) as { version: string; runs: { tool: { driver: { version: string } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] }
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0]?.tool.driver.version).toBe('9.9.9')
    // every located finding, the same ones the annotations show here
    expect(sarif.runs[0]?.results.map((x) => [x.locations[0]?.physicalLocation.artifactLocation.uri, x.locations[0]?.physicalLocation.region.startLine])).toEqual([
      ['k8s/services.yaml', 6],
      ['k8s/services.yaml', 16],
    ])
    expect(io.annotations.map((a) => [a.level, a.place.file, a.place.startLine])).toEqual([
      ['warning', 'k8s/services.yaml', 6], // the externalTrafficPolicy line,
      ['warning', 'k8s/services.yaml', 16],
    ])
    expect(r.skippedFiles).toEqual(['README.json'])
    expect(io.summary).toContain('Skipped 1 YAML/JSON file(s)')
  })

  it('proxy-mode nftables plans both sides in nftables mode and says how to reproduce it', async () => {
    const { comments, ports } = setup({ 'proxy-mode': 'nftables' })
    await run(ports)
    const body = comments.comments[0]?.body ?? ''
    expect(body).toContain('nftables rules diff')
    expect(body).toMatch(/add (rule|element) ip kube-proxy /)
    expect(body).toContain('--proxy-mode nftables -o markdown')
    const bad = setup({ 'proxy-mode': 'ipvs' })
    await run(bad.ports)
    expect(bad.io.failed).toMatch(/Input "proxy-mode" must be one of iptables, nftables \(or empty\); got "ipvs"/)
  })

  it('kubernetes-version plans both sides at that release and is in the reproduce line; an unmodelled one fails the step', async () => {
    const { comments, ports } = setup({ 'kubernetes-version': 'v1.32' })
    const r = await run(ports)
    expect(r.exitCode).toBe(0)
    const body = comments.comments[0]?.body ?? ''
    expect(body).toContain('Kubernetes 1.32, as requested for this run.')
    expect(body).toContain('kube-apiserver 1.32 allocates ClusterIPs with the legacy bitmap')
    expect(body).toContain('--kubernetes-version 1.32 -o markdown')
    const bad = setup({ 'kubernetes-version': '1.29' })
    const rb = await run(bad.ports)
    expect(rb.exitCode).toBe(1)
    expect(bad.io.failed).toBe('kube-whatif: Input "kubernetes-version": Kubernetes version "1.29" is not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35)')
  })

  it('comment: never writes no comment but still summarises', async () => {
    const { io, comments, ports } = setup({ comment: 'never' })
    await run(ports)
    expect(comments.writes).toBe(0)
    expect(io.summary).toContain('Service networking plan')
    expect(io.outputs['comment-id']).toBe('')
  })

  it('comment: on-change creates nothing without changes, but updates a previous comment', async () => {
    const same = { ...baseTree }
    const { comments, ports } = setup({ comment: 'on-change' }, same)
    const r = await run(ports)
    expect(r.comment).toEqual({ kind: 'skipped' })
    expect(comments.writes).toBe(0)
    // A stale comment from an earlier push must not keep claiming changes.
    await run({ ...ports, manifests: new MemoryManifestSource(headTree, baseTree), io: new FakeActionIO({ cluster: 'cluster/*.yaml', comment: 'on-change' }) })
    const r2 = await run(ports)
    expect(r2.comment?.kind).toBe('updated')
    expect(comments.comments[0]?.body).toContain('No changes')
  })

  it('a read-only token is a notice, not a failure', async () => {
    const { io, comments, ports } = setup()
    // An earlier comment exists (written before the token lost its write access): it is stale now.
    await run(ports)
    comments.readOnly = true
    comments.comments = comments.comments.map((c) => ({ ...c, body: `${c.body}\nold` }))
    const r = await run({ ...ports, io })
    expect(r.exitCode).toBe(0)
    expect(io.failed).toBeUndefined()
    expect(io.notices[0]).toMatch(/read-only/)
    expect(io.outputs['has-changes']).toBe('true')
    expect(r.comment).toMatchObject({ kind: 'forbidden', id: 100 })
    expect(io.outputs['comment-id']).toBe('')
  })

  it('applies fail-on', async () => {
    for (const [failOn, fails] of [['error', false], ['warning', true], ['change', true], ['never', false]] as const) {
      const { io, ports } = setup({ 'fail-on': failOn })
      const r = await run(ports)
      expect([failOn, r.exitCode, io.failed !== undefined]).toEqual([failOn, fails ? 1 : 0, fails])
    }
  })

  it('rejects bad input values and a missing base with one clear failure', async () => {
    const a = setup({ 'fail-on': 'sometimes' })
    expect((await run(a.ports)).exitCode).toBe(1)
    expect(a.io.failed).toBe('kube-whatif: Input "fail-on" must be one of error, warning, change, never; got "sometimes"')
    const b = setup({}, headTree, { headSha: 'b' })
    await run(b.ports)
    expect(b.io.failed).toMatch(/No base commit/)
  })

  it('outside a pull request it summarises without commenting', async () => {
    const { io, comments, ports } = setup({ 'base-ref': 'main' }, headTree, { headSha: 'bbbbbbb' })
    const r = await run(ports)
    expect(r.exitCode).toBe(0)
    expect(comments.writes).toBe(0)
    expect(io.log).toContain('Not a pull request event; no PR comment written (see the job summary)')
  })

  it('a later run with the same plan (new run ID, same commits) does not rewrite the comment', async () => {
    const { comments, ports } = setup()
    expect((await run(ports)).comment?.kind).toBe('created')
    const before = comments.comments[0]?.body
    expect(before).toContain('(https://github.com/acme/shop/actions/runs/1)')
    // e.g. the PR was relabelled: a new workflow run on the same head commit.
    const again = await run({ ...ports, io: new FakeActionIO({ cluster: 'cluster/*.yaml' }), context: { ...pr, runUrl: 'https://github.com/acme/shop/actions/runs/2' } })
    expect(again.comment).toEqual({ kind: 'unchanged', id: 100 })
    expect(comments.writes).toBe(1)
    expect(comments.comments[0]?.body).toBe(before)
    // A real change is still written, with the new run's link.
    const changed = await run({
      ...ports,
      io: new FakeActionIO({ cluster: 'cluster/*.yaml' }),
      manifests: new MemoryManifestSource(baseTree, baseTree),
      context: { ...pr, runUrl: 'https://github.com/acme/shop/actions/runs/3' },
    })
    expect(changed.comment).toEqual({ kind: 'updated', id: 100 })
    expect(comments.comments[0]?.body).toContain('(https://github.com/acme/shop/actions/runs/3)')
  })

  it('the reproduce command names the manifest directories, not the whole checkout, and quotes odd paths', async () => {
    const { comments, ports } = setup()
    await run(ports)
    expect(comments.comments[0]?.body).toContain('reproduce: `npx kube-whatif diff --base-ref aaaaaaa --head k8s --cluster cluster/cluster.yaml -o markdown`')
    expect(headDirs(['k8s/a/x.yaml', 'k8s/b.yaml', 'apps/web/s.yaml', 'k8s/a/y.yaml'])).toEqual(['apps/web', 'k8s'])
    expect(headDirs(['svc.yaml', 'k8s/x.yaml'])).toEqual(['.'])
    expect(headDirs(['k8s-old/x.yaml', 'k8s/y.yaml'])).toEqual(['k8s', 'k8s-old'])
    expect(shellWord('k8s/prod')).toBe('k8s/prod')
    expect(shellWord("my dir/it's")).toBe(`'my dir/it'\\''s'`)
  })

  it('cannot be made to print a workflow command through a file name', async () => {
    const { io, ports } = setup({}, { ...headTree, 'evil\n::error::pwned.json': '{"x": 1}' })
    await run(ports)
    expect(io.log.join('\n')).toContain('evil\\x0a::error::pwned.json')
    expect(io.log.some((l) => l.split('\n').some((line) => line.startsWith('::')))).toBe(false)
    expect(logSafe('a\r\nb')).toBe('a\\x0d\\x0ab')
  })

  it('blanks only workflow-run links when comparing bodies', () => {
    expect(withoutRunLinks('[x](https://github.com/o/r/actions/runs/123/attempts/2) · [y](https://github.com/o/r/actions/runs/9)')).toBe(
      '[x](https://github.com/o/r/actions/runs/*) · [y](https://github.com/o/r/actions/runs/*)',
    )
    expect(withoutRunLinks('10.96.0.1:80 /actions/workflows/ci.yml')).toBe('10.96.0.1:80 /actions/workflows/ci.yml')
  })

  it('a token that cannot even list comments (403) is a notice, not a failure', async () => {
    const { io, comments, ports } = setup()
    comments.list = async () => {
      throw new ForbiddenError('Resource not accessible by integration')
    }
    const r = await run(ports)
    expect(r.exitCode).toBe(0)
    expect(io.failed).toBeUndefined()
    expect(io.notices[0]).toMatch(/Cannot write the PR comment \(Resource not accessible by integration\)/)
    expect(io.summary).toContain('Service networking plan')
    expect(io.outputs['has-changes']).toBe('true')
  })

  it('recognises manifests by apiVersion and kind keys', () => {
    expect(looksLikeManifest('apiVersion: v1\nkind: Service\n')).toBe(true)
    expect(looksLikeManifest('{"apiVersion": "v1", "kind": "List"}')).toBe(true)
    expect(looksLikeManifest('name: ci\non: push\n')).toBe(false)
    expect(looksLikeManifest('{"name": "pkg", "version": "1.0.0"}')).toBe(false)
  })
})

describe('run() and files that cannot be read', () => {
  it('warns naming each unreadable file and plans the rest', async () => {
    const io = new FakeActionIO({ cluster: 'cluster/*.yaml' })
    const manifests = new MemoryManifestSource(headTree, baseTree)
    const workingTree = manifests.workingTree.bind(manifests)
    manifests.workingTree = async (include, exclude) => [...(await workingTree(include, exclude)), { path: 'k8s/latin1.yaml', unreadable: 'not UTF-8 text: invalid byte 0xe9 at line 3, column 21 (save the file as UTF-8)' }]
    const r = await run({ io, context: pr, manifests, comments: new FakeCommentStore(), version: '9.9.9' })
    expect(r.exitCode).toBe(0)
    expect(io.log).toContain('warning: Skipped k8s/latin1.yaml: not UTF-8 text: invalid byte 0xe9 at line 3, column 21 (save the file as UTF-8)')
    expect(io.outputs['added']).toBe('1')
  })
})
