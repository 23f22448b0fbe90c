/** Types for scripts/build-worker.mjs (imported by the worker tests). */
export declare const GZIP_BUDGET_BYTES: number
export declare function buildWorker(opts?: { outdir?: string; minify?: boolean }): Promise<{
  path: string
  bytes: number
  gzipBytes: number
}>
