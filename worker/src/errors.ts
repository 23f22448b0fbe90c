/**
 * @module worker/errors
 * RFC 9457 problem details for every error the Worker returns. Mirrors hono's `HTTPException`
 * (src/http-exception.ts): an exception that knows its status and renders its own Response, so a
 * handler can `throw` and `app.onError` turns it into `application/problem+json`.
 */
import type { Issue } from '#core'

/** The media type RFC 9457 registers for JSON problem details. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** Base of the `type` URIs; they identify the problem kind (RFC 9457 §3.1.1), not a page to fetch. */
const TYPE_BASE = 'https://kube-whatif.dev/problems/'

/** Every kind of problem the API can answer with, keyed by a stable slug. */
export const PROBLEMS = {
  'malformed-request': { status: 400, title: 'Malformed request' },
  unauthorized: { status: 401, title: 'Missing or invalid bearer token' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'body-too-large': { status: 413, title: 'Request body too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'cannot-plan': { status: 422, title: 'The request cannot be planned' },
  'planner-failure': { status: 422, title: 'The planner failed on this input' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>

/** A problem slug (the last segment of its `type` URI). */
export type ProblemKind = keyof typeof PROBLEMS

/** One input problem as it appears in the `issues` member: the core `Issue` as JSON. */
export type ProblemIssue = Issue

/** The JSON body of a problem response. */
export interface ProblemBody {
  readonly type: string
  readonly title: string
  readonly status: number
  readonly detail: string
  readonly issues?: readonly ProblemIssue[]
  readonly [extension: string]: unknown
}

/**
 * A problem the request caused. Throw it from a handler or middleware; `toResponse()` renders it.
 * `headers` carries e.g. `Allow` (405) or `WWW-Authenticate` (401).
 */
export class HttpError extends Error {
  override readonly name = 'HttpError'
  readonly kind: ProblemKind
  readonly status: number
  readonly issues: readonly ProblemIssue[] | undefined
  readonly headers: Readonly<Record<string, string>>
  readonly extensions: Readonly<Record<string, unknown>>

  constructor(
    kind: ProblemKind,
    detail: string,
    init: {
      issues?: readonly ProblemIssue[]
      headers?: Record<string, string>
      extensions?: Record<string, unknown>
    } = {},
  ) {
    super(detail)
    this.kind = kind
    this.status = PROBLEMS[kind].status
    this.issues = init.issues
    this.headers = init.headers ?? {}
    this.extensions = init.extensions ?? {}
  }

  /** The RFC 9457 body. Extensions never override the standard members. */
  body(): ProblemBody {
    return {
      ...this.extensions,
      type: problemType(this.kind),
      title: PROBLEMS[this.kind].title,
      status: this.status,
      detail: this.message,
      ...(this.issues && this.issues.length > 0 ? { issues: this.issues } : {}),
    }
  }

  /** Renders the problem as an `application/problem+json` response. */
  toResponse(): Response {
    return problemResponse(this.body(), this.headers)
  }
}

/** Builds a problem+json Response from a body (used by `HttpError` and `app.onError`). */
export function problemResponse(body: ProblemBody, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body, null, 2) + '\n', {
    status: body.status,
    headers: { ...headers, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
  })
}

/** The `type` URI of a problem kind. */
export function problemType(kind: ProblemKind): string {
  return TYPE_BASE + kind
}
