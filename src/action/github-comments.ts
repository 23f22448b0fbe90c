/**
 * @module action/github-comments
 * CommentStore over the GitHub REST API (issue comments of a pull request) with the Octokit of
 * @actions/github (`getOctokit`) plus @octokit/plugin-retry (5xx and network failures, with
 * backoff) and @octokit/plugin-throttling (primary and secondary rate limits: waits what GitHub
 * says, a bounded number of times). Pagination follows `Link` headers.
 *
 * Two 403s mean different things and are told apart: "Resource not accessible by integration"
 * is a read-only token (fork PRs) and becomes ForbiddenError, which `run()` reports as a notice;
 * a rate limit that is still hit after the retries is an ApiError, which fails the step.
 */
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { ApiError, ForbiddenError, type CommentStore, type StoredComment } from './ports.ts'

/** Where the comments live. */
export interface CommentTarget {
  readonly owner: string
  readonly repo: string
  readonly issueNumber: number
}

/** How hard to retry. The defaults suit a CI step; tests shorten the waits. */
export interface RetryOptions {
  /** Retries after a 5xx answer or a network failure (plugin-retry: waits 1, 4, 9 … × base). */
  readonly retries: number
  /** Base wait in ms of plugin-retry's quadratic backoff. */
  readonly retryAfterBaseMs: number
  /** Retries after a rate limit (each waits GitHub's `retry-after` / reset time). */
  readonly rateLimitRetries: number
  /** Longest rate-limit wait in seconds worth sitting through in a CI step. */
  readonly maxRateLimitWaitSeconds: number
}

/** 2 retries (after 1 s, then 4 s) for 5xx and network failures; 2 rate-limit waits of at most 60 s each. */
export const DEFAULT_RETRY_OPTIONS: RetryOptions = { retries: 2, retryAfterBaseMs: 1000, rateLimitRetries: 2, maxRateLimitWaitSeconds: 60 }

interface OctokitFailure {
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, unknown> }
  request?: { method?: string; url?: string }
}

/** A primary or secondary rate limit, as plugin-throttling recognises them. */
export function isRateLimit(e: unknown): boolean {
  const f = e as OctokitFailure
  if (f.status !== 403 && f.status !== 429) return false
  return /\brate limit\b/i.test(String(f.message ?? '')) || f.response?.headers?.['x-ratelimit-remaining'] === '0'
}

/**
 * One line on why a request failed. @octokit/request reports a request that got no answer at
 * all (refused, DNS, reset) as status 500 without a response; that is not "answered 500".
 */
export function describeFailure(e: unknown): string {
  const f = e as OctokitFailure
  const what = f.request?.method && f.request.url ? `${f.request.method} ${new URL(f.request.url, 'http://api.invalid').pathname}` : 'request'
  const message = String(f.message ?? e)
  if (typeof f.status !== 'number' || f.response === undefined) {
    const reason = /ECONNREFUSED/.test(message) ? 'connection refused' : /ENOTFOUND|EAI_AGAIN/.test(message) ? 'host not found' : /ETIMEDOUT|timeout/i.test(message) ? 'timed out' : message
    return `GitHub API ${what}: could not be reached (${reason})`
  }
  if (isRateLimit(e)) return `GitHub API ${what}: rate limit still exceeded after retrying (${message})`
  return `GitHub API ${what} answered ${f.status}: ${message}`
}

/** Maps a failed call: a read-only token's 403 → ForbiddenError; anything else → ApiError. */
function failure(e: unknown): never {
  const f = e as OctokitFailure
  if (f.status === 403 && !isRateLimit(e)) throw new ForbiddenError(typeof f.message === 'string' && f.message ? f.message : 'Resource not accessible by integration')
  throw new ApiError(describeFailure(e))
}

/** A CommentStore for one PR. `log` receives one line per failed attempt and per rate-limit wait. */
export function githubCommentStore(
  token: string,
  target: CommentTarget,
  options: { readonly retry?: RetryOptions; readonly log?: (msg: string) => void } = {},
): CommentStore {
  const r = options.retry ?? DEFAULT_RETRY_OPTIONS
  const log = options.log ?? (() => undefined)
  const onLimit =
    (kind: string) =>
    (retryAfter: number, opts: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < r.rateLimitRetries && retryAfter <= r.maxRateLimitWaitSeconds
      log(`GitHub API ${opts.method ?? ''} ${opts.url ?? ''}: ${kind} rate limit; ${retrying ? `waiting ${retryAfter}s (retry ${retryCount + 1} of ${r.rateLimitRetries})` : 'giving up'}`)
      return retrying
    }
  // One log line per attempt that failed, from under the retry plugins (they retry silently).
  const loggingFetch: typeof fetch = async (input, init) => {
    const what = `${init?.method ?? 'GET'} ${new URL(String(input instanceof Request ? input.url : input)).pathname}`
    try {
      const res = await fetch(input, init)
      if (res.status >= 500) log(`GitHub API ${what} answered ${res.status}`)
      return res
    } catch (e) {
      log(describeFailure({ message: String((e as { cause?: unknown }).cause ?? e), request: { method: init?.method ?? 'GET', url: String(input) } }))
      throw e
    }
  }
  const octokit = getOctokit(
    token,
    {
      request: { fetch: loggingFetch },
      retry: { retries: r.retries, retryAfterBaseValue: r.retryAfterBaseMs },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary'), retryAfterBaseValue: r.retryAfterBaseMs },
    },
    retry,
    throttling,
  )
  const { owner, repo, issueNumber } = target
  return {
    async list() {
      try {
        const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })
        return all.map((c): StoredComment => ({ id: c.id, body: c.body ?? '', author: c.user?.login ?? '' }))
      } catch (e) {
        // A 403 here is a token without issues/pull-requests read access (permissions: {} or contents only).
        return failure(e)
      }
    },
    async viewer() {
      try {
        const res = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
        return res.viewer.login
      } catch {
        return undefined
      }
    },
    async create(body) {
      try {
        const res = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })
        return res.data.id
      } catch (e) {
        return failure(e)
      }
    },
    async update(id, body) {
      try {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })
      } catch (e) {
        failure(e)
      }
    },
  }
}
