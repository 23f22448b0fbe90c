/**
 * @module diagram/types
 * Packet-path diagrams as plain data: who sends (client), where to (VIP, NodePort, external or
 * load-balancer address), the kube-proxy chains the packet walks, and where it ends (an endpoint
 * with its odds, or a DROP/REJECT/no-rule end). Built from traces of the rendered ruleset only
 * (diagram/build.ts), so a picture can never disagree with the rules; every renderer (Mermaid,
 * Graphviz DOT, SVG) draws this same value.
 */

/** What a box stands for. */
export type DiagramNodeKind = 'client' | 'entry' | 'chain' | 'endpoint' | 'verdict' | 'more'

/** One box. */
export interface DiagramNode {
  /** Stable id inside one diagram set, e.g. `d0n3`: same input, same ids. */
  readonly id: string
  /**
   * What the box is, independent of where it is drawn (`chain:nat/KUBE-SVC-…`, `ep:10.0.1.5:8080`,
   * `verdict:filter/KUBE-SERVICES/REJECT`): before/after diagrams are compared by keys.
   */
  readonly key: string
  readonly kind: DiagramNodeKind
  /** First line, e.g. the chain name or `10.244.1.20:8080`. */
  readonly label: string
  /** Further lines: node name and `local`, the Pod, the table, chains called on the way. */
  readonly detail: readonly string[]
  /** The rules the packet matched in this box (for hover in the SVG, comments in DOT). */
  readonly rules: readonly string[]
  /** Endpoint on the rendered node (only for `endpoint`). */
  readonly local?: boolean
  /** The end a `verdict` box stands for. */
  readonly verdict?: 'DROP' | 'REJECT' | 'ACCEPT' | 'none'
}

/** How an edge changed between the base and the head diagram of the same service port. */
export type EdgeChange = 'added' | 'removed'

/** One arrow. */
export interface DiagramEdge {
  readonly from: string
  readonly to: string
  /** `fromKey→toKey|label`: compared across before/after. */
  readonly key: string
  /** Share of the traffic that reaches `from` and takes this edge, masquerade, DNAT… (may be `''`). */
  readonly label: string
  /** Set on diagrams of a diff: the edge is new in head (`added`) or gone from base (`removed`). */
  readonly change?: EdgeChange
}

/** One picture: a service port (every way in) or one traced probe. */
export interface Diagram {
  /** Prefix of every node id of this diagram, e.g. `d0`. */
  readonly id: string
  /** Subgraph title, e.g. `shop/api:http 80/TCP` or `probe web`. */
  readonly title: string
  /** Facts drawn nowhere else: session affinity, caps that hid boxes, the traffic sources used. */
  readonly notes: readonly string[]
  readonly nodes: readonly DiagramNode[]
  readonly edges: readonly DiagramEdge[]
}

/** Diagrams of one service port before and after a change (a side is absent for create/delete). */
export interface DiagramChange {
  /** `ns/name:port/PROTOCOL`. */
  readonly servicePort: string
  /** How the packets were chosen (traffic sources), for a comment above the drawing. */
  readonly notes: readonly string[]
  readonly before?: Diagram
  readonly after?: Diagram
}

/**
 * Limits on what one input can make us draw (each box costs layout and comment bytes). Past a
 * limit the rest is folded into one `… more` box and a note says so.
 */
export interface DiagramLimits {
  /** Service ports drawn by `plan -o mermaid|dot|svg` and per diff. */
  readonly maxServicePorts: number
  /** Ways in per service port (cluster IP, NodePort, each external and LB address). */
  readonly maxEntries: number
  /** Endpoints drawn per diagram; the rest become one `… more` box with their total share. */
  readonly maxEndpoints: number
}

export const DEFAULT_DIAGRAM_LIMITS: DiagramLimits = { maxServicePorts: 100, maxEntries: 8, maxEndpoints: 16 }
