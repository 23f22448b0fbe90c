/**
 * @module parse/lines
 * Offset → 1-based line/column for one file. Built once per file (one linear scan, on the first query) and queried by
 * binary search, so positions stay cheap however many issues a file produces.
 */
import type { SourceSpan } from '../issues.ts'

/** Maps character offsets of one file to {@link SourceSpan}s. */
export class LineIndex {
  /** Offsets at which each line starts (`[0] === 0`), built on the first query: most files never need one. */
  private lineStarts: number[] | undefined

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {}

  private get starts(): number[] {
    if (this.lineStarts) return this.lineStarts
    const starts = [0]
    const text = this.text
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    this.lineStarts = starts
    return starts
  }

  /**
   * Queries in increasing offset order (every List item of an export, in file order) are answered
   * by counting line breaks forward from the last one, without the index: its array of one
   * number per line (1.6M for a 10k-Service export) was built and collected only to place
   * objects that are placed in order anyway. `cursor` is the last queried offset, `cursorLine`
   * its 0-based line and `cursorStart` that line's start.
   */
  private cursor = 0
  private cursorLine = 0
  private cursorStart = 0

  /** The span of a 0-based character offset; out-of-range offsets clamp to the file. */
  span(offset: number): SourceSpan {
    const off0 = Math.max(0, offset)
    if (this.lineStarts === undefined && off0 >= this.cursor) {
      const text = this.text
      let line = this.cursorLine
      let start = this.cursorStart
      for (let i = text.indexOf('\n', this.cursor); i !== -1 && i < off0; i = text.indexOf('\n', i + 1)) {
        line++
        start = i + 1
      }
      this.cursor = off0
      this.cursorLine = line
      this.cursorStart = start
      return { file: this.file, line: line + 1, column: off0 - start + 1 }
    }
    const starts = this.starts
    let lo = 0
    let hi = starts.length - 1
    const off = Math.max(0, offset)
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1
      if ((starts[mid] ?? 0) <= off) lo = mid
      else hi = mid - 1
    }
    return { file: this.file, line: lo + 1, column: off - (starts[lo] ?? 0) + 1 }
  }

  /** The span of a 0-based line number and column, as js-yaml error marks report them. */
  at(line0: number, column0: number): SourceSpan {
    const line = Math.min(Math.max(0, line0), this.starts.length - 1)
    return { file: this.file, line: line + 1, column: Math.max(0, column0) + 1 }
  }

  /** 0-based line number of an offset. */
  lineOf(offset: number): number {
    return this.span(offset).line - 1
  }
}
