/**
 * @module parse/split
 * Splits a YAML stream into per-document chunks at column-0 `---` / `...` markers, before any
 * YAML parsing. This mirrors kubectl's reader (k8s.io/apimachinery/pkg/util/yaml YAMLReader, which
 * splits on `---` lines) and lets a syntax error in one document cost only that document: js-yaml
 * aborts the whole stream on the first error, so parsing chunk by chunk is what recovers the
 * documents after a broken one.
 *
 * Splitting on column-0 markers is exact YAML: the spec forbids a document marker at the start of a
 * line inside any scalar (c-forbidden), so such a line always ends the current document.
 */

/** One chunk: `[start, end)` character offsets into the file. */
export interface Chunk {
  readonly start: number
  readonly end: number
}

/** True when the line starting at `i` is `---` or `...` followed by whitespace or the end of line. */
function markerAt(text: string, i: number, ch: '-' | '.'): boolean {
  if (text.charCodeAt(i) !== ch.charCodeAt(0)) return false
  if (text[i + 1] !== ch || text[i + 2] !== ch) return false
  const next = text[i + 3]
  return next === undefined || next === ' ' || next === '\t' || next === '\n' || next === '\r'
}

/** True when the line `[i, end)` holds no document content: blank, a comment or a directive. */
function isPreamble(text: string, i: number, end: number): boolean {
  for (let j = i; j < end; j++) {
    const c = text[j]
    if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') continue
    return c === '#' || (c === '%' && j === i)
  }
  return true
}

/**
 * Cuts the text into chunks, each holding at most one document start. A `---` line opens a new
 * chunk unless the current one holds only comments and directives (so `%YAML 1.1` stays with its
 * document); a `...` line closes the current chunk.
 */
export function splitDocuments(text: string): Chunk[] {
  const chunks: Chunk[] = []
  let chunkStart = 0
  let hasContent = false
  let i = 0
  while (i < text.length) {
    const nl = text.indexOf('\n', i)
    const lineEnd = nl === -1 ? text.length : nl + 1
    if (markerAt(text, i, '-')) {
      if (hasContent) {
        chunks.push({ start: chunkStart, end: i })
        chunkStart = i
      }
      hasContent = true
    } else if (markerAt(text, i, '.')) {
      chunks.push({ start: chunkStart, end: lineEnd })
      chunkStart = lineEnd
      hasContent = false
    } else if (!hasContent && !isPreamble(text, i, lineEnd)) {
      hasContent = true
    }
    i = lineEnd
  }
  if (chunkStart < text.length || chunks.length === 0) chunks.push({ start: chunkStart, end: text.length })
  return chunks
}
