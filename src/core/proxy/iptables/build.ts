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
import type { Ruleset } from './ir.ts'
import type { NodeRules } from './kernel-state.ts'
import { portContext } from './port-flags.ts'
import { detectorArgs } from './rule-parts.ts'
import { RestoreTextWriter, RulesetWriter, type RuleSink, type WriteSpan } from './writer.ts'

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
 * Per service port writes of another build, for {@link buildIptablesRulesetReusing}: the builders
 * of one service port (S1–S13 below) are a function of that port's plan (`info` and `categorized`;
 * they read nothing else of it), the configuration and the large-cluster flag, and of nothing
 * written before (no builder asks the sink what was declared). The caller decides when a port's
 * input is the same; `replay` then gives where an earlier build's writes for it are
 * (writer.ts {@link WriteSpan}), and they are made again from there.
 */
export interface PortWrites {
  /** The writes to repeat for `plan`, or undefined to run the builders. */
  replay(plan: ServicePortPlan): WriteSpan | undefined
  /** Where this build's writes for `plan` are (offered to a later build); absent: nothing recorded. */
  readonly record?: (plan: ServicePortPlan, writes: WriteSpan) => void
  /**
   * Format each rule's line as it is written and keep the lines with the tables (writer.ts
   * `writtenLines`); a replayed span's lines are then taken from its build when it kept them.
   */
  readonly keepLines?: boolean
}

/**
 * {@link buildIptablesRuleset} where each service port's writes may be taken from another build
 * (`ports.replay`): the same declarations, and the very same rule objects, in the same order.
 * planDiff builds the head's rules so, from the base's (diff/port-sharing.ts): the rules of
 * unchanged service ports are then the base's objects (their chains mostly the base's Chain
 * objects), and comparing them is an identity check.
 */
export function buildIptablesRulesetReusing(state: ProxyState, cfg: ProxyConfig, current: NodeRules | undefined, ports: PortWrites): Ruleset {
  const w = new RulesetWriter(['filter', 'nat'], ports.keepLines === true)
  writeIptablesRuleset(w, state, cfg, current, { w, ports })
  return w.finish(cfg.ipFamily, cfg.nodeName)
}

/** syncProxyRules' writes in order, to either kind of {@link RuleSink}. */
function writeIptablesRuleset(w: RuleSink, state: ProxyState, cfg: ProxyConfig, current: NodeRules | undefined, reuse?: { readonly w: RulesetWriter; readonly ports: PortWrites }): void {
  writeStaticHead(w, cfg)
  const largeCluster = state.totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD
  const detector = detectorArgs(cfg.localDetector)
  for (const plan of state.servicePorts) {
    const mark = reuse?.ports.record !== undefined ? reuse.w.mark() : undefined
    const again = reuse?.ports.replay(plan)
    if (again !== undefined) (reuse as { readonly w: RulesetWriter }).w.replay(again)
    else {
      const ctx = portContext(w, cfg, plan, detector, largeCluster)
      writeServiceVIPRules(ctx) // S1–S4
      writeNodePortRules(ctx) // S5–S6
      writeInternalMasquerade(ctx) // S7
      writeExternalChain(ctx) // S8
      writeFirewallChain(ctx) // S9
      writePolicyChains(ctx) // S10–S12
      writeEndpointChains(ctx) // S13
    }
    if (mark !== undefined) reuse?.ports.record?.(plan, reuse.w.spanSince(mark))
  }
  if (current !== undefined) for (const chain of staleServiceChains(current, (c) => w.isDeclared('nat', c))) w.deleteChain('nat', chain) // T1
  writeNodePortsTail(w, cfg) // T2
  writeForwardRules(w, cfg) // T3
}
