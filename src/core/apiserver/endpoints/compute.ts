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
import { computeSlices, CONTROLLER_NAME, selectedPods, topologyHintsEnabled } from './slices.ts'

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
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by'

function sliceKey(s: EndpointSlice): string | undefined {
  const svc = s.metadata.labels[SERVICE_NAME_LABEL]
  return svc === undefined ? undefined : `${s.metadata.namespace}/${svc}`
}

/** Slices for every Service, plus findings. */
export function endpointSlicesFor(input: EndpointsInput): { slices: EndpointSlice[]; issues: Issue[] } {
  const issues: Issue[] = []
  const replaced = new Set<string>()
  const computed: EndpointSlice[] = []
  const givenFor = new Map<string, EndpointSlice[]>()
  for (const s of input.givenSlices) {
    const k = sliceKey(s)
    if (k !== undefined) givenFor.set(k, [...(givenFor.get(k) ?? []), s])
  }
  for (const svc of input.services) {
    const sel = svc.spec.selector
    if (svc.spec.type === 'ExternalName' || sel === undefined || Object.keys(sel).length === 0) continue
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`
    const matched = selectedPods(svc, input.pods)
    const given = givenFor.get(key) ?? []
    const snapshotIsTruth = svc.origin === 'existing' && given.length > 0 && matched.every((p) => p.origin === 'existing' && !p.synthesised)
    if (snapshotIsTruth) continue
    replaced.add(key)
    computed.push(...computeSlices(svc, input.pods, input.nodes, input.primaryFamily, input.version))
    issues.push(...endpointFindings(svc, matched, input.customResources?.get(svc.metadata.namespace) ?? []))
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
    if (k === undefined || !replaced.has(k)) return true
    const mb = s.metadata.labels[MANAGED_BY]
    return mb !== undefined && mb !== CONTROLLER_NAME
  })
  const all = [...kept, ...computed].sort((a, b) => {
    const ka = `${a.metadata.namespace}/${a.metadata.name}`
    const kb = `${b.metadata.namespace}/${b.metadata.name}`
    return ka < kb ? -1 : ka > kb ? 1 : 0
  })
  return { slices: all, issues }
}
