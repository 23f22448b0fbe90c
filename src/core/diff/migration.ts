/**
 * @module diff/migration
 * The migration view: the same manifests planned in iptables mode and in nftables mode, and what
 * an operator must know before switching, per service port (the upstream "Migrating from
 * iptables mode to nftables" list: NodePort addresses, localhost NodePorts, ClusterIP checks,
 * firewall placement, health-check NodePorts, conntrack). Each entry says what each mode does
 * on the rendered node, computed from the two plans.
 */
import type { ProxyConfig } from '../model/cluster.ts'
import { cidrContains, parseCIDRSloppy, parseIPSloppy } from '../net/ip.ts'
import type { PlannedServicePort, PlanResult } from '../plan/types.ts'
import { nodePortIPs } from '../proxy/nftables/build-static.ts'
import { cmp } from './services.ts'
import type { MigrationDifference } from './types.ts'

const hostPort = (ip: string, port: number): string => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`)

/** The node addresses iptables mode serves NodePorts on (nodePortAddresses → `-d IP` rules). */
function iptablesNodePortIPs(cfg: ProxyConfig): string[] {
  const cidrs = cfg.nodePortAddresses.map((c) => parseCIDRSloppy(c)).filter((c) => c !== undefined)
  return cfg.nodeIPs.filter((t) => {
    const ip = parseIPSloppy(t)
    return ip !== undefined && ip.family === cfg.ipFamily && cidrs.some((c) => cidrContains(c, ip))
  })
}

function localhostIptables(plan: PlanResult, np: number): string {
  const cfg = plan.proxyConfig
  if (cfg.localhostNodePorts) return `127.0.0.1:${np} reaches the Service (localhostNodePorts; kube-proxy sets route_localnet)`
  if (cfg.ipFamily === 'IPv6') return `not served: localhost NodePorts are IPv4 only`
  if (plan.cluster.kubeProxy.iptables.localhostNodePorts) {
    return `not served: localhostNodePorts is on, but nodePortAddresses (${cfg.nodePortAddresses.join(', ')}) covers no loopback address, so kube-proxy turns it off`
  }
  return 'not served: localhostNodePorts is false'
}

function nodePortAddressesText(plan: PlanResult, np: number, mode: 'iptables' | 'nftables'): string {
  const cfg = plan.proxyConfig
  if (cfg.nodePortAddresses.length === 0) {
    return mode === 'iptables'
      ? `every local address of the node (-m addrtype --dst-type LOCAL)${cfg.localhostNodePorts ? ', 127.0.0.1 included' : ''}`
      : 'every local address of the node except loopback (fib daddr type local, ip daddr != 127.0.0.0/8)'
  }
  const ips = mode === 'iptables' ? iptablesNodePortIPs(cfg) : nodePortIPs(cfg)
  const list = ips.length === 0 ? 'no address of this node' : ips.map((ip) => hostPort(ip, np)).join(', ')
  return mode === 'iptables'
    ? `${list}: node addresses in nodePortAddresses ${cfg.nodePortAddresses.join(', ')} (one -d rule each in KUBE-SERVICES)${cfg.localhostNodePorts ? ', plus 127.0.0.1' : ''}`
    : `${list}: node addresses in nodePortAddresses ${cfg.nodePortAddresses.join(', ')} (elements of set nodeport-ips; loopback never)`
}

function portDifferences(ipt: PlanResult, nft: PlanResult, p: PlannedServicePort, healthCheckNodePort: number): Omit<MigrationDifference, 'servicePort'>[] {
  const out: Omit<MigrationDifference, 'servicePort'>[] = []
  out.push({
    difference: 'other ports of the ClusterIP',
    iptables: `no rule: a packet to ${p.clusterIP} on a port the Service does not define is routed on unchanged (it usually times out)`,
    nftables: `rejected at once by cluster-ips-check (ip daddr @cluster-ips reject)`,
  })
  if (p.nodePort !== 0) {
    out.push({
      difference: 'localhost NodePorts',
      iptables: localhostIptables(ipt, p.nodePort),
      nftables: `never served: nftables mode has no localhost NodePorts (127.0.0.1:${p.nodePort} gets no answer)`,
    })
    out.push({ difference: 'NodePort addresses', iptables: nodePortAddressesText(ipt, p.nodePort, 'iptables'), nftables: nodePortAddressesText(nft, p.nodePort, 'nftables') })
  }
  if (p.loadBalancerSourceRanges.length > 0 && p.loadBalancerIPs.length > 0) {
    const none = p.endpoints.length === 0 || p.internal.verdict === 'reject'
    out.push({
      difference: 'loadBalancerSourceRanges',
      iptables: `KUBE-FW chain in nat, written only while the port has endpoints${none ? ' (it has none now: every client, allowed or not, is rejected)' : ''}; sources outside ${p.loadBalancerSourceRanges.join(', ')} are dropped`,
      nftables: `firewall chain in filter before DNAT (firewall-ips), whatever the endpoints: sources outside ${p.loadBalancerSourceRanges.join(', ')} are dropped${none ? ', allowed ones rejected (no endpoints)' : ''}`,
    })
  }
  if (healthCheckNodePort !== 0) {
    out.push({
      difference: 'health-check NodePort',
      iptables: `an ACCEPT rule for port ${healthCheckNodePort} in the filter KUBE-NODEPORTS chain`,
      nftables: `no rule: a host firewall that drops by default must allow port ${healthCheckNodePort} itself`,
    })
  }
  return out
}

/**
 * The migration differences between an iptables-mode plan and an nftables-mode plan of the same
 * manifests, per service port of the nftables plan (then cluster-wide ones, `servicePort: '*'`).
 *
 * @example
 * migrationDifferences(planIn('iptables'), planIn('nftables'))
 * // [{ servicePort: 'shop/api:http/TCP', difference: 'localhost NodePorts', iptables: '…', nftables: '…' }, …]
 */
export function migrationDifferences(ipt: PlanResult, nft: PlanResult): MigrationDifference[] {
  const out: MigrationDifference[] = []
  const ports = [...nft.servicePorts].sort((a, b) => cmp(a.spn, b.spn) || cmp(a.protocol, b.protocol))
  for (const p of ports) {
    const svc = nft.services.find((s) => s.namespace === p.namespace && s.name === p.name)
    const hc = p.healthCheckNodePort !== 0 ? p.healthCheckNodePort : (svc?.healthCheckNodePort ?? 0)
    for (const d of portDifferences(ipt, nft, p, hc)) out.push({ servicePort: `${p.spn}/${p.protocol}`, ...d })
  }
  const cidrs = nft.proxyConfig.serviceCIDRs ?? []
  if (cidrs.length > 0) {
    out.push({
      servicePort: '*',
      difference: 'unallocated ClusterIPs',
      iptables: `no rule: packets to unused addresses of ${cidrs.join(', ')} are routed on unchanged`,
      nftables: `dropped by cluster-ips-check (ip daddr { ${cidrs.join(',')} } drop)`,
    })
  }
  if (!ipt.proxyConfig.conntrackTCPLiberal) {
    out.push({
      servicePort: '*',
      difference: 'conntrack INVALID packets',
      iptables: 'dropped in KUBE-FORWARD (-m conntrack --ctstate INVALID -j DROP)',
      nftables: 'not dropped by kube-proxy (no such rule in nftables mode)',
    })
  }
  return out
}
