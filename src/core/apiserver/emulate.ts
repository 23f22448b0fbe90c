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
import { synthesisePods } from './workloads/index.ts'
import { customResourcesByNamespace } from './endpoints/custom-resources.ts'
import { endpointSlicesFor } from './endpoints/index.ts'
import { MAX_MIRRORED_ENDPOINTS_PER_SUBSET, mirroredSlices } from './endpoints/mirroring.ts'


/** The EndpointSlice controller setting that shapes computed slices (kube-controller-manager `--max-endpoints-per-slice`, endpointslice reconciler `reconcileByAddressType`). */
export const SLICE_PACKING =
  'EndpointSlices are computed like kube-controller-manager with --max-endpoints-per-slice=100 (the default); which endpoint lands in which slice is unspecified upstream, so slices are filled in pod-name order'

/** What the EndpointSliceMirroring controller does with v1 Endpoints objects. */
export const MIRRORING = `v1 Endpoints of selector-less Services are mirrored into EndpointSlices like kube-controller-manager's EndpointSliceMirroring controller (one slice per subset and address family, at most ${MAX_MIRRORED_ENDPOINTS_PER_SUBSET} addresses per subset, only the ready condition set)`

/** Emulates what kube-apiserver (and the EndpointSlice controller) would do with the input. */
export function emulateApiserver(input: ApiserverInput): Staged<ApiserverResult> {
  const { inventory, profile, kubeProxy } = input
  const issues: Issue[] = []
  const assumptions: string[] = []

  const setup = setupPools(profile, inventory.serviceCIDRs)
  issues.push(...setup.issues)
  assumptions.push(...setup.assumptions)
  const { pools } = setup

  const services = processServices(inventory.services, pools, profile.kubernetesVersion)
  issues.push(...services.issues)
  // The allocator, its limits and texts depend on the version: say which one answered.
  if (inventory.services.some((s) => s.origin === 'proposed')) assumptions.push(allocatorAssumption(profile.kubernetesVersion))
  assumptions.push(...services.assumptions)
  if (inventory.services.some((s) => s.spec.trafficDistribution !== undefined)) {
    assumptions.push(trafficDistributionAssumption(profile.kubernetesVersion))
  }

  const nodes = input.nodes.length > 0 ? input.nodes : inventory.nodes
  const pods = synthesisePods({ pods: inventory.pods, others: inventory.others, nodes, clusterCIDR: kubeProxy.clusterCIDR })
  issues.push(...pods.issues)
  assumptions.push(...pods.assumptions)

  const mirrored = mirroredSlices(services.services, inventory.others, inventory.endpointSlices)
  if (mirrored.length > 0) assumptions.push(MIRRORING)
  const endpoints = endpointSlicesFor({
    services: services.services,
    givenSlices: [...inventory.endpointSlices, ...mirrored],
    pods: pods.pods,
    nodes,
    primaryFamily: pools.families[0] ?? 'IPv4',
    version: profile.kubernetesVersion,
    customResources: customResourcesByNamespace(inventory.others),
  })
  issues.push(...endpoints.issues)
  if (endpoints.slices.some((s) => s.computed === true)) assumptions.push(SLICE_PACKING)

  const ranges = [...[...pools.ips.values()].flatMap((a) => a.reports()), pools.ports.report()]
  return {
    value: {
      services: services.services,
      endpointSlices: endpoints.slices,
      pods: pods.pods,
      allocations: services.allocations,
      ranges,
      assumptions,
    },
    issues,
  }
}
