/**
 * The full-sync iptables-restore payload kube-proxy writes for one node and family,
 * composed from the per-concern builders in the order
 * pkg/proxy/iptables/proxier.go syncProxyRules writes its buffers.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import type { ProxyState } from '../types.ts'
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

/** syncProxyRules' writes in order, to either kind of {@link RuleSink}. */
function writeIptablesRuleset(w: RuleSink, state: ProxyState, cfg: ProxyConfig, current: NodeRules | undefined): void {
  writeStaticHead(w, cfg)
  const largeCluster = state.totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD
  const detector = detectorArgs(cfg.localDetector)
  for (const plan of state.servicePorts) {
    const ctx = portContext(w, cfg, plan, detector, largeCluster)
    writeServiceVIPRules(ctx) // S1–S4
    writeNodePortRules(ctx) // S5–S6
    writeInternalMasquerade(ctx) // S7
    writeExternalChain(ctx) // S8
    writeFirewallChain(ctx) // S9
    writePolicyChains(ctx) // S10–S12
    writeEndpointChains(ctx) // S13
  }
  if (current !== undefined) for (const chain of staleServiceChains(current, (c) => w.isDeclared('nat', c))) w.deleteChain('nat', chain) // T1
  writeNodePortsTail(w, cfg) // T2
  writeForwardRules(w, cfg) // T3
}
