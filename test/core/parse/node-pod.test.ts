import { describe, expect, it } from 'vitest'
import { lines, parseText, where } from './helpers.ts'

describe('Node', () => {
  it('reads name, labels, pod CIDRs and addresses; is cluster-scoped', () => {
    const r = parseText(
      lines(
        'apiVersion: v1',
        'kind: Node',
        'metadata:',
        '  name: node-a',
        '  namespace: ignored',
        '  labels: {topology.kubernetes.io/zone: z1}',
        'spec: {podCIDR: 10.244.1.0/24, podCIDRs: [10.244.1.0/24, "fd00:1::/64"]}',
        'status:',
        '  addresses: [{type: InternalIP, address: 192.168.0.10}, {type: Hostname, address: node-a}]',
      ),
    )
    expect(r.issues).toEqual([])
    const n = r.value.nodes[0]!
    expect(n.ref).toEqual({ kind: 'Node', namespace: '', name: 'node-a' })
    expect(n.metadata.labels).toEqual({ 'topology.kubernetes.io/zone': 'z1' })
    expect(n.podCIDRs).toEqual(['10.244.1.0/24', 'fd00:1::/64'])
    expect(n.addresses).toEqual([
      { type: 'InternalIP', address: '192.168.0.10' },
      { type: 'Hostname', address: 'node-a' },
    ])
  })

  it('falls back to spec.podCIDR and to no CIDRs', () => {
    const one = parseText(lines('apiVersion: v1', 'kind: Node', 'metadata: {name: a}', 'spec: {podCIDR: 10.0.0.0/24}')).value.nodes[0]!
    expect(one.podCIDRs).toEqual(['10.0.0.0/24'])
    const none = parseText(lines('apiVersion: v1', 'kind: Node', 'metadata: {name: b}')).value.nodes[0]!
    expect(none.podCIDRs).toEqual([])
    expect(none.addresses).toEqual([])
  })

  it('rejects an address without a type', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: Node', 'metadata: {name: a}', 'status:', '  addresses: [{address: 1.2.3.4}]'))
    expect(r.value.nodes).toEqual([])
    expect(r.issues[0]!.message).toBe('Node "a": status.addresses[0].type: Required value')
    expect(r.issues[0]!.source!.line).toBe(5)
  })
})

describe('Pod', () => {
  const pod = lines(
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: web-1',
    '  namespace: shop',
    '  labels: {app: web}',
    'spec:',
    '  nodeName: node-a',
    '  containers:',
    '  - name: app',
    '    ports:',
    '    - {name: http, containerPort: 8080}',
    '    - {name: dns, containerPort: 53, protocol: UDP}',
    '  initContainers:',
    '  - name: sidecar',
    '    restartPolicy: Always',
    '    ports: [{name: proxy, containerPort: 15001}]',
    '  - name: init',
    '    ports: [{name: ignored, containerPort: 1}]',
    'status:',
    '  phase: Running',
    '  podIP: 10.0.1.5',
    '  podIPs: [{ip: 10.0.1.5}, {ip: "fd00::5"}]',
    '  conditions: [{type: PodScheduled, status: "True"}, {type: Ready, status: "False"}]',
  )

  it('reads what the EndpointSlice controller needs', () => {
    const r = parseText(pod)
    expect(r.issues).toEqual([])
    const p = r.value.pods[0]!
    expect(p.ref).toEqual({ kind: 'Pod', namespace: 'shop', name: 'web-1' })
    expect(p.metadata.labels).toEqual({ app: 'web' })
    expect(p.nodeName).toBe('node-a')
    expect(p.hostNetwork).toBe(false)
    expect(p.podIPs).toEqual(['10.0.1.5', 'fd00::5'])
    expect(p.phase).toBe('Running')
    expect(p.ready).toBe(false)
    expect(p.terminating).toBe(false)
    expect(p.containerPorts).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'proxy', containerPort: 15001, protocol: 'TCP' },
    ])
  })

  it('leaves readiness undefined when not given and uses podIP alone', () => {
    const p = parseText(
      lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: p, deletionTimestamp: "2024-05-01T10:00:00Z"}', 'spec: {hostNetwork: true}', 'status: {podIP: 10.0.0.9}'),
    ).value.pods[0]!
    expect(p.ready).toBeUndefined()
    expect(p.podIPs).toEqual(['10.0.0.9'])
    expect(p.hostNetwork).toBe(true)
    expect(p.terminating).toBe(true)
    expect(p.nodeName).toBeUndefined()
  })

  it('reads Ready status True as ready', () => {
    const p = parseText(lines('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'status: {conditions: [{type: Ready, status: "True"}]}')).value.pods[0]!
    expect(p.ready).toBe(true)
  })

  it('rejects a bad containerPort at its line', () => {
    const r = parseText(pod.replace('containerPort: 8080', 'containerPort: http'))
    expect(r.value.pods).toEqual([])
    expect(where(r.issues)).toEqual(['manifest/invalid-field@12'])
    expect(r.issues[0]!.path).toBe('spec.containers[0].ports[0].containerPort')
  })
})
