/**
 * A local HTTP server speaking the GitHub REST endpoints the Action uses, for the end-to-end
 * test: list issue comments (paginated with `Link` headers, small pages so pagination is always
 * exercised), create and update a comment, and GraphQL `viewer { login }`. It can refuse writes
 * like a read-only fork token (403), fail requests with 5xx, and answer with GitHub's secondary
 * rate limit (403 + retry-after) to exercise the retry and throttling plugins.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeComment {
  id: number
  body: string
  user: { login: string; type: string }
}

export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly status: number
}

export class FakeGitHub {
  comments: FakeComment[] = []
  requests: RecordedRequest[] = []
  /** Answer writes with 403 "Resource not accessible by integration". */
  readOnly = false
  /** Fail this many upcoming requests with 502 (retry-after: 0). */
  failNext = 0
  /** Answer this many upcoming requests with 403 "secondary rate limit" (retry-after: 1). */
  secondaryRateLimitNext = 0
  /** Comments per page, whatever per_page says (forces pagination). */
  pageSize = 2
  readonly bot = 'github-actions[bot]'
  private nextId = 1000
  private server?: Server
  url = ''

  constructor(readonly token: string, readonly repo = 'acme/shop', readonly pr = 7) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = ''
      req.on('data', (c: Buffer) => (raw += c.toString()))
      req.on('end', () => this.handle(req, res, raw))
    })
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r))
    this.url = `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`
  }

  async stop(): Promise<void> {
    await new Promise<void>((r) => this.server?.close(() => r()))
  }

  /** Requests that changed something (POST/PATCH to REST, not GraphQL). */
  writes(): RecordedRequest[] {
    return this.requests.filter((r) => (r.method === 'POST' || r.method === 'PATCH') && r.path !== '/graphql')
  }

  seed(login: string, body: string): void {
    this.comments.push({ id: this.nextId++, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' } })
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const url = new URL(req.url ?? '/', this.url)
    this.requests.push({ method: req.method ?? '', path: url.pathname, status })
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
    res.end(JSON.stringify(body))
  }

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.url)
    if (req.headers.authorization !== `token ${this.token}`) return this.send(req, res, 401, { message: 'Bad credentials' })
    if (this.failNext > 0) {
      this.failNext--
      return this.send(req, res, 502, { message: 'Bad Gateway' }, { 'retry-after': '0' })
    }
    if (this.secondaryRateLimitNext > 0) {
      this.secondaryRateLimitNext--
      // GitHub's documented answer: 403, a retry-after header and this message.
      return this.send(req, res, 403, { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' }, { 'retry-after': '1' })
    }
    const base = `/repos/${this.repo}`
    const body = raw ? (JSON.parse(raw) as { body?: string; query?: string }) : {}

    if (req.method === 'POST' && url.pathname === '/graphql') {
      if (!body.query?.includes('viewer')) return this.send(req, res, 400, { message: 'unsupported query' })
      return this.send(req, res, 200, { data: { viewer: { login: 'github-actions' } } })
    }
    if (url.pathname === `${base}/issues/${this.pr}/comments` && req.method === 'GET') {
      const page = Number(url.searchParams.get('page') ?? '1')
      const pages = Math.max(1, Math.ceil(this.comments.length / this.pageSize))
      const slice = this.comments.slice((page - 1) * this.pageSize, page * this.pageSize)
      const link = (p: number, rel: string): string => {
        const u = new URL(url)
        u.searchParams.set('page', String(p))
        return `<${u.toString()}>; rel="${rel}"`
      }
      const links = [...(page < pages ? [link(page + 1, 'next'), link(pages, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])]
      return this.send(req, res, 200, slice, links.length ? { link: links.join(', ') } : {})
    }
    if (url.pathname === `${base}/issues/${this.pr}/comments` && req.method === 'POST') {
      if (this.readOnly) return this.send(req, res, 403, { message: 'Resource not accessible by integration' })
      if ((body.body ?? '').length > 65536) return this.send(req, res, 422, { message: 'Body is too long (maximum is 65536 characters)' })
      const c: FakeComment = { id: this.nextId++, body: body.body ?? '', user: { login: this.bot, type: 'Bot' } }
      this.comments.push(c)
      return this.send(req, res, 201, c)
    }
    const m = new RegExp(`^${base}/issues/comments/(\\d+)$`).exec(url.pathname)
    if (m && req.method === 'PATCH') {
      if (this.readOnly) return this.send(req, res, 403, { message: 'Resource not accessible by integration' })
      const c = this.comments.find((x) => x.id === Number(m[1]))
      if (!c) return this.send(req, res, 404, { message: 'Not Found' })
      if ((body.body ?? '').length > 65536) return this.send(req, res, 422, { message: 'Body is too long (maximum is 65536 characters)' })
      c.body = body.body ?? ''
      return this.send(req, res, 200, c)
    }
    return this.send(req, res, 404, { message: 'Not Found' })
  }
}
