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
import { complement, mul, parseProbability, type Rational } from './rational.ts'
import type { RuleRef } from './types.ts'

/** The packet on one branch. Immutable: every change makes a new object. */
export interface PacketState {
  readonly src: string
  readonly dst: string
  readonly dport: number
  readonly protocol: string
  readonly mark: number
  /** `--to-destination` once a DNAT rule ran. */
  readonly dnat?: string
  readonly masquerade: boolean
  /** A rule jumped to KUBE-MARK-MASQ on this branch. */
  readonly marked: boolean
  readonly accepted: boolean
  readonly prob: Rational
  readonly path: readonly RuleRef[]
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
  /** True when the address is one of the node's own (addrtype LOCAL). */
  readonly isLocal: (ip: ParsedIP) => boolean
  /** Facts met on the way (unmodelled matches, missing chains); deduplicated by the caller. */
  readonly notes: string[]
  /** Largest `--seconds` of a `-m recent --rcheck` rule that was passed over. */
  affinitySeconds?: number
  /** Forks made so far; see {@link MAX_FORKS}. */
  forks?: number
}

/**
 * kube-proxy's rules fork once per endpoint and every branch ends in a DNAT, so forks grow
 * linearly. A user ruleset whose probabilistic jumps return could fork exponentially; past this
 * many forks the walker takes every further probabilistic rule as matching (and says so).
 */
export const MAX_FORKS = 10_000

/** The kernel refuses jump loops (ELOOP); a user ruleset deeper than this is not a real one. */
const MAX_DEPTH = 64

type MatchResult = { readonly kind: 'no' } | { readonly kind: 'yes' } | { readonly kind: 'split'; readonly p: Rational }

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
function evalMatch(ctx: WalkContext, m: Match, st: PacketState, ref: RuleRef): boolean | Rational {
  switch (m.kind) {
    case 'address':
      return addressMatches(m.dir === 'src' ? st.src : st.dst, m.value) !== m.negate
    case 'addrtype': {
      if (m.type !== 'LOCAL') {
        ctx.notes.push(`${ref.chain} rule ${ref.index + 1}: address type ${describe(m)} is not modelled; assumed to match`)
        return true
      }
      const ip = parseIPSloppy(m.dir === 'src' ? st.src : st.dst)
      return (ip !== undefined && ctx.isLocal(ip)) !== m.negate
    }
    case 'protocol':
      return m.protocol === st.protocol
    case 'dport':
      return (m.port === st.dport) !== m.negate
    case 'conntrack': {
      // First packet of a new connection: NEW; once nat rewrote the destination also DNAT.
      const states = new Set(st.dnat === undefined ? ['NEW'] : ['NEW', 'DNAT'])
      return m.states.some((s) => states.has(s)) !== m.negate
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
      const { p, exact } = parseProbability(m.probability)
      if (!exact) ctx.notes.push(`${ref.chain} rule ${ref.index + 1}: unreadable probability ${m.probability}; taken as 1/2`)
      return p
    }
    case 'interface':
    case 'raw':
      ctx.notes.push(`${ref.chain} rule ${ref.index + 1}: ${describe(m)} is not modelled (the trace has no interfaces); assumed to match`)
      return true
    case 'comment':
    case 'nfacct':
      return true
  }
}

function evalRule(ctx: WalkContext, rule: Rule, st: PacketState, ref: RuleRef): MatchResult {
  let split: Rational | undefined
  let afterComment = false
  for (const m of rule.matches) {
    // Words right after a comment are the rest of an unquoted multi-word comment (the test
    // fake's `--comment kubernetes service portals`): part of the comment, not a match.
    afterComment = m.kind === 'comment' || (afterComment && m.kind === 'raw' && !m.text.startsWith('-'))
    if (afterComment) continue
    const r = evalMatch(ctx, m, st, ref)
    if (r === false) return { kind: 'no' }
    if (r !== true) split = split === undefined ? r : mul(split, r)
  }
  return split === undefined ? { kind: 'yes' } : { kind: 'split', p: split }
}

function parseDestination(to: string, st: PacketState): { dst: string; dport: number } {
  // `--to-destination` forms: `IP`, `IP:PORT`, `[IPv6]:PORT`, bare IPv6.
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(to)
  if (v6 !== null) return { dst: v6[1] ?? st.dst, dport: v6[2] === undefined ? st.dport : Number(v6[2]) }
  const v4 = /^([^:]+):(\d+)$/.exec(to)
  if (v4 !== null) return { dst: v4[1] ?? st.dst, dport: Number(v4[2]) }
  return { dst: to, dport: st.dport }
}

/**
 * Walks `chain` of `table` from rule `start` on; returns every branch's ending in rule order
 * (taken branch of a probabilistic rule first).
 */
function walkRules(ctx: WalkContext, table: TableName, chain: Chain, start: number, st: PacketState, depth: number): Branch[] {
  for (let i = start; i < chain.rules.length; i++) {
    const rule = chain.rules[i] as Rule
    const ref: RuleRef = { table, chain: chain.name, index: i }
    const r = evalRule(ctx, rule, st, ref)
    if (r.kind === 'no') continue
    if (r.kind === 'yes') return applyRule(ctx, table, chain, i, rule, ref, st, depth)
    ctx.forks = (ctx.forks ?? 0) + 1
    if (ctx.forks > MAX_FORKS) {
      if (ctx.forks === MAX_FORKS + 1) ctx.notes.push(`More than ${MAX_FORKS} probabilistic branches: later -m statistic rules were taken as always matching, so the odds shown are not exact.`)
      return applyRule(ctx, table, chain, i, rule, ref, st, depth)
    }
    const taken = applyRule(ctx, table, chain, i, rule, ref, { ...st, prob: mul(st.prob, r.p) }, depth)
    const skipped = walkRules(ctx, table, chain, i + 1, { ...st, prob: mul(st.prob, complement(r.p)) }, depth)
    return [...taken, ...skipped]
  }
  return [{ state: st, end: 'return' }]
}

function applyRule(
  ctx: WalkContext,
  table: TableName,
  chain: Chain,
  i: number,
  rule: Rule,
  ref: RuleRef,
  before: PacketState,
  depth: number,
): Branch[] {
  const st: PacketState = { ...before, path: [...before.path, ref] }
  const next = (s: PacketState): Branch[] => walkRules(ctx, table, chain, i + 1, s, depth)
  const t = rule.target
  if (t === undefined) return next(st)
  switch (t.kind) {
    case 'verdict':
      if (t.verdict === 'RETURN') return [{ state: st, end: 'return' }]
      return [{ state: t.verdict === 'ACCEPT' ? { ...st, accepted: true } : st, end: t.verdict, decidedBy: ref }]
    case 'dnat': {
      const { dst, dport } = parseDestination(t.to, st)
      return [{ state: { ...st, dst, dport, dnat: t.to }, end: 'DNAT', decidedBy: ref }]
    }
    case 'mark': {
      const mark = t.op === 'or' ? (st.mark | t.value) >>> 0 : (st.mark ^ t.value) >>> 0
      return next({ ...st, mark })
    }
    case 'masquerade':
      return [{ state: { ...st, masquerade: true }, end: 'MASQUERADE', decidedBy: ref }]
    case 'raw':
      ctx.notes.push(`${chain.name} rule ${i + 1}: target ${t.text} is not modelled; the packet goes on`)
      return next(st)
    case 'jump': {
      const sub = ctx.chains.get(table)?.get(t.chain)
      if (sub === undefined) {
        ctx.notes.push(`${chain.name} rule ${i + 1}: jump to ${t.chain}, which the ruleset does not hold (iptables-restore would reject it)`)
        return next(st)
      }
      if (depth >= MAX_DEPTH) {
        ctx.notes.push(`${chain.name} rule ${i + 1}: jumps nest deeper than ${MAX_DEPTH} chains (a loop? the kernel refuses loops); not followed`)
        return next(st)
      }
      const marked = st.marked || t.chain === 'KUBE-MARK-MASQ'
      const out: Branch[] = []
      for (const b of walkRules(ctx, table, sub, 0, { ...st, marked }, depth + 1)) {
        if (b.end === 'return') out.push(...next(b.state))
        else out.push(b)
      }
      return out
    }
  }
}

/** Walks the built-in chain `chain` of `table` (one hook). A missing chain lets everything pass. */
export function walkHook(ctx: WalkContext, table: TableName, chain: string, st: PacketState): Branch[] {
  const c = ctx.chains.get(table)?.get(chain)
  if (c === undefined) return [{ state: st, end: 'return' }]
  return walkRules(ctx, table, c, 0, st, 0)
}
