// The Worker is an adapter (architecture §4.3): it may import `#core` and `hono` (and its cors middleware) only — never
// `node:*`, the CLI or the Action — so it runs in workerd and the core stays the single planner.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '../src')
const files = readdirSync(SRC).filter((f) => f.endsWith('.ts'))

describe('worker import boundaries', () => {
  it.each(files)('%s imports only #core, hono(/cors) and its own modules', (file) => {
    const text = readFileSync(join(SRC, file), 'utf8')
    const specs = [...text.matchAll(/^\s*(?:import|export)[^'"\n;]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]!)
    for (const spec of specs) {
      const ok =
        spec === '#core' ||
        spec === 'hono' ||
        spec === 'hono/cors' ||
        /^\.\/[\w-]+\.ts$/.test(spec) ||
        (file === 'version.ts' && spec === '../../package.json') ||
        // The published JSON Schemas of the results, embedded in /openapi.json (data, not code).
        (file === 'openapi.ts' && /^\.\.\/\.\.\/schemas\/(plan|diff|trace)\.schema\.json$/.test(spec))
      expect(ok, `${file} imports ${spec}`).toBe(true)
    }
  })
  it('finds the sources', () => expect(files).toContain('app.ts'))
  it('uses no Node globals', () => {
    for (const file of files) {
      const text = readFileSync(join(SRC, file), 'utf8')
      expect(text, file).not.toMatch(/\bprocess\.|\bBuffer\b|\brequire\(/)
    }
  })
})
