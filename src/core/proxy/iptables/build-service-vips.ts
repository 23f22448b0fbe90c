/**
 * S1–S4: capture of cluster IP, external IPs and load-balancer IPs in nat KUBE-SERVICES, and the
 * filter REJECT/DROP rules when there is nowhere to send them, plus the KUBE-PROXY-FIREWALL drop
 * for source-range-protected LB IPs. Mirrors the "Capture the clusterIP / externalIPs /
 * load-balancer ingress" blocks of pkg/proxy/iptables/proxier.go syncProxyRules.
 */
import { comment, dport, dst, jump, proto, verdict } from './rule-parts.ts'
import type { PortContext } from './port-flags.ts'

/** Writes S1–S4 for one service port. */
export function writeServiceVIPRules(ctx: PortContext): void {
  const { w, info, flags, p } = ctx
  const n = info.spn

  // S1: cluster IP.
  if (flags.hasInternalEndpoints) {
    w.append('nat', 'KUBE-SERVICES', {
      matches: [comment(`${n} cluster IP`), proto(p), dst(info.clusterIP), dport(info.port)],
      target: jump(flags.internalTrafficChain),
      servicePortName: n,
    })
  } else if (flags.internalFilter) {
    w.append('filter', 'KUBE-SERVICES', {
      matches: [comment(flags.internalFilter.comment), proto(p), dst(info.clusterIP), dport(info.port)],
      target: verdict(flags.internalFilter.target),
      servicePortName: n,
    })
  }

  // S2: external IPs.
  for (const eip of info.externalIPs) {
    if (flags.hasEndpoints) {
      w.append('nat', 'KUBE-SERVICES', {
        matches: [comment(`${n} external IP`), proto(p), dst(eip), dport(info.port)],
        target: jump(flags.externalTrafficChain),
        servicePortName: n,
      })
    }
    if (!flags.hasExternalEndpoints && flags.externalFilter) {
      w.append('filter', 'KUBE-EXTERNAL-SERVICES', {
        matches: [comment(flags.externalFilter.comment), proto(p), dst(eip), dport(info.port)],
        target: verdict(flags.externalFilter.target),
        servicePortName: n,
      })
    }
  }

  // S3: load-balancer IPs.
  for (const lbip of info.loadBalancerVIPs) {
    if (flags.hasEndpoints) {
      w.append('nat', 'KUBE-SERVICES', {
        matches: [comment(`${n} loadbalancer IP`), proto(p), dst(lbip), dport(info.port)],
        target: jump(flags.loadBalancerTrafficChain),
        servicePortName: n,
      })
    }
    if (flags.usesFWChain) {
      // Traffic that fell off the end of the FW chain was not DNATed and is dropped here.
      w.append('filter', 'KUBE-PROXY-FIREWALL', {
        matches: [comment(`${n} traffic not accepted by ${flags.fwChain}`), proto(p), dst(lbip), dport(info.port)],
        target: verdict('DROP'),
        servicePortName: n,
      })
    }
  }

  // S4: a second loop over LB IPs for the no-(local-)endpoints verdict.
  if (!flags.hasExternalEndpoints && flags.externalFilter) {
    for (const lbip of info.loadBalancerVIPs) {
      w.append('filter', 'KUBE-EXTERNAL-SERVICES', {
        matches: [comment(flags.externalFilter.comment), proto(p), dst(lbip), dport(info.port)],
        target: verdict(flags.externalFilter.target),
        servicePortName: n,
      })
    }
  }
}
