/**
 * The split pipeline (plan/stages.ts) must give, for every node, exactly what a separate
 * `planFromSources` with `--node` gives: planDiff relies on it to re-run only the kube-proxy
 * stages per compared node.
 */
import { describe, expect, it } from 'vitest'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { assemblePlan, planCommon, planFromSources, planNodeProxy, retargetCommon } from '../../src/core/plan/index.ts'
import { renderPlan } from '../../src/core/report/render-plan.ts'
import type { Staged } from '../../src/core/issues.ts'
import type { PlanResult } from '../../src/core/plan/types.ts'
import { listScenarios, loadScenario } from '../diff/scenario-loader.ts'

const render = (p: Staged<PlanResult>): string => renderPlan(p, 'json') + renderPlan(p, 'text') + renderPlan(p, 'iptables-restore')

function expectSameForEveryNode(files: readonly SourceFile[]): number {
  const common = planCommon({ files })
  const whole = assemblePlan(common, planNodeProxy(common))
  expect(render(whole)).toBe(render(planFromSources({ files })))
  const names = whole.value.nodes.map((n) => n.metadata.name)
  for (const node of [...names, 'no-such-node']) {
    const c = retargetCommon(common, node)
    const split = assemblePlan(c, planNodeProxy(c))
    const separate = planFromSources({ files, options: { node } })
    expect(render(split), node).toBe(render(separate))
    expect(split.issues.map((i) => i.code)).toEqual(separate.issues.map((i) => i.code))
  }
  return names.length
}

describe('retargetCommon + planNodeProxy = planFromSources with --node', () => {
  it.each(listScenarios())('scenario %s, both sides', (name) => {
    const s = loadScenario(name)
    for (const side of [s.base, s.head]) expect(expectSameForEveryNode([...s.cluster, ...side])).toBeGreaterThan(0)
  })

  it('synthesised nodes are never renamed after the preferred node (the node set is the same for every --node)', () => {
    // ClusterProfile.node names no node: an error, and node-1 keeps its name whatever --node says.
    const text = [
      'apiVersion: kube-whatif.dev/v1alpha1',
      'kind: ClusterProfile',
      'metadata: {name: p}',
      'node: edge',
      '---',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web, namespace: default}',
      'spec:',
      '  replicas: 3',
      '  selector: {matchLabels: {app: web}}',
      '  template:',
      '    metadata: {labels: {app: web}}',
      '    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web, namespace: default}',
      'spec:',
      '  type: NodePort',
      '  externalTrafficPolicy: Local',
      '  selector: {app: web}',
      '  ports: [{port: 80, targetPort: 80}]',
    ].join('\n')
    const files: SourceFile[] = [{ path: 'a.yaml', text, origin: 'proposed' }]
    const common = planCommon({ files })
    expect(common.cluster.value.nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3'])
    expect(common.cluster.issues.map((i) => [i.code, i.severity])).toEqual([['cluster/unknown-node', 'error']])
    expect(retargetCommon(common, 'node-2').cluster.value.nodes.map((n) => n.metadata.name)).toEqual(['node-1', 'node-2', 'node-3'])
    expectSameForEveryNode(files)
  })
})
