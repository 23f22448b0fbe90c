/**
 * @module cluster/proxy-config
 * Resolves the per-node, per-family `ProxyConfig` the renderer consumes, from the cluster facts.
 * Mirrors how kube-proxy's NewProxier (pkg/proxy/iptables/proxier.go) derives its fields
 * from the configuration and cmd/kube-proxy/app/server.go newProxyServer.
 */
import { issue, type Issue, type Staged } from '../issues.ts'
import type { ProxyConfig, ProxyMode } from '../model/cluster.ts'
import { gateState, knownGates } from '../model/feature-gates.ts'
import { formatCIDR, parseCIDRSloppy, type Family } from '../net/ip.ts'
import { resolveLocalDetector } from './local-detector.ts'
import { nodeIPOfFamily, nodeIPsOf } from './node-addresses.ts'
import { resolveNodePortAddresses } from './node-port-addresses.ts'
import type { ClusterFacts } from './types.ts'

/** kube-proxy's default `--iptables-masquerade-bit`. */
const DEFAULT_MASQUERADE_BIT = 14

/** Node label kube-proxy reads for topology hints. */
export const ZONE_LABEL = 'topology.kubernetes.io/zone'

/**
 * Builds the renderer's `ProxyConfig` for the rendered node and one IP family.
 *
 * `localhostNodePorts` is the effective value: forced off for IPv6, and when nodePortAddresses
 * contains no IPv4 loopback address (NewProxier: `if !nodePortAddresses.ContainsIPv4Loopback()`).
 * `nodeIP` is the node's address of this family (InternalIP first); it only feeds the
 * allow-from-node rule of KUBE-FW chains, which compares it with ranges of the same family.
 *
 * @example
 * const cfg = proxyConfigFor(resolveCluster(inv).value, 'IPv4').value
 */
export function proxyConfigFor(facts: ClusterFacts, family: Family, mode: ProxyMode = 'iptables'): Staged<ProxyConfig> {
  const issues: Issue[] = []
  const { kubeProxy, profile } = facts
  const node = facts.nodes.find((n) => n.metadata.name === facts.nodeName)

  // nftables mode reads its own section (config.NFTables), falling back to the iptables values.
  const nft = mode === 'nftables' ? kubeProxy.nftables : undefined
  let bit = nft?.masqueradeBit ?? kubeProxy.iptables.masqueradeBit
  if (!Number.isInteger(bit) || bit < 0 || bit > 31) {
    issues.push(
      issue('cluster/invalid-config', 'error', `KubeProxyConfiguration: iptables.masqueradeBit: Invalid value: ${bit}: must be within the range [0, 31]; using ${DEFAULT_MASQUERADE_BIT}.`, {
        path: 'iptables.masqueradeBit',
      }),
    )
    bit = DEFAULT_MASQUERADE_BIT
  }

  gateIssues(kubeProxy.featureGates, profile.kubernetesVersion, issues)

  const primaryIPs: Partial<Record<Family, string>> = {}
  for (const f of ['IPv4', 'IPv6'] as const) {
    const ip = nodeIPOfFamily(node, f)
    if (ip !== undefined) primaryIPs[f] = ip
  }
  const npa = resolveNodePortAddresses(kubeProxy.nodePortAddresses, family, primaryIPs, issues)
  const localDetector = resolveLocalDetector(kubeProxy, node, family, issues)
  const nodeIP = primaryIPs[family]
  const zone = node?.metadata.labels[ZONE_LABEL]
  // kube-proxy creates each nfacct counter at start-up and uses the match only if that worked
  // (pkg/proxy/iptables/proxier.go NewProxier, nfacctCounters); a named list decides per counter.
  const { nfacct: nfacctSupported, nfacctCounters } = profile.hostCapabilities
  const counter = (name: string): boolean => (nfacctCounters ? nfacctCounters.includes(name) : nfacctSupported)

  // Keys in sorted order: the JSON report prints the plan with V8's own stringify (report/native-json.ts).
  const cfg: ProxyConfig = {
    conntrackTCPLiberal: kubeProxy.conntrack.tcpBeLiberal,
    featureGates: kubeProxy.featureGates,
    ipFamily: family,
    iptablesHasRandomFully: profile.hostCapabilities.iptablesRandomFully,
    kubernetesVersion: profile.kubernetesVersion,
    localDetector,
    localhostNodePorts: kubeProxy.iptables.localhostNodePorts && family === 'IPv4' && npa.containsIPv4Loopback,
    masqueradeAll: nft?.masqueradeAll ?? kubeProxy.iptables.masqueradeAll,
    // 2 ** bit, not 1 << bit: bit 31 would turn negative with a 32-bit shift.
    masqueradeMark: 2 ** bit,
    nfacct: {
      ctStateInvalidDroppedPkts: counter('ct_state_invalid_dropped_pkts'),
      localhostNpsAcceptedPkts: counter('localhost_nps_accepted_pkts'),
    },
    ...(nodeIP !== undefined ? { nodeIP } : {}),
    nodeIPs: nodeIPsOf(node),
    nodeName: facts.nodeName,
    nodePortAddresses: npa.cidrs,
    ...(zone !== undefined ? { nodeZone: zone } : {}),
    serviceCIDRs: serviceCIDRsOf(profile.serviceClusterIPRange, family),
  }
  return { value: cfg, issues }
}

/** The apiserver's service CIDRs of `family` (`--service-cluster-ip-range`), network form. */
function serviceCIDRsOf(range: string, family: Family): string[] {
  const out: string[] = []
  for (const part of range.split(',')) {
    const c = parseCIDRSloppy(part.trim())
    if (c !== undefined && c.family === family) out.push(formatCIDR(c))
  }
  return out
}

/**
 * Gates kube-proxy of this release would refuse or override at start-up (featuregate.Set:
 * "unrecognized feature gate", "cannot set feature gate ... to false, feature is locked to true").
 * Only gates kube-whatif models are checked; the plan uses the release's value.
 */
function gateIssues(gates: Readonly<Record<string, boolean>>, version: ProxyConfig['kubernetesVersion'], issues: Issue[]): void {
  for (const gate of knownGates()) {
    const set = gates[gate]
    if (set === undefined) continue
    const state = gateState(gate, version)
    const path = `featureGates.${gate}`
    if (state === undefined) {
      issues.push(issue('cluster/feature-gate', 'warning', `KubeProxyConfiguration: ${path}: kube-proxy ${version} has no feature gate ${gate} (unrecognized feature gate); planned without it.`, { path }))
    } else if (state.locked && set !== state.default) {
      issues.push(
        issue('cluster/feature-gate', 'warning', `KubeProxyConfiguration: ${path}: cannot set feature gate ${gate} to ${set}, feature is locked to ${state.default} in ${version}; planned as ${state.default}.`, { path }),
      )
    }
  }
}
