/**
 * @module diff/plan-diff
 * `planDiff`: plans the base and the head manifests against the same cluster facts and diffs the
 * results (Services, allocations, endpoints, exposure, rules per node, findings, probes). The
 * comparison itself is pure data-to-data (services.ts, rules.ts, findings.ts, probes.ts); this
 * file only orchestrates the planner calls.
 */
import { pushAll } from '../append.ts'
import type { Issue, Staged } from '../issues.ts'
import type { IPFamily } from '../model/k8s.ts'
import type { KubernetesVersion } from '../model/version.ts'
import type { SourceFile } from '../model/inventory.ts'
import type { ParseLimits } from '../parse/index.ts'
import type { WorkLimits } from '../limits.ts'
import { apiserverStage, assemblePlan, parseStage, planCommon, planNodeProxy, readCurrentRulesFor, retargetCommon, type PlanCommon } from '../plan/index.ts'
import type { CurrentRules } from '../proxy/iptables/current-rules.ts'
import { syncedRules } from '../proxy/iptables/kernel-state.ts'
import { newFrontEndMemo } from '../proxy/state.ts'
import type { PlanOptions, PlanResult } from '../plan/types.ts'
import { serviceIndexOf, type ServiceView } from '../plan/services.ts'
import { frontEndStage, rulesetStage, type NodeProxyPlan, type ParsedInput } from '../plan/stages.ts'
import type { ProxyMode } from '../model/cluster.ts'
import { traceProbes } from '../trace/index.ts'
import type { ProbeSpec } from '../trace/types.ts'
import { diffDiagrams } from './diagrams.ts'
import { collectFindings } from './findings.ts'
import { diffProbes } from './probes.ts'
import { migrationDifferences } from './migration.ts'
import { nodeFreeState, sameBackendInput, sameBackendInputBefore, type ListedMemo } from './node-sharing.ts'
import { buildSharingPorts } from './port-sharing.ts'
import { parseHeadTracked } from './shared-parse.ts'
import { newServiceMemo, type BaseOf } from '../apiserver/service/reuse.ts'
import { findRefusals, keepBaseObjects, type Refusal } from './refused.ts'
import { joinLines, type RuleLineCache } from './restore-lines.ts'
import { diffRulesByNode, rulesLines, rulesText, type NodeRules } from './rules.ts'
import { cmp, diffServices, sideOfIndex, type ServiceSide } from './services.ts'
import type { DiagramChange } from '../diagram/types.ts'
import type { DiffSummary, Finding, PlanDiff, ProbeChange, RulesChange, ServiceChange } from './types.ts'

/** Options of {@link planDiff}. */
export interface PlanDiffOptions {
  /** Compare only this node's rules (default: every node, up to `maxNodes`). */
  readonly node?: string
  readonly ipFamily?: IPFamily
  /** The release the base side is planned at (default: the ClusterProfile's, else 1.35). */
  readonly baseKubernetesVersion?: KubernetesVersion
  /** The release the head side is planned at; differing from the base makes an upgrade preview. */
  readonly headKubernetesVersion?: KubernetesVersion
  readonly limits?: Partial<ParseLimits & WorkLimits>
  /** How many nodes' rules to compare at most (each costs the kube-proxy stages once per side). Default 20. */
  readonly maxNodes?: number
  /**
   * The rendered node's `iptables-save` before the base (`--current-rules`): the base syncs from
   * it, the head from what the base's sync leaves. Only that node's rules are compared.
   */
  readonly currentRules?: { readonly path: string; readonly text: string }
  /** `--proxy-mode`: both sides' kube-proxy backend (default: each side's KubeProxyConfiguration). */
  readonly proxyMode?: ProxyMode
  /** `--base-proxy-mode` / `--head-proxy-mode`: one side's backend, winning over `proxyMode`. */
  readonly baseProxyMode?: ProxyMode
  readonly headProxyMode?: ProxyMode
}

/** Input of {@link planDiff}. Side tags on the files are overridden: base/head are proposed, cluster existing. */
export interface PlanDiffInput {
  readonly base: readonly SourceFile[]
  readonly head: readonly SourceFile[]
  readonly cluster?: readonly SourceFile[]
  readonly options?: PlanDiffOptions
  readonly probes?: readonly ProbeSpec[]
}

/** Default cap on nodes compared. */
export const DEFAULT_MAX_NODES = 20

const as = (files: readonly SourceFile[], origin: SourceFile['origin']): SourceFile[] => files.map((f) => ({ ...f, origin }))

/**
 * Plans base and head against the same cluster facts and diffs the results.
 *
 * @example
 * const d = planDiff({ base: [{ path: 'svc.yaml', text: before, origin: 'proposed' }], head: [...], cluster: [] })
 * diffSummary(d.value) // { added: 1, changed: 0, destroyed: 0, ... }
 */
export function planDiff(input: PlanDiffInput): Staged<PlanDiff> {
  return planDiffWith(input, SHORTCUTS)
}

/**
 * Which shortcuts {@link planDiffWith} takes. Each must give the bytes the full computation gives;
 * test/diff/shortcuts.test.ts compares both on seeded base/head pairs.
 */
export interface DiffShortcuts {
  /** Parse only the head's documents whose text the base does not hold (shared-parse.ts). */
  readonly shareParse: boolean
  /** Take the default node's rules for a node whose backend input is the same (node-sharing.ts). */
  readonly shareNodes: boolean
  /** Index only the changed Services' rules for their diagrams' traces (trace/slice.ts `SliceWanted`). */
  readonly indexChanged: boolean
  /** Slice the diagrams' rulesets from the entry chains, reading only the chains reached (trace/slice.ts `reach`). */
  readonly sliceReached: boolean
  /** With `shareNodes`: decide before building the other node's front end when no port depends on the node. */
  readonly skipFrontEnd: boolean
  /** Build the head's rule IR taking the base's rules of service ports whose input is the same (port-sharing.ts). */
  readonly sharePorts: boolean
  /** With `shareParse`: replay the base's Service creates for the head's same documents (apiserver/service/reuse.ts). */
  readonly replayCreates: boolean
  /** Take the base's service ports of Services whose fields and slices are the same objects in the head (proxy/state.ts). */
  readonly shareFrontEnds: boolean
  /** With `sharePorts`: format the default rulesets' restore lines as their rules are written (port-sharing.ts). */
  readonly writeLines: boolean
  /** The head's Service and service-port views taken from the base's where built from the same objects (plan/services.ts, plan/service-ports.ts). */
  readonly shareViews: boolean
  /** Draw the diagrams when `diagrams` is first read, not in planDiff (see {@link drawnOnRead}). */
  readonly drawOnRead: boolean
  /** Compare Services by their views' inputs, building the views of the others only (plan/services.ts `ServiceIndex`). */
  readonly viewsOnDemand: boolean
}

/** What {@link planDiff} uses. */
export const SHORTCUTS: DiffShortcuts = { shareParse: true, shareNodes: true, indexChanged: true, sliceReached: true, skipFrontEnd: true, sharePorts: true, replayCreates: true, shareFrontEnds: true, writeLines: true, shareViews: true, drawOnRead: true, viewsOnDemand: true }

/** {@link planDiff} with the given shortcuts (all `false`: everything computed in full). */
export function planDiffWith(input: PlanDiffInput, how: DiffShortcuts): Staged<PlanDiff> {
  const cluster = as(input.cluster ?? [], 'existing')
  const baseFiles = [...cluster, ...as(input.base, 'proposed')]
  const headFiles = [...cluster, ...as(input.head, 'proposed')]
  const opts = input.options ?? {}
  const planOpts = {
    ...(opts.ipFamily ? { ipFamily: opts.ipFamily } : {}),
    ...(opts.limits ? { limits: opts.limits } : {}),
  }
  // Parse, cluster facts and apiserver emulation run once per side; each compared node re-runs
  // only the kube-proxy stages (before: one full plan per node and side, 5.3× a plan at 3 nodes).
  const optionsFor = (kubernetesVersion: KubernetesVersion | undefined, proxyMode: ProxyMode | undefined) => ({
    ...planOpts,
    ...(opts.node !== undefined ? { node: opts.node } : {}),
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    ...(proxyMode !== undefined ? { proxyMode } : {}),
  })
  const baseOptions = optionsFor(opts.baseKubernetesVersion, opts.baseProxyMode ?? opts.proxyMode)
  const headOptions = optionsFor(opts.headKubernetesVersion, opts.headProxyMode ?? opts.proxyMode)
  // The head's documents that are the base's text again are not parsed twice (shared-parse.ts).
  const baseParsed = parseStage({ files: baseFiles, options: baseOptions })
  const memo = how.shareParse && how.replayCreates ? newServiceMemo() : undefined
  const baseCommon = apiserverStage(baseParsed, memo ? { record: memo } : {})
  let headCommon: PlanCommon
  if (how.shareParse) {
    const head = sharedHead(baseFiles, baseParsed, headFiles, headOptions)
    headCommon = apiserverStage(head.parsed, memo ? { reuse: { memo, baseOf: head.baseOf } } : {})
  } else headCommon = planCommon({ files: headFiles, options: headOptions })
  const baseCurrent = opts.currentRules ? readCurrentRulesFor(baseCommon, opts.currentRules) : undefined
  const fronts = how.shareFrontEnds ? newFrontEndMemo() : undefined
  const baseNode = planNodeProxy(baseCommon, baseCurrent, fronts ? { record: fronts } : {})
  // The base's views as built, for the head's of the same objects (built on first read, either side first).
  const views = how.shareViews ? new Map<string, ServiceView>() : undefined
  const base = assemblePlan(baseCommon, baseNode, views ? { services: { record: views } } : {})
  // The head is applied to the node after the base was: its sync starts from what the base's left.
  const headCurrent = baseCurrent ? afterSync(baseCurrent, base.value) : undefined
  let headNode = planNodeProxy(headCommon, headCurrent, fronts ? { reuse: fronts } : {})
  let head = assemblePlan(headCommon, headNode, views ? { services: { reuse: views }, ports: () => ({ nodeName: base.value.node, ports: base.value.servicePorts }) } : {})
  const headPaths = new Set(input.head.map((f) => f.path))
  let refusals = findRefusals(head.value, headCommon.inventory, headPaths)
  // A refused update fails and leaves the object the base applied: plan the head again with that
  // object as the cluster's current one, so its allocations, endpoints and rules stay (and the
  // request is judged as the update it is). Only when the base proposed such a Service.
  // (Without a refusal the base's views are not read for it.)
  const baseProposed = refusals.length === 0 ? new Set<string>() : new Set(base.value.services.filter((s) => s.origin === 'proposed').map((s) => `${s.namespace}/${s.name}`))
  const kept = new Set(refusals.map((r) => `${r.namespace}/${r.name}`).filter((k) => baseProposed.has(k)))
  if (kept.size > 0) {
    const inventory = keepBaseObjects(headCommon.inventory, base.value, kept)
    headCommon = apiserverStage({ inventory, parseIssues: headCommon.parseIssues, options: headOptions })
    headNode = planNodeProxy(headCommon, headCurrent)
    head = assemblePlan(headCommon, headNode)
    refusals = findRefusals(head.value, headCommon.inventory, headPaths)
  }
  // The default node's rules of both sides, the head's from the base's where a port is unchanged
  // (before anything reads them: a ruleset read already keeps the IR it built).
  if (how.sharePorts && headCurrent === undefined) buildSharingPorts(base.value.ruleset, head.value.ruleset, how.writeLines)
  const sides = how.viewsOnDemand ? serviceSides(baseCommon, headCommon) : undefined
  const services = diffServices(base.value, head.value, refusals, true, sides)

  // Rules: every node known on both sides (or just --node), the kube-proxy stages per node and side.
  const baseNodes = new Set(base.value.nodes.map((n) => n.metadata.name))
  // The current rules are one node's: with them only the rendered node is compared.
  const shared = opts.node !== undefined || headCurrent !== undefined ? [head.value.node] : head.value.nodes.map((n) => n.metadata.name).filter((n) => baseNodes.has(n)).sort(cmp)
  const max = Math.max(1, opts.maxNodes ?? DEFAULT_MAX_NODES)
  const compared = shared.slice(0, max)
  // Whether a side's default front end is the same for every node (computed once per side, the
  // head's slice counts taken from the base's where the slices are the same).
  const nodeFree = new Map<NodeProxyPlan, boolean>()
  const listed: ListedMemo = {}
  const isNodeFree = (c: PlanCommon, plan: NodeProxyPlan): boolean => {
    let free = nodeFree.get(plan)
    if (free === undefined) {
      free = nodeFreeState({ common: c, proxy: plan.proxy, state: plan.state }, c.endpointSlices, listed)
      nodeFree.set(plan, free)
    }
    return free
  }
  const rulesFor = (c: PlanCommon, node: string, def: { readonly rules: NodeRules; readonly plan: NodeProxyPlan }): NodeRules => {
    const other = retargetCommon(c, node)
    const shareable = how.shareNodes && def.plan.current === undefined
    // No port's state depends on the node: the default node's rules without building this
    // node's front end at all (its state was most of what a shared node still cost).
    if (shareable && how.skipFrontEnd && sameBackendInputBefore({ common: c, proxy: def.plan.proxy, state: def.plan.state }, other, isNodeFree(c, def.plan))) return def.rules
    const front = frontEndStage(other)
    // Most nodes write the default node's rules (no node-local policy): take them, already built
    // and printed, instead of building, printing and comparing the same rules again.
    if (shareable && sameBackendInput({ common: c, proxy: def.plan.proxy, state: def.plan.state }, front)) return def.rules
    const n = rulesetStage(front)
    return { ipFamily: c.family, ruleset: n.ruleset, ...(n.nftables !== undefined ? { nftables: n.nftables } : {}) }
  }
  // One node's rules at a time: each is dropped once diffed, so the heap holds two nodes' rulesets
  // and texts at most instead of every node's (less for the collector to trace and move).
  function* pairs(): Generator<{ node: string; base: NodeRules; head: NodeRules }> {
    for (const node of compared) {
      yield {
        node,
        base: node === base.value.node ? base.value : rulesFor(baseCommon, node, { rules: base.value, plan: baseNode }),
        head: node === head.value.node ? head.value : rulesFor(headCommon, node, { rules: head.value, plan: headNode }),
      }
    }
  }
  // The default node's rules are read as lines for the rule diff and again as text for probe
  // locations: keep those two only (other nodes' lines are dropped as soon as they are diffed).
  // Their rule lines are formatted once for both sides (restore-lines.ts): the head's rules of
  // unchanged ports are the base's objects. Other nodes' rules are their own objects: no cache.
  const keep = new Set<NodeRules>([base.value, head.value])
  const ruleLines: RuleLineCache = new Map()
  const read = new Map<NodeRules, readonly string[]>()
  const lines = (r: NodeRules): readonly string[] => {
    let ls = read.get(r)
    if (ls === undefined) {
      ls = rulesLines(r, keep.has(r) ? ruleLines : undefined)
      if (keep.has(r)) read.set(r, ls)
    }
    return ls
  }
  const printed = new Map<NodeRules, string>()
  const print = (r: NodeRules): string => {
    let text = printed.get(r)
    if (text === undefined) {
      text = r.nftables !== undefined ? rulesText(r) : joinLines(lines(r))
      if (keep.has(r)) printed.set(r, text)
    }
    return text
  }
  const rules = diffRulesByNode(pairs(), lines)
  const issues: Issue[] = [...head.issues]
  let probes: ProbeChange[] = []
  let traceIssues: readonly Issue[] = []
  if (input.probes && input.probes.length > 0) {
    const bt = traceProbes(base.value, input.probes, [], print(base.value))
    const ht = traceProbes(head.value, input.probes, [], print(head.value))
    probes = diffProbes(input.probes, bt.value, ht.value)
    traceIssues = ht.issues
    pushAll(issues, ht.issues)
  }
  // Probe problems (e.g. an unresolvable pod:NS/NAME) are findings too, so reports show them.
  const findings = collectFindings(base.value, head.value, services, traceIssues, sides)

  const draw = (): readonly DiagramChange[] => diffDiagrams(base.value, head.value, services, (p) => print(p), how.indexChanged, undefined, how.sliceReached)
  const value: Omit<PlanDiff, 'summary' | 'diagrams'> & { diagrams: readonly DiagramChange[] | undefined } = {
    node: head.value.node,
    ipFamily: head.value.ipFamily,
    services,
    rules,
    nodesCompared: compared,
    nodesNotCompared: shared.length - compared.length,
    findings,
    probes,
    assumptions: [...withBaseVersion(head.value.assumptions, base.value, head.value), ...refusals.filter((r) => kept.has(`${r.namespace}/${r.name}`)).map(keptNote)],
    // In its place among the keys; drawn here, or when first read (drawnOnRead).
    diagrams: how.drawOnRead ? undefined : draw(),
    ...modes(base.value, head.value),
  }
  const diff = { ...value, summary: summarise(services, rules, findings) }
  return { value: how.drawOnRead ? drawnOnRead(diff, draw) : (diff as PlanDiff), issues }
}

/**
 * `diff` with its `diagrams` drawn by `draw` when first read, then kept as a plain property (the
 * drawing's inputs released). Only the Markdown report shows diagrams: the text report (the CLI's
 * default), SARIF, JSON (report/diff-json.ts skips the key unread) and the Action's annotations
 * never read them, so drawing them in planDiff
 * was ≈ 10% of a diff at 1k Services for those readers; a Markdown report draws them when it
 * renders, at the same cost. `draw` reads the two sides' plans, which do not change once planned
 * (the rulesets' IR is built already), and the trace and diagram code keeps no state that changes
 * what it gives, so a later drawing is the one planDiff would have made. Until then the diff holds
 * both plans (as planDiff did while it ran). test/diff/shortcuts.test.ts compares every format
 * with the eager drawing; test/diff/draw-on-read.test.ts checks when and how often it draws.
 */
function drawnOnRead(diff: Omit<PlanDiff, 'diagrams'> & { diagrams: unknown }, draw: () => readonly DiagramChange[]): PlanDiff {
  let pending: (() => readonly DiagramChange[]) | undefined = draw
  let drawn: readonly DiagramChange[] = []
  return Object.defineProperty(diff, 'diagrams', {
    enumerable: true,
    configurable: true,
    get(): readonly DiagramChange[] {
      if (pending !== undefined) {
        drawn = pending()
        pending = undefined
        // A plain property from now on, unless the reader froze or sealed the diff meanwhile.
        if (Object.getOwnPropertyDescriptor(diff, 'diagrams')?.configurable === true) Object.defineProperty(diff, 'diagrams', { value: drawn, writable: true, enumerable: true, configurable: true })
      }
      return drawn
    },
  }) as PlanDiff
}

/**
 * Both sides' Services by their views' inputs (views built when asked), for the Service
 * comparison and the findings; undefined (their views are read) unless both sides index.
 */
function serviceSides(base: PlanCommon, head: PlanCommon): { base: ServiceSide; head: ServiceSide } | undefined {
  const b = serviceIndexOf(base)
  const h = serviceIndexOf(head, b)
  return b !== undefined && h !== undefined ? { base: sideOfIndex(b), head: sideOfIndex(h) } : undefined
}

/** The head's parse stage, taking the documents it shares with the base from the base's parse. */
function sharedHead(baseFiles: readonly SourceFile[], base: ParsedInput, headFiles: readonly SourceFile[], options: PlanOptions): { parsed: ParsedInput; baseOf: BaseOf } {
  const head = parseHeadTracked(baseFiles, { value: base.inventory, issues: base.parseIssues }, headFiles, options.limits)
  return { parsed: { inventory: head.parsed.value, parseIssues: head.parsed.issues, options }, baseOf: head.baseOf }
}

/** The assumption behind an update refusal whose base object stands in for the cluster's. */
function keptNote(r: Refusal): string {
  return (
    `${r.namespace}/${r.name}: the head's request is refused, so the object the base defines stays (its ClusterIP, NodePorts, endpoints and rules); ` +
    'the request was judged as an update of that object, as when the base is applied before the head'
  )
}

/**
 * The node's rules after the base's sync, as the head's starting point; problems reading the file
 * are carried over so the head (whose issues the findings come from) reports them too.
 */
function afterSync(current: Staged<CurrentRules | undefined>, base: PlanResult): Staged<CurrentRules | undefined> {
  const value = current.value
  if (value === undefined) return current
  return { value: { ...syncedRules(value, base.ruleset, base.jumpRules), file: `${value.file} after the base's sync` }, issues: current.issues }
}

/** `proxyMode` and `migration` of a diff where some side is in nftables mode (else nothing). */
function modes(base: PlanResult, head: PlanResult): Pick<PlanDiff, 'proxyMode' | 'migration'> {
  if (base.proxyMode === 'iptables' && head.proxyMode === 'iptables') return {}
  const proxyMode = { base: base.proxyMode, head: head.proxyMode }
  if (base.proxyMode === head.proxyMode) return { proxyMode }
  return { proxyMode, migration: base.proxyMode === 'iptables' ? migrationDifferences(base, head) : migrationDifferences(head, base) }
}

/** The head side's assumptions, plus the base side's release when the two sides differ (an upgrade preview). */
function withBaseVersion(assumptions: readonly string[], base: PlanResult, head: PlanResult): readonly string[] {
  const b = base.cluster.profile.kubernetesVersion
  const h = head.cluster.profile.kubernetesVersion
  if (b === h) return assumptions
  return [...assumptions, `Upgrade preview: the base side is planned at Kubernetes ${b}, the head side at ${h}; changes include what the upgrade itself changes.`]
}

function summarise(services: readonly ServiceChange[], rules: readonly RulesChange[], findings: readonly Finding[]): DiffSummary {
  const n = (k: ServiceChange['kind']): number => services.filter((s) => s.kind === k).length
  const sev = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length
  return {
    added: n('create'),
    changed: n('update'),
    destroyed: n('delete'),
    refused: n('refused'),
    errors: sev('error'),
    warnings: sev('warning'),
    notices: sev('notice'),
    hasChanges: services.length > 0 || rules.length > 0,
  }
}

/** The counts behind the summary line and the exit code. */
export function diffSummary(d: PlanDiff): DiffSummary {
  return d.summary
}

/**
 * `terraform plan -detailed-exitcode` semantics: 1 when any finding is an error, else 2 when
 * something changes, else 0.
 */
export function diffExitCode(s: DiffSummary): 0 | 1 | 2 {
  if (s.errors > 0) return 1
  return s.hasChanges ? 2 : 0
}
