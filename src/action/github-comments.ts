/**
 * @module action/github-comments
 * CommentStore over the GitHub REST API (issue comments of a pull request) with Octokit from
 * @actions/github: pagination follows `Link` headers, every request is retried on 5xx and
 * secondary rate limits, and a 403 on a write becomes ForbiddenError (read-only token on fork PRs).
 */
import { getOctokit } from '@actions/github'
import { DEFAULT_RETRY, type HttpFailure, type RetryPolicy, withRetry } from './retry.ts'
import { ForbiddenError, type CommentStore, type StoredComment } from './ports.ts'

/** Where the comments live. */
export interface CommentTarget {
  readonly owner: string
  readonly repo: string
  readonly issueNumber: number
}

function toFailure(e: unknown): HttpFailure | undefined {
  if (typeof e !== 'object' || e === null || !('status' in e)) return undefined
  const err = e as { status: unknown; message?: unknown; response?: { headers?: Record<string, string | number | undefined> } }
  if (typeof err.status !== 'number') return undefined
  const headers: Record<string, string | undefined> = {}
  for (const [k, v] of Object.entries(err.response?.headers ?? {})) headers[k.toLowerCase()] = v === undefined ? undefined : String(v)
  return { status: err.status, headers, message: typeof err.message === 'string' ? err.message : '' }
}

/** Rethrows a 403 as ForbiddenError so `run()` can treat it as "read-only token". */
function forbidden(e: unknown): never {
  const f = toFailure(e)
  if (f?.status === 403) throw new ForbiddenError(f.message || 'Resource not accessible by integration')
  throw e
}

/** A CommentStore for one PR. `log` receives one line per retry. */
export function githubCommentStore(
  token: string,
  target: CommentTarget,
  options: { readonly retry?: RetryPolicy; readonly log?: (msg: string) => void } = {},
): CommentStore {
  const octokit = getOctokit(token)
  const policy = options.retry ?? DEFAULT_RETRY
  octokit.hook.wrap('request', (request, opts) =>
    withRetry(async () => request(opts), toFailure, policy, (f, ms) =>
      options.log?.(`GitHub API ${opts.method} ${opts.url} answered ${f.status}; retrying in ${Math.round(ms / 1000)}s`),
    ),
  )
  const { owner, repo, issueNumber } = target
  return {
    async list() {
      try {
        const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: issueNumber, per_page: 100 })
        return all.map((c): StoredComment => ({ id: c.id, body: c.body ?? '', author: c.user?.login ?? '' }))
      } catch (e) {
        // A token without issues/pull-requests read access (permissions: {} or contents only).
        return forbidden(e)
      }
    },
    async viewer() {
      try {
        const r = await octokit.graphql<{ viewer: { login: string } }>('query { viewer { login } }')
        return r.viewer.login
      } catch {
        return undefined
      }
    },
    async create(body) {
      try {
        const r = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body })
        return r.data.id
      } catch (e) {
        return forbidden(e)
      }
    },
    async update(id, body) {
      try {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })
      } catch (e) {
        forbidden(e)
      }
    },
  }
}
