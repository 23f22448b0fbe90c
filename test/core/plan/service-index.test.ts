/**
 * `serviceIndexOf` gives a plan's Services by `namespace/name` with their views built when asked:
 * its keys are the plan's Services in order, each view reads as the plan's own (same keys in the
 * same order, values, spreads, endpoints and records read later), and two sides' views whose
 * inputs `sameServiceInputs` calls the same differ in `source`, `endpoints` and `dns` only (what
 * planDiff's Service comparison relies on to skip building them).
 */
import { describe, expect, it } from 'vitest'
import type { SourceFile } from '../../../src/core/model/inventory.ts'
import { assemblePlan, planCommon, planNodeProxy } from '../../../src/core/plan/index.ts'
import { sameServiceInputs, serviceIndexOf } from '../../../src/core/plan/services.ts'
import type { PlannedService } from '../../../src/core/plan/types.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'
import { sharedCommons } from '../../diff/shared-commons.ts'

const svc = (name: string, spec: string, origin: SourceFile['origin']): SourceFile => ({
  path: `${name}-${origin}.yaml`,
  text: `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: data}\nspec: ${spec}\n`,
  origin,
})

// Headless (records), ExternalName (no slices read), an update of an existing Service (its
// values labelled existing) and a LoadBalancer whose type is left to a default elsewhere.
const EDGES: SourceFile[] = [
  svc('kv', '{clusterIP: None, ports: [{name: peer, port: 2380}], selector: {app: kv}}', 'proposed'),
  {
    path: 'kv-slice.yaml',
    text: 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: kv-a, namespace: data, labels: {kubernetes.io/service-name: kv}}\naddressType: IPv4\nports: [{name: peer, port: 2380, protocol: TCP}]\nendpoints:\n- {addresses: [10.244.2.9], hostname: kv-1, conditions: {ready: true}}\n',
    origin: 'proposed',
  },
  svc('ext', '{type: ExternalName, externalName: db.example.com}', 'proposed'),
  svc('web', '{type: NodePort, clusterIP: 10.96.0.40, ports: [{port: 80, nodePort: 30080}]}', 'existing'),
  svc('web', '{type: NodePort, ports: [{port: 80}, {name: tls, port: 443}]}', 'proposed'),
  svc('lb', '{type: LoadBalancer, ports: [{port: 443}]}', 'proposed'),
]

/** The index's views of every key against the plan's views: the same reads. */
function expectSameViews(files: readonly SourceFile[], what: string): number {
  const c = planCommon({ files, options: {} })
  const index = serviceIndexOf(c)
  const planned = assemblePlan(c, planNodeProxy(c)).value.services
  expect(index, what).toBeDefined()
  if (index === undefined) return 0
  expect(index.keys, what).toEqual(planned.map((s) => `${s.namespace}/${s.name}`))
  const views = index.keys.map((k) => index.view(k) as PlannedService)
  expect(views.map((s) => Object.keys(s)), what).toEqual(planned.map((s) => Object.keys(s)))
  expect(JSON.stringify(views), what).toBe(JSON.stringify(planned))
  expect(views.map((s) => ({ ...s })), what).toStrictEqual(planned.map((s) => ({ ...s })))
  for (const k of index.keys) expect(index.view(k), `${what} ${k} built once`).toBe(index.view(k))
  return views.length
}

describe('serviceIndexOf', () => {
  it("views read as the plan's on 300 seeded pairs (both sides)", () => {
    let views = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) views += expectSameViews(files, `seed ${seed}`)
    }
    expect(views).toBeGreaterThan(1000)
  })

  it("views read as the plan's for headless, ExternalName, updated and LoadBalancer Services", () => {
    expect(expectSameViews(EDGES, 'edges')).toBe(4)
    const index = serviceIndexOf(planCommon({ files: EDGES, options: {} }))
    expect(index?.view('data/kv')?.dns).toBeDefined()
    expect(Object.keys(index?.view('data/ext') ?? {})).not.toContain('dns')
    expect(index?.view('data/web')?.clusterIPOrigin).toBe('existing')
    expect(index?.inputs('data/web')?.existing?.origin).toBe('existing')
    expect(index?.view('data/none')).toBeUndefined()
  })

  it("same inputs on both sides of a diff: the views differ in source, endpoints and records only; the head's index with the base's keys is the one without (300 seeded pairs, planDiff's shared head)", () => {
    let same = 0
    const drop = ({ source: _s, endpoints: _e, dns: _d, ...rest }: PlannedService): object => rest
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      const { baseCommon, headCommon } = sharedCommons(p)
      const base = serviceIndexOf(baseCommon)
      const head = serviceIndexOf(headCommon, base)
      const fresh = serviceIndexOf(headCommon)
      if (base === undefined || head === undefined || fresh === undefined) throw new Error(`seed ${seed}: no index`)
      // The base's keys taken where the head's Services and entries are its objects: the same index.
      expect(head.keys, `seed ${seed}`).toEqual(fresh.keys)
      for (const k of fresh.keys) {
        const [x, y] = [head.inputs(k), fresh.inputs(k)]
        expect(x?.s, `seed ${seed} ${k}`).toBe(y?.s)
        expect(x?.existing, `seed ${seed} ${k}`).toBe(y?.existing)
        expect(x?.allocs, `seed ${seed} ${k}`).toEqual(y?.allocs)
        expect(JSON.stringify(head.view(k)), `seed ${seed} ${k}`).toBe(JSON.stringify(fresh.view(k)))
      }
      for (const k of base.keys) {
        const [b, h] = [base.inputs(k), head.inputs(k)]
        if (b === undefined || h === undefined || !sameServiceInputs(b, h)) continue
        same++
        expect(JSON.stringify(drop(head.view(k) as PlannedService)), `seed ${seed} ${k}`).toBe(JSON.stringify(drop(base.view(k) as PlannedService)))
      }
    }
    // Not a test that cannot fail: most Services keep their inputs.
    expect(same).toBeGreaterThan(500)
  })
})
