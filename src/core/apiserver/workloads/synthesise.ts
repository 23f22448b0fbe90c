/**
 * @module apiserver/workloads/synthesise
 * Pods given directly plus pods synthesised from workloads (Deployment, ReplicaSet, StatefulSet,
 * DaemonSet, Job, CronJob): placed on Nodes and given IPs. Every guess becomes an assumption.
 * A workload whose pods were given (e.g. a `kubectl get pods` snapshot) is not expanded again,
 * unless the proposed manifests change it — then its old pods are replaced by the new template's.
 */
import type { Building } from '../../building.ts'
import { issue } from '../../issues.ts'
import type { Issue } from '../../issues.ts'
import type { Node, OtherObject, Pod } from '../../model/k8s.ts'
import { replicaBounds } from './autoscalers.ts'
import { expandWorkload, podCount, WORKLOAD_KINDS } from './expand.ts'
import { raiseHint, type WorkLimits } from '../../limits.ts'
import type { PodSeed } from './expand.ts'
import { roundRobinPlacer, sortedNodes } from './placement.ts'
import { DEFAULT_CLUSTER_CIDR, nodeIPs, nodePodCIDRs, PodIPAllocator } from './pod-ips.ts'
import { readPodTemplate } from './template.ts'
import { pushAll } from '../../append.ts'

/** Annotation on a pod template (or Pod) that marks its pods NotReady in the preview. */
export const READY_ANNOTATION = 'kube-whatif.dev/ready'

/** Input of pod synthesis. */
export interface PodsInput {
  readonly pods: readonly Pod[]
  readonly others: readonly OtherObject[]
  readonly nodes: readonly Node[]
  /** kube-proxy's clusterCIDR (comma-separated), used when Nodes carry no podCIDRs. */
  readonly clusterCIDR: string
  /** `maxReplicas` and `maxPods` are checked before any pod is built. */
  readonly limits: WorkLimits
}

/** All pods, with issues and assumptions. */
export interface PodsOutcome {
  readonly pods: readonly Pod[]
  readonly issues: readonly Issue[]
  readonly assumptions: readonly string[]
}

const wkey = (w: OtherObject): string => `${w.kind}/${w.metadata.namespace}/${w.metadata.name}`

/** True when `pod` was made by workload `w` (directly, or via its ReplicaSet / Job). */
export function ownedBy(pod: Pod, w: OtherObject): boolean {
  if (pod.metadata.namespace !== w.metadata.namespace) return false
  if (pod.owner && pod.owner.kind === w.kind && pod.owner.name === w.metadata.name) return true
  return (pod.metadata.ownerReferences ?? []).some(
    (o) =>
      (o.kind === w.kind && o.name === w.metadata.name) ||
      (w.kind === 'Deployment' && o.kind === 'ReplicaSet' && o.name.startsWith(`${w.metadata.name}-`)) ||
      (w.kind === 'CronJob' && o.kind === 'Job' && o.name.startsWith(`${w.metadata.name}-`)),
  )
}

/**
 * The pods {@link ownedBy} each workload, looked up instead of scanned: filtering every given Pod
 * for every workload was O(workloads × pods) (10,000 Deployments over a 100,000-Pod export).
 * Pods are indexed by each owner they name, and by every `-`-ended prefix of a ReplicaSet or Job
 * owner's name (the Deployment / CronJob names it could belong to); the candidates are then
 * checked with `ownedBy` itself, so the answer is exactly the scan's, in input order.
 */
function ownerIndex(pods: readonly Pod[]): (w: OtherObject) => Pod[] {
  const index = new Map<string, Pod[]>()
  const order = new Map<Pod, number>()
  const add = (key: string, p: Pod): void => {
    const list = index.get(key)
    if (list === undefined) index.set(key, [p])
    else if (list[list.length - 1] !== p) list.push(p)
  }
  pods.forEach((p, i) => {
    order.set(p, i)
    const ns = p.metadata.namespace
    if (p.owner) add(`${ns}\0${p.owner.kind}\0${p.owner.name}`, p)
    for (const o of p.metadata.ownerReferences ?? []) {
      add(`${ns}\0${o.kind}\0${o.name}`, p)
      const parent = o.kind === 'ReplicaSet' ? 'Deployment' : o.kind === 'Job' ? 'CronJob' : undefined
      if (parent === undefined) continue
      for (let i = o.name.indexOf('-'); i >= 0; i = o.name.indexOf('-', i + 1)) add(`${ns}\0${parent}\0${o.name.slice(0, i)}`, p)
    }
  })
  return (w) => {
    const candidates = index.get(`${w.metadata.namespace}\0${w.kind}\0${w.metadata.name}`) ?? []
    const seen = new Set<Pod>()
    const out: Pod[] = []
    for (const p of candidates) {
      if (seen.has(p)) continue
      seen.add(p)
      if (ownedBy(p, w)) out.push(p)
    }
    return out.sort((a, b) => (order.get(a) as number) - (order.get(b) as number))
  }
}

/** What every pod of one workload shares (one object per workload, never written to). */
interface WorkloadShared {
  readonly ownerReferences: readonly { readonly kind: string; readonly name: string; readonly controller: boolean }[]
  readonly locate: Pod['locate']
}

function workloadShared(w: OtherObject): WorkloadShared {
  return {
    ownerReferences: [{ kind: w.kind, name: w.metadata.name, controller: true }],
    locate: (path: string) => w.locate(path.startsWith('spec.') ? `spec.template.${path}` : path),
  }
}

function buildPod(s: PodSeed, nodeName: string | undefined, podIPs: string[], shared: WorkloadShared): Pod {
  const w = s.workload
  const ready = (s.template.annotations[READY_ANNOTATION] ?? w.metadata.annotations[READY_ANNOTATION]) !== 'false'
  const metadata = {
    name: s.name,
    namespace: s.namespace,
    labels: s.labels,
    annotations: s.template.annotations,
    ownerReferences: shared.ownerReferences,
  }
  // Assigned field by field in the literal order (building.ts), not with conditional spreads.
  const pod: Building<Pod> = {
    kind: 'Pod',
    ref: { kind: 'Pod', namespace: s.namespace, name: s.name },
    metadata,
    source: w.source,
    locate: shared.locate,
    origin: w.origin,
    raw: { apiVersion: 'v1', kind: 'Pod', metadata, spec: nodeName ? { nodeName } : {} },
  }
  if (nodeName !== undefined) pod.nodeName = nodeName
  pod.podIPs = podIPs
  pod.phase = nodeName !== undefined ? 'Running' : 'Pending'
  pod.ready = nodeName !== undefined && ready
  pod.terminating = false
  pod.containerPorts = s.template.containerPorts
  pod.hostNetwork = s.template.hostNetwork
  if (s.template.hostname !== undefined) pod.hostname = s.template.hostname
  if (s.template.subdomain !== undefined) pod.subdomain = s.template.subdomain
  pod.owner = s.owner
  pod.synthesised = true
  return pod as Pod
}

/** A proposed Pod manifest without status (no IP, not terminal) gets placed and addressed. */
function needsAddress(p: Pod): boolean {
  return p.origin === 'proposed' && !p.synthesised && p.podIPs.length === 0 && p.phase === undefined
}

/**
 * The workloads whose pods fit the work limits, in order: one whose own count is above
 * `maxReplicas`, or that would take the total above `maxPods`, is not expanded at all (an error
 * issue at the count's field) — a partial set of pods would be a plan of a cluster nobody asked for.
 */
function withinPodLimits(workloads: readonly OtherObject[], input: PodsInput, issues: Issue[]): OtherObject[] {
  const { maxReplicas, maxPods } = input.limits
  const out: OtherObject[] = []
  let total = 0
  for (const w of workloads) {
    const { count, path } = podCount(w, input.nodes)
    // Located only for an issue: `locate` re-parses the workload's document (parse/locate), and
    // doing it for every workload was ≈ 11% of a Worker PR plan.
    const where = (): Pick<Issue, 'ref' | 'path' | 'source'> => ({ ref: { kind: w.kind, namespace: w.metadata.namespace, name: w.metadata.name }, path, source: w.locate(path) })
    if (count > maxReplicas) {
      issues.push(issue('limit/replicas', 'error', `${w.kind} ${w.metadata.namespace}/${w.metadata.name} asks for ${count} pods, more than the limit of ${maxReplicas} per workload (${raiseHint('maxReplicas')}); its pods are not synthesised`, where()))
      continue
    }
    if (total + count > maxPods) {
      issues.push(issue('limit/pods', 'error', `${w.kind} ${w.metadata.namespace}/${w.metadata.name} would take the synthesised pods to ${total + count}, more than the limit of ${maxPods} in total (${raiseHint('maxPods')}); its pods are not synthesised`, where()))
      continue
    }
    total += count
    out.push(w)
  }
  return out
}

/** Given pods plus synthesised ones, placed and addressed. */
export function synthesisePods(input: PodsInput): PodsOutcome {
  const issues: Issue[] = []
  const assumptions: string[] = []
  const byId = new Map<string, OtherObject>()
  const existingIds = new Set<string>()
  for (const o of input.others) {
    if (!(WORKLOAD_KINDS as readonly string[]).includes(o.kind)) continue
    const k = wkey(o)
    if (o.origin === 'existing') existingIds.add(k)
    const prev = byId.get(k)
    if (prev === undefined || (prev.origin === 'existing' && o.origin === 'proposed')) byId.set(k, o)
  }
  const owners = ownerIndex(input.pods)
  const removed = new Set<Pod>()
  const toExpand: OtherObject[] = []
  for (const [k, w] of [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const owned = owners(w).filter((p) => !removed.has(p))
    if (w.origin === 'proposed' && existingIds.has(k)) {
      for (const p of owned) if (p.origin === 'existing') removed.add(p)
      toExpand.push(w)
    } else if (owned.length === 0) toExpand.push(w)
  }
  let given = removed.size === 0 ? [...input.pods] : input.pods.filter((p) => !removed.has(p))
  const within = withinPodLimits(toExpand, input, issues)
  toExpand.length = 0
  pushAll(toExpand, within)
  const bare = given.filter(needsAddress)
  if (toExpand.length === 0 && bare.length === 0) return { pods: given, issues, assumptions }

  const nodes = sortedNodes(input.nodes)
  const placeRoundRobin = roundRobinPlacer(nodes)
  const nodeByName = new Map(nodes.map((n) => [n.metadata.name, n]))
  const cidrs = nodePodCIDRs(nodes, input.clusterCIDR || DEFAULT_CLUSTER_CIDR)
  if (nodes.some((n) => n.podCIDRs.length === 0)) {
    assumptions.push(`Nodes without podCIDRs get one carved from the cluster CIDR ${input.clusterCIDR || DEFAULT_CLUSTER_CIDR} (/24 IPv4, /64 IPv6, in node-name order)`)
  }
  const ipAlloc = new PodIPAllocator()
  for (const p of given) for (const ip of p.podIPs) ipAlloc.reserve(ip)
  for (const n of nodes) for (const ip of nodeIPs(n)) ipAlloc.reserve(ip)

  // Pod manifests from a repository carry no status: place and address them like a workload would.
  const addressed = new Map<Pod, Pod>()
  for (const p of bare) {
    const t = readPodTemplate({ metadata: p.raw['metadata'], spec: p.raw['spec'] })
    const nodeName = p.nodeName ?? placeRoundRobin(t, 1)[0]
    const node = nodeName === undefined ? undefined : nodeByName.get(nodeName)
    const ips =
      node === undefined
        ? []
        : p.hostNetwork
          ? nodeIPs(node)
          : (cidrs.get(node.metadata.name) ?? []).map((c) => ipAlloc.assign(c, `${p.metadata.namespace}/${p.metadata.name}`)).filter((x): x is string => x !== undefined)
    if (node === undefined) {
      issues.push(issue('endpoints/pod-unschedulable', 'warning', `Pod ${p.metadata.namespace}/${p.metadata.name} fits no Node (nodeSelector, affinity or taints); it stays Pending and is no endpoint`, { ref: p.ref, source: p.locate('spec') }))
      continue
    }
    // A repository Pod manifest has no status at all: like a synthesised pod it is previewed
    // Running and Ready (unless it says otherwise), so it is no surprise non-endpoint.
    const ready = p.ready ?? p.metadata.annotations[READY_ANNOTATION] !== 'false'
    addressed.set(p, { ...p, nodeName: node.metadata.name, podIPs: ips, phase: p.phase ?? 'Running', ready })
    assumptions.push(`Pod ${p.metadata.namespace}/${p.metadata.name} has no status: assumed Running${ready ? ' and Ready' : ''} on ${node.metadata.name}${p.nodeName ? '' : ' (round-robin placement)'} with IP ${ips.join(', ') || 'none'} (preview)`)
  }
  given = given.map((p) => addressed.get(p) ?? p)

  const synthesised: Pod[] = []
  const bounds = replicaBounds(input.others)
  for (const w of toExpand) {
    const { pods: seeds, notes } = expandWorkload(w, nodes, bounds.get(wkey(w)))
    pushAll(assumptions, notes)
    const shared = workloadShared(w)
    const placed = placeRoundRobin(seeds[0]?.template ?? { labels: {}, annotations: {}, containerPorts: [], nodeSelector: {}, affinityTerms: [], tolerations: [], hostNetwork: false }, seeds.length)
    for (let i = 0; i < seeds.length; i++) {
      const s = seeds[i] as PodSeed
      const nodeName = s.node ?? placed[i]
      const node = nodeName === undefined ? undefined : nodeByName.get(nodeName)
      let ips: string[] = []
      if (node !== undefined) {
        if (s.template.hostNetwork) ips = nodeIPs(node)
        else {
          // A loop, not map + filter: two arrays and a closure per pod for one or two addresses.
          const key = `${s.namespace}/${s.name}`
          for (const c of cidrs.get(node.metadata.name) ?? []) {
            const ip = ipAlloc.assign(c, key)
            if (ip !== undefined) ips.push(ip)
          }
        }
      }
      if (nodeName === undefined || node === undefined) {
        issues.push(
          issue('endpoints/pod-unschedulable', 'warning', `Pod ${s.namespace}/${s.name} of ${w.kind} ${w.metadata.name} fits no Node (nodeSelector, affinity or taints); it stays Pending and is no endpoint`, {
            ref: { kind: w.kind, namespace: w.metadata.namespace, name: w.metadata.name },
            source: w.locate('spec.template.spec'),
          }),
        )
      }
      synthesised.push(buildPod(s, node?.metadata.name, ips, shared))
    }
  }
  if (synthesised.length > 0) {
    assumptions.push(
      'Synthesised pods are placed round-robin over eligible Nodes sorted by name (DaemonSets: every eligible Node); resources and scheduler scoring are not modelled',
      'Synthesised pod IPs are previews: host-local IPAM over each Node podCIDR, host number seeded by pod name (the CNI decides for real)',
      `Synthesised pods are Running and Ready (no probes are run); annotate the pod template with ${READY_ANNOTATION}: "false" to preview NotReady`,
    )
  }
  return { pods: [...given, ...synthesised], issues, assumptions }
}
