/**
 * @module diagram/build
 * Turns traces into one diagram. Backend-neutral: it reads only the trace outcome types
 * (trace/types.ts: hooks walked, rules matched, verdict, DNAT destination, masquerade), never a
 * ruleset, so the nftables backend's traces draw the same way.
 *
 * How a path becomes boxes, for each outcome of each traced packet:
 * - the rules matched in the first hook (nat PREROUTING, or nat OUTPUT for the node's own
 *   traffic) give the chain boxes, in the order the packet entered them; a chain the packet
 *   entered and came back from (kube-proxy's KUBE-MARK-MASQ subroutine, `-j MARK` then return) is
 *   folded into its caller as a `+ CHAIN` line, so marks stay visible without a box per call;
 * - rules of the later hooks (filter, nat POSTROUTING) get a box only when one of them decided a
 *   DROP, REJECT or ACCEPT: that is where `externalTrafficPolicy: Local` drops, the no-endpoints
 *   REJECTs and the load-balancer source-range drops are written;
 * - the end is the DNAT destination (an endpoint box), the verdict, or "no rule" when nothing
 *   decided anything (the packet is routed unchanged).
 * Arrows carry the share of the traffic reaching their start that takes them (exact fractions
 * summed over outcomes, e.g. `1/3`), and DNAT/SNAT on the way into an endpoint.
 */
import { add, rational, toFraction, type Rational } from '../trace/rational.ts'
import type { PathStep, TraceOutcome, TraceOutcomes } from '../trace/types.ts'
import type { Diagram, DiagramEdge, DiagramNode, DiagramNodeKind } from './types.ts'

/** A box before it has an id. */
export interface NodeSpec {
  readonly key: string
  readonly kind: DiagramNodeKind
  readonly label: string
  readonly detail?: readonly string[]
  readonly rules?: readonly string[]
  readonly local?: boolean
  readonly verdict?: DiagramNode['verdict']
}

/** One traced packet and where it came from and went to, as the diagram names them. */
export interface Route {
  readonly client: NodeSpec
  readonly entry: NodeSpec
  /** Short name of the way in (`ClusterIP`, `NodePort`, `LB`…) for arrows that differ per way. */
  readonly short: string
  /** What the diagram reads of the packet's trace (a full trace/types.ts `Trace` is one). */
  readonly trace: TraceOutcomes
}

/** What the diagram can say about a DNAT destination besides its address. */
export interface EndpointInfo {
  readonly detail: readonly string[]
  readonly local?: boolean
}

export interface BuildInput {
  /** Id prefix, e.g. `d0`. */
  readonly id: string
  readonly title: string
  readonly notes?: readonly string[]
  readonly routes: readonly Route[]
  readonly describeEndpoint?: (dnat: string) => EndpointInfo | undefined
  /** Endpoints drawn; later ones fold into one `… more` box. */
  readonly maxEndpoints: number
}

interface MutableNode {
  id: string
  key: string
  kind: DiagramNodeKind
  label: string
  detail: string[]
  rules: string[]
  local?: boolean
  verdict?: DiagramNode['verdict']
}

interface EdgeAcc {
  from: string
  to: string
  /** Probability mass per route index. */
  mass: Map<number, Rational>
  /** Routes on which the packet leaves masqueraded along this edge. */
  masq: Set<number>
  noMasq: Set<number>
  kind: 'plain' | 'dnat' | 'after-dnat'
  /** Endpoints folded into a `… more` box. */
}

const ZERO: Rational = rational(0n, 1n)

function fractionOf(o: TraceOutcome): Rational {
  const m = /^(\d+)(?:\/(\d+))?$/.exec(o.fraction)
  if (m === null) return rational(BigInt(Math.round(o.probability * 1e9)), 1_000_000_000n)
  return rational(BigInt(m[1] ?? '0'), BigInt(m[2] ?? '1'))
}

/** a / b as an exact fraction (0 when b is 0). */
function ratio(a: Rational, b: Rational): Rational {
  return b.num === 0n ? ZERO : rational(a.num * b.den, a.den * b.num)
}

function chainKey(s: { table: string; chain: string }): string {
  return `chain:${s.table}/${s.chain}`
}

/**
 * {@link chainKey}, one string per chain of a diagram: every step of every outcome asks for its
 * chain's key, and the boxes are looked up by it (a new string per step was hashed each time).
 * A class, not a closure, like {@link Drawing}: see there.
 */
class ChainKeys {
  private readonly byTable = new Map<string, Map<string, string>>()
  key(s: { table: string; chain: string }): string {
    let byChain = this.byTable.get(s.table)
    if (byChain === undefined) this.byTable.set(s.table, (byChain = new Map()))
    let key = byChain.get(s.chain)
    if (key === undefined) byChain.set(s.chain, (key = chainKey(s)))
    return key
  }
}

/** The position of the hop keyed `key` in `hops`, else -1 (a loop: no closure per step). */
function hopAt(hops: readonly Hop[], key: string): number {
  for (let i = 0; i < hops.length; i++) if ((hops[i] as Hop).key === key) return i
  return -1
}

interface Hop {
  readonly key: string
  readonly table: string
  readonly chain: string
  readonly rules: string[]
  readonly calls: string[]
}

/** The hook of `hooks` named `${s.table} ${s.chain}`, compared in place (no string per step). */
function hookOf(hooks: readonly string[], s: PathStep): string | undefined {
  const n = s.table.length
  for (const h of hooks) {
    if (h.length === n + 1 + s.chain.length && h.charCodeAt(n) === 0x20 && h.startsWith(s.table) && h.endsWith(s.chain)) return h
  }
  return undefined
}

/** The chain boxes of one outcome (see the module comment) and the box it ends in. */
function hopsOf(o: TraceOutcome, keys: ChainKeys): { hops: Hop[]; end: NodeSpec; endKind: EdgeAcc['kind'] } {
  const first = o.hooks[0]
  let current = first
  let pending: string[] = []
  const hops: Hop[] = []
  for (const s of o.path) {
    const hook = hookOf(o.hooks, s)
    if (hook !== undefined) {
      current = hook
      if (current === first) pending.push(s.text)
      continue
    }
    if (current !== first) continue
    const key = keys.key(s)
    const at = hopAt(hops, key)
    if (at >= 0 && at === hops.length - 1) {
      hops[at]?.rules.push(s.text)
    } else if (at >= 0) {
      // Came back from the chains after `at`: they were subroutine calls of it.
      const back = hops.splice(at + 1)
      const h = hops[at] as Hop
      for (const b of back) {
        if (!h.calls.includes(b.chain)) h.calls.push(b.chain, ...b.calls.filter((c) => !h.calls.includes(c)))
        h.rules.push(...b.rules)
      }
      h.rules.push(s.text)
    } else {
      hops.push({ key, table: s.table, chain: s.chain, rules: [...pending, s.text], calls: [] })
      pending = []
    }
  }
  const verdict = o.verdict
  if (verdict === 'DROP' || verdict === 'REJECT' || verdict === 'ACCEPT') {
    const d: PathStep | undefined = o.decidedBy
    if (d !== undefined) {
      const key = keys.key(d)
      const at = hopAt(hops, key)
      if (at < 0) hops.push({ key, table: d.table, chain: d.chain, rules: [d.text], calls: [] })
      else if (!hops[at]?.rules.includes(d.text)) hops[at]?.rules.push(d.text)
    }
    const where = d === undefined ? 'verdict' : `verdict:${d.table}/${d.chain}`
    return {
      hops,
      end: { key: `${where}/${verdict}`, kind: 'verdict', label: verdict, verdict, ...(d !== undefined ? { rules: [d.text] } : {}) },
      endKind: o.dnat !== undefined ? 'after-dnat' : 'plain',
    }
  }
  if (verdict === 'DNAT' && o.dnat !== undefined) {
    return { hops, end: { key: `ep:${o.dnat}`, kind: 'endpoint', label: o.dnat }, endKind: 'dnat' }
  }
  return {
    hops,
    end: { key: 'verdict:none', kind: 'verdict', label: 'no rule', detail: ['routed unchanged'], verdict: 'none' },
    endKind: 'plain',
  }
}

/** Builds the diagram of `routes`; node ids are `${id}n0`, `${id}n1`… in order of first appearance. */
export function buildDiagram(input: BuildInput): Diagram {
  const d = new Drawing(input)
  for (let r = 0; r < input.routes.length; r++) d.route(input.routes[r] as Route, r)
  return d.finish()
}

/**
 * One diagram being built. Its steps are methods, not closures made per diagram: a diff draws
 * once per report, and the optimized code of a closure lives only as long as some closure of
 * its site does (V8 holds it weakly from the shared feedback), so each drawing's closures died
 * with it and every later drawing ran them unoptimized again while they were recompiled.
 */
class Drawing {
  private readonly nodes = new Map<string, MutableNode>()
  // Arrows in the order first drawn, found by their ends (no `from\0to` string per arrow drawn);
  // ends holding a NUL, which could make two pairs one key, by that key as before.
  private readonly edges: EdgeAcc[] = []
  private readonly byEnds = new Map<string, Map<string, EdgeAcc>>()
  private readonly byKey = new Map<string, EdgeAcc>()
  private readonly keys = new ChainKeys()
  private readonly throughput = new Map<string, Map<number, Rational>>()
  private readonly notes: string[]
  private readonly endpoints: string[] = []
  private readonly folded = new Map<string, Set<string>>()

  constructor(private readonly input: BuildInput) {
    this.notes = [...(input.notes ?? [])]
  }

  private node(spec: NodeSpec): MutableNode {
    let n = this.nodes.get(spec.key)
    if (n === undefined) {
      // Optional fields set, not spread in (the boxes are written out field by field below).
      n = { id: `${this.input.id}n${this.nodes.size}`, key: spec.key, kind: spec.kind, label: spec.label, detail: [...(spec.detail ?? [])], rules: [...(spec.rules ?? [])] }
      if (spec.local !== undefined) n.local = spec.local
      if (spec.verdict !== undefined) n.verdict = spec.verdict
      this.nodes.set(spec.key, n)
    } else {
      for (const d of spec.detail ?? []) if (!n.detail.includes(d)) n.detail.push(d)
      for (const r of spec.rules ?? []) if (!n.rules.includes(r)) n.rules.push(r)
    }
    return n
  }

  private flow(key: string, route: number, p: Rational): void {
    const m = this.throughput.get(key) ?? new Map<number, Rational>()
    this.throughput.set(key, m)
    m.set(route, add(m.get(route) ?? ZERO, p))
  }

  private edge(from: string, to: string, route: number, p: Rational, kind: EdgeAcc['kind'], masq?: boolean): void {
    const plain = !from.includes('\u0000') && !to.includes('\u0000')
    let tos = plain ? this.byEnds.get(from) : undefined
    if (plain && tos === undefined) this.byEnds.set(from, (tos = new Map()))
    let e = plain ? tos?.get(to) : this.byKey.get(`${from}\u0000${to}`)
    if (e === undefined) {
      e = { from, to, mass: new Map(), masq: new Set(), noMasq: new Set(), kind }
      if (plain) tos?.set(to, e)
      else this.byKey.set(`${from}\u0000${to}`, e)
      this.edges.push(e)
    }
    e.mass.set(route, add(e.mass.get(route) ?? ZERO, p))
    if (masq === true) e.masq.add(route)
    if (masq === false) e.noMasq.add(route)
  }

  /** Draws route `r`: every outcome of its trace from the client through the entry to its end. */
  route(route: Route, r: number): void {
    const input = this.input
    const client = this.node(route.client)
    const entry = this.node(route.entry)
    for (const o of route.trace.outcomes) {
      const p = fractionOf(o)
      const { hops, end, endKind } = hopsOf(o, this.keys)
      let specs: NodeSpec[] = []
      for (const h of hops) specs.push({
        key: h.key,
        kind: 'chain' as const,
        label: h.chain,
        detail: [...(h.table === 'nat' ? [] : [`${h.table} table`]), ...h.calls.map(plusCall)],
        rules: h.rules,
      })
      let last: NodeSpec = end
      let lastKind = endKind
      if (end.kind === 'endpoint') {
        const endpoints = this.endpoints
        if (!endpoints.includes(end.key) && endpoints.length < input.maxEndpoints) endpoints.push(end.key)
        if (!endpoints.includes(end.key)) {
          // Past the cap: stop at the first box not drawn yet and fold the rest into `… more`.
          let cut = -1
          for (let i = 0; i < specs.length && cut < 0; i++) if (!this.nodes.has((specs[i] as NodeSpec).key)) cut = i
          if (cut >= 0) specs = specs.slice(0, cut)
          const before = specs.length > 0 ? (specs[specs.length - 1] as NodeSpec).key : entry.key
          const moreKey = `more:${before}`
          const set = this.folded.get(moreKey) ?? new Set<string>()
          set.add(end.label)
          this.folded.set(moreKey, set)
          last = { key: moreKey, kind: 'more', label: '… more endpoints' }
          lastKind = 'plain'
        } else {
          const info = input.describeEndpoint?.(end.label)
          // An endpoint end holds its key, kind and label only (hopsOf); written out, not spread.
          last = { key: end.key, kind: end.kind, label: end.label, detail: info?.detail ?? [], ...(info?.local !== undefined ? { local: info.local } : {}) }
        }
      }
      const chain = [client.key, entry.key]
      for (const s of specs) chain.push(this.node(s).key)
      chain.push(this.node(last).key)
      for (const k of chain) this.flow(k, r, p)
      for (let i = 0; i + 1 < chain.length; i++) {
        const terminal = i + 2 === chain.length
        this.edge(chain[i] as string, chain[i + 1] as string, r, p, terminal ? lastKind : 'plain', terminal && lastKind === 'dnat' ? o.masquerade : undefined)
      }
    }
    if (route.trace.affinity !== undefined) {
      const note = `ClientIP session affinity (${route.trace.affinity.timeoutSeconds}s): a client keeps the endpoint its first connection picked.`
      if (!this.notes.includes(note)) this.notes.push(note)
    }
  }

  /** The diagram of the routes drawn. */
  finish(): Diagram {
    const { nodes, notes, input } = this
    for (const [key, set] of this.folded) {
      const n = nodes.get(key)
      if (n !== undefined) n.detail = [`${set.size} endpoints not drawn`]
    }
    if (this.folded.size > 0) notes.push(`Only the first ${input.maxEndpoints} endpoints are drawn; the others are folded into "… more endpoints" with their total share.`)
    const outEdges: DiagramEdge[] = []
    for (const e of this.edges) {
      const label = edgeLabel(e, this.throughput.get(e.from) ?? new Map(), input.routes)
      outEdges.push({ from: (nodes.get(e.from) as MutableNode).id, to: (nodes.get(e.to) as MutableNode).id, key: `${e.from}→${e.to}|${label}`, label })
    }
    const outNodes: DiagramNode[] = []
    for (const n of nodes.values()) {
      outNodes.push({
        id: n.id,
        key: n.key,
        kind: n.kind,
        label: n.label,
        detail: n.detail,
        rules: n.rules,
        ...(n.local !== undefined ? { local: n.local } : {}),
        ...(n.verdict !== undefined ? { verdict: n.verdict } : {}),
      })
    }
    return { id: input.id, title: input.title, notes, nodes: outNodes, edges: outEdges }
  }
}

const plusCall = (c: string): string => `+ ${c}`

function edgeLabel(e: EdgeAcc, from: ReadonlyMap<number, Rational>, routes: readonly Route[]): string {
  const parts: string[] = []
  // Exact shares (`1/3`), as kube-proxy means them; `1` (everything takes this arrow) is not shown.
  const shares = [...e.mass].map(([r, m]) => ({ r, share: toFraction(ratio(m, from.get(r) ?? ZERO)) }))
  const distinct = [...new Set(shares.map((s) => s.share))]
  if (distinct.length === 1 && distinct[0] !== '1') parts.push(distinct[0] as string)
  else if (distinct.length > 1) parts.push(shares.map((s) => `${s.share} ${routes[s.r]?.short ?? ''}`.trim()).join(', '))
  if (e.kind === 'dnat') {
    parts.push('DNAT')
    if (e.masq.size > 0 && e.noMasq.size === 0) parts.push('SNAT')
    else if (e.masq.size > 0) parts.push(`SNAT from ${[...new Set([...e.masq].sort((a, b) => a - b).map((r) => routes[r]?.short ?? ''))].join(', ')}`)
  }
  if (e.kind === 'after-dnat') parts.push('after DNAT')
  return parts.join(' · ')
}
