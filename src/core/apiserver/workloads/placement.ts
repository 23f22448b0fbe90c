/**
 * @module apiserver/workloads/placement
 * A minimal kube-scheduler: which Nodes may run a pod (nodeSelector, required node affinity,
 * taints vs tolerations), and a round-robin spread over them sorted by name. Real scheduling
 * (resources, spreading scores) is not modelled; the report says so.
 */
import type { Node } from '../../model/k8s.ts'
import type { NodeRequirement, PodTemplateInfo, Toleration } from './template.ts'
import { rec } from './template.ts'

/** A taint on a Node. */
export interface Taint {
  readonly key: string
  readonly value: string
  readonly effect: string
}

/** The Node's taints (spec.taints plus the one `spec.unschedulable` implies). */
export function taintsOf(node: Node): Taint[] {
  const spec = rec(node.raw, 'spec')
  const raw = spec['taints']
  const out: Taint[] = []
  if (Array.isArray(raw)) {
    for (const t of raw) {
      const r = rec(t)
      out.push({
        key: typeof r['key'] === 'string' ? r['key'] : '',
        value: typeof r['value'] === 'string' ? r['value'] : '',
        effect: typeof r['effect'] === 'string' ? r['effect'] : '',
      })
    }
  }
  if (spec['unschedulable'] === true) out.push({ key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' })
  return out
}

/** v1 Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false
  if (t.key !== '' && t.key !== taint.key) return false
  if (t.operator === 'Exists') return true
  return (t.operator === 'Equal' || t.operator === '') && t.value === taint.value
}

/** Tolerations the DaemonSet controller adds to every DaemonSet pod (daemon/util AddOrUpdateDaemonPodTolerations). */
export const DAEMONSET_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', value: '', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', value: '', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', value: '', effect: 'NoSchedule' },
]

function matchesRequirement(labels: Readonly<Record<string, string>>, r: NodeRequirement): boolean {
  const v = labels[r.key]
  switch (r.operator) {
    case 'In':
      return v !== undefined && r.values.includes(v)
    case 'NotIn':
      return v === undefined || !r.values.includes(v)
    case 'Exists':
      return v !== undefined
    case 'DoesNotExist':
      return v === undefined
    case 'Gt':
    case 'Lt': {
      const a = Number(v)
      const b = Number(r.values[0])
      if (v === undefined || !Number.isInteger(a) || !Number.isInteger(b)) return false
      return r.operator === 'Gt' ? a > b : a < b
    }
    default:
      return false
  }
}

/** True when the pod template may be scheduled on `node`. */
export function eligible(node: Node, t: PodTemplateInfo, extraTolerations: readonly Toleration[] = []): boolean {
  return eligibleGiven(node, scheduleTaints(node), t, extraTolerations)
}

/** The Node's taints that keep pods off it (NoSchedule, NoExecute): the only ones `eligible` checks. */
function scheduleTaints(node: Node): Taint[] {
  return taintsOf(node).filter((taint) => taint.effect === 'NoSchedule' || taint.effect === 'NoExecute')
}

/** {@link eligible} with the Node's {@link scheduleTaints} read already. */
function eligibleGiven(node: Node, taints: readonly Taint[], t: PodTemplateInfo, extraTolerations: readonly Toleration[]): boolean {
  const labels = node.metadata.labels
  for (const k of Object.keys(t.nodeSelector)) if (labels[k] !== t.nodeSelector[k]) return false
  if (t.affinityTerms.length > 0 && !t.affinityTerms.some((term) => term.every((r) => matchesRequirement(labels, r)))) return false
  if (taints.length === 0) return true
  const tols = extraTolerations.length === 0 ? t.tolerations : [...t.tolerations, ...extraTolerations]
  for (const taint of taints) if (!tols.some((tol) => tolerates(tol, taint))) return false
  return true
}

/** Nodes sorted by name (the order round-robin placement walks). */
export function sortedNodes(nodes: readonly Node[]): Node[] {
  return [...nodes].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
}

/** Round-robin: pod `i` of a workload goes to the `i`-th eligible node, wrapping. */
export type Placer = (t: PodTemplateInfo, count: number) => (string | undefined)[]

/**
 * A round-robin {@link Placer} over `nodes`: sorted once and each Node's taints read once for
 * every workload placed (pod synthesis placed each workload by sorting the Nodes and reading
 * every Node's taints again). A template with no nodeSelector, node affinity or tolerations is
 * eligible wherever the Node has no scheduling taint: that list is computed once too.
 */
export function roundRobinPlacer(nodes: readonly Node[]): Placer {
  const sorted = sortedNodes(nodes)
  const taints = sorted.map(scheduleTaints)
  let unconstrained: string[] | undefined
  const eligibleNames = (t: PodTemplateInfo): string[] => {
    const plain = t.affinityTerms.length === 0 && t.tolerations.length === 0 && Object.keys(t.nodeSelector).length === 0
    if (plain && unconstrained !== undefined) return unconstrained
    const names: string[] = []
    for (let i = 0; i < sorted.length; i++) {
      const n = sorted[i] as Node
      if (eligibleGiven(n, taints[i] as Taint[], t, [])) names.push(n.metadata.name)
    }
    if (plain) unconstrained = names
    return names
  }
  return (t, count) => {
    const out: (string | undefined)[] = []
    if (t.nodeName !== undefined) {
      for (let i = 0; i < count; i++) out.push(t.nodeName)
      return out
    }
    const ok = eligibleNames(t)
    for (let i = 0; i < count; i++) out.push(ok[i % Math.max(ok.length, 1)])
    return out
  }
}
