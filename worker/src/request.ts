/**
 * @module worker/request
 * Reads and checks request bodies before anything is parsed: content type (415), size (413, counted
 * while streaming so a missing or lying Content-Length cannot bypass it — hono's `bodyLimit` had
 * such bypasses, CVE-2025-59139 and GHSA-9vqf-7f2p-gf9v), UTF-8 and JSON syntax (400).
 */
import { HttpError } from './errors.ts'

/** Default cap on a request body: 1 MiB. Override with the `MAX_BODY_BYTES` variable. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024

/** Media types accepted as a raw YAML body (the registered one plus the common aliases). */
export const YAML_MEDIA_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'] as const

/** What a body turned out to be. */
export type RequestBody =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'yaml'; readonly text: string }

/**
 * Parses a `MAX_BODY_BYTES` value; anything that is not a positive integer falls back to the
 * default (a typo in configuration must not open the door to unbounded bodies).
 */
export function maxBodyBytes(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_BODY_BYTES
  const n = Number(raw)
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_BODY_BYTES
}

/** The essence of a Content-Type header (`type/subtype`, lower case, parameters dropped). */
export function mediaType(header: string | null | undefined): string {
  return (header ?? '').split(';', 1)[0]!.trim().toLowerCase()
}

/** True for `application/json` and any `+json` structured-syntax suffix type. */
function isJson(type: string): boolean {
  return type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)
}

/**
 * One chunk of the body. A client that goes away mid-body makes the read reject; that is the
 * client's doing, not a Worker bug, so it becomes a problem answer (nobody is left to read it)
 * instead of reaching `onError` and being logged as an unhandled error.
 */
async function readChunk(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>> {
  try {
    return await reader.read()
  } catch (err) {
    throw new HttpError('request-aborted', `The request body could not be read: ${errorText(err)}.`)
  }
}

/**
 * Reads the body of `req` as UTF-8 text, failing with 413 as soon as more than `limit` bytes have
 * arrived (or up front when Content-Length says so).
 */
export async function readLimitedText(req: Request, limit: number): Promise<string> {
  const declared = req.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > limit) {
    throw tooLarge(limit)
  }
  if (req.body === null) return ''
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await readChunk(reader)
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge(limit)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const c of chunks) {
    bytes.set(c, offset)
    offset += c.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes)
  } catch {
    throw new HttpError('malformed-request', 'The request body is not valid UTF-8.')
  }
}

/**
 * Reads and discards an unread request body of at most `limit` bytes. An answer sent before the
 * body was read (404, 405, 401, 415…) otherwise lets the runtime close the connection while the
 * client is still writing, which clients see as a reset instead of the problem response.
 * Bodies declared larger than the limit are left alone (that is the 413 case).
 */
export async function drainBody(req: Request, limit: number): Promise<void> {
  if (req.body === null || req.bodyUsed) return
  const declared = req.headers.get('content-length')
  if (declared !== null && Number(declared) > limit) return
  const reader = req.body.getReader()
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      total += value.byteLength
      if (total > limit) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // The client went away; nothing to answer to.
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(
    'body-too-large',
    `The request body exceeds the limit of ${limit} bytes (set MAX_BODY_BYTES to change it).`,
    { extensions: { limit } },
  )
}

/**
 * Reads a request body of an accepted media type. `allowYaml` is true for routes that take a raw
 * YAML document stream (only `/v1/plan`); every route takes JSON.
 */
export async function readBody(req: Request, opts: { limit: number; allowYaml: boolean }): Promise<RequestBody> {
  const type = mediaType(req.headers.get('content-type'))
  const accepted = opts.allowYaml ? ['application/json', ...YAML_MEDIA_TYPES] : ['application/json']
  const yaml = opts.allowYaml && (YAML_MEDIA_TYPES as readonly string[]).includes(type)
  if (!isJson(type) && !yaml) {
    throw new HttpError(
      'unsupported-media-type',
      type === ''
        ? `The request has no Content-Type; send one of: ${accepted.join(', ')}.`
        : `Content-Type ${type} is not supported here; send one of: ${accepted.join(', ')}.`,
      { headers: { 'accept-post': accepted.join(', ') } },
    )
  }
  const text = await readLimitedText(req, opts.limit)
  if (yaml) return { kind: 'yaml', text }
  if (text.trim() === '') throw new HttpError('malformed-request', 'The request body is empty; expected a JSON object.')
  try {
    return { kind: 'json', value: JSON.parse(text) as unknown }
  } catch (err) {
    throw new HttpError('malformed-request', `The request body is not valid JSON: ${errorText(err)}.`)
  }
}

/** A short message for something caught, never a stack trace. */
export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg.replace(/\.$/, '')
}
