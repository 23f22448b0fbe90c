/**
 * @module trace/target
 * Trace targets: a node's iptables ruleset prepared for tracing, from a plan (the rules
 * kube-whatif renders) or from an iptables-restore / iptables-save file, and the walks over them.
 */
import type { Issue, SourceSpan, Staged } from '../issues.ts'
import { issue } from '../issues.ts'
import type { IPFamily, Node, Pod } from '../model/k8s.ts'
import type { PlannedService, PlanResult } from '../plan/types.ts'
import type { Rule, Table } from '../proxy/iptables/ir.ts'
import { JUMP_RULES } from '../proxy/iptables/jump-chains.ts'
import { raiseHint, resolveWorkLimits, type WorkLimits } from '../limits.ts'
import { syncedRules } from '../proxy/iptables/kernel-state.ts'
import { formatRuleArgs, printRestore } from '../proxy/iptables/print-restore.ts'
import { hasEntryChains, withJumpRules } from './builtin-chains.ts'
import { resolveProbes, type ProbeContext, type ProbeSources } from './probe.ts'
import { ruleLocator } from './rule-lines.ts'
import { tracePacket, tracePacketOutcomes, type RuleLocator, type TracePacketInput } from './trace.ts'
import { indexNftRuleset, type NftIndex } from './nftables/ruleset-index.ts'
import { traceNftPacket } from './nftables/trace.ts'
import type { ProbeSpec, Trace, TraceOutcomes } from './types.ts'


/** A ruleset prepared for tracing: tables with entry chains, where its rules are, whose they are. */
export interface TraceTarget {
  /** The tables walked, built-in chains and jump rules included. */
  readonly tables: readonly Table[]
  readonly locate: RuleLocator
  readonly context: ProbeContext
  /** Facts about the target worth repeating on every trace (e.g. assumed jump rules). */
  readonly notes: readonly string[]
  /** The `maxTracePaths` work limit: distinct outcomes all probes of one run may have together. */
  readonly maxPaths: number
  /** nftables mode: the table to walk instead of `tables`. */
  readonly nftables?: NftIndex
}

function traceAll(target: TraceTarget, probes: readonly ProbeSpec[], sources: ProbeSources): Staged<Trace[]> {
  return traceEach(target, probes, sources, tracePacket, (t) => (target.notes.length === 0 ? t : { ...t, notes: [...target.notes, ...t.notes] }))
}

/**
 * Resolves and traces every probe against one budget of outcomes (`maxPaths`); a probe over it
 * becomes a `limit/trace-paths` issue. `walk` traces one probe in iptables mode (nftables mode
 * always traces in full), `keep` finishes a trace that fits.
 */
function traceEach<T extends TraceOutcomes>(
  target: TraceTarget,
  probes: readonly ProbeSpec[],
  sources: ProbeSources,
  walk: (input: TracePacketInput) => T,
  keep: (t: T | Trace) => T,
): Staged<T[]> {
  const resolved = resolveProbes(probes, target.context, sources)
  const issues: Issue[] = [...resolved.issues]
  const traces: T[] = []
  // One budget for all probes of the run: 100 probes of a 20,000-endpoint Service would otherwise
  // be two million outcomes (3 KB of JSON each).
  let remaining = target.maxPaths
  const nft = target.nftables
  for (const probe of resolved.value) {
    const t =
      nft !== undefined
        ? traceNftPacket({ idx: nft, probe, localIPs: target.context.nodeIPs })
        : walk({ tables: target.tables, probe, localIPs: target.context.nodeIPs, locate: target.locate, maxPaths: remaining })
    // The nftables walker has no budget of its own: its outcomes are counted against the same one.
    if (t.limitReached !== undefined || t.outcomes.length > remaining) {
      issues.push(traceLimitIssue(t, target.maxPaths, probes, sources))
      continue
    }
    remaining -= t.outcomes.length
    traces.push(keep(t))
  }
  return { value: traces, issues }
}

/** The `limit/trace-paths` issue of a trace that stopped at the limit (at the probe's line, when it has one). */
function traceLimitIssue(t: TraceOutcomes, maxPaths: number, probes: readonly ProbeSpec[], sources: ProbeSources): Issue {
  const at = t.limitReached
  const index = probes.findIndex((p) => (p.name ?? `${p.from} → ${p.to}`) === t.probe.name && p.from === t.probe.from && p.to === t.probe.to)
  const source = index >= 0 ? sources[index] : undefined
  const rule = at === undefined ? '' : ` (at ${at.chain} rule ${at.index + 1}${at.line !== undefined ? `, line ${at.line}` : ''}: ${at.text})`
  return issue(
    'limit/trace-paths',
    'error',
    `Probe ${t.probe.name} would take the traced outcomes above ${maxPaths}${rule}, more than the limit for one run (${raiseHint('maxTracePaths')}); it is not traced`,
    { path: index >= 0 ? `probes[${index}]` : 'probe', ...(source !== undefined ? { source } : {}) },
  )
}

/** Options of {@link planTarget}. */
export interface PlanTargetOptions {
  /**
   * `false`: path steps carry no restore-text line (iptables mode), so the payload is neither
   * printed nor indexed. Diagrams draw rule texts only, never lines: locating every rule of the
   * payload was a third of a diff's diagrams at 1k Services (`indexText` of both sides' text).
   */
  readonly lines?: boolean
}

/**
 * The trace target of a plan: its rendered ruleset plus kube-proxy's jump rules (iptables mode),
 * or its nftables table. `restoreText` is `printRestore(plan.ruleset)` (iptables mode) or the
 * `nft -f` transaction (nftables mode) when the caller has it already (it is not printed again).
 */
export function planTarget(plan: PlanResult, restoreText?: string, options: PlanTargetOptions = {}): TraceTarget {
  if (plan.nftables !== undefined) {
    const idx = indexNftRuleset(plan.nftables, restoreText)
    const context = probeContextOf(plan)
    return { tables: [], locate: () => idx.locate({ chain: '', index: 0 }), context, notes: [], maxPaths: plan.limits.maxTracePaths, nftables: idx }
  }
  // With the node's rules before the sync, the packet meets what the sync leaves: that state
  // with the jump rules ensured and the payload loaded over it (chains it does not touch stay).
  const current = plan.currentRules
  const tables = current ? syncedRules(current, plan.ruleset, plan.jumpRules).tables : withJumpRules(plan.ruleset.tables, plan.jumpRules)
  return {
    tables,
    // Lines refer to `kube-whatif plan -o iptables-restore`, which prints exactly this.
    locate: ruleLocator(tables, options.lines === false ? undefined : (restoreText ?? printRestore(plan.ruleset)), (r) => formatRuleArgs(r)),
    context: probeContextOf(plan),
    maxPaths: plan.limits.maxTracePaths,
    notes: current ? [`Traced through the rules after the sync from ${current.file} (rules kept from it have no line in the payload)`] : [],
  }
}

/**
 * What probes are resolved with on a plan's node. Its `services` are read when a probe names a
 * Service (probe.ts `resolveProbes`), so they are a getter: reading `plan.services` builds every
 * Service's view, and a diff's diagrams, which trace service ports and resolve no probe, built
 * both sides' (1k views each at 1k Services, about a third of the Markdown report's drawing).
 */
function probeContextOf(plan: PlanResult): ProbeContext {
  return {
    node: plan.node,
    ipFamily: plan.ipFamily,
    nodeIPs: plan.proxyConfig.nodeIPs,
    pods: plan.pods,
    nodes: plan.nodes,
    get services(): readonly PlannedService[] {
      return plan.services
    },
  }
}

/**
 * Traces probes through the plan's node: sources `pod:NS/NAME` / `node:NAME` / IP are resolved
 * with the plan's Pods and Nodes; unresolvable probes are left out with a
 * `trace/probe-unresolved` issue. Results keep the probes' order.
 *
 * @example
 *   const plan = planFromSources({ files }).value
 *   traceProbes(plan, [{ name: 'web', from: 'pod:default/client', to: '10.96.0.10:80' }])
 */
export function traceProbes(plan: PlanResult, probes: readonly ProbeSpec[], sources: ProbeSources = [], restoreText?: string): Staged<Trace[]> {
  return traceAll(planTarget(plan, restoreText), probes, sources)
}

/** A ruleset read from a file (parseRestore), and where the node's addresses come from. */
export interface RulesetTargetInput {
  readonly tables: readonly Table[]
  /** The original file text; line numbers refer to it. */
  readonly text: string
  /** The parser's line of every rule, when known. */
  readonly ruleLines?: ReadonlyMap<Rule, number>
  readonly file: string
  readonly node: string
  readonly ipFamily: IPFamily
  /** The node's own addresses (LOCAL); loopback is always local. */
  readonly nodeIPs: readonly string[]
  readonly pods?: readonly Pod[]
  readonly nodes?: readonly Node[]
  /** Work limits (defaults when absent); traces use `maxTracePaths`. */
  readonly limits?: Partial<WorkLimits>
  readonly services?: readonly PlannedService[]
}

/**
 * The trace target of a ruleset file. A file without nat PREROUTING (a bare restore payload)
 * gets kube-proxy's jump rules added (proxier.go `iptablesJumpChains`), with a note saying so.
 */
export function rulesetTarget(input: RulesetTargetInput): Staged<TraceTarget> {
  const issues: Issue[] = []
  const notes: string[] = []
  let tables = input.tables
  if (!hasEntryChains(tables)) {
    tables = withJumpRules(tables, JUMP_RULES)
    notes.push(`${input.file} holds no nat PREROUTING chain: kube-proxy's base-chain jump rules were assumed (they are not in a restore payload).`)
  }
  if (input.nodeIPs.length === 0) {
    const source: SourceSpan = { file: input.file, line: 1, column: 1 }
    issues.push(
      issue('trace/no-node-addresses', 'warning', 'No node addresses given: only loopback counts as LOCAL (give --node-ip, or --cluster with the Node)', { source }),
    )
  }
  return {
    value: {
      tables,
      locate: ruleLocator(tables, input.text, (r) => formatRuleArgs(r), input.ruleLines),
      context: {
        node: input.node,
        ipFamily: input.ipFamily,
        nodeIPs: input.nodeIPs,
        pods: input.pods ?? [],
        nodes: input.nodes ?? [],
        ...(input.services !== undefined ? { services: input.services } : {}),
      },
      notes,
      maxPaths: resolveWorkLimits(input.limits).maxTracePaths,
    },
    issues,
  }
}

/**
 * {@link traceTarget}'s outcomes alone, for diagrams (trace.ts `tracePacketOutcomes`): the same
 * outcomes, affinity, budget and issues, without kube-proxy's test-tracer view and the notes.
 */
export function traceTargetOutcomes(target: TraceTarget, probes: readonly ProbeSpec[]): Staged<TraceOutcomes[]> {
  return traceEach<TraceOutcomes>(target, probes, [], tracePacketOutcomes, (t) => t)
}

/** Traces probes through a prepared target (plan or file). */
export function traceTarget(target: TraceTarget, probes: readonly ProbeSpec[], sources: ProbeSources = []): Staged<Trace[]> {
  return traceAll(target, probes, sources)
}
