// Keeps /openapi.json true: every documented path/method/status/media type is produced by the
// app for some request, and the app has no route or status the document does not list.
import { describe, expect, it } from 'vitest'
import { ROUTES, createApp } from '../src/app.ts'
import { EXAMPLES } from '../src/examples.ts'
import { FORMAT_MEDIA_TYPES, openApiDocument } from '../src/openapi.ts'
import { FORMATS } from '../src/planner-port.ts'
import { corePlanner } from '../src/planner.ts'

const app = createApp(corePlanner)
const doc = openApiDocument('http://localhost')
type Operation = { responses: Record<string, { content?: Record<string, unknown> }>; parameters?: { name: string; schema: { enum?: string[] } }[] }
const paths = doc.paths as unknown as Record<string, Record<string, Operation>>

const ex = EXAMPLES.find((e) => e.id === 'clusterip-nodeport')!
const lb = EXAMPLES.find((e) => e.id === 'lb-local')!
const diff = EXAMPLES.find((e) => e.id === 'expose-web')!
const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
const env = { API_TOKEN: 'tok', MAX_BODY_BYTES: '4096' }
const auth = { authorization: 'Bearer tok' }

/** One request per documented (path, method, status); env as given. */
const SCENARIOS: Record<string, Record<string, Record<string, () => [string, RequestInit]>>> = {
  '/': { get: { '200': () => ['/', {}] } },
  '/healthz': { get: { '200': () => ['/healthz', {}] } },
  '/openapi.json': { get: { '200': () => ['/openapi.json', {}] } },
  '/playground.js': { get: { '200': () => ['/playground.js', {}] } },
  '/playground.css': { get: { '200': () => ['/playground.css', {}] } },
  '/v1/plan': {
    post: {
      '200': () => ['/v1/plan', json({ manifests: ex.manifests, cluster: ex.cluster }, auth)],
      '400': () => ['/v1/plan', { ...json({}, auth), body: '{"manifests": ' }],
      '401': () => ['/v1/plan', json({ manifests: ex.manifests })],
      '413': () => ['/v1/plan', json({ manifests: 'x'.repeat(5000) }, auth)],
      '415': () => ['/v1/plan', { method: 'POST', headers: { 'content-type': 'text/csv', ...auth }, body: 'a,b' }],
      '422': () => ['/v1/plan', json({ manifests: '   ' }, auth)],
    },
  },
  '/v1/diff': {
    post: {
      '200': () => ['/v1/diff', json({ base: diff.base, head: diff.head }, auth)],
      '400': () => ['/v1/diff', json({ base: diff.base, heads: '' }, auth)],
      '401': () => ['/v1/diff', json({}, { authorization: 'Bearer wrong' })],
      '413': () => ['/v1/diff', json({ base: 'x'.repeat(5000) }, auth)],
      '415': () => ['/v1/diff', { method: 'POST', headers: { 'content-type': 'application/yaml', ...auth }, body: 'a: 1' }],
      '422': () => ['/v1/diff', json({ base: '', head: '' }, auth)],
    },
  },
  '/v1/trace': {
    post: {
      '200': () => ['/v1/trace', json({ manifests: lb.manifests, cluster: lb.cluster, probe: lb.probe }, auth)],
      '400': () => ['/v1/trace', json({ manifests: lb.manifests }, auth)],
      '401': () => ['/v1/trace', json({})],
      '413': () => ['/v1/trace', json({ manifests: 'x'.repeat(5000) }, auth)],
      '415': () => ['/v1/trace', { method: 'POST', body: 'x', headers: auth }],
      '422': () => ['/v1/trace', json({ manifests: '', probe: lb.probe }, auth)],
    },
  },
}

const mediaOf = (res: Response) => (res.headers.get('content-type') ?? '').split(';')[0]!.trim()

describe('OpenAPI document', () => {
  it('lists exactly the app routes and methods', () => {
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort()
    const served = ROUTES.flatMap((r) => r.methods.map((m) => `${m} ${r.path}`)).sort()
    expect(documented).toEqual(served)
  })

  it('has a scenario for every documented status and no undocumented one', () => {
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.entries(ops).flatMap(([m, op]) => Object.keys(op.responses).map((s) => `${m} ${p} ${s}`))).sort()
    const scenarios = Object.entries(SCENARIOS).flatMap(([p, ops]) => Object.entries(ops).flatMap(([m, st]) => Object.keys(st).map((s) => `${m} ${p} ${s}`))).sort()
    expect(scenarios).toEqual(documented)
  })

  for (const [path, ops] of Object.entries(SCENARIOS)) {
    for (const [method, statuses] of Object.entries(ops)) {
      for (const [status, make] of Object.entries(statuses)) {
        it(`${method.toUpperCase()} ${path} → ${status} with a documented media type`, async () => {
          const [url, init] = make()
          const res = await app.request(url, init, env)
          const text = await res.text()
          expect(res.status, text.slice(0, 400)).toBe(Number(status))
          const content = paths[path]![method]!.responses[status]!.content ?? {}
          expect(Object.keys(content)).toContain(mediaOf(res))
        })
      }
    }
  }

  it('documents each route\'s formats and their media types', async () => {
    for (const route of ['plan', 'diff', 'trace'] as const) {
      const op = paths[`/v1/${route}`]!['post']!
      expect(op.parameters!.find((p) => p.name === 'format')!.schema.enum).toEqual([...FORMATS[route]])
      for (const f of FORMATS[route]) expect(Object.keys(op.responses['200']!.content!)).toContain(FORMAT_MEDIA_TYPES[f]!.split(';')[0])
    }
    // And the app really answers each plan format with its documented media type.
    for (const f of FORMATS.plan) {
      const res = await app.request(`/v1/plan?format=${f}`, json({ manifests: ex.manifests, cluster: ex.cluster }))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe(FORMAT_MEDIA_TYPES[f])
    }
  })

  it('is served by the app', async () => {
    const res = await app.request('/openapi.json')
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument(new URL('http://localhost/').origin))))
  })
})

describe('/openapi.json result schemas', () => {
  it('are the published schemas/*.schema.json, and the 200 JSON answers validate against them', async () => {
    const { readFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { default: Ajv2020 } = await import('ajv/dist/2020.js')
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas
    const root = join(import.meta.dirname, '../..')
    const ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true })
    for (const [component, file, route] of [
      ['PlanResult', 'plan', '/v1/plan'],
      ['DiffResult', 'diff', '/v1/diff'],
      ['TraceResult', 'trace', '/v1/trace'],
    ] as const) {
      expect(schemas[component], component).toEqual(JSON.parse(readFileSync(join(root, 'schemas', `${file}.schema.json`), 'utf8')))
      const validate = ajv.compile(schemas[component] as object)
      const [path, init] = SCENARIOS[route]!.post!['200']!()
      const res = await app.request(path, init, env)
      expect(res.status).toBe(200)
      const body = (await res.json()) as unknown
      expect(validate(body) ? [] : validate.errors, route).toEqual([])
    }
  })
})

describe('/openapi.json request schemas agree with the validation', () => {
  it('a probe is valid for the document exactly when the Worker accepts it (letter case, blanks, keys, the cap)', async () => {
    const { default: Ajv2020 } = await import('ajv/dist/2020.js')
    const schemas = (doc.components as { schemas: Record<string, object> }).schemas
    const ajv = new Ajv2020({ allErrors: true, strict: false })
    for (const [name, schema] of Object.entries(schemas)) if (!['PlanResult', 'DiffResult', 'TraceResult'].includes(name)) ajv.addSchema(schema, `#/components/schemas/${name}`)
    const trace = ajv.compile({ $ref: '#/components/schemas/TraceRequest' })
    const to = lb.probe?.to ?? ''
    expect(to).not.toBe('')
    const probe = (p: unknown) => ({ manifests: lb.manifests, cluster: lb.cluster, probes: [p] })
    const cases: unknown[] = [
      probe({ from: '203.0.113.9', to }),
      probe({ from: '203.0.113.9', to, protocol: 'TCP' }),
      probe({ from: '203.0.113.9', to, protocol: 'Udp' }),
      probe({ from: '203.0.113.9', to, protocol: 'icmp' }),
      probe({ from: '   ', to }),
      probe({ from: '203.0.113.9' }),
      probe({ from: '203.0.113.9', to, port: 80 }),
      { manifests: lb.manifests, cluster: lb.cluster, probes: Array.from({ length: 100 }, () => ({ from: '203.0.113.9', to })) },
      { manifests: lb.manifests, cluster: lb.cluster, probes: Array.from({ length: 101 }, () => ({ from: '203.0.113.9', to })) },
    ]
    for (const body of cases) {
      const res = await app.request('/v1/trace', json(body, auth), env2)
      const accepted = res.status !== 400
      expect(trace(body), `${JSON.stringify(body).slice(0, 200)} → ${res.status}`).toBe(accepted)
    }
  })
})

const env2 = { API_TOKEN: 'tok', MAX_BODY_BYTES: '1048576' }
