/**
 * The head's front end taking the base's service ports of Services whose fields and slices are
 * the base's objects (proxy/state.ts `buildProxyStateStaged` with `front.reuse`) against the
 * front end built in full: the same state and issues on seeded base/head pairs, with slices of
 * another Service writing the same service-port keys, and with another node or version.
 */
import { describe, expect, it } from 'vitest'
import { newServiceMemo } from '../../src/core/apiserver/service/reuse.ts'
import { parseHeadTracked } from '../../src/core/diff/shared-parse.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { apiserverStage, parseStage, retargetCommon } from '../../src/core/plan/index.ts'
import { frontEndStage } from '../../src/core/plan/stages.ts'
import type { PlanOptions } from '../../src/core/plan/types.ts'
import type { EndpointSlice } from '../../src/core/model/k8s.ts'
import { buildProxyStateStaged, newFrontEndMemo } from '../../src/core/proxy/state.ts'
import { seededPair } from './seeded-pairs.ts'

const json = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (typeof v === 'function' ? undefined : v))

/** Both sides as planDiff plans them (shared parse, replayed creates); the head's front end with and without the base's. */
function both(baseFiles: SourceFile[], headFiles: SourceFile[], headOptions: PlanOptions = {}, node?: string): { fast: string; full: string; taken: number } {
  const base = parseStage({ files: baseFiles, options: {} })
  const memo = newServiceMemo()
  const baseCommon = apiserverStage(base, { record: memo })
  const head = parseHeadTracked(baseFiles, { value: base.inventory, issues: base.parseIssues }, headFiles)
  let headCommon = apiserverStage({ inventory: head.parsed.value, parseIssues: head.parsed.issues, options: headOptions }, { reuse: { memo, baseOf: head.baseOf } })
  if (node !== undefined) headCommon = retargetCommon(headCommon, node)
  const fronts = newFrontEndMemo()
  const baseFront = frontEndStage(baseCommon, { record: fronts })
  const fast = frontEndStage(headCommon, { reuse: fronts })
  const full = frontEndStage(headCommon)
  const basePlans = new Set(baseFront.state.value.servicePorts)
  return { fast: json(fast.state), full: json(full.state), taken: fast.state.value.servicePorts.filter((p) => basePlans.has(p)).length }
}

/** A copy of `of` labelled `label` (any text, as no apiserver stores it) with one unnamed port: its key is `default/<label>`. */
const relabelled = (of: EndpointSlice, label: string): EndpointSlice => ({
  ...of,
  metadata: { ...of.metadata, name: 'collide', labels: { 'kubernetes.io/service-name': label } },
  endpoints: [{ addresses: ['10.244.9.9'], conditions: { ready: true } }],
  ports: [{ name: '', port: 8080, protocol: 'TCP' }],
})

describe("the head's front end from the base's", () => {
  it('is the front end built in full on 300 seeded pairs, and taken on most Services', () => {
    let taken = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed, seed % 3 === 2 ? 0.9 : 0)
      const r = both([...p.cluster, ...p.base], [...p.cluster, ...p.head])
      expect(r.fast, `seed ${seed}`).toBe(r.full)
      taken += r.taken
    }
    expect(taken).toBeGreaterThan(500)
  })

  it("is built in full when another Service's slices write a taken port's key (in the head only, or on both sides)", () => {
    let checked = 0
    for (let seed = 0; seed < 80; seed++) {
      const p = seededPair(seed)
      const baseFiles = [...p.cluster, ...p.base]
      const base = parseStage({ files: baseFiles, options: {} })
      const memo = newServiceMemo()
      const baseCommon = apiserverStage(base, { record: memo })
      const head = parseHeadTracked(baseFiles, { value: base.inventory, issues: base.parseIssues }, [...p.cluster, ...p.head])
      const headCommon = apiserverStage({ inventory: head.parsed.value, parseIssues: head.parsed.issues, options: {} }, { reuse: { memo, baseOf: head.baseOf } })
      const cfg = frontEndStage(baseCommon).proxy.value
      const s1 = headCommon.endpointSlices.find((x) => x.metadata.name === 's1-x')
      if (s1 === undefined) continue
      // `default/s1:http` is the key of s1's http port: a slice labelled "s1:http" with an unnamed port writes it too.
      const extra = relabelled(s1, 's1:http')
      for (const inBase of [false, true]) {
        const fronts = newFrontEndMemo()
        buildProxyStateStaged(baseCommon.services, inBase ? [...baseCommon.endpointSlices, extra] : baseCommon.endpointSlices, cfg, { record: fronts })
        const slices = [...headCommon.endpointSlices, extra]
        const fast = buildProxyStateStaged(headCommon.services, slices, cfg, { reuse: fronts })
        const full = buildProxyStateStaged(headCommon.services, slices, cfg)
        expect(json(fast), `seed ${seed}`).toBe(json(full))
        expect(json(full), `seed ${seed}`).toContain('10.244.9.9')
        checked++
      }
    }
    expect(checked).toBeGreaterThan(100)
  })

  it('takes nothing for another node or another version', () => {
    for (let seed = 0; seed < 60; seed++) {
      const p = seededPair(seed)
      const files = [...p.cluster, ...p.head]
      for (const [options, node] of [[{ kubernetesVersion: '1.31' }, undefined], [{}, 'node-1']] as const) {
        const r = both([...p.cluster, ...p.base], files, options, node)
        expect(r.fast, `seed ${seed}`).toBe(r.full)
        if (node === undefined || p.cluster[0]?.text.includes('name: node-1')) expect(r.taken, `seed ${seed} ${node}`).toBe(0)
      }
    }
  })
})
