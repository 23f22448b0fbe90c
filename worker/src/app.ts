/**
 * @module worker/app
 * The HTTP adapter: routes, CORS, the optional bearer token, and the translation of everything that
 * can go wrong into RFC 9457 problems. The planning itself sits behind the `Planner` port
 * (`planner.ts` wires it to `#core`), so this file holds no planning logic (docs/architecture.md, "Adapters":
 * adapters translate at the edge).
 */
import { Hono } from 'hono'
import type { Context } from 'hono'
import { cors } from 'hono/cors'
import { HttpError, PROBLEMS, problemResponse, problemType } from './errors.ts'
import { drainBody, maxBodyBytes, readBody } from './request.ts'
import type { Planner, RouteName } from './planner-port.ts'
import { FORMATS } from './planner-port.ts'
import { openApiDocument } from './openapi.ts'
import { PLAYGROUND_CSS, PLAYGROUND_HTML, PLAYGROUND_JS } from './page.ts'
import { VERSION } from './version.ts'

/**
 * Bindings the Worker reads, all optional: the `vars` of wrangler.jsonc as `wrangler types`
 * generates them (worker/worker-configuration.d.ts, `npm run types:worker`; MAX_BODY_BYTES, the
 * request body cap in bytes, default 1 MiB), plus the secret and the CORS list no config file holds.
 */
export interface Env extends Partial<Cloudflare.Env> {
  /** When non-empty, `/v1/*` requires `Authorization: Bearer <API_TOKEN>`. Set with `wrangler secret put`. */
  readonly API_TOKEN?: string
  /** Comma-separated allowed CORS origins; default `*` (no cookies are used, the token is a header). */
  readonly CORS_ORIGINS?: string
}

type AppEnv = { Bindings: Env }

/** The routes the app serves, with their methods; the 405 handler and the OpenAPI test use it. */
export const ROUTES: readonly { readonly path: string; readonly methods: readonly ('GET' | 'POST')[] }[] = [
  { path: '/', methods: ['GET'] },
  { path: '/playground.js', methods: ['GET'] },
  { path: '/playground.css', methods: ['GET'] },
  { path: '/healthz', methods: ['GET'] },
  { path: '/openapi.json', methods: ['GET'] },
  { path: '/v1/plan', methods: ['POST'] },
  { path: '/v1/diff', methods: ['POST'] },
  { path: '/v1/trace', methods: ['POST'] },
]

/**
 * Headers of the playground page and its two resources. The script and stylesheet are separate
 * same-origin files, so the CSP allows no inline code at all ('unsafe-inline' would let injected
 * markup run); no other origin is allowed, so the page provably works offline. Framing is refused
 * twice (CSP frame-ancestors and the older X-Frame-Options) against clickjacking, nosniff stops
 * a browser from running a response as another type, and no Referer leaks the share-link input.
 */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

/** Version reported by /healthz, the OpenAPI document and diff footers: the package version. */
export const API_VERSION: string = VERSION

/** Builds the Hono app around a planner. `index.ts` passes the real one. */
export function createApp(planner: Planner): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  // Outermost: answer OPTIONS on a known route with its Allow header (RFC 9110 §9.3.7), for any
  // client, and drain the unread body of an error answer so the connection can be reused.
  // Unknown paths fall through to the 404 problem whatever the method.
  app.use('*', async (c, next) => {
    const route = ROUTES.find((r) => r.path === c.req.path)
    if (c.req.method === 'OPTIONS' && route) {
      c.header('allow', allowHeader(route.methods))
      // A CORS preflight gets its answer from hono/cors below; a plain OPTIONS, this 204.
      if (c.req.header('access-control-request-method') !== undefined) return corsFor(route.methods)(c, next)
      c.res = new Response(null, { status: 204, headers: c.res.headers })
      return
    }
    await next()
    if (c.res.status >= 400) await drainBody(c.req.raw, maxBodyBytes(c.env?.MAX_BODY_BYTES))
  })
  // CORS (hono/cors) on every answer, problems from app.onError and notFound included: hono
  // carries headers set before `next()` over to the response that replaces `c.res`.
  app.use('*', (c, next) => (c.req.method === 'OPTIONS' ? next() : corsFor([])(c, next)))

  app.use('/v1/*', async (c, next) => {
    const token = c.env?.API_TOKEN ?? ''
    if (token !== '' && c.req.method !== 'OPTIONS' && !bearerMatches(c.req.header('authorization'), token)) {
      throw new HttpError(
        'unauthorized',
        c.req.header('authorization') === undefined
          ? 'This API requires "Authorization: Bearer <token>".'
          : 'The bearer token is not valid.',
        { headers: { 'www-authenticate': 'Bearer realm="kube-whatif"' } },
      )
    }
    await next()
  })

  app.get('/', (c) => c.html(PLAYGROUND_HTML, 200, { 'cache-control': 'no-cache', ...PAGE_HEADERS }))
  app.get('/playground.js', (c) => c.body(PLAYGROUND_JS, 200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', ...PAGE_HEADERS }))
  app.get('/playground.css', (c) => c.body(PLAYGROUND_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache', ...PAGE_HEADERS }))
  app.get('/healthz', (c) => c.json({ status: 'ok', version: API_VERSION }))
  app.get('/openapi.json', (c) => c.json(openApiDocument(new URL(c.req.url).origin)))

  for (const route of ['plan', 'diff', 'trace'] as const) {
    app.post(`/v1/${route}`, (c) => handle(c, route, planner))
  }

  // Known paths, wrong method: 405 with Allow (RFC 9110 §15.5.6). Registered after the real routes.
  for (const { path, methods } of ROUTES) {
    app.all(path, (c) => {
      throw new HttpError('method-not-allowed', `${c.req.method} is not allowed on ${path}; use ${methods.join(' or ')}.`, {
        headers: { allow: allowHeader(methods) },
      })
    })
  }

  // Returned, not thrown: hono calls notFound outside the handler's try/catch, so a throw would
  // skip the CORS middleware's post-processing.
  app.notFound((c) =>
    new HttpError('not-found', `No route ${c.req.method} ${new URL(c.req.url).pathname}; see /openapi.json.`).toResponse(),
  )

  app.onError((err, c) => {
    if (err instanceof HttpError) return err.toResponse()
    // A bug, never an answer to user input; tests fail on any 5xx.
    console.error('unhandled error', c.req.method, c.req.path, err)
    return problemResponse({
      type: problemType('internal'),
      title: PROBLEMS.internal.title,
      status: PROBLEMS.internal.status,
      detail: 'An unexpected error occurred; please report it with the request that caused it.',
    })
  })

  return app
}

async function handle(c: Context<AppEnv>, route: RouteName, planner: Planner): Promise<Response> {
  const format = c.req.query('format') ?? 'json'
  const allowed = FORMATS[route] as readonly string[]
  if (!allowed.includes(format)) {
    throw new HttpError('malformed-request', `Unknown format "${format}" for /v1/${route}; use one of: ${allowed.join(', ')}.`)
  }
  const limit = maxBodyBytes(c.env?.MAX_BODY_BYTES)
  const body = await readBody(c.req.raw, { limit, allowYaml: route === 'plan' })
  const out = planner.run(route, body, format, { maxBytes: limit })
  return new Response(out.body, { status: 200, headers: { 'content-type': out.contentType, 'cache-control': 'no-store' } })
}

/**
 * hono/cors with our policy: `*` unless CORS_ORIGINS lists origins (then only those, echoed,
 * with Vary: Origin); preflights allow the route's methods and the two headers the playground
 * and API clients send; the Allow/WWW-Authenticate/Content-Type headers are readable.
 */
function corsFor(methods: readonly string[]) {
  return cors({
    origin: (origin, c: Context<AppEnv>) => corsOrigin(origin === '' ? undefined : origin, c.env?.CORS_ORIGINS) ?? null,
    allowMethods: methods.length > 0 ? allowHeader(methods).split(', ') : [],
    allowHeaders: ['Content-Type', 'Authorization'],
    exposeHeaders: ['Allow', 'WWW-Authenticate', 'Content-Type'],
    maxAge: 86400,
  })
}

/** The Allow header for a route: its methods, HEAD with GET, and OPTIONS (answered for CORS). */
function allowHeader(methods: readonly string[]): string {
  return [...methods, ...(methods.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ')
}

/**
 * The Access-Control-Allow-Origin value for a request: `*` by default (the API uses no cookies;
 * the token travels in a header the page sets explicitly), else the origin when it is listed.
 */
function corsOrigin(origin: string | undefined, configured: string | undefined): string | undefined {
  const list = (configured ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  if (list.length === 0) return '*'
  return origin !== undefined && list.includes(origin) ? origin : undefined
}

/** Compares `Authorization: Bearer x` with the token in constant time (for equal lengths). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '')
  if (!m) return false
  const given = new TextEncoder().encode(m[1])
  const want = new TextEncoder().encode(token)
  let diff = given.length ^ want.length
  for (let i = 0; i < want.length; i++) diff |= (given[i] ?? 0) ^ want[i]!
  return diff === 0
}
