/**
 * @module apiserver/emulate
 * kube-apiserver emulation (v1.32 defaults, bitmap allocator): validates, defaults and allocates
 * proposed Services against the existing cluster state, synthesises pods from workloads, and
 * computes EndpointSlices like the EndpointSlice controller. Spec: apiserver.md; the stage
 * contract is types.ts.
 */
import type { Issue, Staged } from '../issues.ts'
import type { ApiserverInput, ApiserverResult } from './types.ts'
import { setupPools } from './allocate/setup.ts'
import { processServices } from './service/pipeline.ts'
import { synthesisePods } from './workloads/index.ts'
import { endpointSlicesFor } from './endpoints/index.ts'


/**
 * The version the emulation follows, stated because the spec (apiserver.md §0) makes the
 * Kubernetes minor version an input a planner must ask for or assume out loud.
 */
export const MODELLED_VERSION =
  'kube-apiserver is modelled at v1.32 defaults: the legacy bitmap ClusterIP allocator, its range limits and error texts (1.33+ allocates through ServiceCIDR/IPAddress objects and reports an out-of-range IP as "the provided network does not match the current range")'

/** The EndpointSlice controller setting that shapes computed slices (spec §0, §6.5). */
export const SLICE_PACKING =
  'EndpointSlices are computed like kube-controller-manager with --max-endpoints-per-slice=100 (the default); which endpoint lands in which slice is unspecified upstream, so slices are filled in pod-name order'

/** Emulates what kube-apiserver (and the EndpointSlice controller) would do with the input. */
export function emulateApiserver(input: ApiserverInput): Staged<ApiserverResult> {
  const { inventory, profile, kubeProxy } = input
  const issues: Issue[] = []
  const assumptions: string[] = []

  const setup = setupPools(profile)
  issues.push(...setup.issues)
  assumptions.push(...setup.assumptions)
  const { pools } = setup

  const services = processServices(inventory.services, pools)
  issues.push(...services.issues)
  if (inventory.services.some((s) => s.origin === 'proposed')) assumptions.push(MODELLED_VERSION)
  assumptions.push(...services.assumptions)

  const nodes = input.nodes.length > 0 ? input.nodes : inventory.nodes
  const pods = synthesisePods({ pods: inventory.pods, others: inventory.others, nodes, clusterCIDR: kubeProxy.clusterCIDR })
  issues.push(...pods.issues)
  assumptions.push(...pods.assumptions)

  const endpoints = endpointSlicesFor({
    services: services.services,
    givenSlices: inventory.endpointSlices,
    pods: pods.pods,
    nodes,
    primaryFamily: pools.families[0] ?? 'IPv4',
  })
  issues.push(...endpoints.issues)
  if (endpoints.slices.some((s) => s.computed === true)) assumptions.push(SLICE_PACKING)

  const ranges = [...[...pools.ips.values()].map((a) => a.report()), pools.ports.report()]
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
