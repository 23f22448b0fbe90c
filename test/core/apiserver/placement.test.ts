/**
 * Pod synthesis places every workload through one round-robin placer (Nodes sorted once, their
 * taints read once, the eligible list of unconstrained templates shared). Whatever order
 * templates come in, each placement must equal the direct reading: the Nodes sorted by name,
 * filtered by eligibility as it was checked before (every taint read per Node and template),
 * dealt round-robin.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { roundRobinPlacer, sortedNodes, taintsOf, tolerates } from '../../../src/core/apiserver/workloads/placement.ts'
import { readPodTemplate } from '../../../src/core/apiserver/workloads/template.ts'
import type { NodeRequirement, PodTemplateInfo } from '../../../src/core/apiserver/workloads/template.ts'
import type { Node } from '../../../src/core/model/k8s.ts'
import { node } from './helpers.ts'

const NODES: Node[] = [
  node('node-c', [], { zone: 'a' }),
  node('node-a', [], { disk: 'ssd', zone: 'b' }, [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }]),
  node('node-d', [], { disk: 'ssd' }, [{ key: 'maint', effect: 'NoExecute' }, { key: 'soft', effect: 'PreferNoSchedule' }]),
  node('node-b', [], {}),
]

const TEMPLATES: PodTemplateInfo[] = [
  readPodTemplate({ spec: {} }),
  readPodTemplate({ spec: { nodeSelector: { disk: 'ssd' } } }),
  readPodTemplate({ spec: { tolerations: [{ key: 'gpu', operator: 'Exists' }] } }),
  readPodTemplate({ spec: { tolerations: [{ operator: 'Exists' }] } }),
  readPodTemplate({ spec: { nodeSelector: { zone: 'a' } } }),
  readPodTemplate({
    spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }] } } } },
  }),
  readPodTemplate({ spec: { nodeName: 'node-x' } }),
  readPodTemplate({ metadata: { labels: { app: 'web' } }, spec: {} }),
]

/** `eligible` as it was written before the placer (requirement operators the templates use). */
function eligibleBefore(n: Node, t: PodTemplateInfo): boolean {
  const labels = n.metadata.labels
  const matches = (r: NodeRequirement): boolean => (r.operator === 'Exists' ? labels[r.key] !== undefined : r.operator === 'In' && r.values.includes(labels[r.key] ?? '\0'))
  for (const [k, v] of Object.entries(t.nodeSelector)) if (labels[k] !== v) return false
  if (t.affinityTerms.length > 0 && !t.affinityTerms.some((term) => term.every(matches))) return false
  for (const taint of taintsOf(n)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue
    if (!t.tolerations.some((tol) => tolerates(tol, taint))) return false
  }
  return true
}

/** Placement read directly off the Nodes, as pod synthesis did before the placer. */
function reference(nodes: readonly Node[], t: PodTemplateInfo, count: number): (string | undefined)[] {
  if (t.nodeName !== undefined) return Array.from({ length: count }, () => t.nodeName)
  const ok = sortedNodes(nodes).filter((n) => eligibleBefore(n, t))
  return Array.from({ length: count }, (_, i) => ok[i % Math.max(ok.length, 1)]?.metadata.name)
}

describe('roundRobinPlacer', () => {
  it('places every template of a sequence like the direct reading (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(TEMPLATES.length - 1), fc.nat(7)), { maxLength: 12 }), fc.subarray(NODES), (seq, nodes) => {
        const place = roundRobinPlacer(nodes)
        for (const [ti, count] of seq) {
          const t = TEMPLATES[ti] as PodTemplateInfo
          expect(place(t, count)).toEqual(reference(nodes, t, count))
        }
      }),
      { numRuns: 500 },
    )
  })
})
