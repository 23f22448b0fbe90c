/**
 * S13: one KUBE-SEP chain per reachable endpoint: hairpin masquerade, then DNAT (recording the
 * client for ClientIP affinity). Mirrors the "Generate the per-endpoint chains" loop of
 * pkg/proxy/iptables/proxier.go syncProxyRules.
 */
import type { Match } from './ir.ts'
import { comment, JUMP_MARK_MASQ, proto, src } from './rule-parts.ts'
import type { PortContext } from './port-flags.ts'

/** Writes the SEP chains of every endpoint reachable from this node. */
export function writeEndpointChains(ctx: PortContext): void {
  const { w, info, plan, p, largeCluster, sepChain } = ctx
  // appendServiceCommentLocked: the bare service port name, dropped in large-cluster mode. One
  // match object for every rule of the port (the IR is never mutated).
  const note = largeCluster ? undefined : comment(info.spn)
  const servicePortName = info.spn
  for (const ep of plan.categorized.allReachableEndpoints) {
    const chain = sepChain(ep)
    w.declare('nat', chain)
    // An endpoint reaching itself through the service must be SNATed, or it would answer
    // itself directly and the client would drop the reply.
    w.append('nat', chain, { matches: note === undefined ? [src(ep.ip)] : [note, src(ep.ip)], target: JUMP_MARK_MASQ, servicePortName })
    const matches: Match[] = note === undefined ? [] : [note]
    if (info.stickyMaxAgeSeconds > 0) matches.push({ kind: 'recent', name: chain, op: 'set' })
    matches.push(proto(p))
    w.append('nat', chain, { matches, target: { kind: 'dnat', to: ep.endpoint }, servicePortName })
  }
}
