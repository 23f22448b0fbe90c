/**
 * @module parse/list-items
 * Where each item of a `kind: List` document starts, read from the events the file was parsed
 * with. A List item's envelope carries its own source position (the line shown for every object
 * of a `kubectl get -o yaml` export); asking the document's locator for `items[i]` would build the
 * position tree of the whole List — re-parsing the entire export and keeping a node per scalar,
 * managedFields included. One walk over events already in memory gives the same offsets.
 */
import { EVENT_ID, getScalarValue } from 'js-yaml'
import type { Event } from 'js-yaml'

/** The offset locate.ts's tree gives a node (its value start; anchors and tags not included). */
export function nodeOffset(ev: Event): number {
  if (ev.type === EVENT_ID.SCALAR) return ev.valueStart
  if (ev.type === EVENT_ID.MAPPING || ev.type === EVENT_ID.SEQUENCE) return ev.start
  if (ev.type === EVENT_ID.ALIAS) return Math.max(0, ev.anchorStart - 1)
  return 0
}

/**
 * Offsets (into `text`, plus `base`) of the items of the root mapping's `items` sequence in the
 * document spanning `events[first..end)`; undefined when the walk cannot give what the position
 * tree would (no `items` sequence, a `<<` merge or a non-scalar key in the root mapping, an item
 * that is an alias) — the caller then asks the locator.
 */
export function listItemOffsets(events: readonly Event[], first: number, end: number, text: string, base: number): number[] | undefined {
  let depth = 0
  let isKey = true
  let key: string | undefined
  let inItems = false
  let seen = false
  const out: number[] = []
  for (let i = first; i < end; i++) {
    const ev = events[i] as Event
    switch (ev.type) {
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE:
        if (depth === 0) {
          if (ev.type !== EVENT_ID.MAPPING) return undefined
        } else if (depth === 1) {
          if (isKey) return undefined
          // The first `items` wins, as in the position tree (a duplicate key fails construction anyway).
          if (key === 'items' && !seen) {
            if (ev.type !== EVENT_ID.SEQUENCE) return undefined
            inItems = true
            seen = true
          }
          isKey = true
        } else if (inItems && depth === 2) out.push(base + nodeOffset(ev))
        depth++
        break
      case EVENT_ID.SCALAR:
      case EVENT_ID.ALIAS:
        if (depth === 1) {
          if (isKey) {
            if (ev.type !== EVENT_ID.SCALAR) return undefined
            key = getScalarValue(text, ev)
            if (key === '<<') return undefined
            isKey = false
          } else {
            if (key === 'items' && !seen) return undefined
            isKey = true
          }
        } else if (inItems && depth === 2) {
          if (ev.type === EVENT_ID.ALIAS) return undefined
          out.push(base + nodeOffset(ev))
        }
        break
      case EVENT_ID.POP:
        depth--
        if (inItems && depth === 1) inItems = false
        if (depth === 0) return seen ? out : undefined
        break
    }
  }
  return undefined
}
