/**
 * @module diagram/compare
 * Before/after diagrams of one service port: arrows only in the head diagram are `added`, arrows
 * only in the base diagram `removed` (compared by the keys of their ends and their label, so a
 * changed share such as 1/3 → 1/2 shows as one arrow gone and one new).
 */
import type { Diagram, DiagramChange, DiagramEdge } from './types.ts'

function mark(d: Diagram, other: Diagram | undefined, change: 'added' | 'removed'): Diagram {
  // A created or deleted port is new or gone as a whole: its title says so, no arrow is singled out.
  if (other === undefined) return d
  // Loops, not closures made per call: a diff compares once per report, and a closure's
  // optimized code dies with the last closure of its site (V8 holds it weakly).
  const keys = new Set<string>()
  for (const e of other.edges) keys.add(e.key)
  const edges: DiagramEdge[] = []
  for (const e of d.edges) edges.push(keys.has(e.key) ? e : { ...e, change })
  return { ...d, edges }
}

/** Pairs two diagrams of the same service port; `undefined` when they draw the same paths. */
export function compareDiagrams(
  servicePort: string,
  before: Diagram | undefined,
  after: Diagram | undefined,
  notes: readonly string[] = [],
): DiagramChange | undefined {
  if (before === undefined && after === undefined) return undefined
  const b = before === undefined ? undefined : mark({ ...before, title: `before: ${before.title}` }, after, 'removed')
  const a = after === undefined ? undefined : mark({ ...after, title: `after: ${after.title}` }, before, 'added')
  const changed = before === undefined || after === undefined || (b?.edges.some((e) => e.change !== undefined) ?? false) || (a?.edges.some((e) => e.change !== undefined) ?? false)
  // Read only when no arrow changed (the boxes' texts of two big diagrams are long to join).
  const sameNodes = (): boolean =>
    before !== undefined && after !== undefined && before.nodes.map((n) => `${n.key}|${n.detail.join('|')}`).join('\n') === after.nodes.map((n) => `${n.key}|${n.detail.join('|')}`).join('\n')
  if (before !== undefined && after !== undefined && !changed && sameNodes()) return undefined
  return { servicePort, notes, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}) }
}
