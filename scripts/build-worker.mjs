#!/usr/bin/env node
// Builds the Cloudflare Worker exactly as `npm run deploy` would upload it: `wrangler deploy
// --dry-run --outdir DIR [--minify]` with worker/wrangler.jsonc (wrangler's own esbuild settings,
// no account or network needed), and reports the gzipped size. The tests and the bench run this
// bundle in workerd, so what is tested is what would be deployed.
// Usage: node scripts/build-worker.mjs [--outdir DIR] [--no-minify]
// Importable: `buildWorker({ outdir, minify })` is used by the worker tests and the bench.
import { spawn } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Gzipped-size budget the tests enforce (the old Workers Free compressed limit was 1 MB). */
export const GZIP_BUDGET_BYTES = 1_000_000

/** wrangler's CLI entry, run with this Node (no npx lookup, no shell). */
export const WRANGLER_BIN = join(dirname(createRequire(import.meta.url).resolve('wrangler/package.json')), 'bin', 'wrangler.js')

/** Environment for wrangler runs here: no telemetry prompt or upload, no update check. */
// CLOUDFLARE_CF_FETCH_ENABLED=false: miniflare would otherwise try to download the `Request.cf` object from
// Cloudflare at start-up (a DNS look-up of a public host on every dev start and in tests).
export const WRANGLER_ENV = { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', NO_UPDATE_NOTIFIER: '1', CLOUDFLARE_CF_FETCH_ENABLED: 'false' }

/** worker/wrangler.jsonc: the one place the compatibility date and the vars are written. */
export const WRANGLER_CONFIG = join(root, 'worker/wrangler.jsonc')

/**
 * Reads wrangler.jsonc (JSON with comments and trailing commas) without loading wrangler itself,
 * which takes seconds: comments are dropped outside strings, then trailing commas.
 * @returns {{ compatibility_date: string, compatibility_flags?: string[], vars?: Record<string, string>, dev?: { ip?: string, port?: number } }}
 */
export function readWorkerConfig() {
  const text = readFileSync(WRANGLER_CONFIG, 'utf8')
  const json = text.replace(/("(?:[^"\\\n]|\\.)*")|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, str) => str ?? '').replace(/,(\s*[}\]])/g, '$1')
  return JSON.parse(json)
}

/**
 * Builds the Worker bundle with wrangler.
 * @param {{ outdir?: string, minify?: boolean }} [opts]
 * @returns {Promise<{ path: string, bytes: number, gzipBytes: number }>}
 */
export async function buildWorker(opts = {}) {
  const outdir = resolve(root, opts.outdir ?? 'worker/dist')
  mkdirSync(outdir, { recursive: true })
  const args = [WRANGLER_BIN, 'deploy', '--dry-run', '--outdir', outdir, '-c', WRANGLER_CONFIG, ...(opts.minify === false ? [] : ['--minify'])]
  await new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, env: WRANGLER_ENV, stdio: ['ignore', 'pipe', 'pipe'] })
    let text = ''
    child.stdout.on('data', (c) => (text += c))
    child.stderr.on('data', (c) => (text += c))
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolvePromise(text) : reject(new Error(`wrangler deploy --dry-run failed (exit ${code}):\n${text}`))))
  })
  const outfile = join(outdir, 'index.js')
  const code = readFileSync(outfile)
  const gzipBytes = gzipSync(code, { level: 9 }).length
  writeFileSync(join(outdir, 'size.json'), JSON.stringify({ bytes: code.length, gzipBytes }, null, 2) + '\n')
  return { path: outfile, bytes: code.length, gzipBytes }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2)
  const i = args.indexOf('--outdir')
  const outdir = i >= 0 ? args[i + 1] : undefined
  let result
  try {
    result = await buildWorker({ outdir, minify: !args.includes('--no-minify') })
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e))
    console.error('worker build failed')
    process.exit(1)
  }
  const { path, bytes, gzipBytes } = result
  const kib = (n) => (n / 1024).toFixed(1) + ' KiB'
  console.log(`worker bundle: ${path} ${kib(bytes)} (gzip ${kib(gzipBytes)}, budget ${kib(GZIP_BUDGET_BYTES)})`)
  if (gzipBytes >= GZIP_BUDGET_BYTES) {
    console.error('worker bundle is over the gzip budget')
    process.exit(1)
  }
}
