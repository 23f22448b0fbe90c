/**
 * @module parse/fast-yaml/chars
 * The character classes the fast reader tests whole texts and escapes against, and its give-up
 * signal: the leaf every part of the reader imports.
 *
 * The single character codes (SPACE = 32, LF = 10, ...) are deliberately not exported from here:
 * each module declares the few it compares as module-local consts. Under unbundled ESM (tsx, the
 * bench, the tests) an imported binding is a module-cell load that V8 does not fold into the
 * comparisons of the hot scanning loops: importing them made the reader 15–30% slower on a
 * generated kubectl export; with module-local consts it is back within a few percent of the
 * single-module reader it was split from.
 */

/** Thrown (and caught in reader.ts `readFastYaml`) when the input leaves the subset this reader knows. */
export class GiveUp {}
export const GIVE_UP = new GiveUp()

// js-yaml's PATTERN_NON_PRINTABLE (the stream check of its parser), plus what this reader leaves
// to js-yaml: tab, a lone CR, the YAML 1.1 line breaks NEL / LS / PS, and a BOM past the start.
export const UNSUPPORTED_CHARS =
  /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFFFE\uFFFF]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]|(?!^)\uFEFF/

export const NOT_PLAIN_ASCII = /[^\x20-\x7E\n]/

/** Escapes js-yaml accepts after a backslash in a double-quoted scalar (simpleEscapeSequence), besides x/u/U. */
export const SIMPLE_ESCAPES = new Set([...'0abtnvfre "/\\N_LP'].map((c) => c.charCodeAt(0)))
