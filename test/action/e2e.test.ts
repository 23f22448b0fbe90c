/**
 * End-to-end: runs the committed bundle `dist/action/index.js` with node exactly as the runner
 * does (INPUT_* variables with hyphens kept, GITHUB_EVENT_PATH with a pull_request event,
 * GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_API_URL) inside a temporary git repository with a
 * base and a head commit, against a local server speaking the GitHub REST endpoints.
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeGitHub } from './fake-github.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const bundle = join(root, 'dist/action/index.js')
const scenario = join(root, 'test/fixtures/scenarios/shop-pr')
const TOKEN = 'ghs_test_token'

interface RunResult {
  readonly code: number | null
  readonly stdout: string
  readonly outputs: Record<string, string>
  readonly summary: string
}

/** Parses the GITHUB_OUTPUT file (`name<<delimiter` heredoc form written by @actions/core). */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i] as string)
    if (!m) continue
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i] as string)
    out[m[1] as string] = value.join('\n')
  }
  return out
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd, GIT_CONFIG_NOSYSTEM: '1' } }).trim()
}

describe('the bundled Action, end to end', () => {
  const gh = new FakeGitHub(TOKEN)
  let dir = ''
  let repo = ''
  let base = ''

  /** Commits the current tree and returns the SHA. */
  const commit = (msg: string): string => {
    git(repo, 'add', '-A')
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', msg)
    return git(repo, 'rev-parse', 'HEAD')
  }

  /** Runs the bundle for the PR whose head is the current commit. */
  const runAction = async (inputs: Record<string, string> = {}, event: { name?: string; head?: string } = {}, envOverrides: Record<string, string> = {}): Promise<RunResult> => {
    const head = event.head ?? git(repo, 'rev-parse', 'HEAD')
    const n = Math.random().toString(36).slice(2)
    const eventPath = join(dir, `event-${n}.json`)
    const outputPath = join(dir, `output-${n}.txt`)
    const summaryPath = join(dir, `summary-${n}.md`)
    writeFileSync(eventPath, JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, base: { sha: base, ref: 'main' }, head: { sha: head, ref: 'feature' } } }))
    writeFileSync(outputPath, '')
    writeFileSync(summaryPath, '')
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event.name ?? 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      GITHUB_WORKSPACE: repo,
      GITHUB_REPOSITORY: 'acme/shop',
      GITHUB_SHA: head,
      GITHUB_RUN_ID: '42',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: gh.url,
      GITHUB_GRAPHQL_URL: `${gh.url}/graphql`,
      RUNNER_TEMP: join(dir, 'runner-temp'),
      // Hyphens are kept in INPUT_ names: this is how the runner passes `fail-on` etc.
      'INPUT_GITHUB-TOKEN': TOKEN,
      INPUT_CLUSTER: 'cluster/*.yaml',
      INPUT_PATHS: '',
      INPUT_COMMENT: 'always',
      'INPUT_FAIL-ON': 'error',
      'INPUT_BASE-REF': '',
      INPUT_TARGET: '',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
      ...envOverrides,
    }
    const child = spawn(process.execPath, [bundle], { cwd: repo, env })
    let stdout = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stdout += c.toString()))
    const code = await new Promise<number | null>((r) => child.on('close', r))
    return { code, stdout, outputs: parseOutputs(readFileSync(outputPath, 'utf8')), summary: readFileSync(summaryPath, 'utf8') }
  }

  beforeAll(async () => {
    if (!existsSync(bundle)) throw new Error('dist/action/index.js is missing: run npm run build:action')
    await gh.start()
    dir = mkdtempSync(join(tmpdir(), 'kube-whatif-e2e-'))
    repo = join(dir, 'repo')
    mkdirSync(repo)
    git(repo, 'init', '-q', '-b', 'main')
    cpSync(join(scenario, 'base'), join(repo, 'k8s'), { recursive: true })
    cpSync(join(scenario, 'cluster'), join(repo, 'cluster'), { recursive: true })
    // Files a real repository has that are not manifests: skipped with a note, never planned.
    writeFileSync(join(repo, 'package.json'), '{"name": "shop"}\n')
    mkdirSync(join(repo, '.github/workflows'), { recursive: true })
    writeFileSync(join(repo, '.github/workflows/ci.yml'), 'on: push\njobs: {}\n')
    base = commit('base')
    cpSync(join(scenario, 'head'), join(repo, 'k8s'), { recursive: true })
    commit('head')
    // Other people's comments, including a look-alike marker, spread over several pages.
    gh.seed('octocat', 'LGTM')
    gh.seed('mallory', '<!-- kube-whatif:v1 target= -->\nnot the real plan')
    gh.seed('renovate[bot]', 'Update dependency')
  }, 60_000)

  afterAll(async () => {
    await gh.stop()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('first run creates the comment, writes outputs, summary and annotations', async () => {
    const r = await runAction()
    expect(r.code, r.stdout).toBe(0)
    const mine = gh.comments.filter((c) => c.user.login === gh.bot)
    expect(mine).toHaveLength(1)
    expect(gh.comments.find((c) => c.user.login === 'mallory')?.body).toContain('not the real plan')
    const body = mine[0]?.body ?? ''
    expect(body.startsWith('<!-- kube-whatif:v1 target= -->\n')).toBe(true)
    // The `Plan: ` prefix is optional so the test holds across a rebuild of the committed bundle.
    expect(body).toMatch(/\*\*(Plan: )?1 to add, 2 to change, 1 to destroy · 2 findings\*\*/)
    expect(body).toContain(`base \`${base.slice(0, 7)}\``)
    expect(body).toContain('(https://github.com/acme/shop/actions/runs/42)')
    // Pagination: the list walked every page (4 comments at 2 per page → pages 1 and 2).
    expect(gh.requests.filter((q) => q.method === 'GET').length).toBeGreaterThanOrEqual(2)

    expect(r.outputs).toMatchObject({ 'has-changes': 'true', added: '1', changed: '2', destroyed: '1', errors: '0', warnings: '2', 'comment-id': String(mine[0]?.id) })
    const plan = JSON.parse(readFileSync(r.outputs['plan-json'] as string, 'utf8')) as { kind: string; summary: { added: number } }
    expect(plan.kind).toBe('kube-whatif/diff')
    expect(plan.summary.added).toBe(1)

    expect(r.summary).toContain('### Service networking plan')
    expect(r.summary).toContain('iptables rules diff')
    // A packet-path diagram per changed service port: the orders Service whose selector typo
    // makes kube-proxy REJECT shows its REJECT end after the change.
    expect(body).toContain('**Packet paths**')
    const orders = /`shop\/orders\/TCP`\n\n```mermaid\n([\s\S]*?)\n```/.exec(body)?.[1] ?? ''
    expect(orders).toMatch(/subgraph a\d+\["after: shop\/orders 80\/TCP"\]/)
    expect(orders).toMatch(/a\d+n\d+\{\{"REJECT"\}\}/)
    expect(r.summary).toContain('```mermaid')
    expect(r.summary).toContain('Skipped 1 YAML/JSON file(s) without `apiVersion` and `kind`')
    expect(r.stdout).toMatch(/^::warning title=kube-whatif%3A diff\/local-policy-drop,file=k8s\/services\.yaml,line=6::Service shop\/web/m)
    expect(r.stdout).toMatch(/^::warning title=kube-whatif%3A endpoints\/selector-matches-nothing,file=k8s\/services\.yaml,line=16::/m)
    expect(r.stdout).toContain('Created PR comment')
  })

  it('second run with a new head commit updates the same comment in place', async () => {
    const before = gh.comments.filter((c) => c.user.login === gh.bot).map((c) => c.id)
    const svc = join(repo, 'k8s/services.yaml')
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('selector: {app: order}', 'selector: {app: orders}'))
    commit('fix the selector')
    gh.requests = []
    const r = await runAction()
    expect(r.code, r.stdout).toBe(0)
    const mine = gh.comments.filter((c) => c.user.login === gh.bot)
    expect(mine.map((c) => c.id)).toEqual(before)
    expect(gh.writes().map((w) => `${w.method} ${w.path}`)).toEqual([`PATCH /repos/acme/shop/issues/comments/${before[0]}`])
    expect(mine[0]?.body).toMatch(/(Plan: )?1 to add, 1 to change, 1 to destroy · 1 finding\*\*/)
    expect(r.outputs['comment-id']).toBe(String(before[0]))
  })

  it('an unchanged plan makes no write', async () => {
    gh.requests = []
    const r = await runAction()
    expect(r.code, r.stdout).toBe(0)
    expect(gh.writes()).toEqual([])
    expect(r.stdout).toContain('is up to date; not rewritten')
  })

  it('retries a 5xx answer from the API', async () => {
    gh.requests = []
    gh.failNext = 1
    const r = await runAction()
    expect(r.code, r.stdout).toBe(0)
    expect(gh.requests[0]?.status).toBe(502)
    expect(r.stdout).toMatch(/GitHub API GET \/repos\/acme\/shop\/issues\/7\/comments answered 502/)
  })

  it('waits out a secondary rate limit and then writes, without taking it for a read-only token', async () => {
    const svc = join(repo, 'k8s/services.yaml')
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('port: 9090', 'port: 9092'))
    commit('change a port for the rate limit')
    gh.requests = []
    gh.secondaryRateLimitNext = 1
    const r = await runAction()
    expect(r.code, r.stdout).toBe(0)
    expect(gh.requests[0]?.status).toBe(403)
    expect(r.stdout).toMatch(/secondary rate limit; waiting 1s \(retry 1 of 2\)/)
    expect(r.stdout).not.toMatch(/::notice::Cannot write the PR comment/)
    expect(r.stdout).toContain('Updated PR comment')
  })

  it('a secondary rate limit that persists fails the step (not the fork notice), after the summary and outputs', async () => {
    const svc = join(repo, 'k8s/services.yaml')
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('port: 9092', 'port: 9090'))
    commit('change the port back')
    gh.secondaryRateLimitNext = 10
    try {
      const r = await runAction()
      expect(r.code, r.stdout).toBe(1)
      expect(r.stdout).not.toMatch(/::notice::Cannot write the PR comment/)
      expect(r.stdout).toMatch(/^::error::kube-whatif: the PR comment was not written: GitHub API GET \/repos\/acme\/shop\/issues\/7\/comments: rate limit still exceeded after retrying/m)
      expect(r.summary).toContain('### Service networking plan')
      expect(Object.keys(r.outputs).sort()).toEqual(['added', 'changed', 'comment-id', 'destroyed', 'errors', 'has-changes', 'plan-json', 'refused', 'sarif', 'warnings'])
      expect(r.outputs['comment-id']).toBe('')
    } finally {
      gh.secondaryRateLimitNext = 0
    }
  })

  it('an unreachable API is logged as connection refused; outputs and summary are still written', async () => {
    const closed = createServer()
    await new Promise<void>((res) => closed.listen(0, '127.0.0.1', res))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((res) => closed.close(() => res()))
    const r = await runAction({}, {}, { GITHUB_API_URL: `http://127.0.0.1:${port}`, GITHUB_GRAPHQL_URL: `http://127.0.0.1:${port}/graphql` })
    expect(r.code, r.stdout).toBe(1)
    expect(r.stdout).toMatch(/GitHub API GET \/repos\/acme\/shop\/issues\/7\/comments: could not be reached \(connection refused\)/)
    expect(r.stdout).not.toMatch(/answered 500/)
    expect(r.stdout).toMatch(/^::error::kube-whatif: the PR comment was not written: .*connection refused/m)
    expect(r.summary).toContain('### Service networking plan')
    expect(r.outputs['has-changes']).toBeDefined()
    expect(r.outputs['plan-json']).toMatch(/plan\.json$/)
  }, 30_000)

  it('keeps separate comments per target', async () => {
    const r = await runAction({ target: 'prod' })
    expect(r.code, r.stdout).toBe(0)
    const mine = gh.comments.filter((c) => c.user.login === gh.bot)
    expect(mine.map((c) => c.body.split('\n')[0])).toEqual(['<!-- kube-whatif:v1 target= -->', '<!-- kube-whatif:v1 target=prod -->'])
  })

  it('a 403 on write (read-only fork token) gives a notice, still writes summary and outputs, and exits 0', async () => {
    const svc = join(repo, 'k8s/services.yaml')
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('port: 9090', 'port: 9091'))
    commit('change a port')
    gh.readOnly = true
    try {
      const r = await runAction()
      expect(r.code, r.stdout).toBe(0)
      expect(r.stdout).toMatch(/^::notice::Cannot write the PR comment \(Resource not accessible by integration\)/m)
      expect(r.summary).toContain('### Service networking plan')
      expect(r.outputs['has-changes']).toBe('true')
    } finally {
      gh.readOnly = false
    }
  })

  it('fail-on warning fails the step after writing everything', async () => {
    const svc = join(repo, 'k8s/services.yaml')
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('selector: {app: orders}', 'selector: {app: nothing}'))
    commit('break the selector again')
    const r = await runAction({ 'fail-on': 'warning' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^::error::kube-whatif: fail-on warning: 0 error\(s\), 2 warning\(s\)/m)
    expect(r.summary).toContain('### Service networking plan')
    expect(r.outputs.warnings).toBe('2')
  })

  it('a PR too big for the comment loses the rules diff, then the diagrams, never the findings', async () => {
    // 120 new Services, one selecting nothing (a finding): far past GitHub's 65,536 characters.
    const many = Array.from({ length: 120 }, (_, i) =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: bulk-${i}, namespace: shop}\nspec: {selector: {app: ${i === 0 ? 'no-such-app' : 'web'}}, ports: [{port: 80, targetPort: 8080}]}\n`,
    ).join('---\n')
    writeFileSync(join(repo, 'k8s/bulk.yaml'), many)
    commit('bulk services')
    const r = await runAction()
    expect(r.code, r.stdout).toBe(0)
    const body = gh.comments.find((c) => c.user.login === gh.bot && c.body.startsWith('<!-- kube-whatif:v1 target= -->'))?.body ?? ''
    expect(body.length).toBeLessThanOrEqual(65_536)
    expect(body).toContain('left out the iptables rules diff, the packet-path diagrams')
    expect(body).not.toContain('```mermaid')
    expect(body).not.toContain('**Packet paths**')
    expect(body).toMatch(/shop\/bulk-0 selects app=no-such-app/)
    // The job summary has room for them.
    expect(r.summary).toContain('```mermaid')
  })

  it('a Service the apiserver refuses is a refused row and an error in the comment, not a creation', async () => {
    const svc = join(repo, 'k8s/services.yaml')
    writeFileSync(svc, readFileSync(svc, 'utf8').replace('{name: http, port: 80, targetPort: 8080}', '{name: http, port: 80, targetPort: 8080, nodePort: 80}').replace('  selector: {app: cart}', '  type: NodePort\n  selector: {app: cart}'))
    commit('a NodePort out of range')
    const r = await runAction()
    expect(r.code).toBe(1)
    const body = gh.comments.filter((c) => c.user.login === gh.bot)[0]?.body ?? ''
    expect(body).toMatch(/\*\*(Plan: )?\d+ to add, \d+ to change, \d+ to destroy, 1 refused · /)
    expect(body).toContain('| `!` | `shop/cart` | NodePort | refused | create refused: nothing is created;')
    expect(body).toContain('provided port is not in the valid range')
    expect(body).not.toMatch(/`-` \| `shop\/cart`/)
    expect(r.outputs).toMatchObject({ refused: '1' })
    expect(Number(r.outputs.errors)).toBeGreaterThan(0)
  })

  describe('pull_request_target (the base branch is checked out)', () => {
    it('reads the head side from the head commit\'s git objects, so the plan is the pull request\'s', async () => {
      const head = git(repo, 'rev-parse', 'HEAD')
      const asPullRequest = await runAction({ comment: 'never' })
      // actions/checkout's default for this event: the base commit in the working tree.
      git(repo, 'checkout', '-q', '--detach', base)
      try {
        const r = await runAction({ comment: 'never' }, { name: 'pull_request_target', head })
        expect(r.code).toBe(asPullRequest.code)
        expect(readFileSync(r.outputs['plan-json'] as string, 'utf8')).toBe(readFileSync(asPullRequest.outputs['plan-json'] as string, 'utf8'))
        expect(r.outputs['has-changes']).toBe('true')
        expect(r.summary).not.toContain('No changes')
        expect(r.summary).toContain(`head \`${head.slice(0, 7)}\``)
        // Before: the working tree (the base) was planned as the head.
        const wrong = await runAction({ comment: 'never' }, { name: 'pull_request', head })
        expect(wrong.summary).toContain('No changes')
      } finally {
        git(repo, 'checkout', '-q', 'main')
      }
    })

    it('refuses with the safe setup when the head commit was not fetched', async () => {
      const r = await runAction({}, { name: 'pull_request_target', head: '1234567890abcdef1234567890abcdef12345678' })
      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/^::error::.*pull_request_target checks out the base branch.*git fetch --no-tags origin \+refs\/pull\/7\/head.*Never check out or run the pull request's code/m)
      expect(r.outputs['plan-json']).toBeUndefined()
    })
  })

  it('fails with a clear message when the base commit is unknown', async () => {
    const r = await runAction({ 'base-ref': '0000000000000000000000000000000000000000' })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^::error::kube-whatif: git rev-parse/m)
  })
})
