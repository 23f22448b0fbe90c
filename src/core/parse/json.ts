/**
 * @module parse/json
 * JSON input. JSON is YAML, but JSON.parse is much faster, rejects what JSON rejects (trailing
 * commas, which YAML flow collections allow) and its errors speak JSON. Like kubectl's
 * NewYAMLOrJSONDecoder, a file may hold several concatenated JSON values. Positions for issues come
 * from a character scan of the value's text, lazily (see locate.ts and json-positions.ts).
 */
import { issue } from '../issues.ts'
import type { FileContext, RawDocument } from './context.ts'
import { takeDocument } from './context.ts'
import { DocumentLocator } from './locate.ts'

/** Depth of collections in a JSON value, stopping as soon as it exceeds `max` (iterative: no recursion). */
function exceedsDepth(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number]
    if (typeof v !== 'object' || v === null) continue
    if (d + 1 > max) return true
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1])
  }
  return false
}

/** Strips the echo of the input that newer V8 versions append (`..., "{"a":..." is not valid JSON`). */
function jsonReason(message: string): string {
  const cut = message.indexOf(', "')
  return cut > 0 && /is not valid JSON$/.test(message) ? message.slice(0, cut) : message
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && ' \t\r\n\uFEFF'.includes(text[i] as string)) i++
  return i
}

/** Reads every JSON value of the file in order, handing each non-null one to `emit`. */
export function readJsonDocuments(ctx: FileContext, emit: (doc: RawDocument) => void): void {
  const text = ctx.file.text
  for (let pos = skipSpace(text, 0); pos < text.length; pos = skipSpace(text, pos)) {
    let value: unknown
    let end = text.length
    try {
      value = JSON.parse(text.slice(pos))
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e)
      const after = /after JSON at position (\d+)/.exec(message)
      try {
        if (!after) throw e
        end = pos + Number(after[1])
        value = JSON.parse(text.slice(pos, end))
      } catch {
        const at = /position (\d+)/.exec(message)
        const offset = at ? pos + Number(at[1]) : /end of JSON/.test(message) ? text.length : pos
        const source = ctx.lines.span(offset)
        ctx.issues.push(
          issue('yaml/syntax', 'error', `error parsing ${ctx.file.path}: invalid JSON at line ${source.line}: ${jsonReason(message)}`, {
            source,
          }),
        )
        break
      }
    }
    if (!takeDocument(ctx, () => ctx.lines.span(pos))) break
    if (exceedsDepth(value, ctx.limits.maxDepth)) {
      ctx.issues.push(
        issue('limit/depth', 'error', `${ctx.file.path}: document nests deeper than ${ctx.limits.maxDepth} levels; it is ignored`, {
          source: ctx.lines.span(pos),
        }),
      )
    } else if (value !== null) {
      emit({ value, file: ctx.file, locator: new DocumentLocator(ctx.lines, text.slice(pos, end), pos, 0, ctx.limits.maxDepth, true) })
    }
    pos = end
  }
}
