/**
 * @module worker/version
 * The package version, inlined by the bundler (esbuild/wrangler read the JSON at build time), for
 * /healthz, the OpenAPI document and diff report footers. The only import from outside
 * `#core`/`hono`.
 */
import pkg from '../../package.json'

/** `version` of package.json. */
export const VERSION: string = pkg.version
