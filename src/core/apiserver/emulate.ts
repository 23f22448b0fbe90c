/**
 * @module apiserver/emulate
 * kube-apiserver emulation at the profile's Kubernetes version: validates, defaults and allocates
 * proposed Services against the existing cluster state, synthesises pods from workloads, and
 * computes EndpointSlices like the EndpointSlice controller. Behaviour: README.md beside this
 * file and docs/allocation.md; the stage contract is types.ts.
 */
import type { Issue, Staged } from '../issues.ts'
import type { ApiserverInput, ApiserverResult } from './types.ts'
import { trafficDistributionAssumption } from '../model/feature-gates.ts'
import { allocatorAssumption } from './allocate/generation.ts'
import { setupPools } from './allocate/setup.ts'
import { processServices } from './service/pipeline.ts'
import { samePoolInputs, type CreateReplay, type PoolInputs } from './service/reuse.ts'
import { synthesisePods } from './workloads/index.ts'
import { customResourcesByNamespace } from './endpoints/custom-resources.ts'
import { endpointSlicesFor } from './endpoints/index.ts'
import { resolveWorkLimits } from '../limits.ts'
import { admitServices, admitSlices } from './refuse.ts'
import { pushAll } from '../append.ts'
import { MAX_MIRRORED_ENDPOINTS_PER_SUBSET, mirroredSlices } from './endpoints/mirroring.ts'


/** The EndpointSlice controller setting that shapes computed slices (kube-controller-manager `--max-endpoints-per-slice`, endpointslice reconciler `reconcileByAddressType`). */
export const SLICE_PACKING =
  'EndpointSlices are computed like kube-controller-manager with --max-endpoints-per-slice=100 (the default); which endpoint lands in which slice is unspecified upstream, so slices are filled in pod-name order'

/** Stated when a stored object was refused for its names (apiserver/validate/stored.ts). */
export const STORED_NAMES =
  'Objects given as cluster state are not re-validated, except their names: a Service name that is not a DNS-1035 label, a namespace that is not a DNS-1123 label, or a Service or EndpointSlice port name that is not a DNS-1123 label was never accepted by any kube-apiserver version, so such objects are refused as if proposed'

/** What the EndpointSliceMirroring controller does with v1 Endpoints objects. */
export const MIRRORING = `v1 Endpoints of selector-less Services are mirrored into EndpointSlices like kube-controller-manager's EndpointSliceMirroring controller (one slice per subset and address family, at most ${MAX_MIRRORED_ENDPOINTS_PER_SUBSET} addresses per subset, only the ready condition set)`

/**
 * Emulates what kube-apiserver (and the EndpointSlice controller) would do with the input.
 * `replay`: record the Service creates for another plan, or replay another plan's (service/reuse.ts).
 */
export function emulateApiserver(input: ApiserverInput, replay: CreateReplay = {}): Staged<ApiserverResult> {
  const { inventory, profile, kubeProxy } = input
  const issues: Issue[] = []
  const assumptions: string[] = []

  const setup = setupPools(profile, inventory.serviceCIDRs)
  pushAll(issues, setup.issues)
  pushAll(assumptions, setup.assumptions)
  const { pools } = setup

  const limits = resolveWorkLimits(input.limits)
  const before = issues.length
  const admitted = admitServices(inventory.services, limits, issues)
  const slices = admitSlices(inventory.endpointSlices, issues)
  if (issues.slice(before).some((i) => i.code !== 'limit/service-ports')) assumptions.push(STORED_NAMES)
  const poolInputs: PoolInputs = {
    version: profile.kubernetesVersion,
    serviceClusterIPRange: profile.serviceClusterIPRange,
    serviceNodePortRange: profile.serviceNodePortRange,
    serviceCIDRs: inventory.serviceCIDRs,
  }
  if (replay.record) replay.record.pools = poolInputs
  const reuse = replay.reuse && samePoolInputs(poolInputs, replay.reuse.memo.pools, replay.reuse.baseOf) ? replay.reuse : undefined
  const services = processServices(admitted, pools, profile.kubernetesVersion, { ...(replay.record ? { record: replay.record } : {}), ...(reuse ? { reuse } : {}) })
  pushAll(issues, services.issues)
  // The allocator, its limits and texts depend on the version: say which one answered.
  if (inventory.services.some((s) => s.origin === 'proposed')) assumptions.push(allocatorAssumption(profile.kubernetesVersion))
  pushAll(assumptions, services.assumptions)
  if (inventory.services.some((s) => s.spec.trafficDistribution !== undefined)) {
    assumptions.push(trafficDistributionAssumption(profile.kubernetesVersion))
  }

  const nodes = input.nodes.length > 0 ? input.nodes : inventory.nodes
  const pods = synthesisePods({ pods: inventory.pods, others: inventory.others, nodes, clusterCIDR: kubeProxy.clusterCIDR, limits })
  pushAll(issues, pods.issues)
  pushAll(assumptions, pods.assumptions)

  const mirrored = mirroredSlices(services.services, inventory.others, inventory.endpointSlices)
  if (mirrored.length > 0) assumptions.push(MIRRORING)
  const endpoints = endpointSlicesFor({
    services: services.services,
    givenSlices: [...slices, ...admitSlices(mirrored, issues)],
    pods: pods.pods,
    nodes,
    primaryFamily: pools.families[0] ?? 'IPv4',
    limits,
    version: profile.kubernetesVersion,
    customResources: customResourcesByNamespace(inventory.others),
  })
  pushAll(issues, endpoints.issues)
  if (endpoints.slices.some((s) => s.computed === true)) assumptions.push(SLICE_PACKING)

  const ranges = [...[...pools.ips.values()].flatMap((a) => a.reports()), pools.ports.report()]
  return {
    value: {
      // Nearly always none refused: the lists as they are, without a key built per Service.
      services: endpoints.refused.size === 0 ? services.services : services.services.filter((svc) => !endpoints.refused.has(`${svc.metadata.namespace}/${svc.metadata.name}`)),
      endpointSlices: endpoints.slices,
      pods: pods.pods,
      allocations: endpoints.refused.size === 0 ? services.allocations : services.allocations.filter((a) => !endpoints.refused.has(`${a.namespace}/${a.name}`)),
      ranges,
      assumptions,
    },
    issues,
  }
}
