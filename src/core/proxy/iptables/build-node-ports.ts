/**
 * S5–S6: NodePort capture in nat KUBE-NODEPORTS (with the localhost nfacct variant), the filter
 * verdict for NodePorts without (local) endpoints, and the health-check node port ACCEPT.
 * Mirrors the "Capture nodeports" / "Capture healthCheckNodePorts" blocks of
 * pkg/proxy/iptables/proxier.go syncProxyRules.
 */
import { addrtypeLocal, comment, dport, dst, jump, LOCALHOST_NPS_ACCEPTED_PKTS, nfacct, proto, verdict } from './rule-parts.ts'
import type { PortContext } from './port-flags.ts'

/** Writes S5 and S6 for one service port. */
export function writeNodePortRules(ctx: PortContext): void {
  const { w, cfg, info, flags, p } = ctx
  const n = info.spn

  if (info.nodePort !== 0) {
    if (flags.hasEndpoints) {
      // NodePorts are not subject to loadBalancerSourceRanges: they jump straight to EXT.
      if (cfg.localhostNodePorts && cfg.ipFamily === 'IPv4' && cfg.nfacct.localhostNpsAcceptedPkts) {
        w.append('nat', 'KUBE-NODEPORTS', {
          // The comment is the bare service port name: kube-proxy adds no quotes here.
          matches: [comment(n), proto(p), dst('127.0.0.0/8'), dport(info.nodePort), nfacct(LOCALHOST_NPS_ACCEPTED_PKTS)],
          target: jump(flags.externalTrafficChain),
          servicePortName: n,
        })
      }
      w.append('nat', 'KUBE-NODEPORTS', {
        matches: [comment(n), proto(p), dport(info.nodePort)],
        target: jump(flags.externalTrafficChain),
        servicePortName: n,
      })
    }
    if (!flags.hasExternalEndpoints && flags.externalFilter) {
      w.append('filter', 'KUBE-EXTERNAL-SERVICES', {
        matches: [comment(flags.externalFilter.comment), addrtypeLocal('dst'), proto(p), dport(info.nodePort)],
        target: verdict(flags.externalFilter.target),
        servicePortName: n,
      })
    }
  }

  // S6: always tcp, written whether or not this node has local endpoints (the health check
  // itself reports whether it does).
  if (info.healthCheckNodePort !== 0) {
    w.append('filter', 'KUBE-NODEPORTS', {
      matches: [comment(`${n} health check node port`), proto('tcp'), dport(info.healthCheckNodePort)],
      target: verdict('ACCEPT'),
      servicePortName: n,
    })
  }
}
