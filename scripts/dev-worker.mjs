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
const mf = new Miniflare(options(built.path))
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

const stop = async () => {
  await mf.dispose()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
