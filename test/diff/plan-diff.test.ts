import { describe, expect, it } from 'vitest'
import { diffExitCode, diffSummary, planDiff } from '../../src/core/diff/index.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'
import { renderDiff } from '../../src/core/report/render-diff.ts'
import { GITHUB_COMMENT_LIMIT } from '../../src/core/report/budget.ts'
import { commentMarker } from '../../src/core/report/marker.ts'
import { commentLength } from '../../src/core/report/markdown.ts'
import { summaryLine } from '../../src/core/report/diff-options.ts'
import { loadScenario } from './scenario-loader.ts'

const file = (path: string, text: string): SourceFile => ({ path, text, origin: 'proposed' })
const svc = (name: string, extra = ''): string =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec:\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n${extra}`
const pod = (name: string, app: string, ip: string): string =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default, labels: {app: ${app}}}\nspec:\n  nodeName: node-1\n  containers: [{name: c, image: c, ports: [{containerPort: 80}]}]\nstatus: {phase: Running, podIP: ${ip}, conditions: [{type: Ready, status: "True"}]}\n`

describe('planDiff', () => {
  it('keeps the preview allocation of an unchanged Service identical on both sides', () => {
    const a = [svc('a', 'spec2: x\n').replace('spec2: x\n', ''), pod('a-1', 'a', '10.244.0.5')].join('---\n')
    const d = planDiff({ base: [file('a.yaml', a)], head: [file('a.yaml', a), file('b.yaml', [svc('b'), pod('b-1', 'b', '10.244.0.6')].join('---\n'))] })
    // Only b appears: a's ClusterIP (a preview, seeded by its name) did not move.
    expect(d.value.services.map((s) => `${s.kind} ${s.name}`)).toEqual(['create b'])
    expect(d.value.services[0]?.note).toMatch(/ClusterIP 10\.\d+\.\d+\.\d+ \(preview\), 1 endpoint/)
  })

  it('shows a preview value for a created Service and no allocation change for an unchanged one, whatever the file order', () => {
    const base = [file('z.yaml', svc('z')), file('a.yaml', svc('a'))]
    const head = [file('a.yaml', svc('a')), file('m.yaml', svc('m')), file('z.yaml', svc('z'))]
    const d = planDiff({ base, head })
    expect(d.value.services.map((s) => s.name)).toEqual(['m'])
  })

  it('reports created / updated / deleted with the changed fields, deletions first', () => {
    const d = planDiff(loadScenario('shop-pr')).value
    expect(d.services.map((s) => `${s.kind} ${s.namespace}/${s.name}`)).toEqual([
      'delete shop/legacy-api',
      'create shop/cart',
      'update shop/orders',
      'update shop/web',
    ])
    const web = d.services.find((s) => s.name === 'web')
    expect(web?.fields.map((f) => `${f.field}: ${f.before} → ${f.after}`)).toEqual([
      'spec.type: ClusterIP → NodePort',
      'spec.externalTrafficPolicy: Cluster → Local',
    ])
    expect(web?.allocations[0]?.field).toBe('spec.ports[http].nodePort')
    expect(web?.opened.map((e) => e.kind)).toEqual(['NodePort'])
    expect(d.services[0]?.closed.map((e) => e.text)).toEqual(['NodePort 30080/TCP'])
    expect(diffSummary(d)).toMatchObject({ added: 1, changed: 2, destroyed: 1, errors: 0, hasChanges: true })
  })

  it('finds the nodes that DROP external traffic under externalTrafficPolicy Local, per node', () => {
    const d = planDiff(loadScenario('shop-pr')).value
    const drop = d.findings.filter((f) => f.code === 'diff/local-policy-drop')
    expect(drop).toHaveLength(1)
    // web-1 runs on worker-1 and web-2 on worker-2: only worker-3 has no local endpoint.
    expect(drop[0]?.message).toContain('node worker-3 has no local endpoint')
    expect(drop[0]?.message).not.toContain('worker-1')
    // Located at the externalTrafficPolicy line, not the document start.
    expect(drop[0]?.source).toEqual({ file: 'services.yaml', line: 6, column: 3 })
  })

  it('turns a selector that matches nothing into a REJECT finding at the Service', () => {
    const d = planDiff(loadScenario('shop-pr')).value
    const f = d.findings.find((x) => x.ref?.name === 'orders')
    expect(f?.message).toMatch(/REJECT/)
    expect(f?.message).toContain('10.96.')
    expect(f?.source?.file).toBe('services.yaml')
  })

  it('groups nodes whose rule diffs are identical and keeps per-node differences apart', () => {
    const shop = planDiff(loadScenario('shop-pr')).value
    // KUBE-SVL for web differs per node (local endpoints), so each node has its own diff.
    expect(shop.rules.map((r) => r.nodes)).toEqual([['worker-1'], ['worker-2'], ['worker-3']])
    const del = planDiff(loadScenario('deleted-shared-pods')).value
    expect(del.rules.map((r) => r.nodes)).toEqual([['worker-1', 'worker-2', 'worker-3']])
    expect(del.rules[0]?.tables).toEqual([{ table: 'nat', chainsAdded: [], chainsRemoved: expect.any(Array), chainsChanged: ['KUBE-SERVICES'] }])
    expect(del.rules[0]?.unified).toMatch(/^--- base\/iptables-restore\n\+\+\+ head\/iptables-restore\n@@ /)
  })

  it('reports exposure opened and closed and a LoadBalancer newly open to the internet', () => {
    const d = planDiff(loadScenario('lb-exposure')).value
    const api = d.services[0]
    expect(api?.opened.map((e) => e.text)).toEqual(['LoadBalancer 198.51.100.10:443/TCP from 0.0.0.0/0', 'externalIP 192.0.2.50:443/TCP'])
    expect(api?.closed.map((e) => e.text)).toEqual(['LoadBalancer 198.51.100.10:443/TCP from 203.0.113.0/24'])
    expect(d.findings.map((f) => f.code)).toContain('diff/load-balancer-open')
  })

  it('shows how probe outcomes change', () => {
    const d = planDiff(loadScenario('lb-exposure')).value
    expect(d.probes.map((p) => [p.name, p.before, p.after, p.changed])).toEqual([
      ['internet to LB', 'DROP', 'DNAT 10.244.1.50:8443 +masq', true],
      ['partner to LB', 'DNAT 10.244.1.50:8443 +masq', 'DNAT 10.244.1.50:8443 +masq', false],
      ['internet to external IP', 'no rule (unchanged)', 'DNAT 10.244.1.50:8443 +masq', true],
    ])
  })

  it('carries every validation error of the head plan with file:line', () => {
    const d = planDiff(loadScenario('invalid-input')).value
    const errors = d.findings.filter((f) => f.severity === 'error')
    expect(errors.map((f) => `${f.source?.file}:${f.source?.line} ${f.path}`)).toEqual([
      'services.yaml:8 spec.ports[0].nodePort',
      'services.yaml:14 spec.clusterIPs',
    ])
    expect(errors[0]?.message).toContain('provided port is not in the valid range')
    expect(d.findings.some((f) => f.code === 'endpoints/named-port-unresolved' && /REJECT/.test(f.message))).toBe(true)
    // The untouched kube-dns Service in the cluster has no Pods either, but that is not this change's doing.
    expect(d.findings.some((f) => f.ref?.name === 'kube-dns')).toBe(false)
  })

  it('warns when a deleted Service shares its Pods with a remaining one (base-side location)', () => {
    const d = planDiff(loadScenario('deleted-shared-pods')).value
    const f = d.findings.find((x) => x.code === 'diff/deleted-service-pods-still-selected')
    expect(f?.message).toContain('team/api-v2')
    expect(f?.side).toBe('base')
  })

  it('warns when the Service range is more than 80% used', () => {
    const d = planDiff(loadScenario('range-nearly-full')).value
    expect(d.findings.map((f) => [f.code, f.severity])).toContainEqual(['diff/range-nearly-full', 'warning'])
  })

  it.each([
    ['no-changes', 0],
    ['shop-pr', 2],
    ['invalid-input', 1],
  ] as const)('exit code of %s is %i (terraform -detailed-exitcode)', (name, code) => {
    expect(diffExitCode(planDiff(loadScenario(name)).value.summary)).toBe(code)
  })

  it('writes the summary line like terraform and counts errors', () => {
    expect(summaryLine(planDiff(loadScenario('shop-pr')).value.summary)).toBe('Plan: 1 to add, 2 to change, 1 to destroy · 2 findings')
    expect(summaryLine(planDiff(loadScenario('invalid-input')).value.summary)).toBe('Plan: 1 to add, 0 to change, 0 to destroy, 2 refused · 3 findings (2 errors)')
    expect(summaryLine(planDiff(loadScenario('no-changes')).value.summary)).toBe('No changes · no findings')
  })
})

describe('comment size tiers', () => {
  // 400 Services with 6 Pods each and an invalid one: a rules diff of several thousand lines.
  const many = Array.from({ length: 400 }, (_, i) => {
    const name = `svc-${String(i).padStart(3, '0')}-${'x'.repeat(30)}`
    const pods = Array.from({ length: 6 }, (_, j) => pod(`${name}-${j}`, name, `10.244.${1 + (i % 200)}.${10 + j + 6 * Math.floor(i / 200)}`))
    const service = `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec:\n  type: NodePort\n  selector: {app: ${name}}\n  ports: [{port: 80}]\n`
    return [service, ...pods].join('---\n')
  })
  const bad = 'apiVersion: v1\nkind: Service\nmetadata: {name: broken, namespace: default}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 80}]\n'
  const d = planDiff({ base: [file('x.yaml', '')], head: [file('big.yaml', many.join('---\n')), file('bad.yaml', bad)], options: { maxNodes: 1 } })

  it('keeps a huge diff under 65,536 characters with marker, summary, errors and a notice', () => {
    const full = renderDiff(d, 'markdown', { maxChars: 10_000_000 })
    expect(full.length).toBeGreaterThan(GITHUB_COMMENT_LIMIT)
    const md = renderDiff(d, 'markdown', { target: 'prod' })
    expect(md.length).toBeLessThan(GITHUB_COMMENT_LIMIT)
    // Even if GitHub counted the body after turning every \n into \r\n.
    expect(md.replace(/\n/g, '\r\n').length).toBeLessThan(GITHUB_COMMENT_LIMIT)
    expect(md.startsWith(`${commentMarker('prod')}\n`)).toBe(true)
    expect(md).toContain(summaryLine(d.value.summary))
    expect(md).toContain('400 to add')
    expect(md).toContain('The Service "broken" is invalid')
    expect(md).toContain('This report was shortened')
    expect(md).toContain('job summary')
    // Whole sections were dropped, never half a fence.
    expect((md.match(/^```/gm) ?? []).length % 2).toBe(0)
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length)
  })

  it('drops the rules diff before anything else', () => {
    const full = renderDiff(d, 'markdown', { maxChars: 10_000_000 })
    const rulesStart = full.indexOf('<details><summary>iptables rules diff')
    const rulesEnd = full.indexOf('</details>\n\n', rulesStart) + '</details>\n\n'.length
    const withoutRules = commentLength(full) - commentLength(full.slice(rulesStart, rulesEnd))
    const md = renderDiff(d, 'markdown', { maxChars: withoutRules + 400 })
    expect(md).not.toContain('<summary>iptables rules diff')
    expect(md).toContain('Service details')
    expect(md).toContain('left out the iptables rules diff.')
  })
})

describe('planDiff: a selector change reads as such', () => {
  it('names the selector and the endpoint count it costs in the table note', () => {
    const d = planDiff(loadScenario('shop-pr')).value
    const orders = d.services.find((s) => s.name === 'orders')
    expect(orders?.fields).toEqual([{ field: 'spec.selector', before: 'app=orders', after: 'app=order' }])
    expect(orders?.note).toBe('selector: app=orders → app=order; endpoints: 1 → 0')
  })
})
