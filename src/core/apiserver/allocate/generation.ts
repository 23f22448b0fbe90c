/**
 * @module apiserver/allocate/generation
 * Which ClusterIP allocator a Kubernetes release runs by default (pkg/features/kube_features.go
 * MultiCIDRServiceAllocator and DisableAllocatorDualWrite), and the texts that differ with it.
 */
import type { KubernetesVersion } from '../../model/version.ts'

/**
 * - `bitmap`: 1.31–1.32, MultiCIDRServiceAllocator beta and off: the legacy bitmap over the flag.
 * - `dualwrite`: 1.33, the gate GA and on, DisableAllocatorDualWrite off: IPAddress objects over
 *   the ServiceCIDRs, and the bitmap written too for IPs inside the flag range.
 * - `ipaddress`: 1.34+, DisableAllocatorDualWrite GA: IPAddress objects only.
 */
export type AllocatorGeneration = 'bitmap' | 'dualwrite' | 'ipaddress'

/** The default allocator of a release. */
export function allocatorGeneration(v: KubernetesVersion): AllocatorGeneration {
  if (v === '1.31' || v === '1.32') return 'bitmap'
  if (v === '1.33') return 'dualwrite'
  return 'ipaddress'
}

/** ipallocator ErrMismatchedNetwork: a static IP no ready ServiceCIDR contains. */
export const ERR_MISMATCHED_NETWORK = 'the provided network does not match the current range'

/** What the assumptions say about the modelled apiserver of a release. */
export function allocatorAssumption(v: KubernetesVersion): string {
  switch (allocatorGeneration(v)) {
    case 'bitmap':
      return (
        `kube-apiserver ${v} allocates ClusterIPs with the legacy bitmap over --service-cluster-ip-range ` +
        '(at most 20 host bits: /12 for IPv4, /108 for IPv6); an IP outside it is "not in the valid range"; ' +
        'ServiceCIDR objects are not used (MultiCIDRServiceAllocator is beta and off by default)'
      )
    case 'dualwrite':
      return (
        `kube-apiserver ${v} allocates ClusterIPs as IPAddress objects from the ServiceCIDRs (the "kubernetes" ` +
        'ServiceCIDR mirrors --service-cluster-ip-range) and also writes the legacy bitmap for IPs inside the flag ' +
        'range, so the flag keeps its 20-host-bit limit; an IP outside every ServiceCIDR is refused with ' +
        `"${ERR_MISMATCHED_NETWORK}" (UNVERIFIED: the order of the two writes, so which error wins when both refuse)`
      )
    case 'ipaddress':
      return (
        `kube-apiserver ${v} allocates ClusterIPs as IPAddress objects from the ServiceCIDRs only (the "kubernetes" ` +
        'ServiceCIDR mirrors --service-cluster-ip-range): ranges larger than /12 (IPv4) or /108 (IPv6) are ' +
        `accepted, IPv6 prefixes shorter than /64 are not; an IP outside every ServiceCIDR is refused with "${ERR_MISMATCHED_NETWORK}"`
      )
  }
}
