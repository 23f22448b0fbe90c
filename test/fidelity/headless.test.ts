/**
 * Issue 11 point 6 through the CLI: headless Services have no rules but do have answers: the
 * endpoints their EndpointSlices hold and the records CoreDNS serves (the Service name, and
 * per-pod names for Pods whose subdomain is the Service, e.g. StatefulSet pods). Every Service in
 * the JSON gets `endpoints`; headless ones get `dns`.
 */
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'
import { planJson, svc, tmpTree } from './helpers.ts'

const KV = `apiVersion: v1
kind: Service
metadata: {name: kv, namespace: data}
spec:
  clusterIP: None
  selector: {app: kv}
  ports: [{name: peer, port: 2380, targetPort: peer}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kv, namespace: data}
spec:
  serviceName: kv
  replicas: 3
  selector: {matchLabels: {app: kv}}
  template:
    metadata: {labels: {app: kv}}
    spec: {containers: [{name: kv, image: kv, ports: [{name: peer, containerPort: 2380}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: kv-client, namespace: data}
spec:
  selector: {app: kv}
  ports: [{port: 2379}]
`

describe('headless Services', () => {
  it('show their endpoints and DNS records in JSON, per-pod names for StatefulSet pods', async () => {
    const { run, plan } = await planJson([tmpTree({ 'kv.yaml': KV })])
    expect(run.code).toBe(0)
    const kv = svc(plan, 'data/kv')
    expect(kv.endpoints.map((e) => [e.node, e.ready, e.serving, e.terminating, e.target, e.ports])).toEqual(
      ['node-1', 'node-2', 'node-3'].map((n, i) => [n, true, true, false, `Pod data/kv-${i}`, [{ name: 'peer', port: 2380, protocol: 'TCP' }]]),
    )
    const ips = kv.endpoints.map((e) => e.ip)
    const byPod = new Map(kv.endpoints.map((e) => [e.target, e.ip]))
    expect(kv.dns).toEqual([
      { name: 'kv.data.svc.cluster.local', type: 'A', addresses: ips },
      ...[0, 1, 2].map((i) => ({ name: `kv-${i}.kv.data.svc.cluster.local`, type: 'A', addresses: [byPod.get(`Pod data/kv-${i}`)] })),
    ])
    // Not headless: endpoints, no dns; the pods' hostname is only published under their subdomain.
    const client = svc(plan, 'data/kv-client')
    expect(client.dns).toBeUndefined()
    expect(client.endpoints.map((e) => e.ip).sort()).toEqual([...ips].sort())
    expect(plan.assumptions.join('\n')).toMatch(/Headless Services: DNS records as CoreDNS serves them in the cluster domain cluster\.local/)
  })

  it('prints them in the text report', async () => {
    const r = await runCli(['plan', tmpTree({ 'kv.yaml': KV })])
    expect(r.stdout).toMatch(/data\/kv  \(ClusterIP, proposed, .*\n  cluster IPs  None\n  headless Service: .*\n  endpoints    3 \(3 ready\)\n    10\.244\.\d+\.\d+  node-1  ready  Pod data\/kv-0  ports peer 2380\/TCP\n/)
    expect(r.stdout).toMatch(/\n  DNS\n    kv\.data\.svc\.cluster\.local  A  10\.244\.\d+\.\d+, 10\.244\.\d+\.\d+, 10\.244\.\d+\.\d+\n    kv-0\.kv\.data\.svc\.cluster\.local  A  10\.244\.\d+\.\d+\n/)
  })

  it('uses ClusterProfile clusterDomain, and lists not-ready endpoints only with publishNotReadyAddresses', async () => {
    const profile = 'apiVersion: kube-whatif.dev/v1alpha1\nkind: ClusterProfile\nmetadata: {name: p}\nclusterDomain: corp.example\n'
    const notReady = KV.replace('metadata: {labels: {app: kv}}', 'metadata: {labels: {app: kv}, annotations: {kube-whatif.dev/ready: "false"}}')
    const { plan } = await planJson([tmpTree({ 'kv.yaml': notReady }), '--cluster', tmpTree({ 'p.yaml': profile })])
    const kv = svc(plan, 'data/kv')
    expect(kv.endpoints.map((e) => e.ready)).toEqual([false, false, false])
    expect(kv.dns).toEqual([{ name: 'kv.data.svc.corp.example', type: 'A', addresses: [] }])
    const published = notReady.replace('  clusterIP: None\n', '  clusterIP: None\n  publishNotReadyAddresses: true\n')
    const pub = svc((await planJson([tmpTree({ 'kv.yaml': published }), '--cluster', tmpTree({ 'p.yaml': profile })])).plan, 'data/kv')
    expect(pub.dns?.map((r) => [r.name, r.addresses.length])).toEqual([
      ['kv.data.svc.corp.example', 3],
      ['kv-0.kv.data.svc.corp.example', 1],
      ['kv-1.kv.data.svc.corp.example', 1],
      ['kv-2.kv.data.svc.corp.example', 1],
    ])
  })

  it('answers AAAA for IPv6 endpoints and reads hostnames from a hand-written EndpointSlice', async () => {
    const manual = `apiVersion: v1
kind: Service
metadata: {name: ext, namespace: default}
spec:
  clusterIP: None
  ipFamilies: [IPv6]
  ports: [{name: dns, port: 53, protocol: UDP}]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: ext-1, namespace: default, labels: {kubernetes.io/service-name: ext}}
addressType: IPv6
ports: [{name: dns, port: 53, protocol: UDP}]
endpoints:
- addresses: ["fd00::2"]
  hostname: ns1
- addresses: ["fd00::1"]
  conditions: {ready: false}
`
    const { plan } = await planJson([tmpTree({ 'ext.yaml': manual })])
    const ext = svc(plan, 'default/ext')
    expect(ext.endpoints.map((e) => [e.ip, e.ready, e.ports])).toEqual([
      ['fd00::1', false, [{ name: 'dns', port: 53, protocol: 'UDP' }]],
      ['fd00::2', true, [{ name: 'dns', port: 53, protocol: 'UDP' }]],
    ])
    expect(ext.dns).toEqual([
      { name: 'ext.default.svc.cluster.local', type: 'AAAA', addresses: ['fd00::2'] },
      { name: 'ns1.ext.default.svc.cluster.local', type: 'AAAA', addresses: ['fd00::2'] },
    ])
  })

  it('makes a headless Service matching no Pod an info note, not a REJECT warning', async () => {
    const lonely = 'apiVersion: v1\nkind: Service\nmetadata: {name: mgr, namespace: default}\nspec:\n  clusterIP: None\n  selector: {app: operator-made}\n'
    const { run, plan } = await planJson([tmpTree({ 'svc.yaml': lonely })])
    expect(run.code).toBe(0)
    expect(plan.issues.map((i) => [i.code, i.severity])).toEqual([['endpoints/selector-matches-nothing', 'info']])
    expect(plan.issues[0]?.message).not.toMatch(/REJECT/)
    expect(svc(plan, 'default/mgr').endpoints).toEqual([])
  })
})

describe('Services whose Pods an operator creates', () => {
  const PROM = `apiVersion: monitoring.coreos.com/v1
kind: Prometheus
metadata: {name: k8s, namespace: monitoring}
spec: {replicas: 2}
---
apiVersion: v1
kind: Service
metadata: {name: prometheus-k8s, namespace: monitoring}
spec:
  selector: {app.kubernetes.io/name: prometheus, prometheus: k8s}
  ports: [{name: web, port: 9090}]
`
  it('are an info note naming the custom resources of the namespace, not a REJECT warning', async () => {
    const { run, plan } = await planJson([tmpTree({ 'prom.yaml': PROM })])
    expect(run.code).toBe(0)
    expect(plan.issues.map((i) => [i.code, i.severity])).toEqual([['endpoints/selector-matches-nothing', 'info']])
    expect(plan.issues[0]?.message).toContain('the namespace has custom resources (Prometheus (monitoring.coreos.com)), whose operator may create such Pods at run time')
  })

  it('stay a warning in a namespace without custom resources', async () => {
    const { plan } = await planJson([tmpTree({ 'prom.yaml': PROM.replace('namespace: monitoring}\nspec: {replicas: 2}', 'namespace: elsewhere}\nspec: {replicas: 2}') })])
    expect(plan.issues.map((i) => [i.code, i.severity])).toEqual([['endpoints/selector-matches-nothing', 'warning']])
  })
})
