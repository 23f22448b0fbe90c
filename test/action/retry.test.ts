import { describe, expect, it } from 'vitest'
import { retryDelay, withRetry, DEFAULT_RETRY, type HttpFailure } from '../../src/action/retry.ts'

const policy = { ...DEFAULT_RETRY, sleep: async () => {} }
const fail = (status: number, headers: Record<string, string> = {}, message = ''): HttpFailure => ({ status, headers, message })

describe('retryDelay', () => {
  it('backs off exponentially on 5xx', () => {
    expect(retryDelay(fail(502), 1, policy)).toBe(1000)
    expect(retryDelay(fail(503), 2, policy)).toBe(2000)
    expect(retryDelay(fail(500), 3, policy)).toBe(4000)
  })
  it('honours retry-after on secondary rate limits (403 or 429)', () => {
    expect(retryDelay(fail(403, { 'retry-after': '7' }), 1, policy)).toBe(7000)
    expect(retryDelay(fail(429, { 'retry-after': '0' }), 1, policy)).toBe(0)
    expect(retryDelay(fail(403, {}, 'You have exceeded a secondary rate limit'), 1, policy)).toBe(60_000)
  })
  it('treats other 4xx, including a plain 403, as final', () => {
    expect(retryDelay(fail(403, {}, 'Resource not accessible by integration'), 1, policy)).toBeUndefined()
    expect(retryDelay(fail(404), 1, policy)).toBeUndefined()
    expect(retryDelay(fail(422), 1, policy)).toBeUndefined()
  })
})

describe('withRetry', () => {
  const asFailure = (e: unknown): HttpFailure | undefined => (e as { f?: HttpFailure }).f

  it('retries until success and reports each retry', async () => {
    let calls = 0
    const waits: number[] = []
    const r = await withRetry(
      async () => {
        calls++
        if (calls < 3) throw { f: fail(502) }
        return 'ok'
      },
      asFailure,
      { ...policy, sleep: async (ms) => void waits.push(ms) },
    )
    expect(r).toBe('ok')
    expect(calls).toBe(3)
    expect(waits).toEqual([1000, 2000])
  })

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0
    await expect(
      withRetry(async () => {
        calls++
        throw { f: fail(500), n: calls }
      }, asFailure, policy),
    ).rejects.toEqual({ f: fail(500), n: 4 })
  })

  it('does not retry final errors', async () => {
    let calls = 0
    await expect(withRetry(async () => {
      calls++
      throw { f: fail(404) }
    }, asFailure, policy)).rejects.toBeDefined()
    expect(calls).toBe(1)
  })
})
