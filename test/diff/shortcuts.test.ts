/**
 * planDiff's shortcuts against the full computation: same inventory (values, positions, issues)
 * from the shared parse, same bytes in every diff format, on seeded base/head pairs.
 */
import { describe, expect, it } from 'vitest'
import { planDiffWith, SHORTCUTS, type PlanDiffInput } from '../../src/core/diff/plan-diff.ts'
import { parseHeadSharing } from '../../src/core/diff/shared-parse.ts'
import type { Inventory } from '../../src/core/model/inventory.ts'
import type { Parsed } from '../../src/core/model/k8s.ts'
import { parseSources } from '../../src/core/parse/index.ts'
import { apiserverStage, assemblePlan, planNodeProxy } from '../../src/core/plan/index.ts'
import { DIFF_FORMATS, renderDiff } from '../../src/core/report/render-diff.ts'
import { diffChains, rulesText, type NodeRules } from '../../src/core/diff/rules.ts'
import { nodeFreeState, sameBackendInput, sameBackendInputBefore } from '../../src/core/diff/node-sharing.ts'
import { frontEndStage, rulesetStage, type FrontEnd } from '../../src/core/plan/stages.ts'
import { retargetCommon, planCommon } from '../../src/core/plan/index.ts'
import { seededPair } from './seeded-pairs.ts'

const PATHS = ['', 'metadata', 'metadata.name', 'metadata.annotations', 'spec', 'spec.type', 'spec.ports[0].nodePort', 'spec.ports[1]', 'spec.selector', 'endpoints', 'endpoints[0].addresses', 'no.such[3]']
const LISTS = ['services', 'endpointSlices', 'nodes', 'pods', 'others', 'serviceCIDRs'] as const

/** Everything an inventory tells later stages: values without functions, and every probed position. */
function described(inv: Inventory): string {
  const positions = LISTS.flatMap((k) => (inv[k] as readonly Parsed[]).map((o) => PATHS.map((p) => o.locate(p))))
  return JSON.stringify({ inv, positions }, (_k, v: unknown) => (typeof v === 'function' ? undefined : v))
}

const FULL = { shareParse: false, shareNodes: false, indexChanged: false, skipFrontEnd: false } as const

describe('shared parse of the head', () => {
  it('gives what parseSources gives on 300 seeded pairs, and takes the shortcut on most', () => {
    let shared = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      const baseFiles = [...p.cluster, ...p.base]
      const headFiles = [...p.cluster, ...p.head]
      const base = parseSources(baseFiles)
      const full = parseSources(headFiles)
      const fast = parseHeadSharing(baseFiles, base, headFiles)
      expect(described(fast.value), `seed ${seed}`).toBe(described(full.value))
      expect(fast.issues, `seed ${seed}`).toEqual(full.issues)
      if (fast.value.services.some((s) => base.value.services.some((b) => b.raw === s.raw))) shared++
    }
    // Not a test that cannot fail: most pairs share documents (the rest are refused on purpose).
    expect(shared).toBeGreaterThan(150)
  })

  it('gives what parseSources gives under small limits (document budget, bytes)', () => {
    for (let seed = 0; seed < 60; seed++) {
      const p = seededPair(seed)
      const baseFiles = [...p.cluster, ...p.base]
      const headFiles = [...p.cluster, ...p.head]
      for (const limits of [{ maxDocuments: 12 }, { maxBytes: 2000 }, { maxDepth: 3 }]) {
        const base = parseSources(baseFiles, limits)
        const full = parseSources(headFiles, limits)
        const fast = parseHeadSharing(baseFiles, base, headFiles, limits)
        expect(described(fast.value), `seed ${seed}`).toBe(described(full.value))
        expect(fast.issues, `seed ${seed}`).toEqual(full.issues)
      }
    }
  })

  it('shares objects that no later stage mutates (frozen base objects plan without a write)', () => {
    const freeze = (x: unknown, seen = new Set<unknown>()): void => {
      if (typeof x !== 'object' || x === null || seen.has(x)) return
      seen.add(x)
      for (const v of Object.values(x)) freeze(v, seen)
      Object.freeze(x)
    }
    for (let seed = 0; seed < 40; seed++) {
      const p = seededPair(seed)
      const baseFiles = [...p.cluster, ...p.base]
      const base = parseSources(baseFiles)
      freeze(base.value)
      const head = parseHeadSharing(baseFiles, base, [...p.cluster, ...p.head])
      for (const inv of [base, head]) {
        const c = apiserverStage({ inventory: inv.value, parseIssues: inv.issues, options: {} })
        expect(() => rulesText(assemblePlan(c, planNodeProxy(c)).value)).not.toThrow()
      }
    }
  })
})

describe('planDiff shortcuts', () => {
  it('render the same bytes as the full computation in every format (seeded pairs, every node, both proxy modes)', () => {
    for (let seed = 0; seed < 120; seed++) {
      // Every third pair mostly node-independent, so the shared node rules are taken often.
      const p = seededPair(seed, seed % 3 === 2 ? 0.9 : 0)
      const variants: PlanDiffInput['options'][] = [{}, { node: 'node-0' }, ...(seed % 4 === 0 ? [{ headProxyMode: p.mode === 'iptables' ? ('nftables' as const) : ('iptables' as const) }] : [])]
      for (const options of variants) {
        const input: PlanDiffInput = { base: p.base, head: p.head, cluster: p.cluster, ...(options ? { options } : {}) }
        const fast = planDiffWith(input, SHORTCUTS)
        const full = planDiffWith(input, FULL)
        for (const f of DIFF_FORMATS) expect(renderDiff(fast, f), `seed ${seed} ${f} ${JSON.stringify(options)}`).toBe(renderDiff(full, f))
      }
    }
  })
})

describe('shared node rules', () => {
  const rulesOf = (f: FrontEnd): NodeRules => {
    const n = rulesetStage(f)
    return { ipFamily: f.common.family, ruleset: n.ruleset, ...(n.nftables !== undefined ? { nftables: n.nftables } : {}) }
  }

  it('are taken only when the other node would write the same text and chains (seeded clusters, 1-4 nodes, both modes)', () => {
    let same = 0
    let differ = 0
    for (let seed = 0; seed < 200; seed++) {
      const p = seededPair(seed, seed % 2 === 0 ? 0.9 : 0)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) {
        const common = planCommon({ files })
        const def = frontEndStage(common)
        const defRules = rulesOf(def)
        for (const n of common.cluster.value.nodes) {
          if (n.metadata.name === common.cluster.value.nodeName) continue
          const other = frontEndStage(retargetCommon(common, n.metadata.name))
          const otherRules = rulesOf(other)
          const sameText = rulesText(otherRules) === rulesText(defRules)
          const sameChains = diffChains(defRules, otherRules).length === 0
          if (sameBackendInput(def, other)) {
            same++
            expect(sameText && sameChains, `seed ${seed} node ${n.metadata.name}`).toBe(true)
          } else if (!sameText) differ++
        }
      }
    }
    // Both answers occur: the check is neither always true nor always false on these pairs.
    expect(same).toBeGreaterThan(25)
    expect(differ).toBeGreaterThan(50)
  })
})

describe('shared node rules decided before the front end', () => {
  it('only when the full check would say the same, and the texts and chains are the same (seeded clusters, 1-4 nodes, both modes)', () => {
    let before = 0
    let full = 0
    for (let seed = 0; seed < 200; seed++) {
      // Every fourth pair wholly node-independent (plain Services only), so the check says yes often.
      const p = seededPair(seed, seed % 4 === 0 ? 1 : seed % 2 === 0 ? 0.9 : 0)
      for (const files of [[...p.cluster, ...p.base], [...p.cluster, ...p.head]]) {
        const common = planCommon({ files })
        const def = frontEndStage(common)
        const free = nodeFreeState(def, common.endpointSlices)
        let defText: string | undefined
        for (const n of common.cluster.value.nodes) {
          if (n.metadata.name === common.cluster.value.nodeName) continue
          const retargeted = retargetCommon(common, n.metadata.name)
          const other = frontEndStage(retargeted)
          const same = sameBackendInput(def, other)
          if (same) full++
          if (sameBackendInputBefore(def, retargeted, free)) {
            before++
            expect(same, `seed ${seed} node ${n.metadata.name}`).toBe(true)
            defText ??= rulesText({ ipFamily: common.family, ...rulesOfPlan(def) })
            const otherRules = { ipFamily: common.family, ...rulesOfPlan(other) }
            expect(rulesText(otherRules), `seed ${seed} node ${n.metadata.name}`).toBe(defText)
            expect(diffChains({ ipFamily: common.family, ...rulesOfPlan(def) }, otherRules)).toEqual([])
          }
        }
      }
    }
    // Taken on most of the nodes the full check shares, never where it does not.
    expect(before).toBeGreaterThan(10)
    expect(before).toBeLessThanOrEqual(full)
  })

  it('not when an endpoint is listed twice, carries hints, or a port uses local endpoints (the node could matter)', () => {
    let refused = 0
    for (let seed = 0; seed < 200; seed++) {
      const p = seededPair(seed, seed % 2 === 0 ? 0.9 : 0)
      const common = planCommon({ files: [...p.cluster, ...p.base] })
      const def = frontEndStage(common)
      const local = def.state.value.servicePorts.some((sp) => sp.info.usesLocalEndpoints)
      const hints = def.state.value.servicePorts.some((sp) => sp.endpoints.some((e) => e.zoneHints !== undefined || e.nodeHints !== undefined))
      if (local || hints) {
        refused++
        expect(nodeFreeState(def, common.endpointSlices), `seed ${seed}`).toBe(false)
      }
      // The same slices listed twice: every endpoint a duplicate.
      const twice = [...common.endpointSlices, ...common.endpointSlices]
      if (def.state.value.totalEndpoints > 0) expect(nodeFreeState(def, twice), `seed ${seed}`).toBe(false)
    }
    expect(refused).toBeGreaterThan(20)
  })
})

function rulesOfPlan(f: FrontEnd): Omit<NodeRules, 'ipFamily'> {
  const n = rulesetStage(f)
  return { ruleset: n.ruleset, ...(n.nftables !== undefined ? { nftables: n.nftables } : {}) }
}
