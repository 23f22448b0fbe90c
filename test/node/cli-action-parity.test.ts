/**
 * The CLI and the Action read the same tree the same way (src/node/): the Action's plan of a
 * pull request equals the plan its reproduce command prints, run with the CLI in the same
 * repository at the same commit. And the one deliberate difference, symlinks, is what the
 * reader's policy says.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { gitManifestSource } from '../../src/action/git-manifests.ts'
import { run } from '../../src/action/main.ts'
import { main } from '../../src/cli/main.ts'
import { FakeActionIO, FakeCommentStore } from '../action/fakes.ts'

const scenario = join(import.meta.dirname, '../fixtures/scenarios/shop-pr')
const repo = mkdtempSync(join(tmpdir(), 'kw-parity-'))
afterAll(() => rmSync(repo, { recursive: true, force: true }))

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@e', ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: repo, GIT_CONFIG_NOSYSTEM: '1' },
  }).trim()
}

async function cliIn(cwd: string, argv: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const prev = process.cwd()
  process.chdir(cwd)
  try {
    const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {} })
    return { code, out, err }
  } finally {
    process.chdir(prev)
  }
}

/** Splits the reproduce command as a POSIX shell would (plain and single-quoted words). */
function shellSplit(line: string): string[] {
  return [...line.matchAll(/'((?:[^']|'\\'')*)'|(\S+)/g)].map((m) => (m[1] !== undefined ? m[1].replace(/'\\''/g, "'") : (m[2] as string)))
}

describe('the CLI and the Action read a tree the same way', () => {
  it('the plan in the Action equals the plan of its reproduce command, at the same commit', async () => {
    git('init', '-q', '-b', 'main')
    // Base commit: manifests in two directories (one nested, one UTF-16), cluster facts, noise.
    cpSync(join(scenario, 'base'), join(repo, 'deploy/k8s'), { recursive: true })
    cpSync(join(scenario, 'cluster'), join(repo, 'cluster'), { recursive: true })
    mkdirSync(join(repo, 'deploy/k8s/extra'))
    const extra = 'apiVersion: v1\nkind: Service\nmetadata: {name: extra, namespace: shop}\nspec: {type: NodePort, ports: [{port: 81, nodePort: 30081}]}\n'
    writeFileSync(join(repo, 'deploy/k8s/extra/svc.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(extra, 'utf16le')]))
    writeFileSync(join(repo, 'package.json'), '{"name": "not-a-manifest"}\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'base')
    const baseSha = git('rev-parse', 'HEAD')
    // Head: the pull request's working tree.
    cpSync(join(scenario, 'head'), join(repo, 'deploy/k8s'), { recursive: true })
    const extraHead = extra.replace('port: 81', 'port: 82')
    writeFileSync(join(repo, 'deploy/k8s/extra/svc.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(extraHead, 'utf16le')]))

    const io = new FakeActionIO({ cluster: 'cluster/*.yaml' })
    const comments = new FakeCommentStore()
    const outcome = await run({ io, context: { pullRequest: 1, baseSha }, manifests: gitManifestSource(repo), comments, version: '0.0.0' })
    expect(io.failed).toBeUndefined()
    expect(outcome.skippedFiles).toEqual(['package.json'])
    const body = comments.comments[0]?.body ?? ''
    const reproduce = /reproduce: `([^`]+)`/.exec(body)?.[1] ?? ''
    expect(reproduce).toBe(`npx kube-whatif diff --base-ref ${baseSha.slice(0, 7)} --head deploy/k8s --cluster cluster/cluster.yaml -o markdown`)

    const [npx, program, command, ...args] = shellSplit(reproduce)
    expect([npx, program, command]).toEqual(['npx', 'kube-whatif', 'diff'])
    const json = await cliIn(repo, ['diff', ...args.slice(0, -2), '-o', 'json'])
    expect(json.err).toBe('')
    expect(json.out).toBe(io.files['/tmp/plan.json'])
    expect(JSON.parse(json.out).services.map((s: { name: string }) => s.name)).toContain('extra')
    // The rendered comment too, apart from the heading refs and footer the two fill in differently.
    const md = await cliIn(repo, ['diff', ...args])
    const core = (text: string): string => text.split('\n').filter((l) => !/^<!-- kube-whatif|kube-whatif v|reproduce:|^### /.test(l)).join('\n')
    expect(core(md.out)).toBe(core(body))
  })

  it('symlinks: the CLI follows them inside the paths it is given, the Action skips them', async () => {
    const tree = mkdtempSync(join(tmpdir(), 'kw-parity-links-'))
    try {
      mkdirSync(join(tree, 'k8s'))
      const outside = join(tree, 'outside.yaml')
      writeFileSync(outside, readFileSync(join(scenario, 'base/services.yaml')))
      symlinkSync(outside, join(tree, 'k8s/linked.yaml'))
      writeFileSync(join(tree, 'k8s/own.yaml'), 'apiVersion: v1\nkind: Service\nmetadata: {name: own}\nspec: {ports: [{port: 80}]}\n')
      const action = await gitManifestSource(tree).workingTree(['k8s/**'], [])
      expect(action.map((f) => f.path)).toEqual(['k8s/own.yaml'])
      const cli = await cliIn(tree, ['plan', 'k8s', '-o', 'json'])
      const files = new Set((JSON.parse(cli.out) as { services: { source: { file: string } }[] }).services.map((s) => s.source.file))
      expect([...files].sort()).toEqual(['k8s/linked.yaml', 'k8s/own.yaml'])
    } finally {
      rmSync(tree, { recursive: true, force: true })
    }
  })
})
