/**
 * @module trace/trace
 * The user-facing trace of one packet through one node's ruleset: every possible outcome on the
 * real kernel path with its probability, plus kube-proxy's own test-tracer summary (`output`,
 * `masquerade`), and notes where the two views differ.
 *
 * Real path for the first packet of a new connection (netfilter hook order):
 * - arriving (pod, other node, outside): nat PREROUTING → routing → filter INPUT when the
 *   (rewritten) destination is the node's own, else filter FORWARD → nat POSTROUTING;
 * - sent by the node itself: nat OUTPUT → filter OUTPUT → nat POSTROUTING, then filter INPUT when
 *   the destination is the node's own (loopback delivery).
 */
import type { Chain, Rule, Table, TableName } from '../proxy/iptables/ir.ts'
import { cidrContains, formatIP, parseCIDRSloppy, parseIPSloppy, type ParsedIP } from '../net/ip.ts'
import { traceLikeUpstream } from './kube-tracer.ts'
import { ONE, toFraction, toNumber } from './rational.ts'
import type { PathStep, Probe, RuleRef, Trace, TraceOutcome, TraceOutcomes, Verdict } from './types.ts'
import { DEFAULT_WORK_LIMITS } from '../limits.ts'
import { pathRefs, walkHook, type Branch, type PacketState, type WalkContext } from './walk.ts'
import { pushAll } from '../append.ts'

/**
 * Decorates a rule reference with its text and restore-text line. `rule`, when the caller holds
 * it, is the rule `ref` names (the first chain of that name in the table, as the locator finds it).
 */
export type RuleLocator = (ref: RuleRef, rule?: Rule) => PathStep

/** What {@link tracePacket} needs. */
export interface TracePacketInput {
  /** The ruleset with its built-in chains and jump rules (see trace/builtin-chains.ts). */
  readonly tables: readonly Table[]
  readonly probe: Probe
  /** The node's own addresses (both families); loopback is always local. */
  readonly localIPs: readonly string[]
  readonly locate: RuleLocator
  /** The `maxTracePaths` work limit (default: {@link DEFAULT_WORK_LIMITS}). */
  readonly maxPaths?: number
}

const LOOPBACK_V4 = parseCIDRSloppy('127.0.0.0/8')

/**
 * The node's own addresses (and loopback). A class, not a closure made per trace: a diff's
 * diagrams trace once per report, and the walk's optimized code that called a closure of a
 * trace of an earlier report was dropped when that closure died (V8 embeds the call's target).
 */
class LocalAddresses {
  private readonly own = new Set<string>(['::1'])
  constructor(localIPs: readonly string[]) {
    for (const s of localIPs) {
      const p = parseIPSloppy(s)
      if (p !== undefined) this.own.add(formatIP(p))
    }
  }
  isLocal(ip: ParsedIP): boolean {
    return (LOOPBACK_V4 !== undefined && cidrContains(LOOPBACK_V4, ip)) || this.own.has(formatIP(ip))
  }
}

/**
 * The chains of each table by name (the last of a name wins, as `new Map(entries)` keeps). Loops,
 * not a closure made per call: each trace makes one, and a closure's optimized code dies with the
 * last closure of its site (V8 holds it weakly), so a diff's drawing compiled it again.
 */
function chainIndex(tables: readonly Table[]): Map<TableName, Map<string, Chain>> {
  const out = new Map<TableName, Map<string, Chain>>()
  for (const t of tables) {
    const byName = new Map<string, Chain>()
    for (const c of t.chains) byName.set(c.name, c)
    out.set(t.name, byName)
  }
  return out
}

interface Final {
  readonly state: PacketState
  /** Hooks this branch went through, e.g. `nat PREROUTING`. */
  readonly hooks: readonly string[]
  readonly verdict?: 'DROP' | 'REJECT'
  readonly decidedBy?: RuleRef
  readonly acceptedBy?: RuleRef
}

/** Runs one hook on every live branch; DROP/REJECT branches stop there. */
function step(
  ctx: WalkContext,
  live: readonly Final[],
  table: TableName,
  chain: string,
  hooks: string[],
): Final[] {
  const hook = `${table} ${chain}`
  const out: Final[] = []
  for (const f of live) {
    if (f.verdict !== undefined) {
      out.push(f)
      continue
    }
    if (!hooks.includes(hook)) hooks.push(hook)
    for (const b of walkHook(ctx, table, chain, f.state)) out.push(fromBranch({ ...f, hooks: [...f.hooks, hook] }, b))
  }
  return out
}

function fromBranch(prev: Final, b: Branch): Final {
  if (b.end === 'DROP' || b.end === 'REJECT') return { state: b.state, hooks: prev.hooks, verdict: b.end, decidedBy: b.decidedBy }
  if (b.end === 'ACCEPT') return { state: b.state, hooks: prev.hooks, acceptedBy: b.decidedBy ?? prev.acceptedBy }
  return { state: b.state, hooks: prev.hooks, ...(prev.acceptedBy !== undefined ? { acceptedBy: prev.acceptedBy } : {}) }
}

function hostOf(dnat: string): string {
  const v6 = /^\[([^\]]+)\]/.exec(dnat)
  if (v6 !== null) return v6[1] ?? dnat
  return dnat.split(':')[0] ?? dnat
}

function sameIP(a: string, b: string): boolean {
  const x = parseIPSloppy(a)
  const y = parseIPSloppy(b)
  return x !== undefined && y !== undefined && x.family === y.family && x.value === y.value
}

function toOutcome(f: Final, probe: Probe, locate: RuleLocator): TraceOutcome {
  const st = f.state
  let verdict: Verdict
  if (f.verdict !== undefined) verdict = f.verdict
  else if (st.dnat !== undefined) verdict = 'DNAT'
  else if (f.acceptedBy !== undefined) verdict = 'ACCEPT'
  else verdict = 'none'
  const decided = f.verdict !== undefined ? f.decidedBy : verdict === 'ACCEPT' ? f.acceptedBy : undefined
  const dropped = f.verdict !== undefined
  return {
    probability: toNumber(st.prob),
    fraction: toFraction(st.prob),
    verdict,
    ...(st.dnat !== undefined ? { dnat: st.dnat } : {}),
    ...(decided !== undefined ? { decidedBy: locate(decided) } : {}),
    masquerade: !dropped && st.masquerade,
    hooks: f.hooks,
    marked: st.marked,
    hairpin: st.dnat !== undefined && sameIP(hostOf(st.dnat), probe.sourceIP),
    path: located(pathRefs(st.path), locate),
  }
}

/** `refs` located, in order (a loop: no closure made per outcome, see {@link chainIndex}). */
function located(refs: readonly RuleRef[], locate: RuleLocator): PathStep[] {
  const out: PathStep[] = []
  for (const r of refs) out.push(locate(r))
  return out
}

/** The upstream-style one-line summary of the real outcomes, to spot where the views differ. */
function summarise(outcomes: readonly TraceOutcome[]): string {
  const seen: string[] = []
  for (const o of outcomes) {
    const word = o.verdict === 'DNAT' ? (o.dnat ?? '') : o.verdict === 'none' ? '' : o.verdict
    if (word !== '' && !seen.includes(word)) seen.push(word)
  }
  return seen.join(', ')
}

/** Every hook {@link tracePacket} walks, by name (trace/slice.ts keeps what they reach). */
export const HOOK_CHAINS: readonly (readonly [TableName, string])[] = [
  ['nat', 'PREROUTING'],
  ['nat', 'OUTPUT'],
  ['filter', 'OUTPUT'],
  ['nat', 'POSTROUTING'],
  ['filter', 'INPUT'],
  ['filter', 'FORWARD'],
]

/**
 * Traces one probe through one node's ruleset.
 *
 * @returns every outcome (Σ probability = 1, in rule order), kube-proxy's tracer summary
 *   (`output`, `masquerade`, computed by {@link traceLikeUpstream}) and notes on differences.
 * @example
 *   tracePacket({ tables, probe, localIPs: ['192.168.0.2'], locate })
 *   // → { output: '10.180.0.1:80', masquerade: false, outcomes: [{ probability: 1, verdict: 'DNAT', … }], … }
 */
export function tracePacket(input: TracePacketInput): Trace {
  const { tables, probe, localIPs, locate } = input
  const { ctx, hooks, outcomes } = walkPacket(input)
  const upstream = traceLikeUpstream(
    tables,
    { sourceIP: probe.sourceIP, destIP: probe.destIP, destPort: probe.destPort, protocol: probe.protocol },
    localIPs,
  )
  const notes = explain(probe, outcomes, upstream.output, upstream.masq, ctx)
  return {
    probe,
    output: upstream.output,
    masquerade: upstream.masq,
    outcomes,
    upstreamPath: upstream.matched.map((r) => locate(r)),
    hooks,
    ...affinityOf(probe, ctx),
    notes,
    ...(ctx.overflow !== undefined ? { limitReached: locate(ctx.overflow) } : {}),
  }
}

/**
 * The outcomes of {@link tracePacket} alone, as a diagram draws them: kube-proxy's test tracer
 * (`traceLikeUpstream`) and the notes comparing it with the real path are not computed (each
 * diagram trace walked the ruleset a second time for them). Same outcomes, affinity and limit.
 */
export function tracePacketOutcomes(input: TracePacketInput): TraceOutcomes {
  const { ctx, outcomes } = walkPacket(input)
  return {
    probe: input.probe,
    outcomes,
    ...affinityOf(input.probe, ctx),
    ...(ctx.overflow !== undefined ? { limitReached: input.locate(ctx.overflow) } : {}),
  }
}

/** The session-affinity part of a trace, when the walk passed a `-m recent --rcheck` rule. */
function affinityOf(probe: Probe, ctx: WalkContext): Pick<Trace, 'affinity'> {
  return ctx.affinitySeconds !== undefined
    ? {
        affinity: {
          timeoutSeconds: ctx.affinitySeconds,
          note:
            `ClientIP session affinity: the first connection from ${probe.sourceIP} picks an endpoint with the ` +
            `probabilities shown; for ${ctx.affinitySeconds}s after its last packet, new connections from the same ` +
            `client address match the -m recent --rcheck rule of that endpoint and go to it again ` +
            `(each connection already open stays put through conntrack).`,
        },
      }
    : {}
}

/** The kernel-path walk of {@link tracePacket}: every outcome, the hooks walked, and what the walk noted. */
function walkPacket(input: TracePacketInput): { readonly ctx: WalkContext; readonly hooks: string[]; readonly outcomes: TraceOutcome[] } {
  const { tables, probe, localIPs, locate } = input
  const ctx: WalkContext = {
    chains: chainIndex(tables),
    local: new LocalAddresses(localIPs),
    notes: new Set(),
    maxPaths: input.maxPaths ?? DEFAULT_WORK_LIMITS.maxTracePaths,
    branches: 1,
  }
  const hooks: string[] = []
  const start: PacketState = {
    src: probe.sourceIP,
    dst: probe.destIP,
    dport: probe.destPort,
    protocol: probe.protocol,
    mark: 0,
    dnat: undefined,
    masquerade: false,
    marked: false,
    accepted: false,
    prob: ONE,
    path: undefined,
  }
  // Each branch of the first nat hook is followed on its own so outcomes stay in rule order.
  const first = step(ctx, [{ state: start, hooks: [] }], 'nat', probe.local ? 'OUTPUT' : 'PREROUTING', hooks)
  const live: Final[] = []
  for (const f of first) {
    let b: Final[] = [f]
    if (probe.local) {
      b = step(ctx, b, 'filter', 'OUTPUT', hooks)
      b = step(ctx, b, 'nat', 'POSTROUTING', hooks)
      if (b.some((x) => x.verdict === undefined && destLocal(ctx, x))) b = step(ctx, b, 'filter', 'INPUT', hooks)
    } else if (destLocal(ctx, f)) {
      b = step(ctx, b, 'filter', 'INPUT', hooks)
    } else {
      b = step(ctx, b, 'filter', 'FORWARD', hooks)
      b = step(ctx, b, 'nat', 'POSTROUTING', hooks)
    }
    pushAll(live, b)
  }
  const outcomes: TraceOutcome[] = []
  for (const f of live) outcomes.push(toOutcome(f, probe, locate))
  return { ctx, hooks, outcomes }
}

/** The branch's (rewritten) destination is one of the node's own addresses. */
function destLocal(ctx: WalkContext, f: Final): boolean {
  const ip = parseIPSloppy(f.state.dst)
  return ip !== undefined && ctx.local.isLocal(ip)
}

function explain(probe: Probe, outcomes: readonly TraceOutcome[], output: string, masq: boolean, ctx: WalkContext): string[] {
  const notes: string[] = []
  if (probe.local) {
    notes.push(
      `${probe.sourceIP} is one of the node's own addresses: the kernel sends this packet through nat OUTPUT, filter OUTPUT and nat POSTROUTING; kube-proxy's test tracer walks nat PREROUTING as if it had arrived.`,
    )
  }
  if (outcomes.every((o) => o.verdict === 'none' && o.dnat === undefined)) {
    notes.push(
      `No kube-proxy rule on node ${probe.node === '' ? '(unnamed)' : probe.node} matches ${probe.protocol.toUpperCase()} to ${probe.destIP.includes(':') ? `[${probe.destIP}]` : probe.destIP}:${probe.destPort}: it is not a Service VIP, NodePort or external address of this node, so the packet is routed unchanged.`,
    )
  }
  const real = summarise(outcomes)
  if (real !== output) {
    notes.push(`On the real path the result is ${real === '' ? 'no rule deciding anything' : `"${real}"`}; kube-proxy's test tracer says ${output === '' ? 'nothing' : `"${output}"`}.`)
  }
  const anyMasq = outcomes.some((o) => o.masquerade)
  const allMasq = outcomes.length > 0 && outcomes.every((o) => o.masquerade || o.verdict === 'DROP' || o.verdict === 'REJECT')
  if (masq && !anyMasq) notes.push('kube-proxy\'s test tracer marks this packet for masquerade, but on the real path no branch reaches MASQUERADE in nat POSTROUTING.')
  if (!masq && anyMasq) notes.push('On the real path the packet is masqueraded, which kube-proxy\'s test tracer does not report.')
  if (masq && anyMasq && !allMasq) notes.push('Only some outcomes are masqueraded (see each outcome); kube-proxy\'s test tracer reports one flag for all of them.')
  if (outcomes.some((o) => o.hairpin)) {
    notes.push('Hairpin: the packet can be sent back to the pod that sent it; its source is masqueraded so the reply comes back through the node.')
  }
  if (output.startsWith('[')) {
    notes.push(`kube-proxy's test tracer rewrites the destination to the text before the first ':' of "${output.split(', ')[0] ?? ''}", which is not an address for IPv6; its filter-chain view after DNAT is not meaningful.`)
  }
  for (const n of ctx.notes) if (!notes.includes(n)) notes.push(n)
  return notes
}
