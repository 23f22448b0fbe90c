/**
 * @module parse/fast-yaml/reader
 * A hand-written reader for the block YAML that manifests and `kubectl get -o yaml` exports are
 * made of: block mappings and sequences (compact `- key: v` items, zero-indented sequences under a
 * key), plain and quoted scalars (multi-line ones folded as js-yaml folds them), literal and folded
 * block scalars, comments, `---` / `...` markers and flow collections written on one line. It
 * yields exactly the values js-yaml's `parseEvents` + `constructFromEvents` give with
 * K8S_YAML_SCHEMA, and the offsets documents.ts needs (each document's root offset as guard.ts
 * `eventOffset` gives it, List item offsets as list-items.ts `nodeOffset` gives them), in less
 * than half of js-yaml's time and without an event array.
 *
 * It never reports errors: anything it does not fully understand — anchors, aliases, tags, merge
 * keys, directives, tabs, duplicate keys, multi-line flow collections, explicit or complex keys,
 * odd indentation — makes {@link readFastYaml} return undefined and
 * the js-yaml path reads the file unchanged (and owns every message). Scalars are decoded by
 * js-yaml's own `getScalarValue` and plain scalars resolved by the schema's own implicit-tag
 * resolution (Schema `resolveImplicitScalarTag`, the function js-yaml's `constructScalar` calls),
 * so only the structure is re-implemented here.
 */
import { CHOMPING_MODE, getScalarValue, SCALAR_STYLE } from 'js-yaml'
import type { ScalarEvent } from 'js-yaml'
import { MERGE, plainValue } from './resolve.ts'

/** One document as the fast reader read it. */
export interface FastDocument {
  /** The constructed value (null for an empty document). */
  readonly value: unknown
  /** Offset of the root node as guard.ts `eventOffset` gives it, -1 for an empty document. */
  readonly rootOffset: number
  /** Offsets of the root mapping's `items` sequence entries (list-items.ts `listItemOffsets`), when it has one. */
  readonly items: readonly number[] | undefined
}

/** Thrown (and caught in {@link readFastYaml}) when the input leaves the subset this reader knows. */
class GiveUp {}
const GIVE_UP = new GiveUp()

// js-yaml's PATTERN_NON_PRINTABLE (the stream check of its parser), plus what this reader leaves
// to js-yaml: tab, a lone CR, the YAML 1.1 line breaks NEL / LS / PS, and a BOM past the start.
const UNSUPPORTED_CHARS =
  /[\x00-\x09\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFFFE\uFFFF]|\r(?!\n)|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]|(?!^)\uFEFF/

const NOT_PLAIN_ASCII = /[^\x20-\x7E\n]/

const SPACE = 32
const LF = 10
const CR = 13
const HASH = 35
const DASH = 45
const DOT = 46
const COLON = 58
const SQUOTE = 39
const DQUOTE = 34
const BACKSLASH = 92

/** Escapes js-yaml accepts after a backslash in a double-quoted scalar (simpleEscapeSequence), besides x/u/U. */
const SIMPLE_ESCAPES = new Set([...'0abtnvfre "/\\N_LP'].map((c) => c.charCodeAt(0)))

/** A scalar event for js-yaml's `getScalarValue` (only the fields it reads matter). */
function scalarEvent(style: ScalarEvent['style'], valueStart: number, valueEnd: number, chomping: number, indent: number): ScalarEvent {
  return {
    type: 4,
    valueStart,
    valueEnd,
    anchorStart: -1,
    anchorEnd: -1,
    tagStart: -1,
    tagEnd: -1,
    style,
    chomping,
    indent,
    fast: false,
  } as unknown as ScalarEvent
}

/** Slots of the reader's plain-key cache (a power of two). */
const KEY_SLOTS = 1024

class Reader {
  /** Plain keys read before, by length and first and last character (see {@link Reader.key}). */
  private readonly keys: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined)
  /** Single-line plain values read before and what they resolved to, slotted like {@link keys}. */
  private readonly valueTexts: (string | undefined)[] = new Array<string | undefined>(KEY_SLOTS).fill(undefined)
  private readonly values: unknown[] = new Array<unknown>(KEY_SLOTS).fill(undefined)
  /** Start of the current line (the reader moves line by line between nodes). */
  private pos = 0
  /** Column of the first content character of the line at `pos`; -1 at a document marker or the end. */
  private indent = -1
  private depth = 0
  /** Set by every node read: the offset list-items.ts `nodeOffset` gives it. */
  private offset = -1

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  private code(i: number): number {
    return this.text.charCodeAt(i) // NaN past the end
  }

  /** True at a line break or the end of the text. */
  private isEol(i: number): boolean {
    const c = this.text.charCodeAt(i)
    return c === LF || c === CR || i >= this.text.length
  }

  /** True at a space, a line break or the end. */
  private isWsOrEol(i: number): boolean {
    return this.code(i) === SPACE || this.isEol(i)
  }

  /** Start of the line after the one holding `i`. */
  private nextLine(i: number): number {
    const nl = this.text.indexOf('\n', i)
    return nl === -1 ? this.text.length : nl + 1
  }

  /** True when the line starting at `i` is a `---` / `...` marker (js-yaml testDocumentBoundary). */
  private markerAt(i: number): boolean {
    const c = this.code(i)
    if (c !== DASH && c !== DOT) return false
    return this.code(i + 1) === c && this.code(i + 2) === c && this.isWsOrEol(i + 3)
  }

  /**
   * Moves `pos` from a line start to the next line with content (skipping blank and comment-only
   * lines) and sets `indent` to its column, or -1 at a document marker or the end of the text.
   */
  private seekContent(): void {
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
  private endLine(i: number): void {
    let p = i
    while (this.code(p) === SPACE) p++
    if (this.code(p) === HASH) {
      if (p === i) throw GIVE_UP // `#` must follow whitespace to start a comment
    } else if (!this.isEol(p)) throw GIVE_UP
    this.pos = this.nextLine(p)
    this.seekContent()
  }

  private enter(): void {
    // js-yaml counts every parseNode (scalars too) against maxDepth; stay clear of its limit so
    // its error message stays its own.
    if (++this.depth + 2 > this.maxDepth) throw GIVE_UP
  }

  /** Reads the documents of the whole text. */
  documents(): FastDocument[] {
    const t = this.text
    const out: FastDocument[] = []
    this.pos = t.charCodeAt(0) === 0xfeff ? 1 : 0
    let open = false
    let hasRoot = false
    let root: unknown = null
    let rootOffset = -1
    let items: number[] | undefined
    const finish = (): void => {
      out.push({ value: hasRoot ? root : null, rootOffset: hasRoot ? rootOffset : -1, items })
      open = false
      hasRoot = false
      root = null
      rootOffset = -1
      items = undefined
    }
    this.seekContent()
    while (this.pos < t.length) {
      const p = this.pos
      if (this.indent < 0) {
        // A document marker line: `---` opens a document (closing an open one), `...` closes.
        const dash = this.code(p) === DASH
        if (open) finish()
        if (dash) open = true
        this.endLine(p + 3)
        continue
      }
      if (this.indent === 0 && this.code(p) === 37 /* % directive */) throw GIVE_UP
      if (hasRoot) throw GIVE_UP // a second root node: a js-yaml error
      open = true
      const list: number[] = []
      const value = this.rootNode(list)
      hasRoot = true
      root = value
      rootOffset = this.offset
      items = this.rootItems ? list : undefined
      if (this.indent >= 0) throw GIVE_UP // content after the root node
    }
    if (open) finish()
    return out
  }

  /** Set when the root mapping had an `items` sequence (its offsets are in the list passed in). */
  private rootItems = false

  private rootNode(list: number[]): unknown {
    this.rootItems = false
    const col = this.indent
    const p = this.pos + col
    if (this.isSeqEntry(p)) return this.sequence(col, p, undefined)
    const colon = this.keyEnd(p)
    if (colon >= 0) return this.mapping(col, p, list, colon)
    const c = this.code(p)
    if (c === 124 || c === 62) throw GIVE_UP // a root block scalar: rare, left to js-yaml
    if (this.markerAt(p)) throw GIVE_UP // an indented ` ---` (js-yaml reads an empty document)
    // A root scalar continues over lines indented at least as much as itself (js-yaml refuses less).
    return this.lineScalar(p, col - 1)
  }

  private isSeqEntry(p: number): boolean {
    return this.code(p) === DASH && this.isWsOrEol(p + 1)
  }

  /**
   * If a mapping key starts at `p` (a single-line plain or quoted scalar followed by `:` and a
   * space or line end), the offset of that `:`; else -1.
   */
  private keyEnd(p: number): number {
    const t = this.text
    const c = t.charCodeAt(p)
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.quoteEnd(p)
      if (close < 0) return -1
      let q = close + 1
      while (t.charCodeAt(q) === SPACE) q++
      return t.charCodeAt(q) === COLON && this.isWsOrEol(q + 1) ? q : -1
    }
    if (!this.canStartPlain(p)) return -1
    for (let q = p + 1; ; q++) {
      const ch = t.charCodeAt(q)
      if (ch === COLON) {
        if (this.isWsOrEol(q + 1)) return q
      } else if (ch === HASH) {
        if (t.charCodeAt(q - 1) === SPACE) return -1
      } else if (ch === LF || ch === CR || q >= t.length) return -1
    }
  }

  /** js-yaml canStartPlainScalar in block context, and no leading `:` (an explicit value). */
  private canStartPlain(p: number): boolean {
    const c = this.code(p)
    switch (c) {
      case HASH:
      case 38: // &
      case 42: // *
      case 33: // !
      case 124: // |
      case 62: // >
      case SQUOTE:
      case DQUOTE:
      case 37: // %
      case 64: // @
      case 96: // `
      case 44: // ,
      case 91: // [
      case 93: // ]
      case 123: // {
      case 125: // }
        return false
      case COLON:
      case 63: // ?
      case DASH:
        return !this.isWsOrEol(p + 1)
      default:
        return !this.isWsOrEol(p)
    }
  }

  /**
   * Offset of the closing quote of the quoted scalar opening at `p`, or -1 when it is not one this
   * reader accepts. With `parent` undefined the scalar must close on its line (keys, flow
   * entries); otherwise it may go on over lines indented more than `parent`, as js-yaml requires
   * ("deficient indentation"), with escaped line breaks in double quotes.
   */
  private quoteEnd(p: number, parent?: number): number {
    const t = this.text
    const quote = t.charCodeAt(p)
    this.quoteLines = false
    for (let q = p + 1; ; q++) {
      const ch = t.charCodeAt(q)
      if (ch === quote) {
        if (quote === SQUOTE && t.charCodeAt(q + 1) === SQUOTE) {
          q++
          continue
        }
        return q
      }
      if (ch === LF || ch === CR || q >= t.length) {
        if (parent === undefined || q >= t.length) return -1
        const next = this.continuation(q, parent)
        if (next < 0) return -1
        this.quoteLines = true
        q = next - 1
        continue
      }
      if (ch === BACKSLASH && quote === DQUOTE) {
        const e = t.charCodeAt(q + 1)
        const hex = e === 120 ? 2 : e === 117 ? 4 : e === 85 ? 8 : 0
        if (hex > 0) {
          let cp = 0
          for (let k = 0; k < hex; k++) {
            const d = t.charCodeAt(q + 2 + k)
            const v = d >= 48 && d <= 57 ? d - 48 : (d | 32) >= 97 && (d | 32) <= 102 ? (d | 32) - 87 : -1
            if (v < 0) return -1
            cp = cp * 16 + v
          }
          if (cp > 0x10ffff) return -1
          q += 1 + hex
        } else if (SIMPLE_ESCAPES.has(e)) q++
        else if (e === LF || e === CR) {
          if (parent === undefined) return -1
          const next = this.continuation(q + 1, parent)
          if (next < 0) return -1
          this.quoteLines = true
          q = next - 1
        } else return -1 // an invalid escape
      }
    }
  }

  /** Set by {@link quoteEnd} when the scalar it scanned spans lines. */
  private quoteLines = false

  /**
   * At the line break `q` inside a multi-line quoted scalar: skips blank lines and the next line's
   * indentation; -1 when that line is indented `parent` or less, or is a document marker.
   */
  private continuation(q: number, parent: number): number {
    const t = this.text
    let line = this.nextLine(q)
    for (;;) {
      if (line >= t.length) return -1
      let c = line
      while (t.charCodeAt(c) === SPACE) c++
      if (this.isEol(c) && c < t.length) {
        line = this.nextLine(c)
        continue
      }
      if (c - line <= parent || (c === line && this.markerAt(line))) return -1
      return c
    }
  }

  /** The mapping key at `p` whose `:` is at `colon`, as js-yaml's map tag normalises it (`String(key)`). */
  private key(p: number, colon: number): string {
    const t = this.text
    const c = t.charCodeAt(p)
    let name: string
    if (c === SQUOTE || c === DQUOTE) {
      name = this.quoted(p, this.quoteEnd(p))
    } else {
      let end = colon
      while (t.charCodeAt(end - 1) === SPACE) end--
      const len = end - p
      // A plain key seen before (manifests repeat `name`, `namespace`, `port`, ...) is compared in
      // place and its earlier string reused: no slice, and a key V8 has interned already.
      const slot = (len * 961 + c * 31 + t.charCodeAt(end - 1)) & (KEY_SLOTS - 1)
      const cached = this.keys[slot]
      if (cached !== undefined && cached.length === len && t.startsWith(cached, p)) return cached
      const source = t.slice(p, end)
      if (source.length > 1024 || source === '<<') throw GIVE_UP
      const value = plainValue(source)
      if (value === MERGE) throw GIVE_UP
      // js-yaml's map tag addPair: String(key).
      name = typeof value === 'string' ? value : String(value)
      // Only keys that are their own text (not `1`, `true`, `~`) are reused as written.
      if (name === source && name !== '__proto__') this.keys[slot] = name
    }
    if (name === '__proto__') throw GIVE_UP
    return name
  }

  /** The value of the quoted scalar spanning `[p, close]` (quotes included), just scanned by {@link quoteEnd}. */
  private quoted(p: number, close: number): string {
    const t = this.text
    if (this.quoteLines) {
      const style = t.charCodeAt(p) === SQUOTE ? SCALAR_STYLE.SINGLE_QUOTED : SCALAR_STYLE.DOUBLE_QUOTED
      return getScalarValue(t, scalarEvent(style, p + 1, close, CHOMPING_MODE.CLIP, -1))
    }
    if (t.charCodeAt(p) === SQUOTE) {
      const raw = t.slice(p + 1, close)
      return raw.includes("'") ? raw.replace(/''/g, "'") : raw
    }
    const raw = t.slice(p + 1, close)
    if (!raw.includes('\\')) return raw
    return getScalarValue(t, scalarEvent(SCALAR_STYLE.DOUBLE_QUOTED, p + 1, close, CHOMPING_MODE.CLIP, -1))
  }

  /**
   * Reads a scalar (or `{}` / `[]`) that must end on its own line, starting at `p`; `parent` is
   * the indentation of the collection holding it (block scalars are measured from it). Leaves the
   * reader at the next content line.
   */
  private lineScalar(p: number, parent: number, items?: number[]): unknown {
    const t = this.text
    const c = t.charCodeAt(p)
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.quoteEnd(p, parent)
      if (close < 0) throw GIVE_UP
      const value = this.quoted(p, close)
      this.offset = p + 1
      this.endLine(close + 1)
      return value
    }
    if (c === 123 || c === 91) {
      const value = this.flow(p, items)
      this.offset = p
      this.endLine(this.flowEnd)
      return value
    }
    if (c === 124 || c === 62) return this.blockScalar(p, parent)
    if (!this.canStartPlain(p)) throw GIVE_UP
    let stop = this.plainLine(p)
    let end = this.lineEnd
    // js-yaml readPlainScalar: the scalar goes on over lines indented more than its parent
    // collection (blank lines fold to line breaks) until a comment, a marker or less indentation.
    let next = this.nextLine(end)
    let multi = false
    while (!this.plainComment && next < t.length) {
      let c2 = next
      while (t.charCodeAt(c2) === SPACE) c2++
      if (this.isEol(c2)) {
        if (c2 >= t.length) break
        next = this.nextLine(c2)
        continue
      }
      if (c2 - next <= parent || (c2 === next && this.markerAt(next))) break
      const first = t.charCodeAt(c2)
      if (first === HASH) break
      if (!this.canStartPlain(c2) || first === DASH || first === 63 || first === COLON) throw GIVE_UP // an indicator: left to js-yaml
      stop = this.plainLine(c2)
      end = this.lineEnd
      multi = true
      next = this.nextLine(end)
    }
    let resolved: unknown
    if (multi) resolved = plainValue(getScalarValue(t, scalarEvent(SCALAR_STYLE.PLAIN, p, stop, CHOMPING_MODE.CLIP, -1)))
    else {
      // Values repeat too (`TCP`, `true`, `ClusterIP`, a node name): one read before is compared
      // in place and its resolved value reused, with no slice and no second resolution.
      const len = stop - p
      const slot = (len * 961 + c * 31 + t.charCodeAt(stop - 1)) & (KEY_SLOTS - 1)
      const cached = this.valueTexts[slot]
      if (cached !== undefined && cached.length === len && t.startsWith(cached, p)) resolved = this.values[slot]
      else {
        const text = t.slice(p, stop)
        resolved = plainValue(text)
        if (len <= 64 && resolved !== MERGE) {
          this.valueTexts[slot] = text
          this.values[slot] = resolved
        }
      }
    }
    if (resolved === MERGE) throw GIVE_UP
    this.offset = p
    this.pos = next
    this.seekContent()
    return resolved
  }

  /** Where the plain scalar line at `p` ends (`lineEnd`: the line break or comment; `plainComment` if a comment). */
  private lineEnd = 0
  private plainComment = false

  /**
   * Scans one line of a plain scalar in block context from `p`: returns the end of its text
   * (trailing spaces dropped), sets `lineEnd` and `plainComment`. Gives up on `: ` (a mapping
   * where js-yaml would report an error).
   */
  private plainLine(p: number): number {
    const t = this.text
    let end = p + 1
    this.plainComment = false
    for (;;) {
      const ch = t.charCodeAt(end)
      if (ch === LF || ch === CR || end >= t.length) break
      if (ch === COLON && this.isWsOrEol(end + 1)) throw GIVE_UP // `a: b: c` and friends
      if (ch === HASH && t.charCodeAt(end - 1) === SPACE) {
        this.plainComment = true
        break
      }
      end++
    }
    this.lineEnd = end
    let stop = end
    while (t.charCodeAt(stop - 1) === SPACE) stop--
    return stop
  }


  private isFlowIndicator(i: number): boolean {
    const c = this.text.charCodeAt(i)
    return c === 44 || c === 91 || c === 93 || c === 123 || c === 125
  }

  /** Offset just past the flow collection {@link flow} read last. */
  private flowEnd = 0

  /**
   * A flow collection that opens at `p` and closes on the same line (js-yaml readFlowCollection,
   * restricted): `[a, "b", {c: d}]`, `{a: 1, b: [x]}`. Single-pair mappings inside sequences,
   * explicit keys, empty entries, trailing commas and comments give up. Records the offsets of a
   * sequence's entries in `items` when given (List items written in flow style).
   */
  private flow(p: number, items: number[] | undefined): unknown {
    const t = this.text
    this.enter()
    const isSeq = t.charCodeAt(p) === 91
    const close = isSeq ? 93 : 125
    let q = p + 1
    while (t.charCodeAt(q) === SPACE) q++
    const out: unknown[] | Record<string, unknown> = isSeq ? [] : {}
    if (t.charCodeAt(q) === close) {
      this.depth--
      this.flowEnd = q + 1
      return out
    }
    for (;;) {
      if (isSeq) {
        const value = this.flowNode(q)
        q = this.flowEnd
        while (t.charCodeAt(q) === SPACE) q++
        if (t.charCodeAt(q) === COLON) throw GIVE_UP // a single-pair mapping
        if (items) items.push(this.offset)
        ;(out as unknown[]).push(value)
      } else {
        const c = t.charCodeAt(q)
        if (c === 123 || c === 91) throw GIVE_UP // a complex key
        const keyValue = this.flowNode(q)
        if (keyValue === MERGE || typeof keyValue === 'object') throw GIVE_UP
        const name = typeof keyValue === 'string' ? keyValue : String(keyValue)
        if (name === '__proto__' || Object.prototype.hasOwnProperty.call(out, name)) throw GIVE_UP
        q = this.flowEnd
        while (t.charCodeAt(q) === SPACE) q++
        if (t.charCodeAt(q) !== COLON || t.charCodeAt(q + 1) !== SPACE) throw GIVE_UP
        q += 2
        while (t.charCodeAt(q) === SPACE) q++
        const v = t.charCodeAt(q)
        if (v === 44 || v === close) throw GIVE_UP // an empty value
        ;(out as Record<string, unknown>)[name] = this.flowNode(q)
        q = this.flowEnd
        while (t.charCodeAt(q) === SPACE) q++
      }
      const c = t.charCodeAt(q)
      if (c === close) break
      if (c !== 44) throw GIVE_UP
      q++
      while (t.charCodeAt(q) === SPACE) q++
      const n = t.charCodeAt(q)
      if (n === close || n === 44) throw GIVE_UP // a trailing comma or an empty entry
    }
    this.depth--
    this.flowEnd = q + 1
    return out
  }

  /** One node inside a flow collection at `p`; sets `flowEnd` past it and `offset` to its position. */
  private flowNode(p: number): unknown {
    const t = this.text
    const c = t.charCodeAt(p)
    if (c === 123 || c === 91) {
      const value = this.flow(p, undefined)
      this.offset = p
      return value
    }
    if (c === SQUOTE || c === DQUOTE) {
      const close = this.quoteEnd(p)
      if (close < 0) throw GIVE_UP
      this.offset = p + 1
      this.flowEnd = close + 1
      return this.quoted(p, close)
    }
    if (!this.canStartPlain(p)) throw GIVE_UP
    if ((c === DASH || c === 63 || c === COLON) && this.isFlowIndicator(p + 1)) throw GIVE_UP // js-yaml canStartPlainScalar in flow
    // A plain scalar in flow context ends at a flow indicator or at `:` before a space or one.
    let end = p + 1
    for (;;) {
      const ch = t.charCodeAt(end)
      if (ch === LF || ch === CR || end >= t.length) throw GIVE_UP // a multi-line flow collection
      if (ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125) break
      if (ch === COLON) {
        const n = t.charCodeAt(end + 1)
        if (n === SPACE || n === 44 || n === 91 || n === 93 || n === 123 || n === 125 || this.isEol(end + 1)) break
      }
      if (ch === HASH && t.charCodeAt(end - 1) === SPACE) throw GIVE_UP
      end++
    }
    let stop = end
    while (t.charCodeAt(stop - 1) === SPACE) stop--
    this.offset = p
    this.flowEnd = end
    return plainValue(t.slice(p, stop))
  }

  /**
   * A literal or folded block scalar whose header is at `p`, inside a collection indented
   * `parent` (js-yaml readBlockScalar: the content ends at the first non-blank line indented less
   * than the content indentation, at a document marker or at the end of the text).
   */
  private blockScalar(p: number, parent: number): string {
    const t = this.text
    if (parent < 0) throw GIVE_UP
    const style = t.charCodeAt(p) === 124 ? SCALAR_STYLE.LITERAL_BLOCK : SCALAR_STYLE.FOLDED_BLOCK
    let q = p + 1
    let chomping: number = CHOMPING_MODE.CLIP
    let explicit = -1
    for (let k = 0; k < 2; k++) {
      const ch = t.charCodeAt(q)
      if ((ch === 43 || ch === DASH) && chomping === CHOMPING_MODE.CLIP) {
        chomping = ch === 43 ? CHOMPING_MODE.KEEP : CHOMPING_MODE.STRIP
        q++
      } else if (ch >= 49 && ch <= 57 && explicit < 0) {
        explicit = ch - 48
        q++
      }
    }
    // The header line: optional spaces and a comment.
    let h = q
    while (t.charCodeAt(h) === SPACE) h++
    if (t.charCodeAt(h) === HASH) {
      if (h === q) throw GIVE_UP
    } else if (!this.isEol(h)) throw GIVE_UP
    const valueStart = this.nextLine(h)
    let content = explicit > 0 ? parent + explicit : -1
    let maxLeading = 0
    let line = valueStart
    let valueEnd = valueStart
    while (line < t.length) {
      let col = 0
      while (t.charCodeAt(line + col) === SPACE) col++
      const blank = this.isEol(line + col)
      if (line + col >= t.length) {
        // A last line of spaces without a line break (js-yaml's end-of-input case).
        if (content >= 0 ? col > content : col > 0) valueEnd = line + col
        break
      }
      if (col === 0 && this.markerAt(line)) break
      if (blank) {
        if (content < 0) maxLeading = Math.max(maxLeading, col)
      } else {
        if (content < 0) {
          if (col <= parent) break // the scalar is empty: this line belongs to the parent
          if (col < maxLeading) throw GIVE_UP // js-yaml: "bad indentation of a mapping entry"
          content = col
        }
        if (col < content) break
      }
      line = this.nextLine(line + col)
      valueEnd = line
    }
    this.offset = valueStart
    this.pos = line
    this.seekContent()
    return getScalarValue(t, scalarEvent(style, valueStart, valueEnd, chomping, content))
  }

  /**
   * The node whose first line is the current line, indented `col` (more than `parent`): a
   * sequence, a mapping, or a scalar alone on its line.
   */
  private blockNode(parent: number): unknown {
    const col = this.indent
    const p = this.pos + col
    if (this.isSeqEntry(p)) return this.sequence(col, p, undefined)
    const colon = this.keyEnd(p)
    if (colon >= 0) return this.mapping(col, p, undefined, colon)
    const c = this.code(p)
    if (c === 124 || c === 62) throw GIVE_UP
    const value = this.lineScalar(p, parent)
    if (this.indent > parent) throw GIVE_UP // a multi-line scalar (or an error)
    return value
  }

  /**
   * The value after `key:` or `- ` at `p` (after the indicator's spaces), in a collection
   * indented `col`.
   */
  private inlineValue(p: number, col: number, zeroIndentSeq: boolean): unknown {
    const t = this.text
    const c = t.charCodeAt(p)
    if (c === HASH || this.isEol(p)) {
      // Nothing on this line: the value is on the next lines, or empty.
      this.pos = this.nextLine(p)
      this.seekContent()
      if (this.indent > col) return this.blockNode(col)
      if (zeroIndentSeq && this.indent === col && this.isSeqEntry(this.pos + col)) return this.sequence(col, this.pos + col, undefined)
      this.offset = -1 // an empty plain scalar has no value position
      return plainValue('')
    }
    const value = this.lineScalar(p, col)
    if (this.indent > col) throw GIVE_UP // a continuation line: a multi-line scalar or an error
    return value
  }

  /** A block mapping whose entries are indented `col`, the first key at `first` (its `:` at `firstColon`). */
  private mapping(col: number, first: number, items: number[] | undefined, firstColon: number): Record<string, unknown> {
    const t = this.text
    this.enter()
    const out: Record<string, unknown> = {}
    let p = first
    for (;;) {
      const colon = p === first ? firstColon : this.keyEnd(p)
      if (colon < 0) throw GIVE_UP
      const key = this.key(p, colon)
      if (Object.prototype.hasOwnProperty.call(out, key)) throw GIVE_UP // duplicated mapping key
      let v = colon + 1
      while (t.charCodeAt(v) === SPACE) v++
      let value: unknown
      if (items && key === 'items' && !this.rootItems) {
        // list-items.ts: the first `items` of a root mapping, when it is a sequence.
        value = this.itemsValue(v, col, items)
      } else {
        if (this.isSeqEntry(v)) throw GIVE_UP // `key: - x` is a js-yaml error
        value = this.inlineValue(v, col, true)
      }
      out[key] = value
      if (this.indent < col) break
      if (this.indent > col) throw GIVE_UP
      p = this.pos + col
      if (this.isSeqEntry(p)) throw GIVE_UP
    }
    this.depth--
    this.offset = first
    return out
  }

  /** The value of a root mapping's `items` key, recording its entries' offsets when it is a sequence. */
  private itemsValue(v: number, col: number, items: number[]): unknown {
    const t = this.text
    if (this.isSeqEntry(v)) throw GIVE_UP
    const c = t.charCodeAt(v)
    if (c === HASH || this.isEol(v)) {
      this.pos = this.nextLine(v)
      this.seekContent()
      const p = this.pos + this.indent
      if ((this.indent > col || this.indent === col) && this.indent >= 0 && this.isSeqEntry(p)) {
        this.rootItems = true
        return this.sequence(this.indent, p, items)
      }
      if (this.indent > col) {
        if (this.code(p) !== 91) return this.blockNode(col)
        // `items:` with a flow sequence on the next line.
        this.rootItems = true
        const value = this.lineScalar(p, col, items)
        if (this.indent > col) throw GIVE_UP
        return value
      }
      this.offset = -1
      return plainValue('')
    }
    if (c === 91) {
      // `items: [...]`: a flow sequence on one line.
      this.rootItems = true
      const value = this.lineScalar(v, col, items)
      if (this.indent > col) throw GIVE_UP
      return value
    }
    return this.inlineValue(v, col, true)
  }

  /** A block sequence whose `-` are at column `col`, the first at `first`; records entry offsets in `items`. */
  private sequence(col: number, first: number, items: number[] | undefined): unknown[] {
    const t = this.text
    this.enter()
    const out: unknown[] = []
    let p = first
    for (;;) {
      let v = p + 1
      while (t.charCodeAt(v) === SPACE) v++
      let value: unknown
      // Compact forms: `- - x` and `- key: v` open a collection at the column after `- `.
      if (this.isSeqEntry(v)) value = this.sequence(col + (v - p), v, undefined)
      else {
        const colon = this.keyEnd(v)
        value = colon >= 0 ? this.mapping(col + (v - p), v, undefined, colon) : this.inlineValue(v, col, false)
      }
      if (items) items.push(this.offset)
      out.push(value)
      if (this.indent !== col) {
        if (this.indent > col) throw GIVE_UP
        break
      }
      p = this.pos + col
      if (!this.isSeqEntry(p)) break // the mapping holding a zero-indented sequence goes on
    }
    this.depth--
    this.offset = first
    return out
  }

}

/**
 * Reads every document of `text` when it stays inside the subset this reader knows; undefined
 * otherwise (the caller then runs the js-yaml path).
 */
export function readFastYaml(text: string, maxDepth: number): FastDocument[] | undefined {
  // Most manifests are printable ASCII with LF line ends: one cheap scan; the rest get the full check.
  if (NOT_PLAIN_ASCII.test(text) && UNSUPPORTED_CHARS.test(text)) return undefined
  try {
    return new Reader(text, maxDepth).documents()
  } catch (e) {
    if (e instanceof GiveUp) return undefined
    // A RangeError from very deep recursion, or a bug: js-yaml reads the file instead.
    return undefined
  }
}
