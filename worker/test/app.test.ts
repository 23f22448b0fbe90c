// Unit tests of the HTTP layer in Node (hono's `app.request`), with a planner that must not be
// reached: everything here is decided before planning (routing, auth, CORS, body checks).
import { describe, expect, it } from 'vitest'
import { createApp } from '../src/app.ts'
import type { Env } from '../src/app.ts'
import type { Planner } from '../src/planner-port.ts'
import { DEFAULT_MAX_BODY_BYTES, maxBodyBytes, mediaType } from '../src/request.ts'
import { jsonDepth } from '../src/input.ts'

const calls: string[] = []
const unreachable: Planner = {
  run(route, body, format) {
    calls.push(`${route}:${body.kind}:${format}`)
    return { contentType: 'application/json', body: JSON.stringify({ route, kind: body.kind, format }) }
  },
}
const app = createApp(unreachable)
const req = (path: string, init: RequestInit = {}, env: Env = {}) => app.request(path, init, env)
const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function problem(res: Response, status: number) {
  expect(res.status).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  const body = (await res.json()) as Record<string, unknown>
  expect(body['status']).toBe(status)
  expect(typeof body['type']).toBe('string')
  expect(typeof body['title']).toBe('string')
  expect(typeof body['detail']).toBe('string')
  return body
}

describe('routing', () => {
  it('serves the playground, health and OpenAPI', async () => {
    const page = await req('/')
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(await page.text()).toContain('<title>kube-whatif playground</title>')
    const health = await req('/healthz')
    expect(await health.json()).toMatchObject({ status: 'ok' })
    const doc = (await (await req('/openapi.json')).json()) as { openapi: string }
    expect(doc.openapi).toBe('3.1.0')
  })

  it('answers 404 problem+json for unknown routes', async () => {
    const body = await problem(await req('/v2/plan'), 404)
    expect(body['detail']).toContain('/v2/plan')
  })

  it.each([
    ['GET', '/v1/plan', 'POST, OPTIONS'],
    ['PUT', '/v1/diff', 'POST, OPTIONS'],
    ['DELETE', '/v1/trace', 'POST, OPTIONS'],
    ['POST', '/healthz', 'GET, HEAD, OPTIONS'],
    ['POST', '/', 'GET, HEAD, OPTIONS'],
    ['PATCH', '/openapi.json', 'GET, HEAD, OPTIONS'],
  ])('answers 405 with Allow for %s %s', async (method, path, allow) => {
    const res = await req(path, { method })
    await problem(res, 405)
    expect(res.headers.get('allow')).toBe(allow)
  })

  it('answers HEAD on GET routes without a body', async () => {
    const res = await req('/healthz', { method: 'HEAD' })
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('')
  })
})

describe('request checks before planning', () => {
  it('415 for a missing or unsupported content type, naming the accepted ones', async () => {
    const none = await problem(await req('/v1/plan', { method: 'POST', body: 'x' }), 415)
    expect(none['detail']).toContain('application/yaml')
    const form = await req('/v1/diff', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' })
    const body = await problem(form, 415)
    expect(body['detail']).toContain('application/json')
    expect(body['detail']).not.toContain('yaml')
    // Raw YAML is only for /v1/plan.
    await problem(await req('/v1/trace', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: 'a: 1' }), 415)
  })

  it('400 for malformed JSON, empty bodies and bad UTF-8', async () => {
    expect((await problem(await req('/v1/plan', { ...json({}), body: '{"manifests":' }), 400))['detail']).toMatch(/not valid JSON/)
    await problem(await req('/v1/plan', { ...json({}), body: '' }), 400)
    await problem(await req('/v1/plan', { ...json({}), body: new Uint8Array([0x7b, 0xff, 0x7d]) }), 400)
  })

  it('400 for an unknown format', async () => {
    const body = await problem(await req('/v1/trace?format=iptables-save', json({})), 400)
    expect(body['detail']).toContain('json, text')
  })

  it('413 when Content-Length or the streamed body exceeds MAX_BODY_BYTES', async () => {
    const env = { MAX_BODY_BYTES: '100' }
    const big = 'a: ' + 'x'.repeat(200)
    const declared = await problem(await req('/v1/plan', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: big }, env), 413)
    expect(declared['limit']).toBe(100)
    // A stream with no Content-Length must still be cut off.
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(50)))
        c.close()
      },
    })
    const res = await req('/v1/plan', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: stream, duplex: 'half' } as RequestInit, env)
    await problem(res, 413)
    expect(calls).toEqual([])
  })

  it('passes a body at the limit through to the planner', async () => {
    const res = await req('/v1/plan?format=text', { method: 'POST', headers: { 'content-type': 'application/yaml; charset=utf-8' }, body: 'x'.repeat(100) }, { MAX_BODY_BYTES: '100' })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ route: 'plan', kind: 'yaml', format: 'text' })
    expect(calls.splice(0)).toEqual(['plan:yaml:text'])
  })
})

describe('bearer token', () => {
  const env = { API_TOKEN: 's3cret' }
  it('401 on API routes without or with a wrong token', async () => {
    const res = await req('/v1/plan', json({ manifests: '' }), env)
    await problem(res, 401)
    expect(res.headers.get('www-authenticate')).toContain('Bearer')
    await problem(await req('/v1/plan', { ...json({}), headers: { 'content-type': 'application/json', authorization: 'Bearer s3cre' } }, env), 401)
    await problem(await req('/v1/plan', { ...json({}), headers: { 'content-type': 'application/json', authorization: 'Basic s3cret' } }, env), 401)
  })
  it('accepts the right token and leaves /, /healthz, /openapi.json open', async () => {
    const ok = await req('/v1/diff', { ...json({}), headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret' } }, env)
    expect(ok.status).toBe(200)
    calls.splice(0)
    for (const path of ['/', '/healthz', '/openapi.json']) expect((await req(path, {}, env)).status).toBe(200)
  })
  it('checks the token before reading the body (401 beats 413/415)', async () => {
    await problem(await req('/v1/plan', { method: 'POST', body: 'x'.repeat(500) }, { ...env, MAX_BODY_BYTES: '10' }), 401)
  })
})

describe('CORS', () => {
  it('answers preflight without a token and allows the headers the page sends', async () => {
    const res = await req('/v1/plan', {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
    }, { API_TOKEN: 't' })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-methods')).toContain('POST')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
  })
  it('adds CORS headers to errors too, so browsers can read problems', async () => {
    const res = await req('/nope', { headers: { origin: 'https://example.org' } })
    expect(res.status).toBe(404)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const r401 = await req('/v1/plan', { ...json({}), headers: { origin: 'https://a.example', 'content-type': 'application/json' } }, { API_TOKEN: 't' })
    expect(r401.status).toBe(401)
    expect(r401.headers.get('access-control-allow-origin')).toBe('*')
  })
  it('restricts origins when CORS_ORIGINS is set', async () => {
    const env = { CORS_ORIGINS: 'https://a.example, https://b.example' }
    expect((await req('/healthz', { headers: { origin: 'https://b.example' } }, env)).headers.get('access-control-allow-origin')).toBe('https://b.example')
    expect((await req('/healthz', { headers: { origin: 'https://evil.example' } }, env)).headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('helpers', () => {
  it('maxBodyBytes falls back to 1 MiB on junk', () => {
    expect(maxBodyBytes(undefined)).toBe(DEFAULT_MAX_BODY_BYTES)
    expect(maxBodyBytes('-5')).toBe(DEFAULT_MAX_BODY_BYTES)
    expect(maxBodyBytes('1e3')).toBe(1000)
    expect(maxBodyBytes('abc')).toBe(DEFAULT_MAX_BODY_BYTES)
    expect(maxBodyBytes('2048')).toBe(2048)
  })
  it('mediaType drops parameters and case', () => {
    expect(mediaType('Application/JSON; charset=UTF-8')).toBe('application/json')
    expect(mediaType(null)).toBe('')
  })
  it('jsonDepth is iterative and capped', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect(jsonDepth(deep, 64)).toBe(65)
    expect(jsonDepth({ a: { b: [1] } }, 64)).toBe(3)
  })
})

describe('unexpected errors', () => {
  it('turn into a problem+json 500 without internals (a bug the fuzz test would catch)', async () => {
    const broken = createApp({
      run() {
        throw new TypeError('secret internal detail')
      },
    })
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      const res = await broken.request('/v1/plan', json({ manifests: 'x' }), {})
      const body = await problem(res, 500)
      expect(JSON.stringify(body)).not.toContain('secret')
      expect(errors.length).toBe(1)
    } finally {
      console.error = original
    }
  })
})

describe('playground resources', () => {
  it('the script parses as JavaScript (it is served as a file, so a syntax error would only show in a browser)', async () => {
    const { PLAYGROUND_JS } = await import('../src/page.ts')
    expect(() => new Function(PLAYGROUND_JS)).not.toThrow()
  })
})
