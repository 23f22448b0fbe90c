/**
 * Issue 11 points 1 and 2 through the CLI: synthesised Nodes carry the labels a kubelet registers,
 * and a given Pod counts as ready only with a `Ready` condition that is `True`
 * (podutil.IsPodReady).
 */
import { describe, expect, it } from 'vitest'
import { planJson, svc, tmpTree } from './helpers.ts'

const LINUX_ONLY = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      nodeSelector: {kubernetes.io/os: linux, beta.kubernetes.io/arch: amd64}
      containers:
      - name: api
        image: api
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: http}]
`

describe('synthesised Nodes carry the kubelet labels', () => {
  it('places pods pinned to linux/amd64 and gives their Service endpoints, with the labels in the assumptions', async () => {
    const { run, plan } = await planJson([tmpTree({ 'app.yaml': LINUX_ONLY })])
    expect(run.code).toBe(0)
    expect(plan.issues.filter((i) => i.severity !== 'info')).toEqual([])
    expect(plan.cluster.nodes.map((n) => n.labels)).toEqual(
      ['node-1', 'node-2', 'node-3'].map((n) => ({
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': n,
        'kubernetes.io/os': 'linux',
      })),
    )
    const port = plan.servicePorts.find((p) => p.spn === 'shop/api:http')
    expect(port?.endpoints.map((e) => [e.node, e.port, e.ready])).toEqual([
      ['node-1', 8080, true],
      ['node-2', 8080, true],
    ])
    expect(plan.assumptions.join('\n')).toMatch(/kubernetes\.io\/os=linux, kubernetes\.io\/arch=amd64, kubernetes\.io\/hostname=its name/)
  })

  it('pins to a hostname label of a synthesised node', async () => {
    const pinned = LINUX_ONLY.replace('nodeSelector: {kubernetes.io/os: linux, beta.kubernetes.io/arch: amd64}', 'nodeSelector: {kubernetes.io/hostname: node-3}')
    const { plan } = await planJson([tmpTree({ 'app.yaml': pinned })])
    expect(plan.servicePorts.find((p) => p.spn === 'shop/api:http')?.endpoints.map((e) => e.node)).toEqual(['node-3', 'node-3'])
  })

  it('uses given Nodes as given: no labels are added to them', async () => {
    const nodes = `apiVersion: v1
kind: Node
metadata: {name: w1}
status: {addresses: [{type: InternalIP, address: 192.0.2.1}]}
`
    const { plan } = await planJson([tmpTree({ 'app.yaml': LINUX_ONLY }), '--cluster', tmpTree({ 'nodes.yaml': nodes })])
    expect(plan.cluster.nodes.map((n) => [n.name, n.labels])).toEqual([['w1', {}]])
    expect(plan.issues.filter((i) => i.code === 'endpoints/pod-unschedulable')).toHaveLength(2)
  })
})

const pod = (name: string, ip: string, status: string): string => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: default, labels: {app: db}}
spec: {nodeName: node-2, containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]}
status:
  phase: Running
  podIP: ${ip}
${status}`

const DB_SVC = `apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec:
  clusterIP: 10.96.7.7
  selector: {app: db}
  ports: [{port: 5432}]
`

describe('a Pod is ready only with a Ready=True condition (podutil.IsPodReady)', () => {
  it('makes a Running Pod with no conditions a not-ready endpoint, so the Service has no ready endpoints', async () => {
    const dir = tmpTree({ 'pod.yaml': pod('db-0', '10.244.1.5', ''), 'svc.yaml': DB_SVC })
    const { plan } = await planJson([dir])
    const port = plan.servicePorts.find((p) => p.spn === 'default/db')
    expect(port?.endpoints.map((e) => [e.ip, e.ready, e.serving])).toEqual([['10.244.1.5', false, false]])
    expect(port?.internal.verdict).toBe('reject')
    expect(svc(plan, 'default/db').endpoints.map((e) => [e.ip, e.ready, e.serving, e.terminating])).toEqual([['10.244.1.5', false, false, false]])
  })

  it('counts Ready=True as ready and Ready=False as not ready', async () => {
    const dir = tmpTree({
      'a.yaml': pod('db-0', '10.244.1.5', '  conditions: [{type: Ready, status: "True"}]\n'),
      'b.yaml': pod('db-1', '10.244.1.6', '  conditions: [{type: Ready, status: "False"}]\n'),
      'svc.yaml': DB_SVC,
    })
    const { plan } = await planJson([dir])
    const port = plan.servicePorts.find((p) => p.spn === 'default/db')
    expect(port?.endpoints.map((e) => [e.ip, e.ready])).toEqual([
      ['10.244.1.5', true],
      ['10.244.1.6', false],
    ])
    expect(port?.internal.verdict).toBe('forward')
  })

  it('keeps a Pod manifest without any status (a repository file) previewed Running and Ready', async () => {
    const bare = `apiVersion: v1
kind: Pod
metadata: {name: db-0, namespace: default, labels: {app: db}}
spec: {containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]}
`
    const { plan } = await planJson([tmpTree({ 'pod.yaml': bare, 'svc.yaml': DB_SVC })])
    expect(plan.servicePorts.find((p) => p.spn === 'default/db')?.endpoints.map((e) => e.ready)).toEqual([true])
  })
})
