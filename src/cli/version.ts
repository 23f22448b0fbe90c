/**
 * @module cli/version
 * The tool's version, read from package.json next to the sources.
 */
import { readFileSync } from 'node:fs'

/** `version` of package.json, or `unknown` when it cannot be read. */
export function toolVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}
