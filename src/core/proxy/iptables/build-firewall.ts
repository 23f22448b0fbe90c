/**
 * S9: the KUBE-FW chain that enforces loadBalancerSourceRanges for LB IPs. Allowed sources jump
 * on to KUBE-EXT; everything else falls off the end and is dropped by filter KUBE-PROXY-FIREWALL.
 * Mirrors the "Set up firewall chain" block of pkg/proxy/iptables/proxier.go syncProxyRules.
 */
import { cidrContains, parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import { comment, jump, src } from './rule-parts.ts'
import type { PortContext } from './port-flags.ts'

/** Writes the KUBE-FW chain of one service port when source ranges are in use. */
export function writeFirewallChain(ctx: PortContext): void {
  const { w, cfg, info, flags } = ctx
  if (!flags.usesFWChain) return
  const fw = flags.fwChain
  const ext = flags.externalTrafficChain
  w.declare('nat', fw)

  const nodeIP = cfg.nodeIP === undefined ? undefined : parseIPSloppy(cfg.nodeIP)
  let allowFromNode = false
  for (const range of info.loadBalancerSourceRanges) {
    w.append('nat', fw, { matches: [comment(`${info.spn} loadbalancer IP`), src(range)], target: jump(ext), servicePortName: info.spn })
    const cidr = parseCIDRSloppy(range)
    if (nodeIP !== undefined && cidr !== undefined && cidrContains(cidr, nodeIP)) allowFromNode = true
  }
  // A VIP-like LB IP is often a local address: the node's own requests then loop back with the
  // LB IP as source instead of reaching the LB, so let those through too.
  if (allowFromNode) {
    for (const lbip of info.loadBalancerVIPs) {
      w.append('nat', fw, { matches: [comment(`${info.spn} loadbalancer IP`), src(lbip)], target: jump(ext), servicePortName: info.spn })
    }
  }
  // No target: documents where the rest goes (KUBE-PROXY-FIREWALL drops it in filter).
  w.append('nat', fw, { matches: [comment(`other traffic to ${info.spn} will be dropped by KUBE-PROXY-FIREWALL`)], servicePortName: info.spn })
}
