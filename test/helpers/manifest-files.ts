/**
 * Every manifest-like file (`.yaml`, `.yml`, `.json`) of the repository's examples and test
 * fixtures, as proposed sources in a stable order: the inputs the report tests hold every plan
 * document to.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { SourceFile } from '../../src/core/model/inventory.ts'

const root = join(import.meta.dirname, '..', '..')

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = join(dir, n)
      return statSync(p).isDirectory() ? walk(p) : /\.(ya?ml|json)$/.test(n) ? [p] : []
    })
}

/** The files under examples/ and test/fixtures/, paths relative to the repository. */
export function exampleAndFixtureFiles(): SourceFile[] {
  return [...walk(join(root, 'examples')), ...walk(join(root, 'test', 'fixtures'))].map((p) => ({
    path: relative(root, p),
    text: readFileSync(p, 'utf8'),
    origin: 'proposed',
  }))
}
