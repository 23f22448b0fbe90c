/**
 * S7, S8, S10–S12: the internal masquerade rule, the KUBE-EXT chain (with the ETP=Local
 * short-circuits) and the KUBE-SVC / KUBE-SVL chains that spread traffic over endpoints.
 * Mirrors pkg/proxy/iptables/proxier.go syncProxyRules ("Set up internal/external traffic
 * handling") and writeServiceToEndpointRules.
 */
import { formatProbability } from '../../net/go-format.ts'
import type { ProxyEndpoint } from '../types.ts'
import type { Match } from './ir.ts'
import { addrtypeLocal, comment, dport, dst, jump, JUMP_MARK_MASQ, proto } from './rule-parts.ts'
import type { PortContext } from './port-flags.ts'


/**
 * S7: traffic to the cluster IP from outside the pod network (or all of it with masqueradeAll)
 * gets the masquerade mark, so replies can route back through this node. It is the first rule
 * of the internal chain (SVC, or SVL under ITP=Local) even though that chain is declared later.
 */
export function writeInternalMasquerade(ctx: PortContext): void {
  const { w, cfg, info, flags, p, detector } = ctx
  if (!flags.hasInternalEndpoints) return
  const base: Match[] = [comment(`${info.spn} cluster IP`), proto(p), dst(info.clusterIP), dport(info.port)]
  if (cfg.masqueradeAll) {
    w.append('nat', flags.internalTrafficChain, { matches: base, target: JUMP_MARK_MASQ, servicePortName: info.spn })
  } else if (detector) {
    w.append('nat', flags.internalTrafficChain, { matches: [...base, ...detector.ifNotLocal], target: JUMP_MARK_MASQ, servicePortName: info.spn })
  }
}

/** S8: the KUBE-EXT chain every external destination (NodePort, external IP, LB) enters. */
export function writeExternalChain(ctx: PortContext): void {
  const { w, info, flags, detector } = ctx
  if (!flags.usesExternalTrafficChain) return
  const ext = flags.externalTrafficChain
  const n = info.spn
  w.declare('nat', ext)
  if (!info.externalPolicyLocal) {
    // Endpoints may be on other nodes: masquerade so replies come back through us.
    w.append('nat', ext, { matches: [comment(`masquerade traffic for ${n} external destinations`)], target: JUMP_MARK_MASQ, servicePortName: n })
  } else {
    if (detector) {
      // Pod → external destination acts as if it went out to the LB and back: Cluster policy.
      w.append('nat', ext, {
        matches: [comment(`pod traffic for ${n} external destinations`), ...detector.ifLocal],
        target: jump(flags.clusterPolicyChain),
        servicePortName: n,
      })
    }
    // The node itself: the LB IP is a local address and would become the source, so masquerade.
    w.append('nat', ext, {
      matches: [comment(`masquerade LOCAL traffic for ${n} external destinations`), addrtypeLocal('src')],
      target: JUMP_MARK_MASQ,
      servicePortName: n,
    })
    w.append('nat', ext, {
      matches: [comment(`route LOCAL traffic for ${n} external destinations`), addrtypeLocal('src')],
      target: jump(flags.clusterPolicyChain),
      servicePortName: n,
    })
  }
  if (flags.hasExternalEndpoints) w.append('nat', ext, { matches: [], target: jump(flags.externalPolicyChain), servicePortName: n })
}

/** S10/S11: declares SVC and/or SVL and writes their endpoint rules (S12). */
export function writePolicyChains(ctx: PortContext): void {
  const { w, plan, flags } = ctx
  if (flags.usesClusterPolicyChain) {
    w.declare('nat', flags.clusterPolicyChain)
    writeServiceToEndpointRules(ctx, flags.clusterPolicyChain, plan.categorized.clusterEndpoints)
  }
  if (flags.usesLocalPolicyChain) {
    w.declare('nat', flags.localPolicyChain)
    writeServiceToEndpointRules(ctx, flags.localPolicyChain, plan.categorized.localEndpoints)
  }
}

/**
 * S12, writeServiceToEndpointRules: ClientIP affinity checks first, then one rule per endpoint
 * with probability 1/(n-i), the last one unconditional.
 */
function writeServiceToEndpointRules(ctx: PortContext, chain: string, endpoints: readonly ProxyEndpoint[]): void {
  const { w, info, largeCluster, sepChain: sep } = ctx
  const note = (ep: ProxyEndpoint): Match[] => (largeCluster ? [] : [comment(`${info.spn} -> ${ep.endpoint}`)])

  if (info.stickyMaxAgeSeconds > 0) {
    for (const ep of endpoints) {
      const name = sep(ep)
      w.append('nat', chain, {
        matches: [...note(ep), { kind: 'recent', name, op: 'rcheck', seconds: info.stickyMaxAgeSeconds, reap: true }],
        target: jump(name),
        servicePortName: info.spn,
      })
    }
  }
  const total = endpoints.length
  endpoints.forEach((ep, i) => {
    const matches = note(ep)
    if (i < total - 1) matches.push(statistic(total - i))
    w.append('nat', chain, { matches, target: jump(sep(ep)), servicePortName: info.spn })
  })
}

/**
 * Printed `1/n` for n ≤ {@link PROBABILITY_CACHE}: every service port with n endpoints writes the
 * same n − 1 probabilities, and Go's exact %0.10f (formatProbability) is worth computing once.
 */
const PROBABILITY_CACHE = 1024
const probabilities: string[] = []

function probability(n: number): string {
  if (n > PROBABILITY_CACHE) return formatProbability(n)
  return (probabilities[n] ??= formatProbability(n))
}

/** `-m statistic --mode random --probability 1/n`, one frozen object per n ≤ {@link PROBABILITY_CACHE} (the IR is never mutated). */
const statistics: Match[] = []

function statistic(n: number): Match {
  if (n > PROBABILITY_CACHE) return { kind: 'statistic', probability: probability(n) }
  return (statistics[n] ??= Object.freeze({ kind: 'statistic', probability: probability(n) }))
}
