/**
 * @module apiserver/endpoints/compute
 * Chooses the EndpointSlices kube-proxy will see. Selector-less Services (and ExternalName) keep
 * the slices given for them (users or the mirroring controller write those). A Service with a
 * selector gets computed slices — unless it is unchanged cluster state whose given slices already
 * describe only unchanged pods, in which case the snapshot is the better truth.
 */
import { issue } from '../../issues.ts'
import type { Issue } from '../../issues.ts'
import type { EndpointSlice, IPFamily, Node, Pod, Service } from '../../model/k8s.ts'
import { endpointFindings } from './findings.ts'
import type { KubernetesVersion } from '../../model/version.ts'
import { computeSlices, CONTROLLER_NAME, selectedPods, sliceNodes, topologyHintsEnabled } from './slices.ts'
import { pushAll } from '../../append.ts'
import { raiseHint, type WorkLimits } from '../../limits.ts'

/** Input of endpoint computation. */
export interface EndpointsInput {
  readonly services: readonly Service[]
  readonly givenSlices: readonly EndpointSlice[]
  readonly pods: readonly Pod[]
  readonly nodes: readonly Node[]
  readonly primaryFamily: IPFamily
  /** The controller's release: which trafficDistribution values it acts on. */
  readonly version: KubernetesVersion
  /** Custom resources by namespace (`Kind (group)`): operators may create Pods for them. */
  readonly customResources?: ReadonlyMap<string, readonly string[]>
  /** `maxServiceEndpoints` and `maxEndpoints`, checked before any slice is computed. */
  readonly limits: WorkLimits
}

/** What {@link endpointSlicesFor} found. */
export interface EndpointsOutcome {
  readonly slices: EndpointSlice[]
  readonly issues: Issue[]
  /** `ns/name` of Services left out because their endpoints break a work limit. */
  readonly refused: ReadonlySet<string>
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by'

function sliceKey(s: EndpointSlice): string | undefined {
  const svc = s.metadata.labels[SERVICE_NAME_LABEL]
  return svc === undefined ? undefined : `${s.metadata.namespace}/${svc}`
}

/** Slices for every Service, plus findings. */
export function endpointSlicesFor(input: EndpointsInput): EndpointsOutcome {
  const issues: Issue[] = []
  const replaced = new Set<string>()
  const refused = new Set<string>()
  const computed: EndpointSlice[] = []
  const givenFor = new Map<string, EndpointSlice[]>()
  for (const s of input.givenSlices) {
    const k = sliceKey(s)
    if (k === undefined) continue
    const list = givenFor.get(k)
    if (list === undefined) givenFor.set(k, [s])
    else list.push(s)
  }
  const { maxServiceEndpoints, maxEndpoints } = input.limits
  let total = 0
  /**
   * Counts a Service's endpoints against the limits before its slices are used or computed.
   * `where.source` is a thunk: locating a field re-parses its document (parse/locate), which
   * only the refused Service's issue needs — eagerly it was ≈ 9% of a Worker PR plan.
   */
  const admit = (svc: Service, count: number, where: { path: string; source: () => Issue['source'] }): boolean => {
    const name = `${svc.metadata.namespace}/${svc.metadata.name}`
    const over =
      count > maxServiceEndpoints
        ? `${count} endpoints, more than the limit of ${maxServiceEndpoints} per Service (${raiseHint('maxServiceEndpoints')})`
        : total + count > maxEndpoints
          ? `${count} endpoints, which would take the plan to ${total + count}, more than the limit of ${maxEndpoints} in total (${raiseHint('maxEndpoints')})`
          : undefined
    if (over === undefined) {
      total += count
      return true
    }
    refused.add(name)
    const source = where.source()
    issues.push(issue('limit/endpoints', 'error', `Service ${name} has ${over}; it is left out of the plan`, { ref: svc.ref, path: where.path, ...(source ? { source } : {}) }))
    return false
  }
  const givenCount = (slices: readonly EndpointSlice[]): number => slices.reduce((n, s) => n + s.endpoints.length, 0)
  const nodes = sliceNodes(input.nodes)
  for (const svc of input.services) {
    const sel = svc.spec.selector
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const given = givenFor.get(key) ?? []
    const sliceWhere = { path: 'endpoints', source: () => given[0]?.locate('endpoints') }
    if (svc.spec.type === 'ExternalName' || sel === undefined || Object.keys(sel).length === 0) {
      if (given.length > 0) admit(svc, givenCount(given), sliceWhere)
      continue
    }
    const matched = selectedPods(svc, input.pods)
    const snapshotIsTruth = svc.origin === 'existing' && given.length > 0 && matched.every((p) => p.origin === 'existing' && !p.synthesised)
    if (snapshotIsTruth) {
      admit(svc, givenCount(given), sliceWhere)
      continue
    }
    replaced.add(key)
    if (!admit(svc, matched.length, { path: 'spec.selector', source: () => svc.locate('spec.selector') })) continue
    pushAll(computed, computeSlices(svc, matched, nodes, input.primaryFamily, input.version))
    pushAll(issues, endpointFindings(svc, matched, input.customResources?.get(svc.metadata.namespace) ?? []))
    if (topologyHintsEnabled(svc.metadata.annotations)) {
      // Unverified thresholds (topologycache `AddHints` / `getAllocations`): the topology cache's allocatable-CPU split and its
      // safeguards are not modelled, so the computed slices carry no hints at all.
      issues.push(
        issue(
          'endpoints/topology-hints-not-predicted',
          'info',
          `Service ${key} asks for Topology Aware Routing (annotation): the EndpointSlice controller then sets zone hints proportional to each zone's allocatable CPU, or none when its safeguards trip; kube-whatif does not predict those hints and plans without them${svc.spec.trafficDistribution ? ` (the annotation overrides trafficDistribution: ${svc.spec.trafficDistribution})` : ''}`,
          { ref: svc.ref, path: 'metadata.annotations', source: svc.locate('metadata.annotations') },
        ),
      )
    }
  }
  // Controller-managed slices of recomputed Services are superseded; anything else given stays.
  const kept = input.givenSlices.filter((s) => {
    const k = sliceKey(s)
    if (k !== undefined && refused.has(k)) return false
    if (k === undefined || !replaced.has(k)) return true
    const mb = s.metadata.labels[MANAGED_BY]
    return mb !== undefined && mb !== CONTROLLER_NAME
  })
  // Each slice's `ns/name` built once (the comparator built both keys per comparison, ≈ 20
  // strings per slice); the sort is stable on the same keys, so the order is the same.
  const keyed = [...kept, ...computed].map((s) => ({ key: `${s.metadata.namespace}/${s.metadata.name}`, s }))
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { slices: keyed.map((k) => k.s), issues, refused }
}
