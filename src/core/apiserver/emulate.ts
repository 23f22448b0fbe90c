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
import { resolveWorkLimits } from '../limits.ts'
import { admitServices, admitSlices } from './refuse.ts'
import { pushAll } from '../append.ts'


/**
 * The version the emulation follows, stated because the spec (apiserver.md §0) makes the
 * Kubernetes minor version an input a planner must ask for or assume out loud.
 */
export const MODELLED_VERSION =
  'kube-apiserver is modelled at v1.32 defaults: the legacy bitmap ClusterIP allocator, its range limits and error texts (1.33+ allocates through ServiceCIDR/IPAddress objects and reports an out-of-range IP as "the provided network does not match the current range")'

/** The EndpointSlice controller setting that shapes computed slices (spec §0, §6.5). */
export const SLICE_PACKING =
  'EndpointSlices are computed like kube-controller-manager with --max-endpoints-per-slice=100 (the default); which endpoint lands in which slice is unspecified upstream, so slices are filled in pod-name order'

/** Stated when a stored object was refused for its names (apiserver/validate/stored.ts). */
export const STORED_NAMES =
  'Objects given as cluster state are not re-validated, except their names: a Service name that is not a DNS-1035 label, a namespace that is not a DNS-1123 label, or a Service or EndpointSlice port name that is not a DNS-1123 label was never accepted by any kube-apiserver version, so such objects are refused as if proposed'

/** Emulates what kube-apiserver (and the EndpointSlice controller) would do with the input. */
export function emulateApiserver(input: ApiserverInput): Staged<ApiserverResult> {
  const { inventory, profile, kubeProxy } = input
  const issues: Issue[] = []
  const assumptions: string[] = []

  const setup = setupPools(profile)
  pushAll(issues, setup.issues)
  pushAll(assumptions, setup.assumptions)
  const { pools } = setup

  const limits = resolveWorkLimits(input.limits)
  const before = issues.length
  const admitted = admitServices(inventory.services, limits, issues)
  const slices = admitSlices(inventory.endpointSlices, issues)
  if (issues.slice(before).some((i) => i.code !== 'limit/service-ports')) assumptions.push(STORED_NAMES)
  const services = processServices(admitted, pools)
  pushAll(issues, services.issues)
  if (inventory.services.some((s) => s.origin === 'proposed')) assumptions.push(MODELLED_VERSION)
  pushAll(assumptions, services.assumptions)

  const nodes = input.nodes.length > 0 ? input.nodes : inventory.nodes
  const pods = synthesisePods({ pods: inventory.pods, others: inventory.others, nodes, clusterCIDR: kubeProxy.clusterCIDR, limits })
  pushAll(issues, pods.issues)
  pushAll(assumptions, pods.assumptions)

  const endpoints = endpointSlicesFor({
    services: services.services,
    givenSlices: slices,
    pods: pods.pods,
    nodes,
    primaryFamily: pools.families[0] ?? 'IPv4',
    limits,
  })
  pushAll(issues, endpoints.issues)
  if (endpoints.slices.some((s) => s.computed === true)) assumptions.push(SLICE_PACKING)

  const ranges = [...[...pools.ips.values()].map((a) => a.report()), pools.ports.report()]
  return {
    value: {
      services: services.services.filter((svc) => !endpoints.refused.has(`${svc.metadata.namespace}/${svc.metadata.name}`)),
      endpointSlices: endpoints.slices,
      pods: pods.pods,
      allocations: services.allocations.filter((a) => !endpoints.refused.has(`${a.namespace}/${a.name}`)),
      ranges,
      assumptions,
    },
    issues,
  }
}
