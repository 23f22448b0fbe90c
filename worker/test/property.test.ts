// Property test in real workerd: no request, however malformed, gets a 5xx or a planner crash.
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { EXAMPLES } from '../src/examples.ts'
import { startWorker } from './helpers/harness.ts'
import type { Harness } from './helpers/harness.ts'

const RUNS = Number(process.env['WORKER_FUZZ_RUNS'] ?? 300)
const started = await startWorker({ MAX_BODY_BYTES: '65536' })
const ready = 'mf' in started
const w = started as Harness
afterAll(async () => {
  if (ready) await w.dispose()
})

const yamlish = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.constantFrom(...EXAMPLES.map((e) => e.manifests + '\n' + e.cluster)),
  // Mutated examples: cut, duplicated or with junk spliced in, so the core sees near-valid input.
  fc.tuple(fc.constantFrom(...EXAMPLES.map((e) => e.manifests)), fc.nat(3000), fc.string({ maxLength: 40 })).map(
    ([text, at, junk]) => text.slice(0, at % (text.length + 1)) + junk + text.slice(at % (text.length + 1)),
  ),
  fc.array(fc.constantFrom('---', 'kind: Service', 'apiVersion: v1', 'metadata: {name: a}', 'spec:', '  ports: [{port: 80}]', '  type: NodePort', '  clusterIP: None', '&a [*a]', '- *x', '{', '\t', 'ports: 99999'), { maxLength: 30 }).map((l) => l.join('\n')),
)
const manifests = fc.oneof(yamlish, fc.jsonValue({ maxDepth: 4 }), fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 5 }))
const body = fc.oneof(
  fc.record(
    { manifests, cluster: manifests, options: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.record({ node: fc.string(), ipFamily: fc.constantFrom('IPv4', 'IPv6', 'x') })), probe: fc.record({ from: fc.string(), to: fc.string(), protocol: fc.string() }), base: manifests, head: manifests },
    { requiredKeys: [] },
  ).map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  yamlish,
  fc.uint8Array({ maxLength: 200 }).map((b) => new TextDecoder('latin1').decode(b)),
)
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
  path: fc.oneof(fc.constantFrom('/', '/healthz', '/openapi.json', '/v1/plan', '/v1/diff', '/v1/trace'), fc.webPath()),
  format: fc.option(fc.constantFrom('json', 'text', 'markdown', 'iptables-restore', 'iptables-save', 'iptables-list', 'bogus'), { nil: undefined }),
  contentType: fc.option(fc.oneof(fc.constantFrom('application/json', 'application/yaml', 'text/yaml', 'application/merge-patch+json', 'text/plain', 'application/json; charset=utf-8'), fc.string({ maxLength: 30 })), { nil: undefined }),
  body,
})

describe.skipIf(!ready)('fuzzing the Worker', () => {
  it('never answers 5xx, and every error is problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const headers: Record<string, string> = {}
        if (r.contentType !== undefined && /^[\t\x20-\x7e]*$/.test(r.contentType)) headers['content-type'] = r.contentType
        const hasBody = r.method !== 'GET' && r.method !== 'HEAD'
        const path = r.path.startsWith('/') ? r.path : `/${r.path}`
        const url = r.format ? `${path}${path.includes('?') ? '&' : '?'}format=${r.format}` : path
        const res = await w.fetch(url, { method: r.method, headers, ...(hasBody ? { body: r.body } : {}) })
        const text = await res.text()
        expect(res.status, `${r.method} ${url}: ${text.slice(0, 500)}`).toBeLessThan(500)
        if (res.status >= 400 && r.method !== 'HEAD') {
          expect(res.headers.get('content-type')).toBe('application/problem+json')
          const problem = JSON.parse(text) as { type: string; status: number }
          expect(problem.status).toBe(res.status)
          // A planner exception is answered 422 in production but is a bug: fail here.
          expect(problem.type, text.slice(0, 500)).not.toMatch(/planner-failure$/)
        }
      }),
      { numRuns: RUNS, seed: process.env['FC_SEED'] ? Number(process.env['FC_SEED']) : undefined },
    )
  }, Math.max(120_000, RUNS * 200))
})
