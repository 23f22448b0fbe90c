#!/usr/bin/env node
// Bundles the Cloudflare Worker (worker/src/index.ts) into one ES module with esbuild, the way
// wrangler would (platform neutral, workerd/worker/browser conditions), and reports its gzipped
// size. Usage: node scripts/build-worker.mjs [--outdir DIR] [--no-minify]
// Importable: `buildWorker({ outdir, minify })` is used by the worker tests and scripts/dev-worker.mjs.
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Gzipped-size budget the tests enforce (the old Workers Free compressed limit was 1 MB). */
export const GZIP_BUDGET_BYTES = 1_000_000

/**
 * Builds the Worker bundle.
 * @param {{ outdir?: string, minify?: boolean }} [opts]
 * @returns {Promise<{ path: string, bytes: number, gzipBytes: number }>}
 */
export async function buildWorker(opts = {}) {
  const outdir = resolve(root, opts.outdir ?? 'worker/dist')
  mkdirSync(outdir, { recursive: true })
  const outfile = join(outdir, 'index.js')
  await build({
    entryPoints: [join(root, 'worker/src/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    minify: opts.minify ?? true,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: false,
    absWorkingDir: root,
  })
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
  } catch {
    // esbuild has already printed the errors with file:line.
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
