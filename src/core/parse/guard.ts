/**
 * @module parse/guard
 * One linear pass over js-yaml's event stream, before anything is constructed, that finds each
 * document's root position and rejects documents whose aliases would blow up:
 * - the number of alias uses after expansion (billion laughs: 9 anchors × 10 aliases expand to
 *   10^9 nodes while the literal alias count stays under 100);
 * - the nesting depth reached through aliases (js-yaml's `maxDepth` does not follow aliases);
 * - an alias to an anchor that is still open, which js-yaml turns into a cyclic object
 *   (`a: &x {b: *x}`), something JSON.stringify and every later stage would choke on.
 * The cost is a few integer operations per event, so it stays well inside the 2× budget.
 */
import { EVENT_ID } from 'js-yaml'
import type { Event } from 'js-yaml'
import type { ParseLimits } from './limits.ts'

/** What the guard learned about one document of a chunk. */
export interface DocumentScan {
  /** Index of the document's DOCUMENT event in the chunk's event list. */
  readonly firstEvent: number
  /** Index one past the document's closing POP event. */
  readonly endEvent: number
  /** Chunk offset of the root node, or -1 for an empty document. */
  readonly rootOffset: number
  /** Set when the document must not be constructed. */
  readonly problem?: GuardProblem
}

/** A limit the document broke, with the chunk offset of the alias that broke it. */
export interface GuardProblem {
  readonly code: 'limit/aliases' | 'limit/depth' | 'yaml/recursive-alias'
  readonly message: string
  readonly offset: number
}

interface Frame {
  anchor: string | undefined
  aliases: number
  height: number
}

interface AnchorInfo {
  readonly aliases: number
  readonly height: number
}

/** Start offset of a node event: its anchor, tag or value, whichever comes first; -1 for other events. */
export function eventOffset(ev: Event): number {
  switch (ev.type) {
    case EVENT_ID.MAPPING:
    case EVENT_ID.SEQUENCE:
      return firstNonNegative(ev.anchorStart - 1, ev.tagStart, ev.start)
    case EVENT_ID.SCALAR:
      return firstNonNegative(ev.anchorStart - 1, ev.tagStart, ev.valueStart)
    case EVENT_ID.ALIAS:
      return Math.max(0, ev.anchorStart - 1)
    default:
      return -1
  }
}

function firstNonNegative(...xs: number[]): number {
  let best = -1
  for (const x of xs) if (x >= 0 && (best < 0 || x < best)) best = x
  return best
}

/** Anchor name of a node event (`&name` → `name`), or undefined. */
function anchorOf(text: string, ev: { anchorStart: number; anchorEnd: number }): string | undefined {
  return ev.anchorStart >= 0 ? text.slice(ev.anchorStart, ev.anchorEnd) : undefined
}

/**
 * Scans a chunk's events document by document.
 * @param events output of js-yaml `parseEvents` for `text`
 * @param text the chunk text the event offsets refer to
 */
export function scanDocuments(events: readonly Event[], text: string, limits: ParseLimits): DocumentScan[] {
  const out: DocumentScan[] = []
  const cap = limits.maxAliases + 1
  let stack: Frame[] = []
  let anchors = new Map<string, AnchorInfo>()
  let first = -1
  let root = -1
  let total = 0
  let problem: GuardProblem | undefined
  const finishChild = (height: number, aliases: number): void => {
    const parent = stack[stack.length - 1]
    if (!parent) return
    parent.aliases = Math.min(cap, parent.aliases + aliases)
    if (height > parent.height) parent.height = height
  }
  for (let i = 0; i < events.length; i++) {
    const ev = events[i] as Event
    switch (ev.type) {
      case EVENT_ID.DOCUMENT:
        first = i
        root = -1
        total = 0
        problem = undefined
        stack = [{ anchor: undefined, aliases: 0, height: 0 }]
        anchors = new Map()
        break
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (root < 0) root = eventOffset(ev)
        stack.push({ anchor: anchorOf(text, ev), aliases: 0, height: 0 })
        break
      case EVENT_ID.SCALAR: {
        if (root < 0) root = eventOffset(ev)
        const name = anchorOf(text, ev)
        if (name !== undefined) anchors.set(name, { aliases: 0, height: 0 })
        break
      }
      case EVENT_ID.ALIAS: {
        if (root < 0) root = eventOffset(ev)
        if (problem) break
        const name = text.slice(ev.anchorStart, ev.anchorEnd)
        const info = anchors.get(name)
        if (!info) {
          if (stack.some((f) => f.anchor === name))
            problem = { code: 'yaml/recursive-alias', message: `alias *${name} refers to a node that contains it`, offset: eventOffset(ev) }
          break // an unknown alias is reported by js-yaml's constructor
        }
        const add = Math.min(cap, 1 + info.aliases)
        total = Math.min(cap, total + add)
        // stack[0] is the document frame, so open collections = stack.length - 1
        const depth = stack.length - 1 + info.height
        if (total > limits.maxAliases)
          problem = { code: 'limit/aliases', message: `more than ${limits.maxAliases} aliases after expansion`, offset: eventOffset(ev) }
        else if (depth > limits.maxDepth)
          problem = { code: 'limit/depth', message: `nesting through aliases exceeds depth ${limits.maxDepth}`, offset: eventOffset(ev) }
        finishChild(info.height, add)
        break
      }
      case EVENT_ID.POP: {
        const frame = stack.pop()
        if (stack.length === 0) {
          out.push({ firstEvent: first, endEvent: i + 1, rootOffset: root, ...(problem ? { problem } : {}) })
          break
        }
        if (!frame) break
        const height = frame.height + 1
        if (frame.anchor !== undefined) anchors.set(frame.anchor, { aliases: frame.aliases, height })
        finishChild(height, frame.aliases)
        break
      }
    }
  }
  return out
}
