/**
 * The head's apiserver stage replaying the base's Service creates (apiserver/service/reuse.ts)
 * against the same stage computed in full: the same Services, allocations, ranges, slices,
 * issues (positions included) and assumptions, on seeded base/head pairs, with Services that
 * take another's requested values, and with pool inputs that differ.
 */
import { describe, expect, it } from 'vitest'
import { newServiceMemo } from '../../src/core/apiserver/service/reuse.ts'
import { parseHeadTracked } from '../../src/core/diff/shared-parse.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { apiserverStage, parseStage, type PlanCommon } from '../../src/core/plan/index.ts'
import type { PlanOptions } from '../../src/core/plan/types.ts'
import { seededPair } from './seeded-pairs.ts'

const PATHS = ['', 'metadata.name', 'spec', 'spec.clusterIP', 'spec.clusterIPs[0]', 'spec.ports[0].nodePort', 'spec.ports[1]', 'no.such[3]']

/** Everything the stage hands on, functions left out, with the planned Services' positions. */
function described(c: PlanCommon): string {
  const positions = c.services.map((s) => PATHS.map((p) => s.locate(p)))
  const plain = { api: c.api, services: c.services, slices: c.endpointSlices, positions, source: c.services.map((s) => s.source) }
  return JSON.stringify(plain, (_k, v: unknown) => (typeof v === 'function' ? undefined : v))
}

/** The head's stage with and without the replay, and how many creates were replayed. */
function both(baseFiles: SourceFile[], headFiles: SourceFile[], headOptions: PlanOptions = {}): { fast: string; full: string; replayed: number } {
  const base = parseStage({ files: baseFiles, options: {} })
  const memo = newServiceMemo()
  const baseCommon = apiserverStage(base, { record: memo })
  const head = parseHeadTracked(baseFiles, { value: base.inventory, issues: base.parseIssues }, headFiles)
  const parsed = { inventory: head.parsed.value, parseIssues: head.parsed.issues, options: headOptions }
  const fast = apiserverStage(parsed, { reuse: { memo, baseOf: head.baseOf } })
  const full = apiserverStage(parsed)
  // A replayed create plans the base's allocation object itself.
  const baseAllocs = new Set(baseCommon.api.value.allocations)
  const replayed = fast.api.value.allocations.filter((a) => baseAllocs.has(a)).length
  return { fast: described(fast), full: described(full), replayed }
}

/** A Service named `name` asking for `clusterIP` (and `nodePort` when given). */
const svc = (name: string, clusterIP: string, nodePort?: number): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  type: ${nodePort ? 'NodePort' : 'ClusterIP'}\n  clusterIP: ${clusterIP}\n  ports:\n  - port: 80${nodePort ? `\n    nodePort: ${nodePort}` : ''}\n---\n`

describe('replayed Service creates', () => {
  it('plan what the full apiserver stage plans on 300 seeded pairs, and are taken on most', () => {
    let replayed = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      const r = both([...p.cluster, ...p.base], [...p.cluster, ...p.head])
      expect(r.fast, `seed ${seed}`).toBe(r.full)
      replayed += r.replayed
    }
    expect(replayed).toBeGreaterThan(500)
  })

  it('fall back when another head Service takes a value first (same ClusterIP or NodePort, before or after it)', () => {
    let checked = 0
    let fellBack = 0
    for (let seed = 0; seed < 80; seed++) {
      const p = seededPair(seed)
      const base = [...p.cluster, ...p.base]
      const text = (p.head[0] as SourceFile).text
      // s1 asks for 10.96.1.1 in every pair; s2 for 10.96.1.2 (when kept); pinned NodePorts are 30000 + i.
      for (const extra of [svc('thief', '10.96.1.1'), svc('thief', '10.96.1.2', 30001), svc('thief', '10.96.1.3', 30002)]) {
        for (const head of [`${extra}${text}`, `${text}---\n${extra}`]) {
          const r = both(base, [...p.cluster, { ...(p.head[0] as SourceFile), text: head }, ...p.head.slice(1)])
          expect(r.fast, `seed ${seed}`).toBe(r.full)
          if (r.full.includes('alloc/cluster-ip-taken') || r.full.includes('alloc/node-port-taken')) fellBack++
          checked++
        }
      }
    }
    expect(checked).toBe(480)
    // The conflicts occur (a replayed take was refused and the create computed in full).
    expect(fellBack).toBeGreaterThan(100)
  })

  it('are not taken when the pools or validation could differ (another Kubernetes version)', () => {
    for (let seed = 0; seed < 40; seed++) {
      const p = seededPair(seed)
      const r = both([...p.cluster, ...p.base], [...p.cluster, ...p.head], { kubernetesVersion: '1.31' })
      expect(r.fast, `seed ${seed}`).toBe(r.full)
      expect(r.replayed, `seed ${seed}`).toBe(0)
    }
  })
})
