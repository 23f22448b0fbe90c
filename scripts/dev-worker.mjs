#!/usr/bin/env node
// `npm run dev`: `wrangler dev` with worker/wrangler.jsonc (http://127.0.0.1:8787, the `dev`
// block there; extra arguments are passed on, e.g. `npm run dev -- --port 9000`, or PORT=9000;
// API_TOKEN, MAX_BODY_BYTES and CORS_ORIGINS from the environment become bindings), plus two
// things wrangler does not do:
// - stop it all: killing `npm run dev` kills npm's shell but not wrangler below it, and wrangler's
//   workerd would keep serving the port. So wrangler runs in its own process group, and that whole
//   group (wrangler, its esbuild, workerd) is ended when this process gets SIGINT/SIGTERM/SIGHUP or
//   when its parent (npm, the shell) goes away;
// - keep serving after a request kills the runtime (workerd exits on heap exhaustion and is not
//   brought back): /healthz is probed, and when it stops answering after wrangler said it was ready
//   (or it answered once), or wrangler
//   exits on its own, the group is ended and wrangler started again (at most 5 times a minute).
import { spawn } from 'node:child_process'
import { WRANGLER_BIN, WRANGLER_CONFIG, WRANGLER_ENV } from './build-worker.mjs'

// Bindings from the environment, as `wrangler secret`/`vars` give them in production
// (`API_TOKEN=s3cret npm run dev`): wrangler dev takes them as --var.
const vars = ['API_TOKEN', 'MAX_BODY_BYTES', 'CORS_ORIGINS'].filter((k) => process.env[k]).flatMap((k) => ['--var', `${k}:${process.env[k]}`])
const extra = process.argv.slice(2)
const portArg = extra.indexOf('--port')
const port = portArg >= 0 ? extra[portArg + 1] : (process.env.PORT ?? '8787')
const portFlag = portArg < 0 && process.env.PORT ? ['--port', process.env.PORT] : []
const args = [WRANGLER_BIN, 'dev', '-c', WRANGLER_CONFIG, '--show-interactive-dev-session=false', ...vars, ...portFlag, ...extra]
const parent = process.ppid

let child
let stopping = false
let wasHealthy = false
const restarts = []

function killGroup(pid, signal) {
  try {
    process.kill(-(pid ?? 0), signal)
  } catch {
    // The group is already gone.
  }
}

function start() {
  // stdin ignored: a process group that is not the terminal's foreground group must not read it.
  const c = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'inherit'], env: WRANGLER_ENV })
  // wrangler's "Ready on" line says workerd serves: from then on a failing probe means it died
  // (probing alone could miss a death right after start-up).
  c.stdout.on('data', (d) => {
    process.stdout.write(d)
    if (c === child && /Ready on /.test(String(d))) wasHealthy = true
  })
  c.on('exit', (code, signal) => {
    // wrangler is gone; end whatever it left in its group (workerd).
    killGroup(c.pid, 'SIGKILL')
    if (c !== child) return
    if (stopping) process.exit(code ?? (signal ? 1 : 0))
    restart(`wrangler exited (${signal ?? code})`)
  })
  child = c
}

function restart(reason) {
  const now = Date.now()
  restarts.push(now)
  while (restarts.length > 0 && now - restarts[0] > 60_000) restarts.shift()
  if (restarts.length > 5) {
    console.error(`worker not answering (${reason}); restarted 5 times in a minute, giving up`)
    stop('SIGTERM')
    return
  }
  console.error(`worker not answering (${reason}); restarting workerd`)
  const old = child
  wasHealthy = false
  start()
  killGroup(old.pid, 'SIGKILL')
}

function stop(signal) {
  if (stopping) return
  stopping = true
  killGroup(child.pid, signal)
  // What does not stop within 5 s is killed.
  setTimeout(() => {
    killGroup(child.pid, 'SIGKILL')
    process.exit(1)
  }, 5000).unref()
}

start()
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal === 'SIGHUP' ? 'SIGTERM' : signal))
// Orphaned (npm or its shell was killed): our parent id changes.
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM')
}, 500).unref()

let probing = false
setInterval(async () => {
  if (stopping || probing) return
  probing = true
  try {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10_000) })
    await res.arrayBuffer()
    if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`)
    wasHealthy = true
  } catch (err) {
    if (wasHealthy && !stopping) restart(err instanceof Error ? err.message : String(err))
  } finally {
    probing = false
  }
}, 3_000).unref()
