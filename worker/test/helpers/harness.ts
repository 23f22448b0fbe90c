// Builds the production Worker bundle and runs it in real workerd through Miniflare.
// When workerd cannot start (missing binary, unsupported platform) the suites skip loudly,
// except under CI (process.env.CI set), where that is a failure.
import { Miniflare } from 'miniflare'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWorker } from '../../../scripts/build-worker.mjs'

/** Same date as worker/wrangler.jsonc. */
export const COMPATIBILITY_DATE = '2026-04-01'

export interface Harness {
  readonly mf: Miniflare
  readonly bundle: { path: string; bytes: number; gzipBytes: number }
  fetch(path: string, init?: RequestInit): Promise<Response>
  dispose(): Promise<void>
}

let bundlePromise: Promise<{ path: string; bytes: number; gzipBytes: number }> | undefined

/** Builds the minified bundle once per test file, into a private directory (files run in parallel). */
export function bundle() {
  bundlePromise ??= buildWorker({ outdir: mkdtempSync(join(tmpdir(), 'kube-whatif-worker-')), minify: true })
  return bundlePromise
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
  const built = await bundle()
  let mf: Miniflare | undefined
  try {
    mf = new Miniflare({
      modules: true,
      scriptPath: built.path,
      compatibilityDate: COMPATIBILITY_DATE,
      bindings,
      ...(opts.listen ? { host: '127.0.0.1', port: 0 } : {}),
    })
    await mf.ready
  } catch (err) {
    await mf?.dispose().catch(() => undefined)
    const reason = `workerd could not start: ${err instanceof Error ? err.message : String(err)}`
    if (process.env['CI']) throw new Error(reason)
    console.warn(`SKIPPING worker integration tests: ${reason}`)
    return { skip: reason }
  }
  const started = mf
  return {
    mf: started,
    bundle: built,
    fetch: async (path, init) => {
      const res = await started.dispatchFetch(`http://localhost${path}`, init as never)
      return res as unknown as Response
    },
    dispose: () => started.dispose(),
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
