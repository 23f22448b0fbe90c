/**
 * @module parse/documents
 * Source text → raw documents (plain JS values) with positions. YAML goes chunk by chunk (see
 * split.ts) through js-yaml's event parser, the alias/depth guard, then js-yaml's constructor;
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
import { DocumentLocator } from './locate.ts'
import type { RawDocument } from './context.ts'
import { K8S_YAML_SCHEMA } from './schema.ts'
import { splitDocuments } from './split.ts'

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

/** Parses one chunk; pushes its documents to `out`. Returns false when the document budget ran out. */
function readChunk(ctx: FileContext, base: number, text: string, emit: (doc: RawDocument) => void): boolean {
  let events: Event[]
  try {
    events = parseEvents(text, { maxDepth: ctx.limits.maxDepth })
  } catch (e) {
    yamlFailure(ctx, e, base)
    return !ctx.exhausted
  }
  const scans = scanDocuments(events, text, ctx.limits)
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
      const slice = scans.length === 1 ? events : events.slice(scan.firstEvent, scan.endEvent)
      value = constructFromEvents(slice, { source: text, schema: K8S_YAML_SCHEMA, filename: ctx.file.path })[0]
    } catch (e) {
      yamlFailure(ctx, e, base)
      continue
    }
    if (value === null || value === undefined) continue
    emit({ value, file: ctx.file, locator: new DocumentLocator(ctx.lines, text, base, d, scan.rootOffset, ctx.limits.maxDepth) })
  }
  return true
}

/**
 * Reads every document of one file, handing each non-empty one to `emit` in order (so issues about
 * a document's objects follow the issues about the documents before it). Issues go to `ctx.issues`.
 */
export function readDocuments(ctx: FileContext, emit: (doc: RawDocument) => void): void {
  const { file, limits } = ctx
  const text = file.text
  if (text.length > limits.maxBytes || (text.length * 3 > limits.maxBytes && utf8Length(text) > limits.maxBytes)) {
    ctx.issues.push(
      issue('limit/bytes', 'error', `${file.path} is larger than ${limits.maxBytes} bytes; the file is ignored`, {
        source: { file: file.path, line: 1, column: 1 },
      }),
    )
    return
  }
  if (isJson(file)) return readJsonDocuments(ctx, emit)
  for (const chunk of splitDocuments(text)) {
    if (!readChunk(ctx, chunk.start, text.slice(chunk.start, chunk.end), emit)) break
  }
}
