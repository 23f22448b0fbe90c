/**
 * @module report/fence
 * Safe Markdown building blocks for text that comes from user manifests (names, messages, rules).
 * A fenced block must use a fence longer than any backtick run inside it (CommonMark §4.5; tfcmt's
 * `wrapCode` switches to `<pre>` for the same reason), and inline text must not open HTML, tables
 * or links: manifest text is untrusted and would otherwise inject Markdown into the PR comment.
 */

/** Longest run of `ch` in `text`. */
function longestRun(text: string, ch: string): number {
  let best = 0
  let cur = 0
  for (const c of text) {
    if (c === ch) {
      cur++
      if (cur > best) best = cur
    } else cur = 0
  }
  return best
}

/**
 * A fenced code block (` ```lang ` … ` ``` `) whose fence is longer than every backtick run in
 * `body`, so the content can never close it early.
 */
export function fencedBlock(body: string, lang = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  const text = body.endsWith('\n') ? body : `${body}\n`
  return `${fence}${lang}\n${text}${fence}`
}

/** Inline code that survives backticks in the text (CommonMark code spans with a longer fence). */
export function inlineCode(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ')
  const ticks = '`'.repeat(longestRun(clean, '`') + 1)
  const pad = clean.startsWith('`') || clean.endsWith('`') || clean === '' ? ' ' : ''
  return `${ticks}${pad}${clean}${pad}${ticks}`
}

/**
 * Inline code inside a GFM table cell. A `|` ends the cell even inside a code span unless it is
 * backslash-escaped (GFM spec, "Tables (extension)"), and there the escaped pipe renders as `|`.
 */
export function inlineCodeInTable(text: string): string {
  return inlineCode(text).replace(/\|/g, '\\|')
}

/**
 * Escapes text for Markdown prose or a table cell: HTML-significant characters become entities,
 * and Markdown punctuation that could start links, emphasis, tables or mentions is backslashed.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|#~!])/g, '\\$1')
    .replace(/@/g, '@\u200b')
    // GitHub turns bare `http://…`, `https://…` and `www.…` into links (GFM autolinks); a
    // zero-width space after the scheme or `www` leaves the text as it reads, unlinked.
    .replace(/([A-Za-z]):\/\//g, '$1\u200b://')
    .replace(/\b(www)\./gi, '$1\u200b.')
}
