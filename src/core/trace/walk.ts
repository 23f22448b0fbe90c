/**
 * @module trace/walk
 * Walks one netfilter hook (a built-in chain) with the kernel's semantics, for the first packet of
 * a new connection, forking at every `-m statistic --probability` rule. Unlike kube-proxy's test
 * tracer (trace/kube-tracer.ts) this honours `RETURN`, the packet mark, `--ctstate` (NEW, plus
 * DNAT once rewritten) and terminating targets; `-m recent --rcheck` finds no history because a
 * first connection has none (ClientIP affinity is reported separately).
 */
import type { Chain, Match, Rule, TableName } from '../proxy/iptables/ir.ts'
import { cidrContains, parseCIDRSloppy, parseIPSloppy, type ParsedIP } from '../net/ip.ts'
import { add, complement, mul, parseProbability, type Rational } from './rational.ts'
import type { RuleRef } from './types.ts'

/**
 * The packet on one branch. Immutable: every change makes a new object. Every field is always
 * present (`dnat` undefined until a DNAT rule ran), so every state has one shape and the copies
 * made per rule matched stay on the engine's fast path.
 */
export interface PacketState {
  readonly src: string
  readonly dst: string
  readonly dport: number
  readonly protocol: string
  readonly mark: number
  /** `--to-destination` once a DNAT rule ran. */
  readonly dnat: string | undefined
  readonly masquerade: boolean
  /** A rule jumped to KUBE-MARK-MASQ on this branch. */
  readonly marked: boolean
  readonly accepted: boolean
  readonly prob: Rational
  /** The rules matched so far, newest first ({@link pathRefs} lists them in order). */
  readonly path: PathLink | undefined
}

/**
 * A packet state written out field by field, in {@link PacketState}'s order (the order of
 * trace.ts `walkPacket`'s first state), so every state of a walk has one shape: a spread copy
 * (`{ ...st, path }`) per rule applied was most of `applyRule`'s time in a diff's drawing, a
 * clone of the source's shape then a store, and left the states in several shapes.
 */
function packet(
  st: PacketState,
  dst: string,
  dport: number,
  mark: number,
  dnat: string | undefined,
  masquerade: boolean,
  marked: boolean,
  accepted: boolean,
  prob: Rational,
  path: PathLink | undefined,
): PacketState {
  return { src: st.src, dst, dport, protocol: st.protocol, mark, dnat, masquerade, marked, accepted, prob, path }
}

/** `st` with `prob` (a fork's share, or two merged branches' sum). */
function withProb(st: PacketState, prob: Rational): PacketState {
  return packet(st, st.dst, st.dport, st.mark, st.dnat, st.masquerade, st.marked, st.accepted, prob, st.path)
}

/**
 * One matched rule of a branch's path and the path before it. Branches forked from one share
 * the cells before the fork, so matching a rule adds one cell instead of copying the path (a
 * copy per rule applied was a fifth of the walk in a diff's diagrams).
 */
export interface PathLink {
  readonly ref: RuleRef
  readonly prev: PathLink | undefined
}

/** The rules of `path`, first matched first. */
export function pathRefs(path: PathLink | undefined): RuleRef[] {
  const out: RuleRef[] = []
  for (let l = path; l !== undefined; l = l.prev) out.push(l.ref)
  return out.reverse()
}

/** How a walk of a chain ended on one branch. `return` = fell off the end or hit RETURN. */
export type WalkEnd = 'return' | 'ACCEPT' | 'DROP' | 'REJECT' | 'DNAT' | 'MASQUERADE'

export interface Branch {
  readonly state: PacketState
  readonly end: WalkEnd
  /** The rule that ended the walk, for verdicts. */
  readonly decidedBy?: RuleRef
}

/** What the walk needs besides the packet: the rules, the node's addresses, and a notebook. */
export interface WalkContext {
  readonly chains: ReadonlyMap<TableName, ReadonlyMap<string, Chain>>
  /** `isLocal`: true when the address is one of the node's own (addrtype LOCAL). */
  readonly local: { isLocal(ip: ParsedIP): boolean }
  /** Facts met on the way (unmodelled matches, missing chains), each once, in the order met. */
  readonly notes: Set<string>
  /** Largest `--seconds` of a `-m recent --rcheck` rule that was passed over. */
  affinitySeconds?: number
  /** The `maxTracePaths` work limit: distinct branches (live and ended) one trace may have. */
  readonly maxPaths: number
  /** Distinct branches so far: +1 per fork, −1 per merge of two equal branches. */
  branches: number
  /** Set when a fork would have taken the branches above `maxPaths`: the rule that forked; the walk stops. */
  overflow?: RuleRef
}

/** The kernel refuses jump loops (ELOOP); a user ruleset deeper than this is not a real one. */
const MAX_DEPTH = 64

type MatchResult = { readonly kind: 'no' } | { readonly kind: 'yes' } | { readonly kind: 'split'; readonly p: Rational }

const NO: MatchResult = { kind: 'no' }
const YES: MatchResult = { kind: 'yes' }

/**
 * {@link parseProbability} of each `--probability` text met: a regex and BigInt arithmetic per
 * statistic rule walked otherwise (a KUBE-SVC chain forks at every endpoint). Bounded: cleared
 * when full (the texts are kube-proxy's `1/k`, a few hundred at most in practice).
 */
const PROBABILITIES = new Map<string, ReturnType<typeof parseProbability>>()

function probabilityOf(text: string): ReturnType<typeof parseProbability> {
  let hit = PROBABILITIES.get(text)
  if (hit === undefined) {
    if (PROBABILITIES.size >= 4096) PROBABILITIES.clear()
    hit = parseProbability(text)
    PROBABILITIES.set(text, hit)
  }
  return hit
}

function addressMatches(ipText: string, value: string): boolean {
  const ip = parseIPSloppy(ipText)
  if (ip === undefined) return false
  if (value.includes('/')) {
    const cidr = parseCIDRSloppy(value)
    return cidr !== undefined && cidrContains(cidr, ip)
  }
  const other = parseIPSloppy(value)
  return other !== undefined && other.family === ip.family && other.value === ip.value
}

function describe(m: Match): string {
  switch (m.kind) {
    case 'interface':
      return `${m.negate ? '! ' : ''}${m.dir === 'in' ? '-i' : '-o'} ${m.name}`
    case 'raw':
      return m.text
    case 'addrtype':
      return `${m.dir === 'src' ? '--src-type' : '--dst-type'} ${m.type}`
    default:
      return m.kind
  }
}

/** One match against the packet; `undefined` result means "matches" for unmodelled kinds. */
function evalMatch(ctx: WalkContext, m: Match, st: PacketState, chain: string, index: number): boolean | Rational {
  switch (m.kind) {
    case 'address':
      return addressMatches(m.dir === 'src' ? st.src : st.dst, m.value) !== m.negate
    case 'addrtype': {
      if (m.type !== 'LOCAL') {
        ctx.notes.add(`${chain} rule ${index + 1}: address type ${describe(m)} is not modelled; assumed to match`)
        return true
      }
      const ip = parseIPSloppy(m.dir === 'src' ? st.src : st.dst)
      return (ip !== undefined && ctx.local.isLocal(ip)) !== m.negate
    }
    case 'protocol':
      return m.protocol === st.protocol
    case 'dport':
      return (m.port === st.dport) !== m.negate
    case 'conntrack': {
      // First packet of a new connection: NEW; once nat rewrote the destination also DNAT.
      const dnat = st.dnat !== undefined
      // A loop, not a closure made per match (V8 drops a closure site's optimized code with its last closure).
      let any = false
      for (const s of m.states) if (s === 'NEW' || (dnat && s === 'DNAT')) any = true
      return any !== m.negate
    }
    case 'mark':
      return ((st.mark & m.mask) >>> 0 === m.value >>> 0) !== m.negate
    case 'recent':
      if (m.op === 'rcheck') {
        ctx.affinitySeconds = Math.max(ctx.affinitySeconds ?? 0, m.seconds ?? 0)
        return false
      }
      return true
    case 'statistic': {
      const { p, exact } = probabilityOf(m.probability)
      if (!exact) ctx.notes.add(`${chain} rule ${index + 1}: unreadable probability ${m.probability}; taken as 1/2`)
      return p
    }
    case 'interface':
    case 'raw':
      ctx.notes.add(`${chain} rule ${index + 1}: ${describe(m)} is not modelled (the trace has no interfaces); assumed to match`)
      return true
    case 'comment':
    case 'nfacct':
      return true
  }
}

function evalRule(ctx: WalkContext, rule: Rule, st: PacketState, chain: string, index: number): MatchResult {
  let split: Rational | undefined
  let afterComment = false
  for (const m of rule.matches) {
    // Words right after a comment are the rest of an unquoted multi-word comment (the test
    // fake's `--comment kubernetes service portals`): part of the comment, not a match.
    afterComment = m.kind === 'comment' || (afterComment && m.kind === 'raw' && !m.text.startsWith('-'))
    if (afterComment) continue
    const r = evalMatch(ctx, m, st, chain, index)
    if (r === false) return NO
    if (r !== true) split = split === undefined ? r : mul(split, r)
  }
  return split === undefined ? YES : { kind: 'split', p: split }
}

function parseDestination(to: string, st: PacketState): { dst: string; dport: number } {
  // `--to-destination` forms: `IP`, `IP:PORT`, `[IPv6]:PORT`, bare IPv6.
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(to)
  if (v6 !== null) return { dst: v6[1] ?? st.dst, dport: v6[2] === undefined ? st.dport : Number(v6[2]) }
  const v4 = /^([^:]+):(\d+)$/.exec(to)
  if (v4 !== null) return { dst: v4[1] ?? st.dst, dport: Number(v4[2]) }
  return { dst: to, dport: st.dport }
}

/** A branch still walking, with its lineage: the fork choices that made it ('0' taken, '1' skipped). */
interface Live {
  readonly state: PacketState
  readonly lineage: string
}

interface Ended extends Branch {
  readonly lineage: string
}

/** Everything about the packet but its probability and path: equal keys mean equal futures. */
function stateKey(st: PacketState): string {
  return `${st.src}|${st.dst}|${st.dport}|${st.protocol}|${st.mark}|${st.dnat ?? ''}|${st.masquerade}|${st.marked}|${st.accepted}`
}

/**
 * The branches about to walk one rule, with equal ones merged: two branches whose packets are the
 * same from here on have the same future, so they walk on as one with the summed probability
 * (and the path of the one first in rule order). This is what keeps a ruleset of 22 chained
 * non-terminating `-m statistic` rules at 2 branches instead of 2^22, with exact odds.
 */
class Frontier {
  /** The only branch added so far: no key is built and no map made until a second one comes. */
  private only: Live | undefined
  private byKey: Map<string, { live: Live }> | undefined
  constructor(private readonly ctx: WalkContext) {}
  add(b: Live): void {
    if (this.byKey === undefined) {
      if (this.only === undefined) {
        this.only = b
        return
      }
      this.byKey = new Map([[stateKey(this.only.state), { live: this.only }]])
      this.only = undefined
    }
    const key = stateKey(b.state)
    const seen = this.byKey.get(key)
    if (seen === undefined) {
      this.byKey.set(key, { live: b })
      return
    }
    this.ctx.branches--
    const first = seen.live.lineage <= b.lineage ? seen.live : b
    seen.live = { lineage: first.lineage, state: withProb(first.state, add(seen.live.state.prob, b.state.prob)) }
  }
  list(): Live[] {
    if (this.byKey === undefined) return this.only === undefined ? [] : [this.only]
    const out: Live[] = []
    for (const x of this.byKey.values()) out.push(x.live)
    return out
  }
}

/** What walking one chain gave: branches that came back (end of chain or RETURN) and ended ones. */
interface ChainWalk {
  readonly returned: Live[]
  readonly ended: Ended[]
}

/**
 * Walks `chain` of `table` for every entering branch, one rule at a time over all live branches
 * (a loop, not a recursion per rule: a KUBE-SVC chain of 5,000 endpoints forks 5,000 times).
 * Sub-chains are walked on a jump, nesting at most {@link MAX_DEPTH} deep.
 */
function walkChain(ctx: WalkContext, table: TableName, chain: Chain, entering: readonly Live[], depth: number): ChainWalk {
  const returned: Live[] = []
  const ended: Ended[] = []
  let frontier: Live[] = [...entering]
  for (let i = 0; i < chain.rules.length && frontier.length > 0 && ctx.overflow === undefined; i++) {
    const rule = chain.rules[i] as Rule
    // Made for a rule some branch matches only (most rules walked match none).
    let ref: RuleRef | undefined
    const next = new Frontier(ctx)
    const out: Outlets = { next, returned, ended }
    for (const b of frontier) {
      const r = evalRule(ctx, rule, b.state, chain.name, i)
      if (r.kind === 'no') next.add(b)
      else if (r.kind === 'yes') applyRule(ctx, table, chain, i, rule, (ref ??= { table, chain: chain.name, index: i }), b, depth, out)
      else {
        ref ??= { table, chain: chain.name, index: i }
        if (ctx.branches + 1 > ctx.maxPaths) {
          ctx.overflow = ref
          break
        }
        ctx.branches++
        const { state: st, lineage } = b
        applyRule(ctx, table, chain, i, rule, ref, { state: withProb(st, mul(st.prob, r.p)), lineage: `${lineage}0` }, depth, out)
        next.add({ state: withProb(st, mul(st.prob, complement(r.p))), lineage: `${lineage}1` })
      }
    }
    frontier = next.list()
  }
  for (const b of frontier) returned.push(b)
  return { returned, ended }
}

/** Where a rule sends a branch: on to the next rule, back to the caller, or to an end. */
interface Outlets {
  readonly next: Frontier
  readonly returned: Live[]
  readonly ended: Ended[]
}

function applyRule(ctx: WalkContext, table: TableName, chain: Chain, i: number, rule: Rule, ref: RuleRef, b: Live, depth: number, out: Outlets): void {
  const s = b.state
  const st = packet(s, s.dst, s.dport, s.mark, s.dnat, s.masquerade, s.marked, s.accepted, s.prob, { ref, prev: s.path })
  const lineage = b.lineage
  // Ends pushed in place, not through a closure made per rule applied (see walkHook).
  const t = rule.target
  if (t === undefined) return out.next.add({ state: st, lineage })
  switch (t.kind) {
    case 'verdict':
      if (t.verdict === 'RETURN') return void out.returned.push({ state: st, lineage })
      return void out.ended.push({ state: t.verdict === 'ACCEPT' ? packet(st, st.dst, st.dport, st.mark, st.dnat, st.masquerade, st.marked, true, st.prob, st.path) : st, end: t.verdict, decidedBy: ref, lineage })
    case 'dnat': {
      const { dst, dport } = parseDestination(t.to, st)
      return void out.ended.push({ state: packet(st, dst, dport, st.mark, t.to, st.masquerade, st.marked, st.accepted, st.prob, st.path), end: 'DNAT', decidedBy: ref, lineage })
    }
    case 'mark': {
      const mark = t.op === 'or' ? (st.mark | t.value) >>> 0 : (st.mark ^ t.value) >>> 0
      return out.next.add({ state: packet(st, st.dst, st.dport, mark, st.dnat, st.masquerade, st.marked, st.accepted, st.prob, st.path), lineage })
    }
    case 'masquerade':
      return void out.ended.push({ state: packet(st, st.dst, st.dport, st.mark, st.dnat, true, st.marked, st.accepted, st.prob, st.path), end: 'MASQUERADE', decidedBy: ref, lineage })
    case 'raw':
      ctx.notes.add(`${chain.name} rule ${i + 1}: target ${t.text} is not modelled; the packet goes on`)
      return out.next.add({ state: st, lineage })
    case 'jump': {
      const sub = ctx.chains.get(table)?.get(t.chain)
      if (sub === undefined) {
        ctx.notes.add(`${chain.name} rule ${i + 1}: jump to ${t.chain}, which the ruleset does not hold (iptables-restore would reject it)`)
        return out.next.add({ state: st, lineage })
      }
      if (depth >= MAX_DEPTH) {
        ctx.notes.add(`${chain.name} rule ${i + 1}: jumps nest deeper than ${MAX_DEPTH} chains (a loop? the kernel refuses loops); not followed`)
        return out.next.add({ state: st, lineage })
      }
      const marked = st.marked || t.chain === 'KUBE-MARK-MASQ'
      const walked = walkChain(ctx, table, sub, [{ state: marked === st.marked ? st : packet(st, st.dst, st.dport, st.mark, st.dnat, st.masquerade, marked, st.accepted, st.prob, st.path), lineage }], depth + 1)
      for (const e of walked.ended) out.ended.push(e)
      for (const r of walked.returned) out.next.add(r)
      return
    }
  }
}

/** Lineages in depth-first order: a taken branch and everything after it before the skipped one. */
function byLineage(a: { lineage: string }, b: { lineage: string }): number {
  return a.lineage < b.lineage ? -1 : a.lineage > b.lineage ? 1 : 0
}

/**
 * Walks the built-in chain `chain` of `table` (one hook). A missing chain lets everything pass.
 * Branches come back in rule order (the taken branch of a probabilistic rule first).
 */
export function walkHook(ctx: WalkContext, table: TableName, chain: string, st: PacketState): Branch[] {
  const c = ctx.chains.get(table)?.get(chain)
  if (c === undefined) return [{ state: st, end: 'return' }]
  const walked = walkChain(ctx, table, c, [{ state: st, lineage: '' }], 0)
  const all: Ended[] = [...walked.ended]
  for (const r of walked.returned) all.push({ state: r.state, end: 'return', lineage: r.lineage })
  all.sort(byLineage)
  // A loop, not a closure made per hook walked: a diff's diagrams trace once per report, and a
  // closure's optimized code dies with the last closure of its site (V8 holds it weakly).
  const out: Branch[] = []
  for (const { lineage: _lineage, ...b } of all) out.push(b)
  return out
}
