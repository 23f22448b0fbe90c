/**
 * @module trace/slice
 * The part of a ruleset a packet to one service port can meet, so tracing N service ports costs
 * N small walks instead of N walks over the whole ruleset (a diff drawing its changed ports
 * stayed linear in the cluster only this way). Built once per ruleset (an index), then sliced
 * per service port in time proportional to that port's own rules.
 *
 * A slice keeps, in their original order: every rule not tagged with a service port (the static
 * chains, the built-in hooks and their jumps), every rule of this service port, every rule of
 * another service port that has no destination key (it can only be reached through a jump, so
 * it stays with its chain), and every rule of another service port whose destination (`-d IP`,
 * `--dport N`) equals one of the traced destinations (shared external IPs, duplicate NodePorts in
 * existing objects: kube-proxy's rule order still decides, as in the full ruleset); plus, closed
 * under jumps, the chains those rules jump to. Only rules that provably cannot match the traced
 * packets are left out, so a trace of the slice takes the same path as a trace of the whole.
 * Rule references are mapped back to the full ruleset, so lines and indices stay those of
 * `-o iptables-restore`.
 */
import type { Chain, Rule, Table, TableName } from '../proxy/iptables/ir.ts'
import type { PathStep, RuleRef } from './types.ts'
import { chainNames, chainNamesOf, type ChainNames } from './chain-names.ts'
import { FILTER_CHAINS } from './kube-tracer.ts'
import type { TraceTarget } from './target.ts'
import { HOOK_CHAINS } from './trace.ts'

/**
 * The chains the tracers enter by name rather than by a jump: trace.ts `tracePacket`'s hooks and
 * the filter chains kube-tracer.ts walks directly. A trace visits only these and the chains their
 * kept rules jump to, so a slice reached from them traces as the slice of every seed does.
 */
const ENTRY_CHAINS: readonly (readonly [TableName, string])[] = [...HOOK_CHAINS, ...FILTER_CHAINS.map((c) => ['filter', c] as const)]

/** A destination of a traced packet. */
export interface SliceDestination {
  readonly ip: string
  readonly port: number
}

interface ChainIndex {
  readonly table: TableName
  readonly chain: Chain
  readonly order: number
  /** Empty, or holding a rule of no service port: kept in every slice (see {@link targetSlicer}). */
  readonly untagged: boolean
  /** Untagged or keyless rules: always kept with the chain. */
  readonly always: readonly number[]
  readonly bySpn: ReadonlyMap<string, readonly number[]>
  readonly byKey: ReadonlyMap<string, readonly number[]>
  /** The chain as sliced when only `always` is kept, made by the first slice that keeps only those. */
  alwaysSliced?: SlicedChain
}

/** A chain of a slice: the full chain's index of each rule kept, those rules, and their located steps. */
interface SlicedChain {
  readonly idx: readonly number[]
  readonly chain: Chain
  /** Handed to the locator (absent in a table holding two chains of one name). */
  readonly rules: readonly Rule[] | undefined
  readonly steps: PathStep[]
}

/**
 * The service ports (and their destinations) a slicer will be asked for. A slicer built for them
 * indexes only their rules and the chains a slice can reach; asked for anything else, it falls
 * back to an index of the whole ruleset, so its slices never differ from an unrestricted one's.
 */
export interface SliceWanted {
  readonly spns: ReadonlySet<string>
  readonly destinations: readonly SliceDestination[]
}

/** A rule's destination as {@link readDestination} leaves it (one reused record: no object per rule scanned). */
const dest: { ip: string | undefined; port: number | undefined } = { ip: undefined, port: undefined }

/**
 * Reads a rule's non-negated destination address and port into {@link dest}; false when it has
 * neither, or when a CIDR or negated match could cover any destination (no key: always kept).
 */
function readDestination(rule: Rule): boolean {
  dest.ip = undefined
  dest.port = undefined
  for (const m of rule.matches) {
    if (m.kind === 'address' && m.dir === 'dst') {
      if (m.negate || m.value.includes('/')) return false
      dest.ip = m.value
    }
    if (m.kind === 'dport') {
      if (m.negate) return false
      dest.port = m.port
    }
  }
  return dest.ip !== undefined || dest.port !== undefined
}

/** `ip|port`, `*|port` or `ip|*` of a rule's non-negated destination matches, or undefined. */
function keyOf(rule: Rule): string | undefined {
  return readDestination(rule) ? `${dest.ip ?? '*'}|${dest.port ?? '*'}` : undefined
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k)
  if (list === undefined) map.set(k, [v])
  else list.push(v)
}

/**
 * {@link keyOf} when it is one of `keys`, else undefined, building the key only for a rule whose
 * address and port are among the wanted ones (`ips`, `ports`: those of `keys`). The index of a
 * diff's few changed ports tests every tagged rule of the ruleset: a key string per rule was
 * most of that scan at 1k Services.
 */
function wantedKeyOf(rule: Rule, keys: ReadonlySet<string>, ips: ReadonlySet<string>, ports: ReadonlySet<number>): string | undefined {
  if (!readDestination(rule)) return undefined
  const { ip, port } = dest
  // Every wanted key names a wanted address or `*`, and a wanted port or `*`.
  if ((ip !== undefined && !ips.has(ip)) || (port !== undefined && !ports.has(port))) return undefined
  const key = `${ip ?? '*'}|${port ?? '*'}`
  return keys.has(key) ? key : undefined
}

/** The three keys a destination's rules can carry (see {@link keyOf}). */
function keysOf(destinations: readonly SliceDestination[]): Set<string> {
  const keys = new Set<string>()
  for (const d of destinations) for (const k of [`${d.ip}|${d.port}`, `*|${d.port}`, `${d.ip}|*`]) keys.add(k)
  return keys
}

/**
 * Indexes `target` once; the returned function slices it for one service port (`spn`, as the
 * rules are tagged) and the destinations its packets are sent to. With `wanted`, only those
 * service ports' rules and keys are indexed, and a chain's own index is built when a slice first
 * reaches it (a diff draws a few changed ports of a ruleset of ≈ 12k chains at 1k Services).
 */
export function targetSlicer(target: TraceTarget, wanted?: SliceWanted, reach = false): (spn: string, destinations: readonly SliceDestination[]) => TraceTarget {
  const slicer = new Slicer(target, wanted, reach)
  // Two chains of one name: kube-tracer.ts takes the first, the walk the last; only the scan keeps both.
  if (reach && slicer.twice.size > 0) return targetSlicer(target, wanted)
  return (spn, destinations) => slicer.slice(spn, destinations)
}

interface Entry {
  readonly table: TableName
  readonly chain: Chain
  readonly order: number
  index?: ChainIndex
}

// Per table name, its chains (of every table of that name, in order) with their orders, and
// their positions by name (chain-names.ts: no Map entry, nor an entry object, per chain of the
// ruleset; the entries are made for the chains a slice meets or seeds from).
interface Listed {
  readonly chains: readonly Chain[]
  readonly orders: readonly number[] | number
  readonly names: ChainNames
}

const NONE: readonly number[] = []

/**
 * {@link targetSlicer}'s index and slices. Its steps are methods, not closures made per slicer:
 * a diff draws once per report, and the optimized code of a closure lives only as long as some
 * closure of its site does (V8 holds it weakly from the shared feedback), so each drawing's
 * closures died with it and every later drawing ran them unoptimized while they were recompiled.
 */
class Slicer {
  private readonly wantedKeys: Set<string> | undefined
  // The wanted destinations' addresses and ports. A key is `address|port` with `*` for either,
  // and no address holds a `|` in a wanted key: a rule whose address (other than `*`) or port is
  // none of these has no wanted key, known without building it (KUBE-SERVICES holds a keyed rule
  // per port of the plan, each a new string to build and hash).
  private readonly wantedIps: Set<string> | undefined
  private readonly wantedPorts: Set<number> | undefined
  private readonly listed = new Map<TableName, Listed>()
  private readonly entries = new Map<number, Entry>()
  private readonly withAlways: Entry[] = []
  private readonly bySpn = new Map<string, Entry[]>()
  private readonly byKey = new Map<string, Entry[]>()
  /** Tables holding two chains of one name: the locator's chain of a name (the first) may not be the one sliced here (the last), so their rules are left for the locator to find. */
  readonly twice = new Set<TableName>()
  private whole: ((spn: string, destinations: readonly SliceDestination[]) => TraceTarget) | undefined
  private scan: ((spn: string, destinations: readonly SliceDestination[]) => TraceTarget) | undefined

  constructor(
    private readonly target: TraceTarget,
    private readonly wanted: SliceWanted | undefined,
    private readonly reach: boolean,
  ) {
    this.wantedKeys = wanted === undefined ? undefined : keysOf(wanted.destinations)
    this.wantedIps = wanted === undefined ? undefined : new Set(wanted.destinations.map((d) => d.ip))
    this.wantedPorts = wanted === undefined ? undefined : new Set(wanted.destinations.map((d) => d.port))
    const parts = new Map<TableName, { chains: (readonly Chain[])[]; offsets: number[] }>()
    let total = 0
    for (const t of target.tables) {
      const p = parts.get(t.name)
      if (p === undefined) parts.set(t.name, { chains: [t.chains], offsets: [total] })
      else {
        p.chains.push(t.chains)
        p.offsets.push(total)
      }
      total += t.chains.length
    }
    for (const [name, p] of parts) {
      // One table of the name (the usual case): its own chain list, consecutive orders.
      if (p.chains.length === 1) {
        const chains = p.chains[0] as readonly Chain[]
        this.listed.set(name, { chains, orders: p.offsets[0] as number, names: chainNamesOf(chains) })
        continue
      }
      const chains: Chain[] = []
      const orders: number[] = []
      p.chains.forEach((list, k) => list.forEach((c, i) => (chains.push(c), orders.push((p.offsets[k] as number) + i))))
      this.listed.set(name, { chains, orders, names: chainNames(chains) })
    }
    for (const [name, l] of this.listed) if (l.names.twice) this.twice.add(name)
    // Reached from the entry chains, a chain's rules are read when a slice first reaches it.
    if (!reach) this.scanAll()
  }

  private wantSpn(s: string): boolean {
    return this.wanted === undefined || this.wanted.spns.has(s)
  }

  private wantKey(k: string): boolean {
    return this.wantedKeys === undefined || this.wantedKeys.has(k)
  }

  /** Whether {@link dest} may be a wanted key's address and port. */
  private maybeWanted(): boolean {
    const ips = this.wantedIps
    const ports = this.wantedPorts
    return ips === undefined || ports === undefined || ((dest.ip === undefined || dest.ip === '*' || ips.has(dest.ip)) && (dest.port === undefined || ports.has(dest.port)))
  }

  /** A rule's key if it is indexed: any key without `wanted`, else only a wanted one. */
  private indexedKey(r: Rule): string | undefined {
    const keys = this.wantedKeys
    return keys === undefined ? keyOf(r) : wantedKeyOf(r, keys, this.wantedIps as Set<string>, this.wantedPorts as Set<number>)
  }

  /** Per chain: its rules split into always-kept, per (wanted) service port and per (wanted) key. */
  private indexOf(e: Entry): ChainIndex {
    if (e.index !== undefined) return e.index
    const c = e.chain
    const always: number[] = []
    const spns = new Map<string, number[]>()
    const keys = new Map<string, number[]>()
    let untagged = c.rules.length === 0
    for (let i = 0; i < c.rules.length; i++) {
      const r = c.rules[i] as Rule
      const s = r.servicePortName
      if (s === undefined) {
        untagged = true
        always.push(i)
        continue
      }
      if (this.wantSpn(s)) push(spns, s, i)
      // No key (keyOf): kept with the chain.
      if (!readDestination(r)) {
        always.push(i)
        continue
      }
      if (!this.maybeWanted()) continue
      const key = `${dest.ip ?? '*'}|${dest.port ?? '*'}`
      if (this.wantKey(key)) push(keys, key, i)
    }
    e.index = { table: e.table, chain: c, order: e.order, untagged, always, bySpn: spns, byKey: keys }
    return e.index
  }

  private entryAt(table: TableName, l: Listed, i: number): Entry {
    const at = typeof l.orders === 'number' ? l.orders + i : (l.orders[i] as number)
    let e = this.entries.get(at)
    if (e === undefined) this.entries.set(at, (e = { table, chain: l.chains[i] as Chain, order: at }))
    return e
  }

  private named(table: TableName, name: string): Entry | undefined {
    const l = this.listed.get(table)
    const i = l === undefined ? -1 : l.names.last(name)
    return l === undefined || i < 0 ? undefined : this.entryAt(table, l, i)
  }

  /** Without `reach`: every chain's service ports and keys, read up front. */
  private scanAll(): void {
    for (const [table, l] of this.listed) {
      for (let at = 0; at < l.chains.length; at++) {
        const c = l.chains[at] as Chain
        let untagged = c.rules.length === 0
        // Allocated for the few chains that have any (most of ≈ 12k chains have none when restricted).
        let spns: Set<string> | undefined
        let keys: Set<string> | undefined
        for (const r of c.rules) {
          const s = r.servicePortName
          if (s === undefined) {
            untagged = true
            continue
          }
          if (this.wantSpn(s)) (spns ??= new Set()).add(s)
          const key = this.indexedKey(r)
          if (key !== undefined) (keys ??= new Set()).add(key)
        }
        if (untagged) this.withAlways.push(this.entryAt(table, l, at))
        if (spns !== undefined) for (const s of spns) push(this.bySpn, s, this.entryAt(table, l, at))
        if (keys !== undefined) for (const k of keys) push(this.byKey, k, this.entryAt(table, l, at))
      }
    }
  }

  /** The slice for `spn` and `destinations` (see {@link targetSlicer}). */
  slice(spn: string, destinations: readonly SliceDestination[]): TraceTarget {
    const target = this.target
    const keys = keysOf(destinations)
    // Asked for what the restricted index left out: slice from an index of everything.
    let unwanted = !this.wantSpn(spn)
    for (const k of keys) unwanted ||= !this.wantKey(k)
    if (unwanted) {
      this.whole ??= targetSlicer(target)
      return this.whole(spn, destinations)
    }
    const run = new SliceRun(spn, keys)
    // Entry chains the scan would not seed (no rule of no port, none of this one): in the scan's
    // slice only if a kept rule jumps to them, which a rule out of the entries' reach may do.
    const unseeded: ChainIndex[] = []
    if (this.reach) {
      for (const [table, name] of ENTRY_CHAINS) {
        const e = this.named(table, name)
        if (e === undefined) continue
        const ix = this.indexOf(e)
        const rules = run.own(ix)
        if (ix.untagged || rules.length > 0) run.pick(ix, rules)
        else if (ix.always.length > 0) unseeded.push(ix)
      }
    } else {
      for (const e of this.withAlways) run.pick(this.indexOf(e), NONE)
      for (const e of this.bySpn.get(spn) ?? []) {
        const ix = this.indexOf(e)
        run.pick(ix, ix.bySpn.get(spn) ?? NONE)
      }
      for (const k of keys) {
        for (const e of this.byKey.get(k) ?? []) {
          const ix = this.indexOf(e)
          run.pick(ix, ix.byKey.get(k) ?? NONE)
        }
      }
    }
    // Close under jumps: a kept rule's target chain comes along (with its always-kept rules; when
    // reached from the entries, with its own too, which the scan picked as seeds).
    const { picked, queue } = run
    while (queue.length > 0) {
      const ix = queue.pop() as ChainIndex
      for (const i of picked.get(ix) ?? []) {
        const t = ix.chain.rules[i]?.target
        if (t?.kind !== 'jump') continue
        const sub = this.named(ix.table, t.chain)
        if (sub !== undefined && (sub.index === undefined || !picked.has(sub.index))) {
          const six = this.indexOf(sub)
          run.pick(six, this.reach ? run.own(six) : NONE)
        }
      }
    }
    if (unseeded.some((ix) => !picked.has(ix))) {
      this.scan ??= targetSlicer(target, this.wanted)
      return this.scan(spn, destinations)
    }
    // Per table and chain: the chain as sliced (the steps located are kept with it: a step is
    // located once per slice, not once per outcome).
    const original = new Map<TableName, Map<string, SlicedChain>>()
    const tables = new Map<TableName, { order: number; chain: Chain }[]>()
    for (const [ix, set] of picked) {
      // Only the always-kept rules (the set starts as those): the same in every slice, so made
      // once (the static chains and most of the entries' are so in every slice of a diff).
      const s = set.size === ix.always.length ? (ix.alwaysSliced ??= sliceOf(ix, set, this.twice)) : sliceOf(ix, set, this.twice)
      let byChain = original.get(ix.table)
      if (byChain === undefined) original.set(ix.table, (byChain = new Map()))
      byChain.set(ix.chain.name, s)
      push(tables, ix.table, { order: ix.order, chain: s.chain })
    }
    const sliced: Table[] = []
    for (const t of target.tables) {
      const chains = tables.get(t.name)
      if (chains !== undefined) sliced.push({ name: t.name, chains: chains.sort(byOrder).map(chainOf) })
    }
    const locator = new SliceLocator(original, target)
    // Bound, not wrapped in an arrow made per slice: the arrow's optimized code (with the
    // locator inlined) died with each drawing's slices and was compiled again the next time.
    return { ...target, tables: sliced, locate: locator.locate.bind(locator) }
  }
}

const byOrder = (a: { readonly order: number }, b: { readonly order: number }): number => a.order - b.order
const chainOf = (x: { readonly chain: Chain }): Chain => x.chain
const ascending = (a: number, b: number): number => a - b

function sliceOf(ix: ChainIndex, set: ReadonlySet<number>, twice: ReadonlySet<TableName>): SlicedChain {
  const idx = [...set].sort(ascending)
  // A loop, not a closure made per chain sliced (see {@link Slicer}).
  const rules: Rule[] = []
  for (const i of idx) rules.push(ix.chain.rules[i] as Rule)
  return { idx, chain: { name: ix.chain.name, rules }, rules: twice.has(ix.table) ? undefined : rules, steps: [] }
}

/** The chains one slice picked, each with the rules it keeps, and what is left to walk. */
class SliceRun {
  readonly picked = new Map<ChainIndex, Set<number>>()
  readonly queue: ChainIndex[] = []
  constructor(
    private readonly spn: string,
    private readonly keys: ReadonlySet<string>,
  ) {}

  /** A chain's rules of this port and of these destinations (the scan seeds from them instead). */
  own(ix: ChainIndex): readonly number[] {
    const out = [...(ix.bySpn.get(this.spn) ?? [])]
    for (const k of this.keys) for (const i of ix.byKey.get(k) ?? []) out.push(i)
    return out
  }

  /** Keeps `ix`'s chain (its always-kept rules) and `rules` of it; queued when it gained any. */
  pick(ix: ChainIndex, rules: readonly number[]): void {
    let set = this.picked.get(ix)
    if (set === undefined) {
      set = new Set(ix.always)
      this.picked.set(ix, set)
      this.queue.push(ix)
    }
    for (const i of rules) if (!set.has(i)) {
      set.add(i)
      if (!this.queue.includes(ix)) this.queue.push(ix)
    }
  }
}

/** A slice's locator: the rule at the mapped index is the one this slice holds at `ref` (handed to the full target's locator). */
class SliceLocator {
  constructor(
    private readonly original: ReadonlyMap<TableName, ReadonlyMap<string, SlicedChain>>,
    private readonly target: TraceTarget,
  ) {}
  locate(ref: RuleRef): PathStep {
    const o = this.original.get(ref.table)?.get(ref.chain)
    if (o === undefined) return this.target.locate(ref)
    return (o.steps[ref.index] ??= this.target.locate({ ...ref, index: o.idx[ref.index] ?? ref.index }, o.rules?.[ref.index]))
  }
}
