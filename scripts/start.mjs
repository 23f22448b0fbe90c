#!/usr/bin/env node
// `npm start`: plans every example directory under examples/ (text output), one after the other,
// through the real CLI entry point (bin/kube-whatif.js, compiled first), exactly as a user would run it.
// Exits non-zero when any example fails to plan (exit code >= 2) so it doubles as a smoke test.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildCli } from './build-cli.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const examples = join(root, 'examples')
const bin = join(root, 'bin', 'kube-whatif.js')

// The CLI runs compiled (as published): rebuild it so edits to the sources show.
await buildCli()

const dirs = readdirSync(examples)
  .filter((name) => !name.startsWith('.') && statSync(join(examples, name)).isDirectory())
  .sort()

let worst = 0
for (const name of dirs) {
  const dir = relative(root, join(examples, name))
  process.stdout.write(`\n=== kube-whatif plan ${dir} ===\n\n`)
  const r = spawnSync(process.execPath, [bin, 'plan', dir], { cwd: root, stdio: 'inherit' })
  const code = r.status ?? 1
  if (code !== 0) process.stdout.write(`(exit code ${code})\n`)
  worst = Math.max(worst, code)
}
process.exitCode = worst >= 2 ? 1 : 0
