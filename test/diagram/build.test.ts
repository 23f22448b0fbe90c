// The diagram model on its own: limits fold endpoints into `… more`, ids are stable, the SVG
// layout draws every box and arrow, and hostile text is escaped in every renderer.
import { describe, expect, it } from 'vitest'
import { renderDiagramSvg, renderSvgDocument } from '../../src/core/diagram/svg.ts'
import { mermaidText } from '../../src/core/diagram/mermaid.ts'
import { dotString } from '../../src/core/diagram/dot.ts'
import { diagramContext, planDiagrams, servicePortDiagram } from '../../src/core/diagram/plan-diagrams.ts'
import { diagramInputs } from './inputs.ts'
import { DEFAULT_DIAGRAM_LIMITS } from '../../src/core/diagram/types.ts'
import { planFromSources } from '../../src/core/plan/plan.ts'
import type { PlannedServicePort } from '../../src/core/plan/types.ts'
import { targetSlicer, type SliceDestination } from '../../src/core/trace/slice.ts'
import { planTarget, traceTarget, type TraceTarget } from '../../src/core/trace/target.ts'
import type { RuleRef } from '../../src/core/trace/types.ts'
import { seededPair } from '../diff/seeded-pairs.ts'
import { rng } from '../helpers/seeded-rng.ts'

function bigService(n: number): string {
  const pods = Array.from(
    { length: n },
    (_, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${String(i).padStart(2, '0')}, namespace: default, labels: {app: big}}\nspec: {nodeName: node-1, containers: [{name: c, image: x}]}\nstatus: {phase: Running, podIP: 10.244.1.${i + 10}, conditions: [{type: Ready, status: "True"}]}\n`,
  )
  return [`apiVersion: v1\nkind: Service\nmetadata: {name: big, namespace: default}\nspec: {clusterIP: 10.96.0.9, selector: {app: big}, ports: [{port: 80}]}\n`, ...pods].join('---\n')
}

describe('limits', () => {
  it('draws the first maxEndpoints endpoints and folds the rest into one "… more" box with its share', () => {
    const plan = planFromSources({ files: [{ path: 'big.yaml', text: bigService(20), origin: 'proposed' }] }).value
    const [d] = planDiagrams(plan).diagrams
    const eps = d!.nodes.filter((n) => n.kind === 'endpoint')
    expect(eps).toHaveLength(DEFAULT_DIAGRAM_LIMITS.maxEndpoints)
    const more = d!.nodes.filter((n) => n.kind === 'more')
    expect(more).toHaveLength(1)
    expect(more[0]!.detail).toEqual(['4 endpoints not drawn'])
    const into = d!.edges.filter((e) => e.to === more[0]!.id)
    expect(into.map((e) => e.label)).toEqual(['1/5'])
    expect(d!.notes.join(' ')).toContain('Only the first 16 endpoints are drawn')
  })

  it('caps the service ports drawn and says so', () => {
    const svcs = Array.from({ length: 5 }, (_, i) => `apiVersion: v1\nkind: Service\nmetadata: {name: s${i}, namespace: default}\nspec: {clusterIP: 10.96.0.${20 + i}, ports: [{port: 80}]}\n`).join('---\n')
    const plan = planFromSources({ files: [{ path: 's.yaml', text: svcs, origin: 'proposed' }] }).value
    const set = planDiagrams(plan, { ...DEFAULT_DIAGRAM_LIMITS, maxServicePorts: 2 })
    expect(set.diagrams).toHaveLength(2)
    expect(set.notes).toContain('Only the first 2 of 5 service ports are drawn.')
  })
})

describe('svg', () => {
  it('draws one group per box and per arrow, hover titles with the rules, no style attribute', () => {
    const plan = planFromSources({ files: [{ path: 'big.yaml', text: bigService(3), origin: 'proposed' }] }).value
    const [d] = planDiagrams(plan).diagrams
    const svg = renderDiagramSvg(d!)
    expect(svg.match(/<g class="node /g)?.length).toBe(d!.nodes.length)
    expect(svg.match(/<g class="edge/g)?.length).toBe(d!.edges.length)
    expect(svg.match(/data-kind="endpoint"/g)?.length).toBe(3)
    expect(svg).toMatch(/<title>KUBE-SVC-[A-Z2-7]{16}\n-A KUBE-SVC-/)
    expect(svg).not.toMatch(/\sstyle=|<script/)
    const doc = renderSvgDocument([d!, d!], ['a <note> & "more"'])
    expect(doc).toContain('<desc>a &#60;note&#62; &#38; &#34;more&#34;</desc>')
    expect(doc.match(/<svg /g)?.length).toBe(3)
  })
})

describe('escaping', () => {
  it('mermaid labels keep only safe characters, entity codes for the rest', () => {
    expect(mermaidText('a "b" [c] {d} #e <f> |g; `h`')).toBe('a #34;b#34; #91;c#93; #123;d#125; #35;e #60;f#62; #124;g#59; #96;h#96;')
    expect(mermaidText('line\nbreak')).toBe('line break')
    expect(mermaidText('x'.repeat(100))).toHaveLength(80 - 1 + '#8230;'.length)
  })
  it('dot strings escape backslash and quote', () => {
    expect(dotString(['a "b" \\ c', 'second'])).toBe('"a \\"b\\" \\\\ c\\nsecond"')
  })
})

describe('slicing (trace/slice.ts)', () => {
  it.each(diagramInputs().map((i) => [i.name, i] as const))('%s: every service port draws the same through its slice as through the whole ruleset', (_n, input) => {
    const plan = planFromSources({ files: input.files, options: input.ipFamily ? { ipFamily: input.ipFamily } : {} }).value
    const ctx = diagramContext(plan)
    const whole = { ...ctx, slice: undefined }
    for (const [i, sp] of plan.servicePorts.entries()) {
      expect(servicePortDiagram(sp, `d${i}`, ctx), sp.spn).toEqual(servicePortDiagram(sp, `d${i}`, whole))
    }
  })
})

describe('slicing keeps what another Service could catch', () => {
  it('two Services on the same external IP and port: the first written rule wins in the slice too', () => {
    const svc = (name: string, ip: string, app: string) =>
      `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {clusterIP: ${ip}, externalIPs: [192.0.2.50], selector: {app: ${app}}, ports: [{port: 80}]}\n`
    const pod = (name: string, ip: string, app: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default, labels: {app: ${app}}}\nspec: {nodeName: node-1, containers: [{name: c, image: x}]}\nstatus: {phase: Running, podIP: ${ip}, conditions: [{type: Ready, status: "True"}]}\n`
    const text = [svc('a', '10.96.0.31', 'a'), svc('b', '10.96.0.32', 'b'), pod('pa', '10.244.1.31', 'a'), pod('pb', '10.244.1.32', 'b')].join('---\n')
    const plan = planFromSources({ files: [{ path: 'x.yaml', text, origin: 'existing' }] }).value
    const ctx = diagramContext(plan)
    for (const [i, sp] of plan.servicePorts.entries()) {
      const sliced = servicePortDiagram(sp, `d${i}`, ctx)
      expect(sliced).toEqual(servicePortDiagram(sp, `d${i}`, { ...ctx, slice: undefined }))
    }
    // Traffic to the shared external IP from b's diagram lands on a's endpoint, as in the kernel.
    const b = servicePortDiagram(plan.servicePorts.find((sp) => sp.name === 'b')!, 'x', ctx)
    expect(b.nodes.filter((n) => n.kind === 'endpoint').map((n) => n.label).sort()).toEqual(['10.244.1.31:80', '10.244.1.32:80'])
  })
})

describe('slicing with an index of some service ports only (diagramContext `ports`)', () => {
  const described = (t: TraceTarget): string =>
    JSON.stringify(t.tables.map((tb) => [tb.name, tb.chains.map((c) => [c.name, c.rules, c.rules.map((_, index) => t.locate({ table: tb.name, chain: c.name, index }).index)])]))

  // Seeded clusters, and the committed conformance/example/scenario inputs (shared external IPs,
  // duplicate NodePorts: rules of other ports kept by destination key).
  const inputs = [
    ...Array.from({ length: 60 }, (_, seed) => {
      const p = seededPair(seed, seed % 2 === 0 ? 0.9 : 0)
      return [[...p.cluster, ...p.base], [...p.cluster, ...p.head]].map((files) => ({ seed, files, options: {} }))
    }).flat(),
    ...diagramInputs().map((i, k) => ({ seed: 1000 + k, files: i.files, options: i.ipFamily ? { ipFamily: i.ipFamily } : {} })),
    ...[0, 1, 2, 3].map((seed) => ({ seed, files: [{ path: 'shared.yaml', text: sharedDestinations(6), origin: 'proposed' as const }], options: {} })),
  ]

  it('slices exactly as the whole-ruleset index, for the indexed ports and for any other', () => {
    let restricted = 0
    for (const { seed, files, options } of inputs) {
      {
        const plan = planFromSources({ files, options }).value
        if (plan.nftables !== undefined) continue
        const r = rng(seed)
        const some = plan.servicePorts.filter(() => r() < 0.3)
        // The locate of the slice maps back to the whole ruleset's index: visible in `described`.
        const target = { ...planTarget(plan), locate: (ref: RuleRef) => ({ ...ref, text: '' }) }
        const all = targetSlicer(target)
        const ctx = diagramContext(plan, undefined, undefined, some)
        const full = diagramContext(plan)
        const wanted = { spns: new Set(some.map((sp) => sp.spn)), destinations: some.flatMap((sp) => destinationsOf(sp)) }
        const part = targetSlicer(target, wanted)
        for (const [i, sp] of plan.servicePorts.entries()) {
          const dests = destinationsOf(sp)
          expect(described(part(sp.spn, dests)), `seed ${seed} ${sp.spn}`).toBe(described(all(sp.spn, dests)))
          expect(servicePortDiagram(sp, `d${i}`, ctx), `seed ${seed} ${sp.spn}`).toEqual(servicePortDiagram(sp, `d${i}`, full))
          if (some.includes(sp)) restricted++
        }
      }
    }
    expect(restricted).toBeGreaterThan(100)
  })

  it('slices reached from the entry chains (`reach`) trace and draw as the scan of every chain does', () => {
    let smaller = 0
    for (const { seed, files, options } of inputs) {
      const plan = planFromSources({ files, options }).value
      if (plan.nftables !== undefined) continue
      const r = rng(seed)
      const some = plan.servicePorts.filter(() => r() < 0.3)
      const target = { ...planTarget(plan), locate: (ref: RuleRef) => ({ ...ref, text: '' }) }
      const wanted = { spns: new Set(some.map((sp) => sp.spn)), destinations: some.flatMap((sp) => destinationsOf(sp)) }
      const ctx = diagramContext(plan, undefined, undefined, some, true)
      const full = diagramContext(plan)
      for (const w of [undefined, wanted]) {
        const scan = targetSlicer(target, w)
        const reached = targetSlicer(target, w, true)
        for (const [i, sp] of plan.servicePorts.entries()) {
          const dests = destinationsOf(sp)
          // From a pod-like and an outside-like address, so masquerade and firewall rules differ.
          const probes = dests.flatMap((d) => ['10.244.0.250', '203.0.113.10'].map((from) => ({ from, to: `${d.ip}:${d.port}`, protocol: sp.protocol.toLowerCase() })))
          const a = reached(sp.spn, dests)
          const b = scan(sp.spn, dests)
          expect(traceTarget(a, probes), `seed ${seed} ${sp.spn}`).toEqual(traceTarget(b, probes))
          expect(traceTarget(a, probes), `seed ${seed} ${sp.spn}`).toEqual(traceTarget(target, probes))
          if (a.tables.flatMap((t) => t.chains).length < b.tables.flatMap((t) => t.chains).length) smaller++
          if (w === undefined) expect(servicePortDiagram(sp, `d${i}`, ctx), `seed ${seed} ${sp.spn}`).toEqual(servicePortDiagram(sp, `d${i}`, full))
        }
      }
    }
    // Not a test that cannot fail: most slices leave out chains the scan keeps.
    expect(smaller).toBeGreaterThan(100)
  })
})

/** Destinations a port's packets can be sent to (cluster IP, NodePort on any address, external and LB IPs). */
function destinationsOf(sp: PlannedServicePort): SliceDestination[] {
  return [
    { ip: sp.clusterIP, port: sp.port },
    ...sp.externalIPs.map((ip) => ({ ip, port: sp.port })),
    ...sp.loadBalancerIPs.map((ip) => ({ ip, port: sp.port })),
    ...(sp.nodePort > 0 ? [{ ip: '10.0.0.1', port: sp.nodePort }] : []),
  ]
}

/** Services that share an external IP and port, and NodePorts given twice: rules of one port a packet to another meets. */
function sharedDestinations(n: number): string {
  return Array.from({ length: n }, (_, i) =>
    [
      'apiVersion: v1',
      'kind: Service',
      `metadata: {name: s${i}, namespace: default}`,
      'spec:',
      `  type: ${i % 2 === 0 ? 'NodePort' : 'ClusterIP'}`,
      `  clusterIP: 10.96.0.${10 + i}`,
      `  externalIPs: [192.0.2.${50 + (i % 2)}]`,
      `  ports: [{name: http, port: 80, targetPort: 8080${i % 2 === 0 ? `, nodePort: ${30080 + (i % 4)}` : ''}}]`,
      '---',
      'apiVersion: discovery.k8s.io/v1',
      'kind: EndpointSlice',
      `metadata: {name: s${i}-a, namespace: default, labels: {kubernetes.io/service-name: s${i}}}`,
      'addressType: IPv4',
      'ports: [{name: http, port: 8080, protocol: TCP}]',
      `endpoints: [{addresses: [10.244.0.${10 + i}], conditions: {ready: true}}]`,
    ].join('\n'),
  ).join('\n---\n')
}

describe('diagrams trace without restore-text lines (planTarget `lines: false`)', () => {
  // Diagrams show rule texts, never lines, so diagramContext's target locates none: a target that
  // does must draw every port the same, and its traces differ only by the lines.
  const inputs = [
    ...Array.from({ length: 40 }, (_, seed) => {
      const p = seededPair(seed, seed % 2 === 0 ? 0.9 : 0)
      return [[...p.cluster, ...p.base], [...p.cluster, ...p.head]].map((files) => ({ files, options: {} }))
    }).flat(),
    ...diagramInputs().map((i) => ({ files: i.files, options: i.ipFamily ? { ipFamily: i.ipFamily } : {} })),
  ]
  const noLines = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (k, v: unknown) => (k === 'line' ? undefined : v)))

  it('draws and traces every service port as the located target does', () => {
    let located = 0
    for (const { files, options } of inputs) {
      const plan = planFromSources({ files, options }).value
      const ctx = diagramContext(plan)
      const lined = planTarget(plan)
      const withLines = { ...ctx, target: lined, slice: targetSlicer(lined) }
      for (const [i, sp] of plan.servicePorts.entries()) {
        expect(servicePortDiagram(sp, `d${i}`, ctx), sp.spn).toEqual(servicePortDiagram(sp, `d${i}`, withLines))
        if (plan.nftables !== undefined) continue
        const probes = [{ name: 'vip', from: '10.244.9.9', to: `${sp.clusterIP}:${sp.port}`, protocol: sp.protocol.toLowerCase() }]
        const a = traceTarget(ctx.target, probes).value
        const b = traceTarget(lined, probes).value
        expect(JSON.stringify(a)).not.toMatch(/"line":/)
        if (JSON.stringify(b).includes('"line":')) located++
        expect(a).toEqual(noLines(b))
      }
    }
    expect(located).toBeGreaterThan(50)
  })
})
