/** Types for scripts/build-worker.mjs (imported by the worker tests and the bench). */
export declare const GZIP_BUDGET_BYTES: number
export declare const WRANGLER_BIN: string
export declare const WRANGLER_ENV: Record<string, string | undefined>
export declare function buildWorker(opts?: { outdir?: string; minify?: boolean }): Promise<{
  path: string
  bytes: number
  gzipBytes: number
}>
export declare const WRANGLER_CONFIG: string
export declare function readWorkerConfig(): {
  compatibility_date: string
  compatibility_flags?: string[]
  vars?: Record<string, string>
  dev?: { ip?: string; port?: number }
}
