/**
 * The Worker's standard tooling, run for real (offline, no account): `npm run deploy -- --dry-run`
 * builds with wrangler the same bundle the other worker tests run in workerd; `wrangler types
 * --check` says worker/worker-configuration.d.ts (Env) matches wrangler.jsonc; `npm run dev`
 * serves on 127.0.0.1 and killing it leaves no process behind (no orphan workerd).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildWorker, readWorkerConfig, WRANGLER_BIN, WRANGLER_CONFIG, WRANGLER_ENV } from '../../scripts/build-worker.mjs'

const root = resolve(import.meta.dirname, '../..')
const scratch = mkdtempSync(join(tmpdir(), 'kube-whatif-wrangler-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** Parent pid of every process, from /proc. */
function parents(): Map<number, number> {
  const out = new Map<number, number>()
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      out.set(Number(name), ppid)
    } catch {
      // The process ended while we looked.
    }
  }
  return out
}

function descendants(pid: number): number[] {
  const tree = parents()
  const found = new Set([pid])
  for (let grew = true; grew; ) {
    grew = false
    for (const [p, pp] of tree) if (!found.has(p) && found.has(pp)) (found.add(p), (grew = true))
  }
  found.delete(pid)
  return [...found]
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !/^\d+ \([^)]*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))

async function freePort(): Promise<number> {
  const srv = createServer()
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r))
  const port = (srv.address() as { port: number }).port
  await new Promise<void>((r) => srv.close(() => r()))
  return port
}

describe('wrangler tooling', () => {
  it('wrangler.jsonc holds the one compatibility date and the dev address 127.0.0.1:8787', () => {
    const config = readWorkerConfig()
    expect(config.compatibility_date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(config.dev).toMatchObject({ ip: '127.0.0.1', port: 8787 })
    // No other copy of the date in the Worker's code, scripts or tests.
    const date = config.compatibility_date
    for (const file of ['scripts/build-worker.mjs', 'scripts/dev-worker.mjs', 'worker/test/helpers/harness.ts', 'bench/worker-pr.ts']) {
      expect(readFileSync(join(root, file), 'utf8'), file).not.toContain(date)
    }
  })

  it('worker-configuration.d.ts (Env) is what `wrangler types` generates from wrangler.jsonc', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    const args = (pkg.scripts['types:worker'] ?? '').split(' ').slice(1)
    const r = spawnSync(process.execPath, [WRANGLER_BIN, ...args, '--check'], { cwd: root, env: WRANGLER_ENV, encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stdout + r.stderr).toBe(0)
  }, 120_000)

  it('npm run deploy -- --dry-run builds the bundle the worker tests run', async () => {
    const outdir = join(scratch, 'deploy')
    const r = spawnSync('npm', ['run', 'deploy', '--', '--dry-run', '--outdir', outdir], { cwd: root, env: WRANGLER_ENV, encoding: 'utf8', timeout: 120_000 })
    expect(r.status, r.stdout + r.stderr).toBe(0)
    expect(r.stdout).toContain('--dry-run: exiting now.')
    const tested = await buildWorker({ outdir: join(scratch, 'tested'), minify: true })
    expect(readFileSync(join(outdir, 'index.js'))).toEqual(readFileSync(tested.path))
    expect(WRANGLER_CONFIG).toBe(join(root, 'worker/wrangler.jsonc'))
  }, 180_000)

  it('npm run dev serves on 127.0.0.1; killing it leaves no process behind', async () => {
    const port = await freePort()
    const npm = spawn('npm', ['run', 'dev', '--', '--port', String(port)], { cwd: root, env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    npm.stdout.on('data', (c: Buffer) => (log += c.toString()))
    npm.stderr.on('data', (c: Buffer) => (log += c.toString()))
    try {
      const deadline = Date.now() + 90_000
      let status = 0
      while (Date.now() < deadline && status !== 200) {
        status = await fetch(`http://127.0.0.1:${port}/openapi.json`).then((r) => r.status, () => 0)
        if (status !== 200) await new Promise((r) => setTimeout(r, 500))
      }
      expect(status, log).toBe(200)
      expect(log).toContain(`Ready on http://127.0.0.1:${port}`)
      const tree = descendants(npm.pid ?? 0)
      expect(tree.length).toBeGreaterThan(0)
      npm.kill('SIGTERM')
      const gone = Date.now() + 15_000
      while (Date.now() < gone && tree.some(alive)) await new Promise((r) => setTimeout(r, 250))
      expect(tree.filter(alive), log).toEqual([])
      expect(await fetch(`http://127.0.0.1:${port}/openapi.json`).then(() => 'served', () => 'closed')).toBe('closed')
    } finally {
      // Only what this test started, by pid, if an assertion failed above.
      for (const pid of [npm.pid ?? 0, ...descendants(npm.pid ?? 0)]) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
    }
  }, 150_000)
})
