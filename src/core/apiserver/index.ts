/**
 * @module apiserver
 * kube-apiserver emulation. PLACEHOLDER until the apiserver-emulation issue lands: Services and
 * EndpointSlices pass through as given (ClusterIPs and NodePorts must be pinned in the
 * manifests), and the allocation report only restates the given values.
 */
import type { Staged } from '../issues.ts'
import type { ApiserverInput, ApiserverResult, ServiceAllocation } from './types.ts'

export type * from './types.ts'

/** Emulates what kube-apiserver (and the EndpointSlice controller) would do with the input. */
export function emulateApiserver(input: ApiserverInput): Staged<ApiserverResult> {
  const { inventory } = input
  const allocations: ServiceAllocation[] = inventory.services.map((s) => ({
    namespace: s.metadata.namespace,
    name: s.metadata.name,
    clusterIPs: s.spec.clusterIPs ?? (s.spec.clusterIP ? [s.spec.clusterIP] : []),
    clusterIPOrigin: s.origin === 'existing' ? 'existing' : 'requested',
    ipFamilies: s.spec.ipFamilies ?? [],
    ports: s.spec.ports.map((p) => ({
      name: p.name,
      protocol: p.protocol,
      port: p.port,
      ...(p.nodePort ? { nodePort: p.nodePort, nodePortOrigin: s.origin === 'existing' ? 'existing' : 'requested' } : {}),
    })),
  }))
  return {
    value: {
      services: inventory.services,
      endpointSlices: inventory.endpointSlices,
      pods: inventory.pods,
      allocations,
      ranges: [],
      assumptions: [],
    },
    issues: [],
  }
}
