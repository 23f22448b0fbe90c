/**
 * @module parse/pos-node
 * The position tree shared by the YAML locator (`locate.ts`) and the JSON one
 * (`json-positions.ts`): each builds it from its own events, and field paths resolve over it.
 */

/** A node of the position tree: its offset, and its children when it is a collection. */
export interface PosNode {
  readonly offset: number
  readonly entries?: Map<string, { readonly keyOffset: number; readonly node: PosNode }>
  readonly items?: PosNode[]
}
