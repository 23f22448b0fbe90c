/**
 * planDiff's shortcuts against the full computation: same inventory (values, positions, issues)
 * from the shared parse, same bytes in every diff format, on seeded base/head pairs.
 */
import { describe, expect, it } from 'vitest'
import { planDiffWith, SHORTCUTS, type PlanDiffInput } from '../../src/core/diff/plan-diff.ts'
import { parseHeadSharing } from '../../src/core/diff/shared-parse.ts'
import { newFrontEndMemo } from '../../src/core/proxy/state.ts'
import type { ServiceView } from '../../src/core/plan/services.ts'
import type { Inventory, SourceFile } from '../../src/core/model/inventory.ts'
import type { Parsed } from '../../src/core/model/k8s.ts'
import { parseSources } from '../../src/core/parse/index.ts'
import { apiserverStage, assemblePlan, planNodeProxy } from '../../src/core/plan/index.ts'
import { DIFF_FORMATS, renderDiff } from '../../src/core/report/render-diff.ts'
import { diffChains, rulesLines, rulesText, type NodeRules } from '../../src/core/diff/rules.ts'
import { splitLines } from '../../src/core/diff/line-diff.ts'
import { writtenLines } from '../../src/core/proxy/iptables/writer.ts'
import { COMPARED, nodeFreeState, sameBackendInput, sameBackendInputBefore, sameCategorized, sameEndpoint, type ListedMemo } from '../../src/core/diff/node-sharing.ts'
import type { ProxyEndpoint } from '../../src/core/proxy/types.ts'
import { frontEndStage, rulesetStage, type FrontEnd } from '../../src/core/plan/stages.ts'
import { retargetCommon, planCommon } from '../../src/core/plan/index.ts'
import { seededPair } from './seeded-pairs.ts'
import { sharedCommons } from './shared-commons.ts'
import { buildSharingPorts } from '../../src/core/diff/port-sharing.ts'
import { buildIptablesRuleset } from '../../src/core/proxy/iptables/build.ts'
import { lazyIptablesRuleset } from '../../src/core/proxy/iptables/lazy-ruleset.ts'
import { sameData } from '../../src/core/diff/same-data.ts'

const PATHS = ['', 'metadata', 'metadata.name', 'metadata.annotations', 'spec', 'spec.type', 'spec.ports[0].nodePort', 'spec.ports[1]', 'spec.selector', 'endpoints', 'endpoints[0].addresses', 'no.such[3]']
const LISTS = ['services', 'endpointSlices', 'nodes', 'pods', 'others', 'serviceCIDRs'] as const

/** Everything an inventory tells later stages: values without functions, and every probed position. */
function described(inv: Inventory): string {
  const positions = LISTS.flatMap((k) => (inv[k] as readonly Parsed[]).map((o) => PATHS.map((p) => o.locate(p))))
  return JSON.stringify({ inv, positions }, (_k, v: unknown) => (typeof v === 'function' ? undefined : v))
}

const FULL = { shareParse: false, shareNodes: false, indexChanged: false, sliceReached: false, skipFrontEnd: false, sharePorts: false, replayCreates: false, shareFrontEnds: false, writeLines: false, shareViews: false, drawOnRead: false, viewsOnDemand: false } as const

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

  it('gives what parseSources gives when the head defines an object twice (a base document taken twice, a changed one with a taken key)', () => {
    const svc = (name: string, port: number): string => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ns\nspec:\n  ports:\n  - port: ${port}\n`
    const docs = ['a', 'b', 'c', 'd'].map((n, i) => svc(n, 80 + i))
    const file = (text: string): SourceFile => ({ path: 'svc.yaml', text, origin: 'proposed' })
    const base = [file(docs.join('---\n'))]
    const heads = [
      // `b` given twice, as it stands (one base piece taken twice).
      [docs[0], docs[1], docs[1], docs[2], docs[3]],
      // `c` changed into a second `a` (a changed document with the key of a base one taken).
      [docs[0], docs[1], svc('a', 99), docs[3]],
      // Two new documents of one key, and `d` moved up.
      [docs[3], docs[0], svc('e', 1), svc('e', 2), docs[1], docs[2]],
      // `a` changed, `a` added again later: the changed key is the base's, but that base piece is not taken.
      [svc('a', 70), docs[1], docs[2], docs[3]],
    ].map((ds) => [file(ds.join('---\n'))])
    for (const [n, head] of heads.entries()) {
      const parsed = parseSources(base)
      const full = parseSources(head)
      const fast = parseHeadSharing(base, parsed, head)
      expect(described(fast.value), `head ${n}`).toBe(described(full.value))
      expect(fast.issues, `head ${n}`).toEqual(full.issues)
    }
  })

  it('refuses a head file over the byte budget exactly where parseSources does (multi-byte text, budgets around its length)', () => {
    // Comments with 2-, 3- and 4-byte characters (and a lone surrogate, 3 bytes to the parser).
    const svc = (name: string, note: string): string => `# ${note}\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ns\nspec:\n  ports:\n  - port: 80\n`
    const notes = ['plain', 'café é', '日本語', '😀 ok', 'lone \ud800 x']
    const docs = notes.map((n, i) => svc(`s${i}`, n))
    const file = (text: string): SourceFile => ({ path: 'svc.yaml', text, origin: 'proposed' })
    const base = [file(docs.join('---\n'))]
    const heads = [
      [docs[0], svc('s1', 'café é and more 😀😀'), docs[2], docs[3], docs[4]],
      [docs[0], docs[2], docs[3], docs[4]],
      [docs[0], docs[1], svc('s2', 'x'), docs[3], docs[4], svc('s9', '日本語 \udc00')],
    ].map((ds) => [file(ds.join('---\n'))])
    const utf8 = (t: string): number => new TextEncoder().encode(t).length
    let checked = 0
    for (const [n, head] of heads.entries()) {
      const bytes = utf8((head[0] as SourceFile).text)
      // Around the head's length, and the base's (the base must be measured: over a third of the budget in code units).
      for (const maxBytes of [bytes - 2, bytes - 1, bytes, bytes + 1, bytes + 3, utf8((base[0] as SourceFile).text)]) {
        const parsed = parseSources(base, { maxBytes })
        const full = parseSources(head, { maxBytes })
        const fast = parseHeadSharing(base, parsed, head, { maxBytes })
        expect(described(fast.value), `head ${n} max ${maxBytes}`).toBe(described(full.value))
        expect(fast.issues, `head ${n} max ${maxBytes}`).toEqual(full.issues)
        checked++
      }
    }
    expect(checked).toBe(18)
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

  it("answers with the base's port checks and slice counts as without them (the head after its base, 300 seeded pairs, shared parse)", () => {
    let taken = 0
    let free = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed, seed % 4 === 0 ? 1 : seed % 2 === 0 ? 0.9 : 0)
      const { baseCommon, headCommon } = sharedCommons(p)
      const [b, h] = [frontEndStage(baseCommon), frontEndStage(headCommon)]
      const listed: ListedMemo = {}
      expect(nodeFreeState(b, baseCommon.endpointSlices, listed), `seed ${seed} base`).toBe(nodeFreeState(b, baseCommon.endpointSlices))
      if (listed.slices !== undefined) taken += headCommon.endpointSlices.filter((x, i) => listed.slices?.[i] === x).length
      const want = nodeFreeState(h, headCommon.endpointSlices)
      if (want) free++
      expect(nodeFreeState(h, headCommon.endpointSlices, { ...listed }), `seed ${seed} head`).toBe(want)
      // The head's slices listed twice after the base's counts: the duplicates still counted.
      if (h.state.value.totalEndpoints > 0) expect(nodeFreeState(h, [...headCommon.endpointSlices, ...headCommon.endpointSlices], { ...listed }), `seed ${seed} twice`).toBe(false)
    }
    // Not a test that cannot fail: counts are taken for most slices, and some heads are node-free.
    expect(taken).toBeGreaterThan(100)
    expect(free).toBeGreaterThan(20)
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

describe('sameEndpoint', () => {
  // Values of each field that sameData tells apart (and copies it does not): a field left out of
  // the written-out comparison, or compared by identity only, fails here.
  const VALUES: Record<string, readonly unknown[]> = {
    ip: ['10.0.0.1', '10.0.0.2', 'fd00::1'],
    port: [80, 8080, 0],
    endpoint: ['10.0.0.1:80', '10.0.0.2:80'],
    ready: [true, false],
    serving: [true, false],
    terminating: [false, true],
    zoneHints: [undefined, ['a'], ['b'], ['a', 'b'], []],
    nodeHints: [undefined, ['n1'], ['n2'], []],
    nodeName: [undefined, 'n1', 'n2', ''],
    targetRef: [undefined, { kind: 'Pod', namespace: 'd', name: 'p' }, { kind: 'Pod', namespace: 'd', name: 'q' }, { namespace: 'd', kind: 'Pod', name: 'p' }, { kind: 'Pod', namespace: 'd', name: 'p', uid: undefined }],
  }
  const copy = (v: unknown): unknown => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)) as unknown)
  const loop = (x: ProxyEndpoint, y: ProxyEndpoint): boolean => COMPARED.every((k) => sameData(x[k], y[k]))

  it('lists every compared field, and agrees with sameData field by field on every pair of values', () => {
    expect([...COMPARED].sort()).toEqual(Object.keys(VALUES).sort())
    let seed = 7
    const pick = <T,>(xs: readonly T[]): T => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return xs[seed % xs.length] as T
    }
    const endpoint = (): ProxyEndpoint => {
      const e: Record<string, unknown> = { isLocal: pick([true, false]) }
      for (const k of COMPARED) e[k] = copy(pick(VALUES[k] as unknown[]))
      return e as unknown as ProxyEndpoint
    }
    let same = 0
    for (let i = 0; i < 3000; i++) {
      const x = endpoint()
      // Often one field changed from a copy, so that equal pairs (and each single difference) occur.
      const y = i % 3 === 0 ? endpoint() : ({ ...(copy(x) as object), isLocal: !x.isLocal } as ProxyEndpoint)
      if (i % 3 === 2) (y as unknown as Record<string, unknown>)[pick(COMPARED)] = copy(pick(VALUES[pick(COMPARED)] as unknown[]))
      expect(sameEndpoint(x, y)).toBe(loop(x, y))
      if (loop(x, y)) same++
    }
    expect(same).toBeGreaterThan(500)
    for (const k of COMPARED) {
      const [a, b] = VALUES[k] as unknown[]
      const x = endpoint()
      expect(sameEndpoint({ ...x, [k]: a }, { ...x, [k]: copy(a) })).toBe(true)
      expect(sameEndpoint({ ...x, [k]: a }, { ...x, [k]: b })).toBe(false)
    }
  })
})

describe("head rules sharing the base's unchanged service ports", () => {
  it('give the IR a fresh build gives, share rule objects only for ports with the same input (seeded pairs, both modes)', () => {
    let taken = 0
    let kept = 0
    let written = 0
    let changedChains = 0
    for (let seed = 0; seed < 200; seed++) {
      const p = seededPair(seed, seed % 3 === 2 ? 0.9 : 0)
      const plan = (files: typeof p.base) => {
        const c = planCommon({ files })
        return { node: planNodeProxy(c), result: assemblePlan(c, planNodeProxy(c)).value }
      }
      const base = plan([...p.cluster, ...p.base])
      const head = plan([...p.cluster, ...p.head])
      // Lines kept as the rules are written on every other seed (planDiff's `writeLines`).
      const keepLines = seed % 2 === 0
      const n = buildSharingPorts(base.result.ruleset, head.result.ruleset, keepLines)
      if (base.result.proxyMode !== 'iptables') {
        expect(n, `seed ${seed}`).toBe(0)
        continue
      }
      taken += n
      // The IR each side now holds is what the builders write from its own input, and the text
      // and its lines too (the lines read from the writer's when kept).
      for (const side of [base, head]) {
        const fresh = buildIptablesRuleset(side.node.state.value, side.node.proxy.value)
        expect(sameData(side.result.ruleset.tables, fresh.tables), `seed ${seed}`).toBe(true)
        const text = rulesText({ ipFamily: side.result.ipFamily, ruleset: fresh })
        expect(rulesText(side.result), `seed ${seed}`).toBe(text)
        expect(rulesLines(side.result), `seed ${seed}`).toEqual(splitLines(text))
        for (const t of side.result.ruleset.tables) if (keepLines && writtenLines(t) !== undefined) written++
      }
      // The chain comparison beside the shared chains (rules.ts `changesBesideShared`) gives
      // what comparing every chain by name gives (table copies are not known to share chains).
      const copy = (r: typeof base.result): NodeRules => ({ ipFamily: r.ipFamily, ruleset: { ...r.ruleset, tables: r.ruleset.tables.map((t) => ({ ...t })) } })
      const chains = diffChains(base.result, head.result)
      expect(chains, `seed ${seed}`).toEqual(diffChains(copy(base.result), copy(head.result)))
      if (chains.length > 0) changedChains++
      // Shared rule objects only where the port's input is unchanged.
      const baseRules = new Set(base.result.ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)))
      const byKey = new Map(base.node.state.value.servicePorts.map((sp) => [`${sp.info.spn}/${sp.info.protocol}`, sp]))
      for (const t of head.result.ruleset.tables) {
        for (const c of t.chains) {
          for (const r of c.rules) {
            if (!baseRules.has(r)) continue
            const tag = r.servicePortName
            const hp = head.node.state.value.servicePorts.filter((sp) => sp.info.spn === tag)
            expect(hp.length, `seed ${seed} ${c.name}`).toBeGreaterThan(0)
            // Some port of that name is unchanged (info and categorized endpoints as the base's).
            const unchanged = hp.some((sp) => {
              const bp = byKey.get(`${sp.info.spn}/${sp.info.protocol}`)
              return bp !== undefined && sameData(sp.info, bp.info) && sameCategorized(sp.categorized, bp.categorized)
            })
            expect(unchanged, `seed ${seed} ${c.name}`).toBe(true)
            kept++
          }
        }
      }
    }
    // Taken often on these pairs (most Services are unchanged), and checked where taken.
    expect(taken).toBeGreaterThan(500)
    expect(kept).toBeGreaterThan(0)
    expect(written).toBeGreaterThan(100)
    expect(changedChains).toBeGreaterThan(50)
  })

  it('are not taken when the configuration or the large-cluster flag differ (each side built from its own input)', () => {
    let checked = 0
    for (let seed = 0; seed < 40; seed++) {
      const p = seededPair(seed, 0.9)
      const c = planCommon({ files: [...p.cluster, ...p.base] })
      const node = planNodeProxy(c)
      if (c.proxyMode !== 'iptables' || node.state.value.servicePorts.length === 0) continue
      const state = node.state.value
      const cfg = node.proxy.value
      const variants = [
        { state, cfg: { ...cfg, masqueradeAll: !cfg.masqueradeAll } },
        { state: { ...state, totalEndpoints: state.totalEndpoints > 1000 ? 0 : 5000 }, cfg },
      ]
      for (const v of variants) {
        const base = lazyIptablesRuleset(state, cfg)
        const head = lazyIptablesRuleset(v.state, v.cfg)
        expect(buildSharingPorts(base, head), `seed ${seed}`).toBe(0)
        expect(sameData(head.tables, buildIptablesRuleset(v.state, v.cfg).tables), `seed ${seed}`).toBe(true)
        checked++
      }
    }
    expect(checked).toBeGreaterThan(20)
  })

  it('are taken per port name and protocol (a port name listed with two protocols)', () => {
    let checked = 0
    for (let seed = 0; seed < 20; seed++) {
      const p = seededPair(seed)
      const c = planCommon({ files: [...p.cluster, ...p.base] })
      const node = planNodeProxy(c)
      const first = node.state.value.servicePorts[0]
      if (c.proxyMode !== 'iptables' || first === undefined) continue
      // The same port name with the other protocol, listed first (found last by name).
      const other = { ...first, info: { ...first.info, protocol: first.info.protocol === 'UDP' ? ('TCP' as const) : ('UDP' as const) } }
      const state = { ...node.state.value, servicePorts: [other, ...node.state.value.servicePorts] }
      const cfg = node.proxy.value
      const head = lazyIptablesRuleset(state, cfg)
      expect(buildSharingPorts(lazyIptablesRuleset(state, cfg), head), `seed ${seed}`).toBe(state.servicePorts.length)
      expect(sameData(head.tables, buildIptablesRuleset(state, cfg).tables), `seed ${seed}`).toBe(true)
      checked++
    }
    expect(checked).toBeGreaterThan(10)
  })

  it('build nothing when a side was read already (the IR it holds stays)', () => {
    const p = seededPair(1)
    const c = planCommon({ files: [...p.cluster, ...p.base] })
    const r = assemblePlan(c, planNodeProxy(c)).value
    const before = r.ruleset.tables
    expect(buildSharingPorts(r.ruleset, r.ruleset)).toBe(0)
    expect(r.ruleset.tables).toBe(before)
  })
})


describe("the head's views taken from the base's", () => {
  it('read as the ones built anew (keys in order, values, spreads) on 300 seeded pairs, and are taken for most Services', () => {
    let taken = 0
    let ports = 0
    for (let seed = 0; seed < 300; seed++) {
      const p = seededPair(seed)
      const { baseCommon, headCommon } = sharedCommons(p)
      const fronts = newFrontEndMemo()
      const baseNode = planNodeProxy(baseCommon, undefined, { record: fronts })
      const headNode = planNodeProxy(headCommon, undefined, { reuse: fronts })
      const views = new Map<string, ServiceView>()
      const base = assemblePlan(baseCommon, baseNode, { services: { record: views } }).value
      // Either side's views may be read first: the base's here (as planDiff reads them).
      const baseServices = base.services
      const shared = assemblePlan(headCommon, headNode, { services: { reuse: views }, ports: () => ({ nodeName: base.node, ports: base.servicePorts }) }).value
      const fresh = assemblePlan(headCommon, headNode).value
      for (const which of ['services', 'servicePorts'] as const) {
        const a: readonly object[] = shared[which]
        const b: readonly object[] = fresh[which]
        expect(a.map((s) => Object.keys(s)), `seed ${seed} ${which}`).toEqual(b.map((s) => Object.keys(s)))
        expect(JSON.stringify(a), `seed ${seed} ${which}`).toBe(JSON.stringify(b))
        expect(a.map((s) => ({ ...s })), `seed ${seed} ${which}`).toStrictEqual(b.map((s) => ({ ...s })))
      }
      taken += shared.services.filter((s) => baseServices.some((b) => b.ports === s.ports)).length
      ports += shared.servicePorts.filter((sp) => base.servicePorts.includes(sp)).length
    }
    // Not a test that cannot fail: most views are taken.
    expect(taken).toBeGreaterThan(500)
    expect(ports).toBeGreaterThan(500)
  })
})
