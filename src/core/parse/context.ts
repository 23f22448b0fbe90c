/**
 * @module parse/context
 * Per-file parsing state shared by the YAML and JSON readers: the issue list, line index, limits
 * and the document budget.
 */
import { issue } from '../issues.ts'
import type { Issue, SourceSpan } from '../issues.ts'
import type { SourceFile } from '../model/inventory.ts'
import type { ParseLimits } from './limits.ts'
import { LineIndex } from './lines.ts'
import type { DocumentLocator } from './locate.ts'

/** One parsed document: its value and how to find positions in it. */
export interface RawDocument {
  readonly value: unknown
  readonly file: SourceFile
  readonly locator: DocumentLocator
}

/** Running state for one file: issues, and the document budget. */
export interface FileContext {
  readonly file: SourceFile
  readonly lines: LineIndex
  readonly limits: ParseLimits
  readonly issues: Issue[]
  /** Documents (and List items) counted so far. */
  count: number
  /** Set once `maxDocuments` is exceeded; the rest of the file is ignored. */
  exhausted: boolean
}

/**
 * Counts one document or List item against `maxDocuments`; reports the overflow once.
 * @returns false when the budget is spent and the caller must stop.
 */
export function takeDocument(ctx: FileContext, at: () => SourceSpan): boolean {
  if (ctx.exhausted) return false
  ctx.count++
  if (ctx.count <= ctx.limits.maxDocuments) return true
  ctx.exhausted = true
  ctx.issues.push(
    issue(
      'limit/documents',
      'error',
      `${ctx.file.path} has more than ${ctx.limits.maxDocuments} documents (including List items); the rest of the file is ignored`,
      { source: at() },
    ),
  )
  return false
}

/** Creates the per-file context. */
export function fileContext(file: SourceFile, limits: ParseLimits, issues: Issue[]): FileContext {
  return { file, lines: new LineIndex(file.path, file.text), limits, issues, count: 0, exhausted: false }
}
