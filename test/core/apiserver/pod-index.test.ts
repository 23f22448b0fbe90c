/**
 * selectedPods looks pods up in a label index (nested maps, buckets reused while consecutive
 * pods share one labels object); it must return exactly what a linear scan returns — the pods
 * of the Service's namespace whose labels carry every selector pair — in input order.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { selectedPods, selects } from '../../../src/core/apiserver/endpoints/slices.ts'
import type { Pod, Service } from '../../../src/core/model/k8s.ts'

const scan = (svc: Service, pods: readonly Pod[]): Pod[] => {
  const sel = svc.spec.selector ?? {}
  if (Object.keys(sel).length === 0) return []
  return pods.filter((p) => p.metadata.namespace === svc.metadata.namespace && selects(sel, p.metadata.labels))
}

const word = fc.constantFrom('a', 'b', 'app', 'tier', '', 'x\u0000y', 'web')
const labels = fc.dictionary(word, word, { maxKeys: 3 })
const ns = fc.constantFrom('default', 'shop', 'x\u0000')

describe('selectedPods', () => {
  it('equals the linear scan over generated pods, with labels objects shared by runs of pods (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ns, labels, run: fc.integer({ min: 1, max: 4 }) }), { maxLength: 12 }),
        fc.array(fc.record({ ns, selector: labels }), { minLength: 1, maxLength: 6 }),
        (groups, svcs) => {
          const pods: Pod[] = []
          const shared: Record<string, string>[] = []
          groups.forEach((g, gi) => {
            // Runs share one labels object; a group may reuse the previous group's object (maybe in
            // another namespace) or the first group's.
            const l = gi % 3 === 2 ? (shared[gi - 1] as Record<string, string>) : gi % 5 === 4 ? (shared[0] as Record<string, string>) : g.labels
            shared.push(l)
            for (let i = 0; i < g.run; i++) pods.push({ metadata: { namespace: g.ns, name: `p${pods.length}`, labels: l } } as unknown as Pod)
          })
          for (const s of svcs) {
            const svc = { metadata: { namespace: s.ns, name: 'svc' }, spec: { selector: s.selector } } as unknown as Service
            expect(selectedPods(svc, pods)).toEqual(scan(svc, pods))
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
