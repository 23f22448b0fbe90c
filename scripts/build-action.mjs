#!/usr/bin/env node
// Bundles the GitHub Action into dist/action/index.js (ESM, Node 20+) with esbuild, plus
// dist/action/licenses.txt for every bundled package. Output is deterministic: check:dist
// rebuilds and fails when the committed bundle differs (typescript-action's check-dist).
import { build } from 'esbuild'
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, 'dist/action')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))

mkdirSync(out, { recursive: true })
const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/action/index.ts'],
  outfile: 'dist/action/index.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // The toolkit (@actions/core 1, @actions/github 6) is CommonJS and requires Node built-ins;
  // an ESM bundle needs a real `require` for those.
  banner: { js: "import { createRequire as __kubeWhatifCreateRequire } from 'node:module';\nconst require = __kubeWhatifCreateRequire(import.meta.url);" },
  define: { __KUBE_WHATIF_VERSION__: JSON.stringify(pkg.version) },
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
})

// One entry per bundled package (name@version, license, license text), sorted by name.
const pkgs = new Map()
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
  if (!m) continue
  const dir = join(root, m[1])
  if (pkgs.has(dir)) continue
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
  pkgs.set(dir, { name: meta.name, version: meta.version, license: meta.license ?? 'UNKNOWN', text: file ? readFileSync(join(dir, file), 'utf8').trim() : '' })
}
const entries = [...pkgs.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
writeFileSync(
  join(out, 'licenses.txt'),
  entries.map((e) => `${e.name}@${e.version}\n${e.license}\n${e.text ? `\n${e.text}\n` : ''}`).join('\n-----\n\n'),
)
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`)
console.log(`built ${relative(root, join(out, 'index.js'))} (${entries.length} bundled packages)`)
