/**
 * @module parse/documents
 * Source text → raw documents (plain JS values) with positions. YAML goes through js-yaml's event
 * parser, the alias/depth guard (guard.ts), then js-yaml's constructor — the whole file in one
 * call when it parses, else chunk by chunk (split.ts) so a syntax error loses only its document.
 * JSON goes through the platform's JSON.parse, which is faster and reports JSON's own errors.
 * Every problem becomes an issue; nothing here throws on user input.
 */
import { constructFromEvents, parseEvents } from 'js-yaml'
import type { Event } from 'js-yaml'
import { issue } from '../issues.ts'
import type { SourceFile } from '../model/inventory.ts'
import type { FileContext } from './context.ts'
import { takeDocument } from './context.ts'
import { scanDocuments } from './guard.ts'
import { readJsonDocuments } from './json.ts'
import { utf8Length } from './limits.ts'
import { noteMeasuredBytes } from './measured-bytes.ts'
import { listItemOffsets } from './list-items.ts'
import { DocumentLocator } from './locate.ts'
import type { RawDocument } from './context.ts'
import { readFastYaml } from './fast-yaml/reader.ts'
import type { FastDocument } from './fast-yaml/reader.ts'
import { K8S_YAML_SCHEMA } from './schema.ts'
import { splitDocuments } from './split.ts'
import type { Chunk } from './split.ts'

/** True for inputs read as JSON: a `.json` file, or an extension-less stream starting with `{`. */
function isJson(file: SourceFile): boolean {
  if (/\.json$/i.test(file.path)) return true
  if (/\.ya?ml$/i.test(file.path)) return false
  return /^\uFEFF?\s*\{/.test(file.text)
}

/** js-yaml errors carry `reason` and a `mark` with the offset into the text they were given. */
function errorDetails(e: unknown): { reason: string; position: number | undefined } {
  if (typeof e === 'object' && e !== null) {
    const err = e as { reason?: unknown; message?: unknown; mark?: { position?: unknown } }
    const reason = typeof err.reason === 'string' ? err.reason : typeof err.message === 'string' ? err.message : String(e)
    const position = typeof err.mark?.position === 'number' ? err.mark.position : undefined
    return { reason, position }
  }
  return { reason: String(e), position: undefined }
}

/** Reports a js-yaml failure inside the chunk starting at `base`; depth overflows are limit issues. */
function yamlFailure(ctx: FileContext, e: unknown, base: number): void {
  const { reason, position } = errorDetails(e)
  const source = ctx.lines.span(base + (position ?? 0))
  if (/maxDepth/.test(reason)) {
    ctx.issues.push(
      issue('limit/depth', 'error', `${ctx.file.path}: document nests deeper than ${ctx.limits.maxDepth} levels; it is ignored`, { source }),
    )
    return
  }
  if (/maxAliases|maxTotalMergeKeys/.test(reason)) {
    ctx.issues.push(issue('limit/aliases', 'error', `${ctx.file.path}: ${reason}; the document is ignored`, { source }))
    return
  }
  ctx.issues.push(
    issue('yaml/syntax', 'error', `error parsing ${ctx.file.path}: yaml: line ${source.line}: ${reason}`, { source }),
  )
}

/** A document with an `items` array: a List whose items' positions are read from the events. */
function isListLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { items?: unknown }).items)
}

/** Makes the locator of a document whose root node starts at file offset `root`. */
type Place = (root: number) => DocumentLocator

/**
 * Emits the documents of `events`, parsed from `text` (which starts at file offset `base`).
 * All documents are constructed in one js-yaml call; if that throws (a duplicate key, an unknown
 * tag), they are constructed one by one so the error costs only its own document.
 * @returns false when the document budget ran out
 */
function emitDocuments(ctx: FileContext, base: number, text: string, events: Event[], place: Place, emit: (doc: RawDocument) => void): boolean {
  const scans = scanDocuments(events, text, ctx.limits)
  const options = { source: text, schema: K8S_YAML_SCHEMA, filename: ctx.file.path }
  let all: unknown[] | undefined
  if (scans.every((s) => !s.problem)) {
    try {
      all = constructFromEvents(events, options)
    } catch {
      all = undefined
    }
  }
  for (let d = 0; d < scans.length; d++) {
    const scan = scans[d]
    if (!scan) continue
    if (!takeDocument(ctx, () => ctx.lines.span(base + Math.max(0, scan.rootOffset)))) return false
    if (scan.problem) {
      const { code, message, offset } = scan.problem
      ctx.issues.push(issue(code, 'error', `${ctx.file.path}: ${message}; the document is ignored`, { source: ctx.lines.span(base + offset) }))
      continue
    }
    if (scan.rootOffset < 0) continue // empty document
    let value: unknown
    try {
      value = all ? all[d] : constructFromEvents(events.slice(scan.firstEvent, scan.endEvent), options)[0]
    } catch (e) {
      yamlFailure(ctx, e, base)
      continue
    }
    if (value === null || value === undefined) continue
    const locator = place(base + scan.rootOffset)
    if (isListLike(value)) {
      const items = listItemOffsets(events, scan.firstEvent, scan.endEvent, text, base)
      if (items) locator.setListItems(items)
    }
    emit({ value, file: ctx.file, locator })
  }
  return true
}

/** Parses one chunk on its own (the recovery path after the whole file failed to parse). */
function readChunk(ctx: FileContext, base: number, text: string, emit: (doc: RawDocument) => void): boolean {
  let events: Event[]
  try {
    events = parseEvents(text, { maxDepth: ctx.limits.maxDepth })
  } catch (e) {
    yamlFailure(ctx, e, base)
    return !ctx.exhausted
  }
  const place: Place = (root) => new DocumentLocator(ctx.lines, text, base, root - base, ctx.limits.maxDepth)
  return emitDocuments(ctx, base, text, events, place, emit)
}

/** Locators for a file parsed whole: each re-parses only the chunk holding its document. */
function chunkPlacer(ctx: FileContext, chunks: readonly Chunk[]): Place {
  return (root) => {
    let lo = 0
    let hi = chunks.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if ((chunks[mid]?.start ?? 0) <= root) lo = mid
      else hi = mid - 1
    }
    const c = chunks[lo] ?? { start: 0, end: ctx.file.text.length }
    return new DocumentLocator(ctx.lines, ctx.file.text.slice(c.start, c.end), c.start, root - c.start, ctx.limits.maxDepth)
  }
}

/**
 * Emits the documents the fast reader read, exactly as {@link emitDocuments} emits js-yaml's:
 * the same document budget, empty and null documents skipped, the same locators and List offsets.
 */
function emitFastDocuments(ctx: FileContext, docs: readonly FastDocument[], place: Place, emit: (doc: RawDocument) => void): void {
  for (const doc of docs) {
    if (!takeDocument(ctx, () => ctx.lines.span(Math.max(0, doc.rootOffset)))) return
    if (doc.rootOffset < 0) continue // empty document
    const value = doc.value
    if (value === null || value === undefined) continue
    const locator = place(doc.rootOffset)
    if (doc.items && isListLike(value)) locator.setListItems(doc.items)
    emit({ value, file: ctx.file, locator })
  }
}

/** `utf8Length` of the file's text, noted for later readers (parse/measured-bytes.ts). */
function measure(file: SourceFile): number {
  const bytes = utf8Length(file.text)
  noteMeasuredBytes(file, bytes)
  return bytes
}

/**
 * Reads every document of one file, handing each non-empty one to `emit` in order (so issues about
 * a document's objects follow the issues about the documents before it). Issues go to `ctx.issues`.
 */
export function readDocuments(ctx: FileContext, emit: (doc: RawDocument) => void): void {
  const { file, limits } = ctx
  const text = file.text
  if (text.length > limits.maxBytes || (text.length * 3 > limits.maxBytes && measure(file) > limits.maxBytes)) {
    ctx.issues.push(
      issue('limit/bytes', 'error', `${file.path} is larger than ${limits.maxBytes} bytes; the file is ignored`, {
        source: { file: file.path, line: 1, column: 1 },
      }),
    )
    return
  }
  if (isJson(file)) return readJsonDocuments(ctx, emit)
  const chunks = splitDocuments(text)
  // Fastest path: the block-YAML reader (fast-yaml/reader.ts) for files entirely in the subset it
  // knows; it returns nothing for anything else and js-yaml reads the file as before.
  const fast = readFastYaml(text, limits.maxDepth)
  if (fast) {
    emitFastDocuments(ctx, fast, chunkPlacer(ctx, chunks), emit)
    return
  }
  // Fast path: one js-yaml call for the whole file (per-call setup is not free: 10k documents
  // would pay it 10k times). Only when the file has a syntax error is it re-read chunk by chunk,
  // which reports the error and keeps every other document.
  let events: Event[] | undefined
  try {
    events = parseEvents(text, { maxDepth: limits.maxDepth })
  } catch {
    events = undefined
  }
  if (events) {
    emitDocuments(ctx, 0, text, events, chunkPlacer(ctx, chunks), emit)
    return
  }
  for (const chunk of chunks) {
    if (!readChunk(ctx, chunk.start, text.slice(chunk.start, chunk.end), emit)) break
  }
}
