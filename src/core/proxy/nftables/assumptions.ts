/**
 * @module proxy/nftables/assumptions
 * What the nftables rendering assumed where the input or the upstream reference leaves a choice,
 * stated in the plan's assumptions so a reader knows which kube-proxy behaviour they see.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import type { NftVersionProfile } from './version.ts'

/** The assumptions behind one nftables rendering. */
export function nftAssumptions(cfg: ProxyConfig, profile: NftVersionProfile): string[] {
  const out: string[] = []
  out.push(
    profile.layout === 'current'
      ? 'nftables mode is rendered as kube-proxy v1.34/v1.35 writes it (upstream proxier_test.go baseline): filter-prerouting-pre-dnat / filter-output-pre-dnat at priority -110, the other filter chains at 0, a mark-for-masquerade chain (before PR #135800 inlined it), and a ClusterIP masquerade rule without a port match.'
      : 'nftables mode is rendered as kube-proxy v1.30-v1.33 writes it: every filter chain at priority -110 plus filter-output-post-dnat at -90, and a ClusterIP masquerade rule that also matches the port.',
  )
  out.push(`The masquerade mark is printed as production kube-proxy formats it (Go %#08x: 0x${cfg.masqueradeMark.toString(16).padStart(8, '0')}); upstream's unit tests spell it 0x${cfg.masqueradeMark.toString(16)}.`)
  if (cfg.nodePortAddresses.length === 0) {
    out.push(
      'nodePortAddresses is empty (match all): NodePorts are matched with "fib daddr type local" and loopback excluded, as proxier.go writes it (no upstream expected ruleset shows this case), and no nodeport-ips set is written.',
    )
  } else {
    out.push("nodeport-ips holds the Node's addresses (status.addresses) inside nodePortAddresses; they stand for the host's interface addresses kube-proxy would list.")
  }
  if (cfg.masqueradeAll) out.push('masqueradeAll: the ClusterIP masquerade rule is written without the local-traffic match (no upstream expected ruleset shows this case).')
  out.push(
    (cfg.serviceCIDRs ?? []).length > 0
      ? `The unallocated-ClusterIP drop rule uses the ClusterProfile's serviceClusterIPRange (${(cfg.serviceCIDRs ?? []).join(', ')}) as the ServiceCIDRs kube-proxy watches.`
      : 'No service CIDR of this family is known, so the unallocated-ClusterIP drop rule is left out.',
  )
  return out
}
