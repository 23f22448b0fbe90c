/**
 * `planServices` builds each Service's `endpoints` and `dns`, `planServicePorts` each port's
 * `endpoints`, on first read: the planned objects must read, print, spread and compare as the
 * ones built at once (same keys in the same order, same values), on the seeded diff pairs and on
 * headless / ExternalName Services; a port's `endpointSources` are its endpoints' fields, in order.
 */
import { describe, expect, it } from 'vitest'
import type { SourceFile } from '../../../src/core/model/inventory.ts'
import { planCommon, planNodeProxy } from '../../../src/core/plan/index.ts'
import { endpointSources, planServicePorts } from '../../../src/core/plan/service-ports.ts'
import { planServices } from '../../../src/core/plan/services.ts'
import { keyOf, updatedServiceKeys } from '../../../src/core/plan/updates.ts'
import { seededPair } from '../../diff/seeded-pairs.ts'

// A headless Service whose slice publishes hostnames (per-pod records), one without a selector's
// slice, and an ExternalName Service (no endpoints, no records).
const HEADLESS = [
  'apiVersion: v1\nkind: Service\nmetadata: {name: kv, namespace: data}\nspec: {clusterIP: None, ports: [{name: peer, port: 2380}]}',
  '---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: kv-a, namespace: data, labels: {kubernetes.io/service-name: kv}}\naddressType: IPv4\nports: [{name: peer, port: 2380, protocol: TCP}]',
  'endpoints:\n- {addresses: [10.244.2.9], hostname: kv-1, conditions: {ready: true}}\n- {addresses: [10.244.1.9], hostname: kv-0, conditions: {ready: true}}\n- {addresses: [10.244.3.9], conditions: {ready: false}}',
  '---\napiVersion: v1\nkind: Service\nmetadata: {name: empty, namespace: data}\nspec: {clusterIP: None, ipFamilies: [IPv4], ports: [{port: 80}]}',
  '---\napiVersion: v1\nkind: Service\nmetadata: {name: ext, namespace: data}\nspec: {type: ExternalName, externalName: db.example.com}',
].join('\n')

/** Both ways of building the planned Services of `files`. */
function both(files: readonly SourceFile[], what: 'services' | 'ports' = 'services'): { lazy: unknown[]; eager: unknown[] } {
  const c = planCommon({ files, options: {} })
  if (what === 'ports') {
    const state = planNodeProxy(c).state.value
    return { lazy: planServicePorts(state, c.cluster.value.nodeName, true), eager: planServicePorts(state, c.cluster.value.nodeName, false) }
  }
  const updated = updatedServiceKeys(c.inventory.services)
  const existing = new Map(c.inventory.services.filter((s) => s.origin === 'existing' && updated.has(keyOf(s))).map((s) => [keyOf(s), s]))
  const plan = (lazy: boolean): unknown[] => planServices(c.services, c.api.value.allocations, existing, c.endpointSlices, 'cluster.local', lazy)
  return { lazy: plan(true), eager: plan(false) }
}

function expectSame(files: readonly SourceFile[], what: string, which: 'services' | 'ports' = 'services'): unknown[] {
  const { lazy, eager } = both(files, which)
  expect(lazy.map((s) => Object.keys(s as object)), what).toEqual(eager.map((s) => Object.keys(s as object)))
  expect(JSON.stringify(lazy), what).toBe(JSON.stringify(eager))
  expect(lazy.map((s) => ({ ...(s as object) })), what).toStrictEqual(eager)
  return lazy
}

describe('planned Services with endpoints built on first read', () => {
  it('read as the ones built at once on 300 seeded pairs (both sides)', () => {
    let endpoints = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) {
        const lazy = expectSame(files, `seed ${seed}`)
        for (const s of lazy as { endpoints: readonly unknown[] }[]) endpoints += s.endpoints.length
      }
    }
    expect(endpoints).toBeGreaterThan(1000)
  })

  it('read as the ones built at once for headless and ExternalName Services (dns only when headless)', () => {
    const lazy = expectSame([{ path: 'kv.yaml', text: HEADLESS, origin: 'proposed' }], 'headless') as { name: string; endpoints: unknown[]; dns?: unknown[] }[]
    const kv = lazy.find((s) => s.name === 'kv')
    expect(kv?.endpoints).toHaveLength(3)
    // The Service's name and one name per hostname.
    expect(kv?.dns).toHaveLength(3)
    expect(lazy.find((s) => s.name === 'empty')?.dns).toHaveLength(1)
    expect(Object.keys(lazy.find((s) => s.name === 'ext') ?? {})).not.toContain('dns')
    // Built once: every read gives the same list.
    expect(kv?.endpoints).toBe(kv?.endpoints)
  })

  it('ports read as the ones built at once on 300 seeded pairs (both sides), their sources field for field', () => {
    let endpoints = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) {
        const lazy = expectSame(files, `seed ${seed}`, 'ports') as ReturnType<typeof planServicePorts>
        for (const sp of lazy) {
          const fields = (e: { endpoint: string; ready: boolean; serving: boolean; terminating: boolean }): unknown[] => [e.endpoint, e.ready, e.serving, e.terminating]
          expect(endpointSources(sp)?.map(fields), `seed ${seed}`).toEqual(sp.endpoints.map(fields))
          endpoints += sp.endpoints.length
        }
      }
    }
    expect(endpoints).toBeGreaterThan(1000)
  })
})
