/**
 * @module trace/nftables/trace
 * The user-facing trace of one packet through kube-proxy's nftables table: every possible outcome
 * on the real kernel path with its probability, plus kube-proxy's own test-tracer summary
 * (`output`, `masquerade`), in the same {@link Trace} shape as iptables mode.
 *
 * Real path for the first packet of a new connection: arriving packets run the prerouting base
 * chains (filter-prerouting-pre-dnat at -110, nat-prerouting at -100), then input (destination
 * is the node's own) or forward + postrouting; packets the node sends run the output base chains,
 * postrouting, and input when they are delivered locally. Chains of one hook run in priority order.
 */
import { cidrContains, formatIP, parseCIDRSloppy, parseIPSloppy, type ParsedIP } from '../../net/ip.ts'
import type { NftHook } from '../../proxy/nftables/ir.ts'
import { ONE, toFraction, toNumber } from '../rational.ts'
import type { Probe, Trace, TraceOutcome, Verdict } from '../types.ts'
import { traceNftLikeUpstream } from './kube-tracer.ts'
import type { NftIndex } from './ruleset-index.ts'
import { walkBaseChain, type NftBranch, type NftPacket, type NftWalkContext } from './walk.ts'

const LOOPBACK_V4 = parseCIDRSloppy('127.0.0.0/8')

function makeIsLocal(localIPs: readonly string[]): (ip: ParsedIP) => boolean {
  const own = new Set<string>(['::1'])
  for (const s of localIPs) {
    const p = parseIPSloppy(s)
    if (p !== undefined) own.add(formatIP(p))
  }
  return (ip) => (LOOPBACK_V4 !== undefined && cidrContains(LOOPBACK_V4, ip)) || own.has(formatIP(ip))
}

/** The base chains of `hook`, by priority (ties: by name, as a stable order). */
function chainsOfHook(idx: NftIndex, hook: NftHook['hook']): string[] {
  return idx.ruleset.chains
    .filter((c) => c.hook?.hook === hook)
    .sort((a, b) => (a.hook?.priority ?? 0) - (b.hook?.priority ?? 0) || (a.name < b.name ? -1 : 1))
    .map((c) => c.name)
}

interface Live {
  readonly pkt: NftPacket
  readonly hooks: readonly string[]
  readonly verdict?: 'DROP' | 'REJECT'
  readonly decidedBy?: NftBranch['decidedBy']
}

/** Runs every base chain of a hook on every live branch; DROP/REJECT branches stop. */
function runHook(ctx: NftWalkContext, live: readonly Live[], hook: NftHook['hook'], hooks: string[]): Live[] {
  let cur = [...live]
  for (const chain of chainsOfHook(ctx.idx, hook)) {
    const label = `${hook} ${chain}`
    const next: Live[] = []
    for (const l of cur) {
      if (l.verdict !== undefined) {
        next.push(l)
        continue
      }
      if (!hooks.includes(label)) hooks.push(label)
      for (const b of walkBaseChain(ctx, chain, l.pkt)) {
        const h = [...l.hooks, label]
        if (b.end === 'drop' || b.end === 'reject') next.push({ pkt: b.pkt, hooks: h, verdict: b.end === 'drop' ? 'DROP' : 'REJECT', ...(b.decidedBy ? { decidedBy: b.decidedBy } : {}) })
        else next.push({ pkt: b.pkt, hooks: h })
      }
    }
    cur = next
  }
  return cur
}

function sameIP(a: string, b: string): boolean {
  const x = parseIPSloppy(a)
  const y = parseIPSloppy(b)
  return x !== undefined && y !== undefined && x.family === y.family && x.value === y.value
}

/** What {@link traceNftPacket} needs. */
export interface NftTraceInput {
  readonly idx: NftIndex
  readonly probe: Probe
  /** The node's own addresses (loopback is always local on the real path). */
  readonly localIPs: readonly string[]
}

/**
 * Traces one probe through a node's nftables ruleset.
 *
 * @example
 * traceNftPacket({ idx: indexNftRuleset(plan.nftables), probe, localIPs: ['192.168.0.2'] })
 */
export function traceNftPacket(input: NftTraceInput): Trace {
  const { idx, probe, localIPs } = input
  const ctx: NftWalkContext = { idx, isLocal: makeIsLocal(localIPs), notes: [] }
  const hooks: string[] = []
  const start: NftPacket = { src: probe.sourceIP, dst: probe.destIP, dport: probe.destPort, protocol: probe.protocol, mark: 0, masquerade: false, marked: false, prob: ONE, path: [] }
  const destLocal = (l: Live): boolean => {
    const ip = parseIPSloppy(l.pkt.dst)
    return ip !== undefined && ctx.isLocal(ip)
  }
  const finals: Live[] = []
  for (const first of runHook(ctx, [{ pkt: start, hooks: [] }], probe.local ? 'output' : 'prerouting', hooks)) {
    let b: Live[] = [first]
    if (first.verdict === undefined) {
      if (probe.local) {
        b = runHook(ctx, b, 'postrouting', hooks)
        if (b.some((x) => x.verdict === undefined && destLocal(x))) b = runHook(ctx, b, 'input', hooks)
      } else if (destLocal(first)) {
        b = runHook(ctx, b, 'input', hooks)
      } else {
        b = runHook(ctx, b, 'forward', hooks)
        b = runHook(ctx, b, 'postrouting', hooks)
      }
    }
    finals.push(...b)
  }
  const outcomes: TraceOutcome[] = finals.map((f) => {
    const verdict: Verdict = f.verdict ?? (f.pkt.dnat !== undefined ? 'DNAT' : 'none')
    const dropped = f.verdict !== undefined
    return {
      probability: toNumber(f.pkt.prob),
      fraction: toFraction(f.pkt.prob),
      verdict,
      ...(f.pkt.dnat !== undefined ? { dnat: f.pkt.dnat } : {}),
      ...(dropped && f.decidedBy !== undefined ? { decidedBy: idx.locate(f.decidedBy) } : {}),
      masquerade: !dropped && f.pkt.masquerade,
      marked: f.pkt.marked,
      hairpin: f.pkt.dnat !== undefined && sameIP(f.pkt.dst, probe.sourceIP),
      hooks: f.hooks,
      path: f.pkt.path.map(idx.locate),
    }
  })
  const upstream = traceNftLikeUpstream(idx, { sourceIP: probe.sourceIP, destIP: probe.destIP, destPort: probe.destPort, protocol: probe.protocol }, localIPs)
  return {
    probe,
    output: upstream.output,
    masquerade: upstream.masq,
    outcomes,
    upstreamPath: upstream.matched.map(idx.locate),
    hooks,
    ...(ctx.affinitySeconds !== undefined
      ? {
          affinity: {
            timeoutSeconds: ctx.affinitySeconds,
            note:
              `ClientIP session affinity: the first connection from ${probe.sourceIP} picks an endpoint with the ` +
              `probabilities shown and its endpoint chain adds the client to that endpoint's affinity set; for ` +
              `${ctx.affinitySeconds}s after its last new connection, new connections from the same client address match ` +
              `the "ip saddr @affinity-…" rule and go to the same endpoint.`,
          },
        }
      : {}),
    notes: explain(probe, outcomes, upstream.output, upstream.masq, ctx),
  }
}

function summarise(outcomes: readonly TraceOutcome[]): string {
  const seen: string[] = []
  for (const o of outcomes) {
    const word = o.verdict === 'DNAT' ? (o.dnat ?? '') : o.verdict === 'none' ? '' : o.verdict
    if (word !== '' && !seen.includes(word)) seen.push(word)
  }
  return seen.join(', ')
}

function explain(probe: Probe, outcomes: readonly TraceOutcome[], output: string, masq: boolean, ctx: NftWalkContext): string[] {
  const notes: string[] = []
  if (probe.local) {
    notes.push(
      `${probe.sourceIP} is one of the node's own addresses: the kernel sends this packet through the output base chains (filter-output-pre-dnat, nat-output, filter-output) and nat-postrouting; kube-proxy's test tracer walks the prerouting chains as if it had arrived.`,
    )
  }
  if (outcomes.every((o) => o.verdict === 'none' && o.dnat === undefined)) {
    const dest = probe.destIP.includes(':') ? `[${probe.destIP}]` : probe.destIP
    notes.push(
      `No kube-proxy rule on node ${probe.node === '' ? '(unnamed)' : probe.node} decides ${probe.protocol.toUpperCase()} to ${dest}:${probe.destPort}: it is not a Service VIP, NodePort or external address of this node, so the packet is routed unchanged.`,
    )
  }
  const real = summarise(outcomes)
  if (real !== output) {
    notes.push(`On the real path the result is ${real === '' ? 'no rule deciding anything' : `"${real}"`}; kube-proxy's test tracer says ${output === '' ? 'nothing' : `"${output}"`}.`)
  }
  const anyMasq = outcomes.some((o) => o.masquerade)
  if (masq && !anyMasq) notes.push("kube-proxy's test tracer marks this packet for masquerade, but on the real path no branch reaches masquerade in nat-postrouting.")
  if (!masq && anyMasq) notes.push("On the real path the packet is masqueraded, which kube-proxy's test tracer does not report.")
  if (outcomes.some((o) => o.hairpin)) notes.push('Hairpin: the packet can be sent back to the pod that sent it; its source is masqueraded so the reply comes back through the node.')
  for (const n of ctx.notes) if (!notes.includes(n)) notes.push(n)
  return notes
}
