/**
 * @module parse/fast-yaml/cursor
 * The fast reader's one state object and its line-level moves: the text, the current line and
 * its indentation, the nesting depth, the offset of the node read last, the key and value caches,
 * and the small results the scanners hand back (where a quoted or plain scalar or a flow
 * collection ended). The readers in the sibling modules are free functions taking this cursor,
 * so every call site sees the same object shape (one hidden class, monomorphic property loads)
 * and nothing is allocated per call.
 */
import { GIVE_UP } from './chars.ts'

// Character codes, module-local on purpose (see chars.ts).
const SPACE = 32
const LF = 10
const CR = 13
const HASH = 35
const DASH = 45
const DOT = 46

/** Slots of the reader's plain-key and plain-value caches (a power of two). */
export const KEY_SLOTS = 1024

export class Cursor {
  /** Plain keys read before, by length and first and last character (see keys.ts `mappingKey`). */
  readonly keys: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined)
  /** Single-line plain values read before and what they resolved to, slotted like {@link keys} (line-scalar.ts). */
  readonly valueTexts: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined)
  readonly values: unknown[] = new Array<unknown>(KEY_SLOTS).fill(undefined)
  /** Start of the current line (the reader moves line by line between nodes). */
  pos = 0
  /** Column of the first content character of the line at `pos`; -1 at a document marker or the end. */
  indent = -1
  depth = 0
  /** Set by every node read: the offset list-items.ts `nodeOffset` gives it. */
  offset = -1
  /** Set when the root mapping had an `items` sequence (its offsets are in the list passed in). */
  rootItems = false
  /** Set by quoted.ts `quoteEnd` when the scalar it scanned spans lines. */
  quoteLines = false
  /** Where the plain scalar line scanned last ends (plain.ts `plainLine`: the line break or comment). */
  lineEnd = 0
  /** Set by plain.ts `plainLine` when that line ended at a comment. */
  plainComment = false
  /** Offset just past the flow collection or flow node read last (flow.ts). */
  flowEnd = 0

  constructor(
    readonly text: string,
    readonly maxDepth: number,
  ) {}

  code(i: number): number {
    return this.text.charCodeAt(i) // NaN past the end
  }

  /** True at a line break or the end of the text. */
  isEol(i: number): boolean {
    const c = this.text.charCodeAt(i)
    return c === LF || c === CR || i >= this.text.length
  }

  /** True at a space, a line break or the end. */
  isWsOrEol(i: number): boolean {
    return this.code(i) === SPACE || this.isEol(i)
  }

  /** Start of the line after the one holding `i`. */
  nextLine(i: number): number {
    const nl = this.text.indexOf('\n', i)
    return nl === -1 ? this.text.length : nl + 1
  }

  /** True when the line starting at `i` is a `---` / `...` marker (js-yaml testDocumentBoundary). */
  markerAt(i: number): boolean {
    const c = this.code(i)
    if (c !== DASH && c !== DOT) return false
    return this.code(i + 1) === c && this.code(i + 2) === c && this.isWsOrEol(i + 3)
  }

  /** True at a block sequence entry indicator: `-` followed by a space or the line end. */
  isSeqEntry(p: number): boolean {
    return this.code(p) === DASH && this.isWsOrEol(p + 1)
  }

  /**
   * Moves `pos` from a line start to the next line with content (skipping blank and comment-only
   * lines) and sets `indent` to its column, or -1 at a document marker or the end of the text.
   */
  seekContent(): void {
    const t = this.text
    let p = this.pos
    while (p < t.length) {
      let c = p
      while (t.charCodeAt(c) === SPACE) c++
      const ch = t.charCodeAt(c)
      if (ch === HASH || this.isEol(c)) {
        p = this.nextLine(c)
        continue
      }
      this.pos = p
      this.indent = c === p && this.markerAt(p) ? -1 : c - p
      return
    }
    this.pos = t.length
    this.indent = -1
  }

  /** After a node that ends on its line at `i`: only spaces and a comment may follow. */
  endLine(i: number): void {
    let p = i
    while (this.code(p) === SPACE) p++
    if (this.code(p) === HASH) {
      if (p === i) throw GIVE_UP // `#` must follow whitespace to start a comment
    } else if (!this.isEol(p)) throw GIVE_UP
    this.pos = this.nextLine(p)
    this.seekContent()
  }

  enter(): void {
    // js-yaml counts every parseNode (scalars too) against maxDepth; stay clear of its limit so
    // its error message stays its own.
    if (++this.depth + 2 > this.maxDepth) throw GIVE_UP
  }
}
