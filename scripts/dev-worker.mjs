#!/usr/bin/env node
// `npm run dev`: `wrangler dev` with worker/wrangler.jsonc (http://127.0.0.1:8787, the `dev`
// block there; extra arguments are passed on, e.g. `npm run dev -- --port 9000`; API_TOKEN,
// MAX_BODY_BYTES and CORS_ORIGINS from the environment become bindings), plus the one
// thing npm does not do: stop it all. Killing `npm run dev` kills npm's shell but not wrangler
// below it, and wrangler's workerd would keep serving the port. So wrangler runs in its own
// process group, and that whole group (wrangler, its esbuild, workerd) is ended when this process
// gets SIGINT/SIGTERM/SIGHUP or when its parent (npm, the shell) goes away.
import { spawn } from 'node:child_process'
import { WRANGLER_BIN, WRANGLER_CONFIG, WRANGLER_ENV } from './build-worker.mjs'

// Bindings from the environment, as `wrangler secret`/`vars` give them in production
// (`API_TOKEN=s3cret npm run dev`): wrangler dev takes them as --var.
const vars = ['API_TOKEN', 'MAX_BODY_BYTES', 'CORS_ORIGINS'].filter((k) => process.env[k]).flatMap((k) => ['--var', `${k}:${process.env[k]}`])
const args = [WRANGLER_BIN, 'dev', '-c', WRANGLER_CONFIG, '--show-interactive-dev-session=false', ...vars, ...process.argv.slice(2)]
// stdin ignored: a process group that is not the terminal's foreground group must not read it.
const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'inherit', 'inherit'], env: WRANGLER_ENV })
const parent = process.ppid

let stopping = false
function stop(signal) {
  if (stopping) return
  stopping = true
  const group = -(child.pid ?? 0)
  try {
    process.kill(group, signal)
  } catch {
    // The group is already gone.
  }
  // What does not stop within 5 s is killed.
  setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL')
    } catch {
      // Gone.
    }
    process.exit(1)
  }, 5000).unref()
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal === 'SIGHUP' ? 'SIGTERM' : signal))
// Orphaned (npm or its shell was killed): our parent id changes.
setInterval(() => {
  if (process.ppid !== parent) stop('SIGTERM')
}, 500).unref()

child.on('exit', (code, signal) => {
  // wrangler is gone; end whatever it left in its group (workerd) before leaving.
  try {
    process.kill(-(child.pid ?? 0), 'SIGKILL')
  } catch {
    // Nothing left.
  }
  process.exit(code ?? (signal ? 1 : 0))
})
