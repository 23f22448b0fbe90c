/**
 * Issue 12, quadratic work found by hostile inputs, counted rather than timed (see
 * work-counter.ts): 10× the input may cost at most ~11× the element visits.
 * - one Service with many ports (a per-port filter over all allocations: 100k ports took 102 s);
 * - a cluster export with many workloads and their Pods (every given Pod was scanned for every
 *   workload: 5,000 Deployments with 50,000 Pods ran for more than 15 minutes).
 */
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../src/core/plan/plan.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { countWork } from './work-counter.ts'

const MAX_GROWTH = 11

function widePorts(n: number): SourceFile[] {
  const ports = Array.from({ length: n }, (_, i) => `  - {name: p${i}, port: ${i + 1}, protocol: TCP}`).join('\n')
  return [
    { path: 'profile.yaml', origin: 'existing', text: 'apiVersion: kube-whatif.dev/v1alpha1\nkind: ClusterProfile\nserviceNodePortRange: 20000-59999\n' },
    { path: 'wide.yaml', origin: 'proposed', text: `apiVersion: v1\nkind: Service\nmetadata: {name: wide, namespace: default}\nspec:\n  type: NodePort\n  ports:\n${ports}\n` },
  ]
}

function workloadExport(deployments: number): SourceFile[] {
  const items: string[] = []
  for (let d = 0; d < deployments; d++) {
    items.push(`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"app${d}","namespace":"ns"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"a${d}"}},"template":{"metadata":{"labels":{"app":"a${d}"}},"spec":{"containers":[{"name":"c","image":"x"}]}}}}`)
    for (let i = 0; i < 3; i++) {
      items.push(`{"apiVersion":"v1","kind":"Pod","metadata":{"name":"app${d}-abc-${i}","namespace":"ns","labels":{"app":"a${d}"},"ownerReferences":[{"kind":"ReplicaSet","name":"app${d}-abc","controller":true}]},"spec":{"nodeName":"node-1","containers":[{"name":"c","image":"x"}]},"status":{"phase":"Running","podIP":"10.${1 + (d >> 8)}.${d & 255}.${i + 1}"}}`)
    }
  }
  return [{ path: 'export.json', origin: 'existing', text: `{"apiVersion":"v1","kind":"List","items":[${items.join(',')}]}` }]
}

const visits = (files: SourceFile[], limits = {}): number => countWork(() => planFromSources({ files, options: { limits } })).visits

describe('hostile inputs cost linear work', () => {
  it('ports of one Service', () => {
    const limits = { maxServicePorts: 10_000 }
    const small = visits(widePorts(200), limits)
    const large = visits(widePorts(2_000), limits)
    expect(large / small).toBeLessThan(MAX_GROWTH)
  })

  it('workloads and the Pods they own in a cluster export', () => {
    const small = visits(workloadExport(40))
    const large = visits(workloadExport(400))
    expect(large / small).toBeLessThan(MAX_GROWTH)
  })
})
