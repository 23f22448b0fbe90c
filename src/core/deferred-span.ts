/**
 * @module deferred-span
 * Source spans whose line and column are computed when first read. Locating a field path in a
 * document re-parses that document (parse/locate.ts), and most located issues are never shown
 * with their line: info notes under `plan -o iptables-restore`, every base-side issue and every
 * unchanged head issue of a diff. At 1k Services each requesting a ClusterIP in the dynamic band,
 * locating every note eagerly was ≈ 15% of a diff.
 *
 * A deferred span knows its file and the lines its position lies between (its document's), so
 * issues are sorted by position ({@link compareSpans}) without computing the positions of issues
 * in different documents.
 */
import type { SourceSpan } from './issues.ts'

/** The first and last line a deferred span's position can have, and the position once computed. */
interface Pending {
  readonly first: number
  readonly last: number
  settled?: SourceSpan
}

/** Not enumerable: spreading, `JSON.stringify` and `Object.keys` never see it. */
const PENDING: unique symbol = Symbol('deferred span')

type Deferrable = SourceSpan & { [PENDING]?: Pending }

/**
 * A span of `file` between lines `first` and `last` whose `line` and `column` come from `compute`
 * when first read, then stay plain data properties. The keys are own and enumerable in an eager
 * span's order (`file`, `line`, `column`), so every reader sees the object an eager locate returns.
 */
export function deferredSpan(file: string, first: number, last: number, compute: () => SourceSpan): SourceSpan {
  const span = { file } as { file: string; line: number; column: number }
  const pending: Pending = { first, last }
  const settle = (): SourceSpan => {
    if (pending.settled !== undefined) return pending.settled
    const settled = (pending.settled = compute())
    // Plain properties from now on, unless a library user froze or sealed the result meanwhile
    // (the getters then keep answering from `pending.settled`).
    if (Object.getOwnPropertyDescriptor(span, 'line')?.configurable === true) {
      Object.defineProperty(span, 'line', { value: settled.line, writable: true, enumerable: true, configurable: true })
      Object.defineProperty(span, 'column', { value: settled.column, writable: true, enumerable: true, configurable: true })
    }
    return settled
  }
  Object.defineProperty(span, 'line', { get: () => settle().line, enumerable: true, configurable: true })
  Object.defineProperty(span, 'column', { get: () => settle().column, enumerable: true, configurable: true })
  Object.defineProperty(span, PENDING, { value: pending, enumerable: false })
  return span
}

/** Whether `s` is a deferred span not read yet (reading its line would compute it). */
function pendingOf(s: SourceSpan): Pending | undefined {
  const p = (s as Deferrable)[PENDING]
  return p !== undefined && p.settled === undefined ? p : undefined
}

/** `s` moved `delta` lines down its file, still deferred when `s` is. */
export function shiftSpan(s: SourceSpan, delta: number): SourceSpan {
  const p = pendingOf(s)
  if (p === undefined) return { file: s.file, line: s.line + delta, column: s.column }
  return deferredSpan(s.file, p.first + delta, p.last + delta, () => ({ file: s.file, line: s.line + delta, column: s.column }))
}

/**
 * Orders two spans of the same file by line, then column, like comparing `line` and `column`
 * directly, but without computing a deferred span whose lines cannot overlap the other's: a span's
 * position lies between its bounds, so disjoint bounds decide the order.
 */
export function compareSpans(a: SourceSpan, b: SourceSpan): number {
  const pa = pendingOf(a)
  const pb = pendingOf(b)
  if (pa !== undefined || pb !== undefined) {
    const aFirst = pa?.first ?? a.line
    const aLast = pa?.last ?? a.line
    const bFirst = pb?.first ?? b.line
    const bLast = pb?.last ?? b.line
    if (aLast < bFirst) return -1
    if (bLast < aFirst) return 1
  }
  return a.line - b.line || a.column - b.column
}
