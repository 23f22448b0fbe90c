/**
 * @module trace/trace-rules
 * The `--rules` use case: trace probes through a ruleset file (iptables-restore or iptables-save
 * text) rather than a planned one, optionally with a plan for the node's addresses and the Pods
 * and Nodes that `pod:` / `node:` probes name. One function, so the CLI (`trace --rules`) and the
 * Worker trace rules files the same way.
 */
import { pushAll } from '../append.ts'
import type { Issue, Staged } from '../issues.ts'
import type { WorkLimits } from '../limits.ts'
import type { IPFamily } from '../model/k8s.ts'
import { formatIP, parseIPSloppy } from '../net/ip.ts'
import type { PlanResult } from '../plan/types.ts'
import { parseRestore } from '../proxy/iptables/parse.ts'
import { rulesetTarget, traceTarget } from './target.ts'
import { splitHostPort, type ProbeSources } from './probe.ts'
import type { ProbeSpec, Trace } from './types.ts'

/** Input of {@link traceRules}. */
export interface TraceRulesInput {
  /** The ruleset file; issues and rule lines refer to `path`. */
  readonly rules: { readonly path: string; readonly text: string }
  readonly probes: readonly ProbeSpec[]
  /** Where each probe was written (a probes file), for issue positions. */
  readonly sources?: ProbeSources
  /** Default: the plan's node, then the node the file names (kube-proxy's comment), else unnamed. */
  readonly node?: string
  /** Default: the plan's family, then the family of the file's addresses. */
  readonly ipFamily?: IPFamily
  /** The node's own addresses (canonical, see {@link canonicalIP}); default: the plan's node IPs. */
  readonly nodeIPs?: readonly string[]
  /** A plan of the same node, for its addresses and for resolving `pod:` / `node:` probes. */
  readonly plan?: PlanResult
  /** Work limits (the plan's, else the defaults); traces use `maxTracePaths`. */
  readonly limits?: Partial<WorkLimits>
}

/**
 * Traces probes through a ruleset file: parse (`parseRestore`, kube-proxy's own
 * iptables-restore grammar and iptables-save's), add the base-chain jump rules when the file has
 * no nat PREROUTING, then walk it like a planned ruleset.
 */
export function traceRules(input: TraceRulesInput): Staged<Trace[]> {
  const { rules, plan } = input
  const issues: Issue[] = []
  const parsed = parseRestore(rules.text, { file: rules.path, ...(input.ipFamily !== undefined ? { family: input.ipFamily } : {}) })
  pushAll(issues, parsed.issues)
  const nodeIPs = input.nodeIPs !== undefined && input.nodeIPs.length > 0 ? input.nodeIPs : (plan?.proxyConfig.nodeIPs ?? [])
  const target = rulesetTarget({
    tables: parsed.value.tables,
    text: rules.text,
    ruleLines: parsed.value.ruleLines,
    file: rules.path,
    node: input.node ?? plan?.node ?? parsed.value.node,
    ipFamily: input.ipFamily ?? plan?.ipFamily ?? parsed.value.family,
    nodeIPs,
    ...(plan !== undefined ? { pods: plan.pods, nodes: plan.nodes, services: plan.services } : {}),
    ...(input.limits !== undefined ? { limits: input.limits } : plan !== undefined ? { limits: plan.limits } : {}),
  })
  pushAll(issues, target.issues)
  const traces = traceTarget(target.value, input.probes, input.sources)
  pushAll(issues, traces.issues)
  return { value: traces.value, issues }
}

/** An IP address in canonical form (`::ffff:…` and zero-padded forms normalised), or undefined. */
export function canonicalIP(text: string): string | undefined {
  const ip = parseIPSloppy(text)
  return ip === undefined ? undefined : formatIP(ip)
}

/** The family of a destination (`IP:PORT`, `[IPv6]:PORT`) when its host is an IP literal. */
export function destinationFamily(to: string | undefined): IPFamily | undefined {
  const host = to === undefined ? undefined : splitHostPort(to)?.host
  return host === undefined ? undefined : parseIPSloppy(host)?.family
}
