/**
 * @module apiserver/allocate/setup
 * Builds the allocators from the ClusterProfile's ranges and the ServiceCIDR objects, for the
 * allocator generation of the profile's Kubernetes version. A range the apiserver would refuse at
 * startup is reported with its own message and the default is planned instead (a refused flag
 * means no apiserver at all, which is nothing to plan).
 */
import { issue } from '../../issues.ts'
import type { Issue } from '../../issues.ts'
import type { Family } from '../../net/ip.ts'
import type { ClusterProfile } from '../../model/cluster.ts'
import type { ServiceCIDR } from '../../model/k8s.ts'
import { ClusterIPAllocator } from './cluster-ip.ts'
import { allocatorGeneration } from './generation.ts'
import type { IPAllocator } from './ip-allocator.ts'
import { IPAddressAllocator } from './ipaddress.ts'
import { serviceCIDRRanges } from './service-cidrs.ts'
import { NodePortAllocator } from './node-port.ts'
import type { Pools } from './pools.ts'
import { DEFAULT_NODE_PORT_RANGE, DEFAULT_SERVICE_CIDR, parseNodePortRange, parseServiceCIDRs } from './ranges.ts'
import type { IPRange, PortRange } from './ranges.ts'

/** Allocators plus the issues and assumptions their set-up produced. */
export interface PoolSetup {
  readonly pools: Pools
  readonly issues: readonly Issue[]
  readonly assumptions: readonly string[]
}

/** Parses the profile's ranges, reads the ServiceCIDR objects and builds fresh, empty allocators. */
export function setupPools(profile: ClusterProfile, serviceCIDRs: readonly ServiceCIDR[] = []): PoolSetup {
  const issues: Issue[] = []
  const assumptions: string[] = []
  const generation = allocatorGeneration(profile.kubernetesVersion)
  const cidrFlag = profile.serviceClusterIPRange || DEFAULT_SERVICE_CIDR
  let cidrs = parseServiceCIDRs(cidrFlag, generation)
  if (cidrs.errors.length > 0) {
    issues.push(...cidrs.errors.map((e) => issue('alloc/invalid-service-cidr', 'error', `kube-apiserver refuses --service-cluster-ip-range=${cidrFlag}: ${e}`, { path: 'serviceClusterIPRange' })))
    assumptions.push(`serviceClusterIPRange ${cidrFlag} is refused by kube-apiserver; planned with the default ${DEFAULT_SERVICE_CIDR}`)
    cidrs = parseServiceCIDRs(DEFAULT_SERVICE_CIDR, generation)
  }
  const portFlag = profile.serviceNodePortRange || DEFAULT_NODE_PORT_RANGE
  let ports = parseNodePortRange(portFlag)
  if (ports.errors.length > 0 || ports.value === undefined) {
    issues.push(...ports.errors.map((e) => issue('alloc/invalid-node-port-range', 'error', `kube-apiserver refuses ${e}`, { path: 'serviceNodePortRange' })))
    assumptions.push(`serviceNodePortRange ${portFlag} is refused by kube-apiserver; planned with the default ${DEFAULT_NODE_PORT_RANGE}`)
    ports = parseNodePortRange(DEFAULT_NODE_PORT_RANGE)
  }
  const ipRanges: IPRange[] = cidrs.value
  const ips = new Map<Family, IPAllocator>()
  if (generation === 'bitmap') {
    for (const r of ipRanges) if (!ips.has(r.family)) ips.set(r.family, new ClusterIPAllocator(r))
  }
  // ServiceCIDR objects are read (and ignored with a warning) whatever the generation.
  const objects = serviceCIDRRanges(profile.kubernetesVersion, ipRanges.map((r) => r.cidr), serviceCIDRs)
  issues.push(...objects.issues)
  assumptions.push(...objects.assumptions)
  if (generation !== 'bitmap') {
    for (const r of ipRanges) {
      if (ips.has(r.family)) continue
      const bitmap = generation === 'dualwrite' ? new ClusterIPAllocator(r) : undefined
      ips.set(r.family, new IPAddressAllocator(objects.ranges.get(r.family) ?? [], bitmap))
    }
  }
  const portRange = ports.value as PortRange
  return {
    pools: { families: ipRanges.map((r) => r.family), ips, ports: new NodePortAllocator(portRange) },
    issues,
    assumptions,
  }
}
