/**
 * @module action/retry
 * Retries for GitHub REST calls: 5xx answers and rate limits (secondary rate limits: 403/429
 * with `retry-after` or the "secondary rate limit" message GitHub documents; 429). Other 4xx answers are final. The sleep is injected so tests
 * never wait.
 */

/** The parts of an HTTP error that decide whether to retry. */
export interface HttpFailure {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly message: string
}

/** Retry settings. */
export interface RetryPolicy {
  readonly attempts: number
  /** First backoff in ms, doubled each retry when the server gives no `retry-after`. */
  readonly baseDelayMs: number
  /** Upper bound for any single wait. */
  readonly maxDelayMs: number
  readonly sleep: (ms: number) => Promise<void>
}

/** Defaults: 4 attempts, 1 s / 2 s / 4 s, never more than 60 s per wait. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
}

/**
 * How long to wait before retrying `f` (attempt is 1-based), or undefined when `f` is final.
 */
export function retryDelay(f: HttpFailure, attempt: number, policy: RetryPolicy): number | undefined {
  const retryAfter = Number(f.headers['retry-after'])
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1)
  if (f.status >= 500) return Math.min(Number.isFinite(retryAfter) && f.headers['retry-after'] ? retryAfter * 1000 : backoff, policy.maxDelayMs)
  if (f.status === 403 || f.status === 429) {
    if (f.headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return Math.min(retryAfter * 1000, policy.maxDelayMs)
    if (/secondary rate limit/i.test(f.message)) return Math.min(Math.max(backoff, 60_000), policy.maxDelayMs)
    // A primary rate limit (x-ratelimit-remaining: 0 without retry-after) resets within the
    // hour; waiting that long in a CI step is worse than failing, so it is final.
    if (f.status === 429) return Math.min(backoff, policy.maxDelayMs)
  }
  return undefined
}

/** Runs `call`, retrying per `policy` while `toFailure` says the thrown error is retryable. */
export async function withRetry<T>(
  call: () => Promise<T>,
  toFailure: (e: unknown) => HttpFailure | undefined,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (f: HttpFailure, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call()
    } catch (e) {
      const f = toFailure(e)
      const delay = f && attempt < policy.attempts ? retryDelay(f, attempt, policy) : undefined
      if (delay === undefined || !f) throw e
      onRetry?.(f, delay)
      await policy.sleep(delay)
    }
  }
}
