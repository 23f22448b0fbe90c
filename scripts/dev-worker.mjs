#!/usr/bin/env node
// `npm run dev`: builds the Worker with esbuild and serves it in real workerd (Miniflare) at
// http://127.0.0.1:8787 (PORT / HOST override), rebuilding on changes under worker/src and src/core.
// Works offline; no Cloudflare account needed. API_TOKEN and MAX_BODY_BYTES are read from the
// environment and passed as bindings, as `wrangler secret`/`vars` would in production.
import { Miniflare } from 'miniflare'
import { watch } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildWorker } from './build-worker.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const port = Number(process.env.PORT ?? 8787)
const host = process.env.HOST ?? '127.0.0.1'
const outdir = 'worker/dist/dev'

const bindings = {}
for (const key of ['API_TOKEN', 'MAX_BODY_BYTES', 'CORS_ORIGINS']) if (process.env[key]) bindings[key] = process.env[key]

const options = (scriptPath) => ({
  modules: true,
  scriptPath,
  compatibilityDate: '2026-04-01',
  bindings,
  port,
  host,
})

let built = await buildWorker({ outdir, minify: false })
let mf = new Miniflare(options(built.path))
const url = await mf.ready
console.log(`kube-whatif worker on ${url.href} (bundle ${(built.gzipBytes / 1024).toFixed(1)} KiB gzipped)`)
if (bindings.API_TOKEN) console.log('API_TOKEN is set: /v1/* require "Authorization: Bearer …"')

let timer
const rebuild = () => {
  clearTimeout(timer)
  timer = setTimeout(async () => {
    try {
      built = await buildWorker({ outdir, minify: false })
      await mf.setOptions(options(built.path))
      console.log('rebuilt and reloaded')
    } catch (err) {
      console.error('rebuild failed:', err instanceof Error ? err.message : err)
    }
  }, 150)
}
for (const dir of ['worker/src', 'src/core']) watch(resolve(root, dir), { recursive: true }, rebuild)

// Keep serving after a request kills the runtime (workerd exits on heap exhaustion and Miniflare
// does not restart it): probe /healthz, and start a fresh instance when the probe fails.
const PROBE_MS = 5_000
let restarting = false
setInterval(async () => {
  if (restarting) return
  try {
    const res = await mf.dispatchFetch('http://localhost/healthz', { signal: AbortSignal.timeout(15_000) })
    await res.arrayBuffer()
    if (res.status === 200) return
    throw new Error(`/healthz answered ${res.status}`)
  } catch (err) {
    restarting = true
    console.error(`worker not answering (${err instanceof Error ? err.message : err}); restarting workerd`)
    try {
      await mf.dispose().catch(() => undefined)
      mf = new Miniflare(options(built.path))
      await mf.ready
      console.log('workerd restarted')
    } catch (e) {
      console.error('restart failed:', e instanceof Error ? e.message : e)
    } finally {
      restarting = false
    }
  }
}, PROBE_MS).unref()

const stop = async () => {
  await mf.dispose()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
