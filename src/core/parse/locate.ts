/**
 * @module parse/locate
 * Field path → source position, for issues. The position tree of a document is built lazily, on
 * the first `locate` call for that document, by re-parsing just that document's chunk with
 * js-yaml's event parser. Documents without issues (nearly all of them) never pay for it, and a
 * document that does costs one extra linear parse of its own text.
 */
import { EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE } from 'js-yaml'
import type { Event } from 'js-yaml'
import { deferredSpan } from '../deferred-span.ts'
import type { SourceSpan } from '../issues.ts'
import { eventOffset } from './guard.ts'
import { buildJsonTree } from './json-positions.ts'
import { nodeOffset } from './list-items.ts'
import type { LineIndex } from './lines.ts'
import type { PosNode } from './pos-node.ts'


interface BuildFrame {
  readonly node: PosNode
  readonly anchor: string | undefined
  /** For mappings: the key read and waiting for its value. */
  pendingKey?: { readonly name: string | undefined; readonly offset: number; readonly merge: boolean }
  /** Values of `<<` merge keys, applied when the mapping closes (own keys win, like go-yaml). */
  merges?: PosNode[]
}

/** One segment of a field path: a key (`.name`, `[key]`) or an index (`[0]`). */
interface Segment {
  readonly key: string
  readonly index?: number
  readonly dotted: boolean
}

/** Splits `spec.ports[1].nodePort` or `metadata.labels[app.kubernetes.io/name]` into segments. */
export function parsePath(path: string): Segment[] {
  const out: Segment[] = []
  const re = /\[([^\]]*)\]|([^.[\]]+)/g
  for (let m = re.exec(path); m; m = re.exec(path)) {
    if (m[2] !== undefined) out.push({ key: m[2], dotted: true })
    else {
      const inner = (m[1] ?? '').replace(/^"(.*)"$/, '$1')
      out.push(/^\d+$/.test(inner) ? { key: inner, index: Number(inner), dotted: false } : { key: inner, dotted: false })
    }
  }
  return out
}

/**
 * Builds the position tree of the document of `text`'s events whose root node starts at
 * `rootOffset` (offsets as the guard computes them).
 */
function buildTree(events: readonly Event[], text: string, rootOffset: number): PosNode | undefined {
  let doc = -1
  let docIndex = -1
  let root: PosNode | undefined
  const stack: BuildFrame[] = []
  const anchors = new Map<string, PosNode>()
  const attach = (node: PosNode, keyName?: string, merge = false): void => {
    const top = stack[stack.length - 1]
    if (!top) {
      root ??= node
      return
    }
    if (top.node.items) {
      top.node.items.push(node)
      return
    }
    if (!top.pendingKey) {
      top.pendingKey = { name: keyName, offset: node.offset, merge }
      return
    }
    const key = top.pendingKey
    top.pendingKey = undefined
    if (key.merge) (top.merges ??= []).push(node)
    else if (key.name !== undefined && !top.node.entries?.has(key.name))
      top.node.entries?.set(key.name, { keyOffset: key.offset, node })
  }
  let expectRoot = false
  for (const ev of events) {
    if (ev.type === EVENT_ID.DOCUMENT) {
      if (docIndex >= 0) break
      doc++
      expectRoot = true
      continue
    }
    if (expectRoot) {
      expectRoot = false
      if (eventOffset(ev) === rootOffset) docIndex = doc
    }
    if (doc !== docIndex) continue
    switch (ev.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const node: PosNode =
          ev.type === EVENT_ID.MAPPING ? { offset: nodeOffset(ev), entries: new Map() } : { offset: nodeOffset(ev), items: [] }
        const anchor = ev.anchorStart >= 0 ? text.slice(ev.anchorStart, ev.anchorEnd) : undefined
        stack.push({ node, anchor })
        break
      }
      case EVENT_ID.SCALAR: {
        const node: PosNode = { offset: nodeOffset(ev) }
        if (ev.anchorStart >= 0) anchors.set(text.slice(ev.anchorStart, ev.anchorEnd), node)
        const value = getScalarValue(text, ev)
        attach(node, value, value === '<<' && ev.style === SCALAR_STYLE.PLAIN)
        break
      }
      case EVENT_ID.ALIAS: {
        const target = anchors.get(text.slice(ev.anchorStart, ev.anchorEnd))
        attach(target ?? { offset: nodeOffset(ev) })
        break
      }
      case EVENT_ID.POP: {
        const frame = stack.pop()
        if (!frame) break
        for (const m of frame.merges ?? []) mergeInto(frame.node, m)
        if (frame.anchor !== undefined) anchors.set(frame.anchor, frame.node)
        attach(frame.node)
        break
      }
    }
  }
  return root
}

/** Applies a `<<` merge: keys of the merged mapping(s) the mapping does not define itself. */
function mergeInto(target: PosNode, merged: PosNode): void {
  const sources = merged.items ?? [merged]
  for (const src of sources)
    for (const [k, v] of src.entries ?? []) if (!target.entries?.has(k)) target.entries?.set(k, v)
}

/** Walks the tree along `segments`; returns the offset of the deepest node found. */
function resolve(root: PosNode, segments: readonly Segment[]): number {
  let node = root
  let best = root.offset
  for (let i = 0; i < segments.length; ) {
    const seg = segments[i] as Segment
    if (node.items && seg.index !== undefined) {
      const item = node.items[seg.index]
      if (!item) break
      node = item
      best = item.offset
      i++
      continue
    }
    if (!node.entries) break
    // Map keys may contain dots (`app.kubernetes.io/name`): try the longest dotted run that exists.
    let matched = 0
    let entry: { readonly keyOffset: number; readonly node: PosNode } | undefined
    let key = ''
    for (let j = i; j < segments.length; j++) {
      const s = segments[j] as Segment
      if (j > i && !s.dotted) break
      key = j === i ? s.key : `${key}.${s.key}`
      const e = node.entries.get(key)
      if (e) {
        entry = e
        matched = j - i + 1
      }
    }
    if (!entry) break
    node = entry.node
    best = entry.keyOffset
    i += matched
  }
  return best
}

/**
 * Locates field paths in one document. `text` is the chunk holding the document, `base` the
 * chunk's offset in the file and `rootOffset` where the document's root node starts in the chunk.
 * `json`: the chunk is JSON (already accepted by JSON.parse); its tree comes from a character
 * scan (json-positions.ts) instead of a YAML re-parse, with the same offsets.
 */
export class DocumentLocator {
  private tree: PosNode | null | undefined
  /** File offsets of a List's items, when the parse could give them (list-items.ts). */
  private listItems: readonly number[] | undefined
  /** The first and last line of the document's chunk: where any of its positions lies. */
  private lineBounds: readonly [number, number] | undefined
  /** The line of the chunk's first character, read by {@link root} before the root's own line. */
  private firstLine: number | undefined

  constructor(
    private readonly lines: LineIndex,
    private readonly text: string,
    private readonly base: number,
    private readonly rootOffset: number,
    private readonly maxDepth: number,
    private readonly json = false,
  ) {}

  /**
   * Where the document's root node starts. `rootOffset` is relative to `text`. The chunk's first
   * line is read here too, before the root's: the parse asks for every document's root in file
   * order, the order in which lines.ts `span` answers by counting forward (see {@link settle}).
   */
  root(): SourceSpan {
    this.firstLine ??= this.lines.span(this.base).line
    return this.lines.span(this.base + this.rootOffset)
  }

  /**
   * Fixes the chunk's line bounds ({@link locate}'s deferred spans) while the file's reading is at
   * this document's end (parse-sources.ts calls it after the document's objects). Computed later,
   * by a stage after the parse (the apiserver's info notes on every Service that requests a
   * ClusterIP in the dynamic band), the line of an offset the reading had passed made the file
   * build its whole line index (lines.ts `starts`): ≈ 2.5% of planning 1k such Services in one
   * file of a document each.
   */
  settle(): void {
    this.lineBounds ??= [this.firstLine ?? this.lines.span(this.base).line, this.lines.span(this.base + Math.max(0, this.text.length - 1)).line]
  }

  /** Records where the items of this List document start (file offsets). */
  setListItems(offsets: readonly number[]): void {
    this.listItems = offsets
  }

  /** Where item `i` of the document's `items` starts: `locate('items[i]')` without the tree. */
  listItem(i: number): SourceSpan {
    const offset = this.tree === undefined ? this.listItems?.[i] : undefined
    return offset !== undefined ? this.lines.span(offset) : this.locate(`items[${i}]`)
  }

  /**
   * Source span of `path`, or of its nearest existing ancestor, or of the document root. Until
   * the document's position tree is built (a re-parse of the document), the span is deferred
   * (deferred-span.ts): most located issues are never shown with their line.
   */
  locate(path: string): SourceSpan {
    if (this.tree !== undefined) return this.locateNow(path)
    this.settle()
    const [first, last] = this.lineBounds as readonly [number, number]
    return deferredSpan(this.lines.file, first, last, () => this.locateNow(path))
  }

  private locateNow(path: string): SourceSpan {
    if (this.tree === undefined) this.tree = this.build()
    if (this.tree === null) return this.root()
    return this.lines.span(this.base + resolve(this.tree, parsePath(path)))
  }

  private build(): PosNode | null {
    if (this.json) return buildJsonTree(this.text, this.rootOffset) ?? null
    try {
      return buildTree(parseEvents(this.text, { maxDepth: this.maxDepth }), this.text, this.rootOffset) ?? null
    } catch {
      // The document parsed once already; a failure here can only come from a JSON chunk that is
      // not YAML. Positions then fall back to the document start.
      return null
    }
  }
}
