/**
 * @module apiserver/workloads/autoscalers
 * HorizontalPodAutoscalers bound the replicas of the workload they scale: the HPA controller
 * (pkg/controller/podautoscaler horizontal.go reconcileAutoscaler) raises a scale below
 * `minReplicas` (default 1) to it and lowers one above `maxReplicas` to it, and leaves a scale of 0
 * alone (autoscaling disabled). What the metrics would ask for beyond that is not predicted.
 */
import type { OtherObject } from '../../model/k8s.ts'
import { intField, rec } from './template.ts'

/** The replica bounds one HPA puts on its target. */
export interface ReplicaBounds {
  readonly hpa: string
  readonly min: number
  readonly max: number
}

const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'StatefulSet'])

/** Bounds by target `Kind/namespace/name`; the first HPA (by name) of a target wins. */
export function replicaBounds(others: readonly OtherObject[]): Map<string, ReplicaBounds> {
  const out = new Map<string, ReplicaBounds>()
  const hpas = others
    .filter((o) => o.kind === 'HorizontalPodAutoscaler' && o.apiVersion.startsWith('autoscaling/'))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))
  for (const h of hpas) {
    const spec = rec(h.raw, 'spec')
    const target = rec(spec, 'scaleTargetRef')
    const kind = target['kind']
    const name = target['name']
    if (typeof kind !== 'string' || typeof name !== 'string' || !SCALABLE.has(kind)) continue
    const key = `${kind}/${h.metadata.namespace}/${name}`
    const min = Math.max(1, intField(spec['minReplicas'], 1))
    const max = intField(spec['maxReplicas'], min)
    if (!out.has(key)) out.set(key, { hpa: h.metadata.name, min, max: Math.max(min, max) })
  }
  return out
}

/** The replicas the workload runs with under its HPA: `replicas` clamped to the bounds, 0 kept. */
export function boundedReplicas(replicas: number, bounds: ReplicaBounds | undefined): number {
  if (bounds === undefined || replicas === 0) return replicas
  return Math.min(bounds.max, Math.max(bounds.min, replicas))
}
