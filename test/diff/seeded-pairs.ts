/**
 * Seeded base/head manifest pairs for the diff shortcut tests: a few Nodes in zones, a
 * KubeProxyConfiguration (iptables or nftables, with or without nodePortAddresses), and Services
 * of every type with Local policies, topology hints, pinned NodePorts and EndpointSlices spread
 * over the nodes. The head edits, inserts, deletes and re-indents some documents, and sometimes
 * adds what the shortcuts must refuse or handle (CRLF, `...`, directives, `|+` scalars,
 * duplicates, Lists, syntax errors).
 */
import type { SourceFile } from '../../src/core/model/inventory.ts'
import type { ProxyMode } from '../../src/core/model/cluster.ts'
import { rng } from '../helpers/seeded-rng.ts'


type R = () => number
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T

interface Svc {
  name: string
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'
  etpLocal: boolean
  itpLocal: boolean
  topology: '' | 'annotation' | 'distribution'
  nodePort: number | undefined
  twoPorts: boolean
  affinity: boolean
  endpoints: { node: number; ready: boolean; hint: boolean }[]
  comment: number
  /** loadBalancerSourceRanges and an ingress IP (node-independent pairs only). */
  ranges?: readonly string[]
}

const ZONES = ['zone-a', 'zone-b', 'zone-c']

function newSvc(r: R, i: number, nodes: number, plain = 0): Svc {
  const type = pick(r, ['ClusterIP', 'NodePort', 'LoadBalancer'] as const)
  const count = Math.floor(r() * 5)
  const hint = r() < 0.5
  const s: Svc = {
    name: `s${i}`,
    type,
    etpLocal: type !== 'ClusterIP' && r() < 0.4,
    itpLocal: r() < 0.25,
    topology: pick(r, ['', '', 'annotation', 'distribution'] as const),
    nodePort: type !== 'ClusterIP' && r() < 0.5 ? 30000 + i : undefined,
    twoPorts: r() < 0.3,
    affinity: r() < 0.2,
    endpoints: Array.from({ length: count }, () => ({ node: Math.floor(r() * nodes), ready: r() < 0.85, hint })),
    comment: 0,
  }
  // A node-independent Service: no Local policy, no topology, no hints (kube-proxy follows hints
  // whenever every endpoint has one), so its rules are the same on every node.
  if (!(plain > 0 && r() < plain)) return s
  // Source ranges make the firewall rules read the node's IP: one node's /32 admits that node only.
  const ranges = type === 'LoadBalancer' && r() < 0.5 ? [pick(r, ['192.168.10.11/32', '192.168.10.0/24', '203.0.113.0/24'])] : undefined
  return { ...s, etpLocal: false, itpLocal: false, topology: '', endpoints: s.endpoints.map((e) => ({ ...e, hint: false })), ...(ranges ? { ranges } : {}) }
}

function edit(r: R, s: Svc, nodes: number): Svc {
  switch (Math.floor(r() * 7)) {
    case 0:
      return { ...s, etpLocal: s.type !== 'ClusterIP' && !s.etpLocal }
    case 1:
      return { ...s, itpLocal: !s.itpLocal }
    case 2:
      return { ...s, type: s.type === 'ClusterIP' ? 'NodePort' : 'ClusterIP', nodePort: undefined, etpLocal: false }
    case 3:
      return { ...s, endpoints: [...s.endpoints, { node: Math.floor(r() * nodes), ready: true, hint: s.endpoints[0]?.hint ?? false }] }
    case 4:
      return { ...s, endpoints: s.endpoints.slice(1) }
    case 5:
      return { ...s, topology: s.topology === '' ? 'annotation' : '' }
    default:
      // Same objects, more lines: every document after it moves down.
      return { ...s, comment: s.comment + 1 + Math.floor(r() * 3) }
  }
}

function svcYaml(s: Svc, i: number): string {
  const ports = [`  - name: http\n    port: 80\n    targetPort: 8080${s.nodePort !== undefined ? `\n    nodePort: ${s.nodePort}` : ''}`]
  if (s.twoPorts) ports.push(`  - name: https\n    port: 443\n    targetPort: 8443`)
  const ann = s.topology === 'annotation' ? `\n  annotations:\n    service.kubernetes.io/topology-mode: Auto` : ''
  const lines = [
    'apiVersion: v1',
    'kind: Service',
    `metadata:\n  name: ${s.name}\n  namespace: default${ann}`,
    ...Array.from({ length: s.comment }, (_, k) => `# note ${k}`),
    'spec:',
    `  type: ${s.type}`,
    `  clusterIP: 10.96.${1 + (i >> 8)}.${i & 255}`,
    `  ports:\n${ports.join('\n')}`,
    ...(s.type !== 'ClusterIP' ? [`  externalTrafficPolicy: ${s.etpLocal ? 'Local' : 'Cluster'}`] : []),
    `  internalTrafficPolicy: ${s.itpLocal ? 'Local' : 'Cluster'}`,
    ...(s.topology === 'distribution' ? ['  trafficDistribution: PreferClose'] : []),
    ...(s.affinity ? ['  sessionAffinity: ClientIP'] : []),
    ...(s.ranges ? [`  loadBalancerSourceRanges: [${s.ranges.map((x) => `"${x}"`).join(', ')}]`, `status:\n  loadBalancer:\n    ingress: [{ip: 198.51.100.${1 + (i & 127)}}]`] : []),
  ]
  return lines.join('\n') + '\n'
}

function sliceYaml(s: Svc, i: number): string {
  const eps = s.endpoints.map((e, k) =>
    [
      `- addresses: ["10.244.${e.node}.${(i * 7 + k) % 250 + 2}"]`,
      `  conditions: {ready: ${e.ready}, serving: ${e.ready}, terminating: false}`,
      `  nodeName: node-${e.node}`,
      `  zone: ${ZONES[e.node % ZONES.length]}`,
      ...(e.hint ? [`  hints: {forZones: [{name: ${ZONES[e.node % ZONES.length]}}]}`] : []),
    ].join('\n'),
  )
  const ports = ['- {name: http, port: 8080, protocol: TCP}', ...(s.twoPorts ? ['- {name: https, port: 8443, protocol: TCP}'] : [])]
  return [
    'apiVersion: discovery.k8s.io/v1',
    'kind: EndpointSlice',
    `metadata:\n  name: ${s.name}-x\n  namespace: default\n  labels: {kubernetes.io/service-name: ${s.name}}`,
    'addressType: IPv4',
    eps.length > 0 ? `endpoints:\n${eps.join('\n')}` : 'endpoints: []',
    `ports:\n${ports.join('\n')}`,
  ].join('\n') + '\n'
}

function clusterYaml(r: R, nodes: number, mode: ProxyMode): string {
  const docs = [
    `apiVersion: kube-whatif.dev/v1alpha1\nkind: ClusterProfile\nmetadata: {name: t}\nserviceClusterIPRange: 10.96.0.0/12\nnode: node-0\n`,
    [
      'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
      'kind: KubeProxyConfiguration',
      `mode: ${mode}`,
      'clusterCIDR: 10.244.0.0/16',
      ...(r() < 0.5 ? [`nodePortAddresses: [${pick(r, ['"192.168.10.0/24"', '"primary"', '"192.168.10.11/32"'])}]`] : []),
    ].join('\n') + '\n',
  ]
  for (let n = 0; n < nodes; n++) {
    docs.push(
      `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${n}\n  labels: {topology.kubernetes.io/zone: ${ZONES[n % ZONES.length]}}\n` +
        `spec: {podCIDR: 10.244.${n}.0/24}\nstatus:\n  addresses: [{type: InternalIP, address: 192.168.10.${11 + n}}]\n`,
    )
  }
  return docs.join('---\n')
}

/** Extras a head (or base) file may carry, each a case the shared parse must handle or refuse. */
const EXTRAS = [
  (t: string) => t.replace(/\n/g, '\r\n'),
  (t: string) => `${t}...\n`,
  (t: string) => `%YAML 1.1\n---\n${t}`,
  // A kept-trailing-newlines scalar right before documents the other side has too.
  (t: string) => t.replace('---\n', '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  k: |+\n    v\n\n\n---\n'),
  (t: string) => `${t}---\napiVersion: v1\nkind: Service\nmetadata: {name: s0, namespace: default}\nspec: {ports: [{port: 81}]}\n`,
  (t: string) => `${t}---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: l1}\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: l2}}\n`,
  (t: string) => `${t}---\napiVersion: v1\nkind: Service\nmetadata: {name: broken\n`,
  (t: string) => `# leading comment\n\n${t}`,
] as const

export interface Pair {
  readonly base: SourceFile[]
  readonly head: SourceFile[]
  readonly cluster: SourceFile[]
  readonly mode: ProxyMode
}

/**
 * The seeded pair number `seed`. `plain`: the probability that a Service is made
 * node-independent (no Local policy, topology or hints), so that whole clusters often are.
 */
export function seededPair(seed: number, plain = 0): Pair {
  const r = rng(seed)
  const nodes = 1 + Math.floor(r() * 4)
  const mode: ProxyMode = r() < 0.3 ? 'nftables' : 'iptables'
  const count = 3 + Math.floor(r() * 10)
  const base = Array.from({ length: count }, (_, i) => newSvc(r, i, nodes, plain))
  const head: Svc[] = []
  let next = count
  for (const s of base) {
    const x = r()
    if (x < 0.07) continue
    head.push(x < 0.3 ? edit(r, s, nodes) : s)
    if (r() < 0.08) head.push(newSvc(r, next++, nodes, plain))
  }
  const text = (ss: readonly Svc[]): string => ss.map((s) => `${svcYaml(s, Number(s.name.slice(1)))}---\n${sliceYaml(s, Number(s.name.slice(1)))}`).join('---\n')
  let baseText = text(base)
  let headText = text(head)
  if (r() < 0.35) {
    const extra = pick(r, EXTRAS)
    if (r() < 0.5) headText = extra(headText)
    else baseText = extra(baseText)
  }
  // Sometimes a second file, identical on both sides or only in the head.
  const more = r() < 0.3 ? [{ path: 'more.yaml', text: svcYaml(newSvc(r, 900, nodes), 900), origin: 'proposed' as const }] : []
  const headMore = more.length === 0 && r() < 0.15 ? [{ path: 'new.yaml', text: svcYaml(newSvc(r, 901, nodes), 901), origin: 'proposed' as const }] : []
  return {
    mode,
    cluster: [{ path: 'cluster.yaml', text: clusterYaml(r, nodes, mode), origin: 'existing' }],
    base: [{ path: 'svc.yaml', text: baseText, origin: 'proposed' }, ...more],
    head: [{ path: 'svc.yaml', text: headText, origin: 'proposed' }, ...more, ...headMore],
  }
}
