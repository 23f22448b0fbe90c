// `npm run dev` keeps serving after the runtime dies (issue 12: a fatal request once left the dev
// server answering nothing until restarted by hand). The test starts the real dev server, kills
// its workerd process the way a heap exhaustion would, and waits for /healthz to answer again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0))
    })
  })
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) })
    return res.status === 200
  } catch {
    return false
  }
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 500))
  }
  return false
}

/** The workerd processes below `pid` (wrangler starts them in its own process group). */
function workerdDescendants(pid: number): number[] {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,comm='], { encoding: 'utf8' })
  const rows = ps.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((r) => r.length === 3)
    .map(([p, pp, comm]) => ({ pid: Number(p), ppid: Number(pp), comm: comm as string }))
  const below = new Set([pid])
  for (let grew = true; grew; ) {
    grew = false
    for (const r of rows) if (below.has(r.ppid) && !below.has(r.pid)) (below.add(r.pid), (grew = true))
  }
  return rows.filter((r) => below.has(r.pid) && r.comm === 'workerd').map((r) => r.pid)
}

let dev: ChildProcess | undefined
afterAll(() => {
  if (dev?.pid !== undefined && dev.exitCode === null) dev.kill('SIGTERM')
})

describe('npm run dev', () => {
  it('restarts workerd and keeps serving after the runtime dies', async () => {
    const port = await freePort()
    const url = `http://127.0.0.1:${port}`
    dev = spawn(process.execPath, [join(ROOT, 'scripts/dev-worker.mjs')], { cwd: ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] })
    let log = ''
    dev.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    dev.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    expect(await waitFor(() => healthy(url), 60_000), log).toBe(true)
    const pid = dev.pid as number
    const victims = workerdDescendants(pid)
    expect(victims.length, `no workerd below ${pid}`).toBeGreaterThan(0)
    for (const v of victims) process.kill(v, 'SIGKILL')
    expect(await healthy(url)).toBe(false)
    expect(await waitFor(() => healthy(url), 45_000), log).toBe(true)
    expect(log).toMatch(/restarting workerd/)
  }, 150_000)
})
