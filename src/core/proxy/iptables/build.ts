/**
 * The full-sync iptables-restore payload kube-proxy writes for one node and family,
 * composed from the per-concern builders in the order
 * pkg/proxy/iptables/proxier.go syncProxyRules writes its buffers.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import type { ProxyState, ServicePortPlan } from '../types.ts'
import { writeEndpointChains } from './build-endpoint-chains.ts'
import { writeFirewallChain } from './build-firewall.ts'
import { writeNodePortRules } from './build-node-ports.ts'
import { writeExternalChain, writeInternalMasquerade, writePolicyChains } from './build-policy-chains.ts'
import { writeServiceVIPRules } from './build-service-vips.ts'
import { writeForwardRules, writeNodePortsTail, writeStaticHead } from './build-static.ts'
import { staleServiceChains } from './current-rules.ts'
import type { Rule, Ruleset, TableName } from './ir.ts'
import type { NodeRules } from './kernel-state.ts'
import { portContext } from './port-flags.ts'
import { formatRuleLine } from './print-restore.ts'
import { detectorArgs } from './rule-parts.ts'
import { RestoreTextWriter, RulesetWriter, type RuleSink } from './writer.ts'

/** largeClusterEndpointsThreshold: above this many endpoints, per-endpoint comments are dropped. */
export const LARGE_CLUSTER_ENDPOINTS_THRESHOLD = 1000

/**
 * Builds the payload of a full sync: filter then nat, each with its chain declarations (top-level
 * chains first, then each service port's EXT/FW/SVC/SVL/SEP chains) and rules in write order.
 * Service ports are taken in `state` order (kube-proxy uses Go map order). With the node's
 * `current` rules, service chains it holds that this sync does not write are declared after the
 * others and deleted (`-X`) after the service rules, before the KUBE-NODEPORTS tail rule
 * (syncProxyRules' stale chain cleanup); without them there is no previous sync to clean up.
 *
 * @example
 * const text = printRestore(buildIptablesRuleset(buildProxyState(services, slices, cfg), cfg))
 */
export function buildIptablesRuleset(state: ProxyState, cfg: ProxyConfig, current?: NodeRules): Ruleset {
  const w = new RulesetWriter(['filter', 'nat'])
  writeIptablesRuleset(w, state, cfg, current)
  return w.finish(cfg.ipFamily, cfg.nodeName)
}

/**
 * The same payload printed straight to `iptables-restore` text, without keeping the rules as IR:
 * byte for byte `printRestore(buildIptablesRuleset(state, cfg, current))` (production mark style).
 */
export function printIptablesRestore(state: ProxyState, cfg: ProxyConfig, current?: NodeRules): string {
  const w = new RestoreTextWriter(['filter', 'nat'])
  writeIptablesRuleset(w, state, cfg, current)
  return w.finish()
}

/**
 * One write of a service port's part of the payload: a chain declaration, or a rule appended
 * (with its restore line, `:CHAIN - [0:0]` or `formatRuleLine`, when the build recording it kept lines).
 */
export type PortWrite = { readonly table: TableName; readonly chain: string; readonly rule?: Rule; readonly line?: string }

/**
 * Per service port writes of another build, for {@link buildIptablesRulesetReusing}: the builders
 * of one service port (S1–S13 below) are a function of that port's plan (`info` and `categorized`;
 * they read nothing else of it), the configuration and the large-cluster flag, and of nothing
 * written before (no builder asks the sink what was declared). The caller decides when a port's
 * input is the same; `replay` then gives the writes an earlier build made for it.
 */
export interface PortWrites {
  /** The writes to repeat for `plan`, or undefined to run the builders. */
  replay(plan: ServicePortPlan): readonly PortWrite[] | undefined
  /** The writes this build made for `plan` (offered to a later build); absent: nothing recorded. */
  readonly record?: (plan: ServicePortPlan, writes: readonly PortWrite[]) => void
  /**
   * Format each rule's line as it is written and keep the lines with the tables (writer.ts
   * `writtenLines`); recorded writes then carry their line, and a replayed write's line is taken.
   */
  readonly keepLines?: boolean
}

/**
 * {@link buildIptablesRuleset} where each service port's writes may be taken from another build
 * (`ports.replay`): the same declarations, and the very same rule objects, in the same order.
 * planDiff builds the head's rules so, from the base's (diff/port-sharing.ts): the rules of
 * unchanged service ports are then the base's objects, and comparing them is an identity check.
 */
export function buildIptablesRulesetReusing(state: ProxyState, cfg: ProxyConfig, current: NodeRules | undefined, ports: PortWrites): Ruleset {
  const w = new RulesetWriter(['filter', 'nat'], ports.keepLines === true)
  writeIptablesRuleset(w, state, cfg, current, ports)
  return w.finish(cfg.ipFamily, cfg.nodeName)
}

/** Passes writes on to `w` and keeps them, in order (with each line when `lines`). */
class RecordingSink implements RuleSink {
  readonly writes: PortWrite[] = []
  constructor(
    private readonly w: RuleSink,
    private readonly lines: boolean,
  ) {}
  declare(table: TableName, chain: string): void {
    if (this.lines) {
      const line = `:${chain} - [0:0]`
      this.writes.push({ table, chain, line })
      this.w.declare(table, chain, line)
    } else {
      this.writes.push({ table, chain })
      this.w.declare(table, chain)
    }
  }
  isDeclared(table: TableName, chain: string): boolean {
    return this.w.isDeclared(table, chain)
  }
  append(table: TableName, chain: string, rule: Rule): void {
    if (this.lines) {
      const line = formatRuleLine(chain, rule)
      this.writes.push({ table, chain, rule, line })
      this.w.append(table, chain, rule, line)
    } else {
      this.writes.push({ table, chain, rule })
      this.w.append(table, chain, rule)
    }
  }
  deleteChain(table: TableName, chain: string): void {
    this.w.deleteChain(table, chain)
  }
}

/** syncProxyRules' writes in order, to either kind of {@link RuleSink}. */
function writeIptablesRuleset(w: RuleSink, state: ProxyState, cfg: ProxyConfig, current: NodeRules | undefined, ports?: PortWrites): void {
  writeStaticHead(w, cfg)
  const largeCluster = state.totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD
  const detector = detectorArgs(cfg.localDetector)
  for (const plan of state.servicePorts) {
    const again = ports?.replay(plan)
    if (again !== undefined) {
      for (const x of again) {
        if (x.rule === undefined) w.declare(x.table, x.chain, x.line)
        else w.append(x.table, x.chain, x.rule, x.line)
      }
      ports?.record?.(plan, again)
      continue
    }
    const sink = ports?.record === undefined ? w : new RecordingSink(w, ports.keepLines === true)
    const ctx = portContext(sink, cfg, plan, detector, largeCluster)
    writeServiceVIPRules(ctx) // S1–S4
    writeNodePortRules(ctx) // S5–S6
    writeInternalMasquerade(ctx) // S7
    writeExternalChain(ctx) // S8
    writeFirewallChain(ctx) // S9
    writePolicyChains(ctx) // S10–S12
    writeEndpointChains(ctx) // S13
    if (sink instanceof RecordingSink) ports?.record?.(plan, sink.writes)
  }
  if (current !== undefined) for (const chain of staleServiceChains(current, (c) => w.isDeclared('nat', c))) w.deleteChain('nat', chain) // T1
  writeNodePortsTail(w, cfg) // T2
  writeForwardRules(w, cfg) // T3
}
