/**
 * The item positions of a List read from the parse's events (list-items.ts) are exactly what the
 * position tree gives for `items[i]`, on the List shapes YAML allows; where the walk cannot tell
 * (anchors used as items, merge keys, a non-sequence `items`) it declines and the tree answers.
 */
import { EVENT_ID, parseEvents } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { LineIndex } from '../../../src/core/parse/lines.ts'
import { listItemOffsets } from '../../../src/core/parse/list-items.ts'
import { DocumentLocator } from '../../../src/core/parse/locate.ts'
import { kubectlExport } from '../../../bench/kubectl-export.ts'
import { parseText } from './helpers.ts'

/** Spans (line, column) instead of offsets, so the comparison needs no inverse of LineIndex. */
function spans(text: string): { walk: string[] | undefined; tree: string[] } {
  const events = parseEvents(text, { maxDepth: 100 })
  const lines = new LineIndex(text, 'l.yaml')
  const walk = listItemOffsets(events, 0, events.length, text, 0)?.map((o) => JSON.stringify(lines.span(o)))
  const rootEv = events.find((e) => e.type === EVENT_ID.MAPPING || e.type === EVENT_ID.SEQUENCE)
  const loc = new DocumentLocator(lines, text, 0, rootEv && 'start' in rootEv ? rootEv.start : 0, 100)
  const tree = (walk ?? [0, 1]).map((_, i) => JSON.stringify(loc.locate(`items[${i}]`)))
  return { walk, tree }
}

describe('List item positions from the parse events', () => {
  const shapes: Record<string, string> = {
    'kubectl block style': 'apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: b\nkind: List\n',
    'indented sequence, comments, items last': 'kind: List\n# c\napiVersion: v1\nmetadata: {resourceVersion: ""}\nitems:\n  # first\n  - {kind: Service, apiVersion: v1, metadata: {name: a}}\n\n  - kind: Service\n    apiVersion: v1\n    metadata: {name: b}\n',
    'flow sequence': 'kind: List\napiVersion: v1\nitems: [{kind: Service, apiVersion: v1, metadata: {name: a}}, {kind: Service, apiVersion: v1, metadata: {name: b}}]\n',
    'tagged and anchored items': 'kind: List\napiVersion: v1\nitems:\n- &x !!map\n  kind: Service\n  apiVersion: v1\n  metadata: {name: a}\n- !!map {kind: Service, apiVersion: v1, metadata: {name: b}}\n',
    'nested structures before items': 'metadata:\n  labels:\n    items: [1, 2]\n  annotations: {a: "b"}\nkind: List\napiVersion: v1\nitems:\n- kind: Service\n  apiVersion: v1\n  metadata: {name: a, items: [x]}\n- kind: Service\n  apiVersion: v1\n  metadata: {name: b}\n',
  }
  for (const [name, text] of Object.entries(shapes)) {
    it(`same positions as the tree: ${name}`, () => {
      const { walk, tree } = spans(text)
      expect(walk).toBeDefined()
      expect(walk).toEqual(tree)
    })
  }

  it('declines when it cannot give what the tree gives', () => {
    const declines = [
      'base: &b\n  items: [{kind: A}]\n<<: *b\nkind: List\n', // items through a merge key
      'kind: List\nitems: {a: 1}\n', // not a sequence
      'kind: List\ndefs: &a {kind: Service}\nitems:\n- *a\n', // an alias as an item
      '- kind: List\n', // root is not a mapping
      'kind: List\nmetadata: {}\n', // no items
    ]
    for (const text of declines) {
      const events = parseEvents(text, { maxDepth: 100 })
      expect(listItemOffsets(events, 0, events.length, text, 0), text).toBeUndefined()
    }
  })

  it('a kubectl export: every Service is placed at the line of its List item', () => {
    const file = kubectlExport(3, 2, true)
    const parsed = parseText(file.text, 'export.yaml', { origin: 'existing' })
    const services = parsed.value.services
    expect(services.map((s) => s.source.line)).toEqual(
      file.text.split('\n').flatMap((l, i) => (l === '- apiVersion: v1' && file.text.split('\n')[i + 1] === '  kind: Service' ? [i + 1] : [])),
    )
  })
})
