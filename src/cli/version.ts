/**
 * @module cli/version
 * The tool's version: inlined by the bundler (scripts/build-cli.mjs), or read from package.json
 * next to the sources when the CLI runs from TypeScript (tests, tsx).
 */
import { readFileSync } from 'node:fs'

/** Replaced at bundle time with package.json's version. */
declare const __KUBE_WHATIF_VERSION__: string

/** `version` of package.json, or `unknown` when it cannot be read. */
export function toolVersion(): string {
  if (typeof __KUBE_WHATIF_VERSION__ === 'string') return __KUBE_WHATIF_VERSION__
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown }
    return typeof pkg.version === 'string' ? pkg.version : 'unknown'
  } catch {
    return 'unknown'
  }
}
