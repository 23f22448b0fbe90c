// Builds the Worker bundle wrangler would deploy (`wrangler deploy --dry-run --minify`) and runs it
// in real workerd through Miniflare, with wrangler.jsonc's compatibility date and vars.
// When workerd cannot start (missing binary, unsupported platform) the suites skip loudly,
// except under CI (process.env.CI set), where that is a failure.
import { Miniflare } from 'miniflare'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { buildWorker, readWorkerConfig } from '../../../scripts/build-worker.mjs'

/** worker/wrangler.jsonc, the one place its compatibility date and vars are written. */
const config = readWorkerConfig()

export interface Harness {
  readonly mf: Miniflare
  readonly bundle: { path: string; bytes: number; gzipBytes: number }
  fetch(path: string, init?: RequestInit): Promise<Response>
  dispose(): Promise<void>
}

let bundlePromise: Promise<{ path: string; bytes: number; gzipBytes: number }> | undefined
let bundleDir: string | undefined
/** Running Miniflare instances of this file; the bundle directory goes when the last one does. */
let live = 0

/** Builds the minified bundle once per test file, into a private directory (files run in parallel). */
export function bundle() {
  // Inside the repository: workerd refuses module paths that climb out of its working directory.
  const base = resolve(import.meta.dirname, '../../dist/test')
  mkdirSync(base, { recursive: true })
  if (bundlePromise === undefined) {
    bundleDir = mkdtempSync(join(base, 'bundle-'))
    bundlePromise = buildWorker({ outdir: bundleDir, minify: true })
  }
  return bundlePromise
}

/** Why workerd cannot run here, or undefined when its binary runs. */
export function workerdMissing(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('workerd/package.json')
    execFileSync(join(dirname(pkg), 'bin', 'workerd'), ['--version'], { stdio: 'pipe', timeout: 20_000 })
    return undefined
  } catch (err) {
    return `workerd binary unavailable: ${err instanceof Error ? err.message : String(err)}`
  }
}

/**
 * Starts the built Worker in workerd. `bindings` are the Worker's env (API_TOKEN, MAX_BODY_BYTES…).
 * `listen` also binds a real port on 127.0.0.1 (for the browser test).
 * Returns a skip reason instead when workerd is unavailable and CI is not set.
 */
export async function startWorker(
  bindings: Record<string, string> = {},
  opts: { listen?: boolean } = {},
): Promise<Harness | { skip: string }> {
  const missing = workerdMissing()
  if (missing !== undefined) {
    // Only a missing runtime is a skip (loud, and a failure under CI); any other start error fails.
    if (process.env['CI']) throw new Error(missing)
    console.warn(`SKIPPING worker integration tests: ${missing}`)
    return { skip: missing }
  }
  const built = await bundle()
  const mf = new Miniflare({
    modules: true,
    scriptPath: built.path,
    modulesRoot: dirname(built.path),
    compatibilityDate: config.compatibility_date,
    ...(config.compatibility_flags ? { compatibilityFlags: config.compatibility_flags } : {}),
    // The deployed vars, then what the test sets (wrangler secrets, other limits).
    bindings: { ...config.vars, ...bindings },
    ...(opts.listen ? { host: '127.0.0.1', port: 0 } : {}),
  })
  await mf.ready
  live++
  const started = mf
  return {
    mf: started,
    bundle: built,
    fetch: async (path, init) => {
      const res = await started.dispatchFetch(`http://localhost${path}`, init as never)
      return res as unknown as Response
    },
    dispose: async () => {
      await started.dispose()
      if (--live === 0 && bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true })
    },
  }
}

/** JSON POST init. */
export function postJson(body: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }
}

/** Raw-YAML POST init. */
export function postYaml(text: string, headers: Record<string, string> = {}): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/yaml', ...headers }, body: text }
}
