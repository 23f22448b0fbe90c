#!/usr/bin/env node
// Compiles what the npm package runs: the CLI (dist/cli/main.js + its lazily loaded chunks, imported
// by bin/kube-whatif.js)
// and the library entry (dist/lib/index.js), each one esbuild ESM bundle for Node 20 with the
// core inlined, so start-up loads one file instead of compiling TypeScript. js-yaml stays an
// import (the package's only runtime dependency). With --types it also emits the library's
// declaration files (dist/types/, what `types` in package.json points at); `npm pack` does that.
// Importable: `buildCli()` is what the test suite's global setup and `npm start` call.
import { build } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  external: Object.keys(pkg.dependencies ?? {}),
  define: { __KUBE_WHATIF_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  logLevel: 'warning',
}

/** Builds dist/cli/main.js and dist/lib/index.js. Only our own code is inlined (no licence notices needed). */
export async function buildCli() {
  // Code splitting keeps the subcommands (loaded lazily by src/cli/commands/index.ts) out of
  // main.js, so `--version` and `--help` parse a few KiB instead of the whole planner.
  rmSync(join(root, 'dist/cli'), { recursive: true, force: true })
  await build({ ...common, entryPoints: ['src/cli/main.ts'], outdir: 'dist/cli', splitting: true, chunkNames: 'chunks/[name]-[hash]' })
  await build({ ...common, entryPoints: ['src/lib/index.ts'], outfile: 'dist/lib/index.js' })
}

const walk = (dir) => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]))

/**
 * Declaration files for the library entry and the core types it exposes (tsc), with the
 * source-only specifiers rewritten for consumers: `#core` (this repository's import alias) to a
 * relative path and `./x.ts` to `./x.js`.
 */
export function buildTypes() {
  const out = join(root, 'dist/types')
  rmSync(out, { recursive: true, force: true })
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('tsc failed to emit the library declarations')
  for (const file of walk(out).filter((f) => f.endsWith('.d.ts'))) {
    const coreIndex = relative(dirname(file), join(out, 'core/index.js'))
    const text = readFileSync(file, 'utf8')
      .replace(/(from |import\()(['"])#core\2/g, (_, kw, q) => `${kw}${q}${coreIndex.startsWith('.') ? coreIndex : `./${coreIndex}`}${q}`)
      .replace(/(from |import\()(['"])(\.{1,2}\/[^'"]*)\.ts\2/g, (_, kw, q, p) => `${kw}${q}${p}.js${q}`)
    writeFileSync(file, text)
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  mkdirSync(join(root, 'dist'), { recursive: true })
  try {
    await buildCli()
    if (process.argv.includes('--types')) buildTypes()
  } catch (e) {
    // esbuild and tsc have already printed the errors with file:line.
    console.error(`kube-whatif build failed${e instanceof Error && !('errors' in e) ? `: ${e.message}` : ''}`)
    process.exit(1)
  }
  console.log(`built dist/cli/main.js, dist/lib/index.js${process.argv.includes('--types') ? ', dist/types/' : ''}`)
}
