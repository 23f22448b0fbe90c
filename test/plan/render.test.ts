import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { renderPlan } from '../../src/core/report/render-plan.ts'
import { formatIssue, formatPercent } from '../../src/core/report/text.ts'
import { PLAN_JSON_SCHEMA_VERSION } from '../../src/core/report/json.ts'
import { sortKeys as sortKeysDeep } from '../../src/core/report/sort-keys.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'

const root = join(import.meta.dirname, '..', '..')
const example = (dir: string, names: readonly string[]): SourceFile[] =>
  names.map((n) => ({ path: `examples/${dir}/${n}`, text: readFileSync(join(root, 'examples', dir, n), 'utf8'), origin: 'proposed' }))

const meu = planFromSources({ files: example('meu-namespace', ['mongodb.yaml', 'web.yaml']) })
const multi = planFromSources({ files: example('multi-node', ['api-loadbalancer.yaml', 'cluster.yaml', 'ingress-nodeport.yaml']) })

describe('text report', () => {
  it('summarises each Service port with VIPs, NodePorts, endpoints and odds', () => {
    const text = renderPlan(meu, 'text')
    expect(text).toMatch(/^Plan for node node-1 \(IPv4\): 2 Services, 2 service ports, 0 errors, 0 warnings\n/)
    expect(text).toContain('meu-namespace/meu-service  (ClusterIP, proposed, examples/meu-namespace/mongodb.yaml:4)')
    expect(text).toContain('    cluster IP    10.96.0.100:27017\n')
    expect(text).toContain('      10.244.1.10:27017  node-2  ready  Pod meu-namespace/mongodb-0  internal 100%\n')
    expect(text).toMatch(/NodePort +30080 \(requested\) on every local address of the node, 127\.0\.0\.1 included/)
    expect(text).toContain('internal 50%, external 50%')
    expect(text).toMatch(/Assumptions:\n {2}- Kubernetes 1\.35 \(the default;.*\n {2}- No ClusterProfile given/)
  })

  it('shows policies, source ranges, affinity and the DROP without local endpoints', () => {
    expect(renderPlan(multi, 'text')).toMatch(/source ranges 203\.0\.113\.0\/24 \(load balancer IPs only; NodePorts stay open\)/)
    expect(renderPlan(multi, 'text')).toContain('ClientIP affinity 10800s')
    const onWorker2 = planFromSources({ files: example('multi-node', ['cluster.yaml', 'ingress-nodeport.yaml']), options: { node: 'worker-2' } })
    expect(renderPlan(onWorker2, 'text')).toMatch(/external +Connections from outside .* on node worker-2 are dropped: externalTrafficPolicy is Local .*\[DROP\]/)
  })

  it('formats issues as file:line: severity: message and percentages with two decimals', () => {
    expect(formatIssue({ code: 'yaml/syntax', severity: 'error', message: 'bad', source: { file: 'a.yaml', line: 3, column: 1 } })).toBe('a.yaml:3: error: bad')
    expect(formatIssue({ code: 'cluster/x', severity: 'warning', message: 'w' })).toBe('warning: w')
    expect([1, 1 / 3, 0.5, 0].map(formatPercent)).toEqual(['100%', '33.33%', '50%', '0%'])
  })
})

describe('json report', () => {
  const json = renderPlan(multi, 'json')
  const doc = JSON.parse(json) as Record<string, unknown>

  it('is versioned, has sorted keys at every level and ends with a newline', () => {
    expect(doc.schemaVersion).toBe(PLAN_JSON_SCHEMA_VERSION)
    expect(JSON.stringify(sortKeysDeep(doc), null, 2) + '\n').toBe(json)
    expect(Object.keys(doc)).toEqual([
      'assumptions',
      'cluster',
      'ipFamily',
      'iptablesRestore',
      'issues',
      'nftables',
      'node',
      'proxyConfig',
      'proxyMode',
      'ranges',
      'schemaVersion',
      'servicePorts',
      'services',
      'summary',
    ])
  })

  it('carries the restore payload as text and no IR', () => {
    expect(doc.iptablesRestore).toBe(renderPlan(multi, 'iptables-restore'))
    expect(json).not.toContain('"ruleset"')
    expect(json).not.toContain('"jumpRules"')
    expect(doc.summary).toEqual({ errors: 0, servicePorts: 2, services: 2, warnings: 0 })
    expect(doc.node).toBe('worker-1')
  })
})

describe('iptables formats', () => {
  it('prints the restore payload with the production mark and --random-fully from host capabilities', () => {
    const restore = renderPlan(multi, 'iptables-restore')
    expect(restore).toMatch(/^\*filter\n/)
    expect(restore).toContain('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n')
    expect(restore).toContain('-j MASQUERADE --random-fully\n')
    // nodePortAddresses 192.168.10.0/24: the NodePort tail rule names worker-1's address.
    expect(restore).toContain('-d 192.168.10.11 -j KUBE-NODEPORTS\n')
  })

  it('prints the save and list forms including the base-chain jump rules', () => {
    expect(renderPlan(multi, 'iptables-save')).toMatch(/-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES/)
    expect(renderPlan(multi, 'iptables-list')).toMatch(/^Chain PREROUTING \(policy ACCEPT\)/m)
  })
})
