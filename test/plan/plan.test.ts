import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { renderPlan } from '../../src/core/report/render-plan.ts'
import type { SourceFile } from '../../src/core/model/inventory.ts'

const svc = (name: string, extra: string, ns = 'default'): string => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${extra}`

const slice = (svcName: string, ips: readonly string[], opts: { port?: number; node?: string; ns?: string; name?: string } = {}): string => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${opts.name ?? `${svcName}-1`}
  namespace: ${opts.ns ?? 'default'}
  labels:
    kubernetes.io/service-name: ${svcName}
addressType: IPv4
endpoints:
${ips.map((ip) => `- addresses: ["${ip}"]\n${opts.node ? `  nodeName: ${opts.node}\n` : ''}`).join('')}ports:
- name: http
  protocol: TCP
  port: ${opts.port ?? 8080}
`

const file = (path: string, origin: SourceFile['origin'], ...docs: string[]): SourceFile => ({ path, origin, text: docs.join('\n---\n') })

const webSpec = `  type: NodePort
  clusterIP: 10.96.0.20
  ports:
  - name: http
    port: 80
    nodePort: 30080
`

describe('planFromSources', () => {
  it('plans Services, endpoints and rules for the rendered node', () => {
    const r = planFromSources({ files: [file('web.yaml', 'proposed', svc('web', webSpec), slice('web', ['10.244.0.5', '10.244.1.5'], { node: 'node-1' }))] })
    expect(r.issues).toEqual([])
    const plan = r.value
    expect(plan.node).toBe('node-1')
    expect(plan.ipFamily).toBe('IPv4')
    expect(plan.services).toMatchObject([
      { namespace: 'default', name: 'web', type: 'NodePort', origin: 'proposed', update: false, clusterIPs: ['10.96.0.20'], ports: [{ nodePort: 30080 }], source: { file: 'web.yaml', line: 1 } },
    ])
    expect(plan.servicePorts).toHaveLength(1)
    const sp = plan.servicePorts[0]
    expect(sp).toMatchObject({ spn: 'default/web:http', clusterIP: '10.96.0.20', port: 80, nodePort: 30080, internal: { verdict: 'forward', endpoints: 2 } })
    expect(sp?.endpoints.map((e) => [e.endpoint, e.local, e.internalProbability, e.externalProbability])).toEqual([
      ['10.244.0.5:8080', true, 0.5, 0.5],
      ['10.244.1.5:8080', true, 0.5, 0.5],
    ])
    expect(renderPlan(r, 'iptables-restore')).toMatch(/-A KUBE-NODEPORTS -m comment --comment default\/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-/)
    expect(plan.jumpRules.length).toBe(14)
  })

  it('defaults the family to that of the first service CIDR and honours ipFamily', () => {
    const profile = `apiVersion: kube-whatif.dev/v1alpha1
kind: ClusterProfile
serviceClusterIPRange: fd00:96::/108,10.96.0.0/16
`
    const v6svc = svc('v6', `  clusterIP: fd00:96::10
  clusterIPs: [fd00:96::10]
  ipFamilies: [IPv6]
  ports:
  - name: http
    port: 80
`)
    const r = planFromSources({ files: [file('c.yaml', 'existing', profile, v6svc)] })
    expect(r.value.ipFamily).toBe('IPv6')
    expect(r.value.servicePorts.map((p) => p.clusterIP)).toEqual(['fd00:96::10'])
    const v4 = planFromSources({ files: [file('c.yaml', 'existing', profile, v6svc)], options: { ipFamily: 'IPv4' } })
    expect(v4.value.ipFamily).toBe('IPv4')
    expect(v4.value.servicePorts).toEqual([])
  })

  it('renders the node given in options', () => {
    const r = planFromSources({ files: [file('web.yaml', 'proposed', svc('web', webSpec))], options: { node: 'node-3' } })
    expect(r.value.node).toBe('node-3')
    expect(r.value.ruleset.node).toBe('node-3')
  })

  it('leaves a bad object out with an error naming file:line and still plans the rest', () => {
    const bad = svc('broken', `  clusterIP: 10.96.0.30
  ports:
  - name: http
    port: not-a-number
`)
    const r = planFromSources({ files: [file('all.yaml', 'proposed', svc('web', webSpec), bad)] })
    const errors = r.issues.filter((i) => i.severity === 'error')
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]?.source).toMatchObject({ file: 'all.yaml', line: 24 })
    expect(r.value.services.map((s) => s.name)).toEqual(['web'])
    expect(renderPlan(r, 'text')).toMatch(/all\.yaml:24: error: /)
  })

  it('plans malformed YAML files around the error', () => {
    const r = planFromSources({
      files: [file('bad.yaml', 'proposed', 'kind: [unclosed\n'), file('web.yaml', 'proposed', svc('web', webSpec))],
    })
    expect(r.issues.some((i) => i.severity === 'error' && i.source?.file === 'bad.yaml')).toBe(true)
    expect(r.value.services.map((s) => s.name)).toEqual(['web'])
  })

  it('gives byte-identical output for identical input', () => {
    const files = [file('web.yaml', 'proposed', svc('web', webSpec), slice('web', ['10.244.0.5', '10.244.1.5']))]
    for (const format of ['text', 'json', 'iptables-restore', 'iptables-save', 'iptables-list'] as const) {
      expect(renderPlan(planFromSources({ files }), format)).toBe(renderPlan(planFromSources({ files }), format))
    }
  })
})

describe('planFromSources: a Service on both sides is an update', () => {
  const existing = file(
    'cluster.yaml',
    'existing',
    svc('web', `  type: NodePort
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20]
  ipFamilies: [IPv4]
  ports:
  - name: http
    port: 80
    nodePort: 30080
`),
    slice('web', ['10.244.0.5']),
  )

  it('keeps the existing ClusterIPs and NodePorts when the proposed Service omits them', () => {
    const proposed = file(
      'web.yaml',
      'proposed',
      svc('web', `  type: NodePort
  externalTrafficPolicy: Local
  ports:
  - name: http
    port: 80
`),
    )
    const r = planFromSources({ files: [existing, proposed] })
    expect(r.value.services).toHaveLength(1)
    expect(r.value.services[0]).toMatchObject({
      origin: 'proposed',
      update: true,
      clusterIPs: ['10.96.0.20'],
      clusterIPOrigin: 'existing',
      externalTrafficPolicy: 'Local',
      ports: [{ nodePort: 30080, nodePortOrigin: 'existing' }],
      source: { file: 'web.yaml' },
    })
    expect(r.value.servicePorts).toHaveLength(1)
    expect(r.value.servicePorts[0]).toMatchObject({ clusterIP: '10.96.0.20', nodePort: 30080, externalTrafficPolicy: 'Local' })
  })

  it('takes values the proposed Service sets over the existing ones', () => {
    const proposed = file(
      'web.yaml',
      'proposed',
      svc('web', `  type: NodePort
  clusterIP: 10.96.0.20
  ports:
  - name: http
    port: 80
    nodePort: 30099
`),
    )
    const r = planFromSources({ files: [proposed, existing] })
    expect(r.value.services).toHaveLength(1)
    expect(r.value.servicePorts[0]?.nodePort).toBe(30099)
    expect(r.value.services[0]?.ports[0]).toMatchObject({ nodePort: 30099, nodePortOrigin: 'requested' })
  })

  it('replaces an EndpointSlice given on both sides with the proposed one', () => {
    const proposed = file('eps.yaml', 'proposed', slice('web', ['10.244.2.9']))
    const r = planFromSources({ files: [existing, proposed] })
    expect(r.value.servicePorts[0]?.endpoints.map((e) => e.ip)).toEqual(['10.244.2.9'])
  })
})

describe('planFromSources: traffic outcomes', () => {
  const facts = `apiVersion: v1
kind: Node
metadata:
  name: a
status:
  addresses: [{type: InternalIP, address: 192.168.0.1}]
---
apiVersion: v1
kind: Node
metadata:
  name: b
status:
  addresses: [{type: InternalIP, address: 192.168.0.2}]
`

  it('rejects traffic to a Service without endpoints', () => {
    const r = planFromSources({ files: [file('f.yaml', 'existing', facts, svc('web', webSpec))] })
    expect(r.value.servicePorts[0]).toMatchObject({ internal: { verdict: 'reject' }, external: { verdict: 'reject' } })
  })

  it('drops external traffic on a node without a local endpoint under externalTrafficPolicy Local', () => {
    const spec = `${webSpec}  externalTrafficPolicy: Local
`
    const files = [file('f.yaml', 'existing', facts, svc('web', spec), slice('web', ['10.244.1.5'], { node: 'b' }))]
    const onA = planFromSources({ files, options: { node: 'a' } }).value.servicePorts[0]
    expect(onA).toMatchObject({ internal: { verdict: 'forward', endpoints: 1 }, external: { verdict: 'drop', endpoints: 0 } })
    expect(onA?.endpoints[0]).toMatchObject({ local: false, internalProbability: 1, externalProbability: 0 })
    const onB = planFromSources({ files, options: { node: 'b' } }).value.servicePorts[0]
    expect(onB).toMatchObject({ external: { verdict: 'forward', endpoints: 1 } })
    expect(onB?.endpoints[0]).toMatchObject({ local: true, externalProbability: 1 })
  })

  it('drops internal traffic on a node without a local endpoint under internalTrafficPolicy Local', () => {
    const spec = `  clusterIP: 10.96.0.21
  internalTrafficPolicy: Local
  ports:
  - name: http
    port: 80
`
    const files = [file('f.yaml', 'existing', facts, svc('web', spec), slice('web', ['10.244.1.5'], { node: 'b' }))]
    const onA = planFromSources({ files, options: { node: 'a' } }).value.servicePorts[0]
    expect(onA).toMatchObject({ internalTrafficPolicy: 'Local', internal: { verdict: 'drop' } })
    expect(onA).not.toHaveProperty('external')
  })

  it('reports ClientIP affinity and says headless and ExternalName Services get no rules', () => {
    const files = [
      file(
        'f.yaml',
        'existing',
        svc('sticky', `  clusterIP: 10.96.0.22
  sessionAffinity: ClientIP
  ports:
  - name: http
    port: 80
`),
        svc('headless', `  clusterIP: None
  ports:
  - name: http
    port: 80
`),
        svc('ext', `  type: ExternalName
  externalName: example.com
`),
      ),
    ]
    const plan = planFromSources({ files }).value
    expect(plan.servicePorts.map((p) => [p.name, p.sessionAffinityTimeoutSeconds])).toEqual([['sticky', 10800]])
    expect(plan.services.map((s) => [s.name, s.notProxied === undefined])).toEqual([
      ['ext', false],
      ['headless', false],
      ['sticky', true],
    ])
  })
})
