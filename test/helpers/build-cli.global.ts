/**
 * Vitest global setup: compiles the CLI and library bundles (scripts/build-cli.mjs) once before
 * any test file runs, so tests that spawn bin/kube-whatif.js run the current sources, never a
 * bundle left over from an earlier `npm ci`.
 */
import { buildCli } from '../../scripts/build-cli.mjs'

export default async function setup(): Promise<void> {
  await buildCli()
}
