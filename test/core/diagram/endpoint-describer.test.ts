/**
 * The diagrams' endpoint describer indexes only the endpoints of the ports drawn when told them
 * (`wanted`): every destination must be described as by the describer of every endpoint (its
 * first service port's), those outside `wanted` included.
 */
import { describe, expect, it } from 'vitest'
import { endpointDescriber } from '../../../src/core/diagram/plan-diagrams.ts'
import { planFromSources } from '../../../src/core/plan/plan.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'
import { rng } from '../../helpers/seeded-rng.ts'

describe('endpoint describer restricted to the drawn ports', () => {
  it('describes every destination as the whole describer does on 150 seeded plans', () => {
    let described = 0
    for (let seed = 0; seed < 150; seed++) {
      const p = seededPair(seed)
      const plan = planFromSources({ files: [...p.cluster, ...p.head] }).value
      const r = rng(seed)
      const drawn = plan.servicePorts.filter(() => r() < 0.3)
      const wanted = new Set(drawn.flatMap((sp) => sp.endpoints.map((e) => e.endpoint)))
      const all = endpointDescriber(plan)
      const some = endpointDescriber(plan, wanted)
      // Asked in a shuffled order, wanted or not, and for destinations no port has.
      const asked = [...new Set(plan.servicePorts.flatMap((sp) => sp.endpoints.map((e) => e.endpoint))), '10.255.255.1:1', '[fd00::1]:80'].sort(() => r() - 0.5)
      for (const d of asked) {
        expect(some(d), `seed ${seed} ${d}`).toEqual(all(d))
        if (all(d) !== undefined) described++
      }
    }
    expect(described).toBeGreaterThan(500)
  })

  it('takes a destination listed by two ports from the first one (slices that disagree on its state)', () => {
    const svc = (name: string, ip: string, node: string, ready: boolean): string =>
      [
        `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {clusterIP: ${ip}, ports: [{name: http, port: 80, targetPort: 8080}]}`,
        `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: ${name}-a, namespace: default, labels: {kubernetes.io/service-name: ${name}}}\naddressType: IPv4\nports: [{name: http, port: 8080, protocol: TCP}]\nendpoints: [{addresses: [10.244.1.7], nodeName: ${node}, conditions: {ready: ${ready}, serving: true, terminating: ${!ready}}}]`,
      ].join('\n---\n')
    const text = [svc('a', '10.96.0.10', 'node-1', true), svc('b', '10.96.0.11', 'node-2', false)].join('\n---\n')
    const plan = planFromSources({ files: [{ path: 'x.yaml', text, origin: 'proposed' }] }).value
    const second = plan.servicePorts.filter((sp) => sp.name === 'b')
    expect(second).toHaveLength(1)
    const some = endpointDescriber(plan, new Set(second.flatMap((sp) => sp.endpoints.map((e) => e.endpoint))))
    expect(some('10.244.1.7:8080')).toEqual(endpointDescriber(plan)('10.244.1.7:8080'))
    expect(some('10.244.1.7:8080')?.detail.join(' ')).toContain('node-1')
  })
})
