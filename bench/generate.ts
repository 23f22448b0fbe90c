/**
 * Deterministic synthetic clusters for the benchmark. Everything is derived from the Service index
 * (no randomness), so the same spec always yields byte-identical files.
 *
 * Two shapes:
 * - `slices`: Services with pinned clusterIPs (and pinned NodePorts where the type has them) plus
 *   the EndpointSlices that back them. With origin `existing` this is a cluster export
 *   (`kubectl get svc,endpointslices -o yaml`, passed as `--cluster`): Services keep their
 *   selectors and the snapshot's slices are used. With origin `proposed` (the diff's two trees)
 *   the Services have no selector, so the given slices back them and the apiserver emulation
 *   validates every requested clusterIP / NodePort as a create.
 * - `workloads`: Services with selectors plus Deployments; the apiserver emulation previews the
 *   clusterIPs / NodePorts, synthesises the pods and computes the EndpointSlices.
 *
 * Files are split so no file exceeds the parser's default limits (8 MiB, 10 000 documents): the
 * benchmark measures the default configuration, as `kube-whatif plan DIR` would read a repository.
 */
import type { SourceFile } from '#core'
import { toYaml } from './yaml-emit.ts'

/** What to generate. */
export interface ClusterSpec {
  readonly services: number
  readonly endpoints: number
  readonly shape: 'slices' | 'workloads'
  /** ClusterIP / NodePort / LoadBalancer with traffic policies, affinity, source ranges, two-port Services. */
  readonly mix: boolean
  readonly format: 'yaml' | 'json'
  /** Side of the Service files (`existing` = `--cluster`, `proposed` = positional). */
  readonly origin: 'existing' | 'proposed'
  /** Head side of the diff case: every 100th Service (from index 50) changed. */
  readonly changed?: boolean
}

const NODES = ['node-1', 'node-2', 'node-3'] as const
const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const
/** Per-node pod networks: the three /12s of 100.64.0.0/10 (1M pod IPs each). */
const POD_BASE = [0x64400000, 0x64500000, 0x64600000] as const
/** Service CIDR 10.96.0.0/12 (the 20 host bits the bitmap allocator allows). */
const SVC_BASE = 0x0a600000
const NAMESPACES = 100
/** Wide enough for every NodePort of the 10k mix (the default 30000-32767 holds 2 768). */
const MIX_NODE_PORT_RANGE = '20000-59999'
const MAX_DOCS_PER_FILE = 4000
const MAX_BYTES_PER_FILE = 4 * 1024 * 1024

const ip4 = (n: number): string => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
const pad = (i: number): string => String(i).padStart(5, '0')
const nsOf = (i: number): string => `ns-${String(i % NAMESPACES).padStart(3, '0')}`
/** A stable 5-character suffix, like the EndpointSlice controller's generateName. */
const suffix = (i: number): string => ((i * 2654435761) >>> 0).toString(36).padStart(7, '0').slice(-5)

type Obj = Record<string, unknown>

interface Variant {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'
  twoPorts: boolean
  pinNodePort: boolean
  etpLocal: boolean
  itpLocal: boolean
  affinity: boolean
  sourceRanges: boolean
  externalIP: boolean
  targetPort: number
  extraEndpoint: boolean
}

/** The Service's features: all ClusterIP without `mix`; six kinds in turn with it; diff edits on top. */
function variantOf(i: number, spec: ClusterSpec): Variant {
  const v: Variant = {
    type: 'ClusterIP', twoPorts: false, pinNodePort: true, etpLocal: false, itpLocal: false,
    affinity: false, sourceRanges: false, externalIP: false, targetPort: 8080, extraEndpoint: false,
  }
  if (spec.mix) {
    const k = i % 6
    v.type = k < 2 ? 'ClusterIP' : k < 4 ? 'NodePort' : 'LoadBalancer'
    v.twoPorts = i % 5 === 0
    // A cluster export has every NodePort; proposed manifests pin some and leave the rest to allocation.
    v.pinNodePort = spec.origin === 'existing' || k === 2 || k === 4
    v.etpLocal = k === 3 || k === 5
    v.itpLocal = k === 1
    v.affinity = k === 1 || k === 4
    v.sourceRanges = k === 4
    v.externalIP = k === 5
  }
  if (spec.changed && i % 100 === 50) {
    const edit = Math.floor(i / 100) % 4
    if (edit === 0) v.extraEndpoint = true
    else if (edit === 1) v.targetPort = 8081
    else if (edit === 2) {
      if (v.type === 'ClusterIP') v.type = 'NodePort'
      v.pinNodePort = true
    } else v.affinity = !v.affinity
  }
  return v
}

function servicePorts(i: number, v: Variant, spec: ClusterSpec): Obj[] {
  const named = spec.shape === 'workloads'
  const ports: Obj[] = [{ name: 'http', port: 80, protocol: 'TCP', targetPort: named ? 'http' : v.targetPort }]
  if (v.twoPorts) ports.push({ name: 'https', port: 443, protocol: 'TCP', targetPort: named ? 'https' : 8443 })
  if (v.type !== 'ClusterIP' && v.pinNodePort && spec.shape === 'slices') {
    // Pinned NodePorts are unique per Service port: 20000 + 2i (+1 for the second port) in the
    // mix's widened range; the diff case's single edit per 100 Services uses the default range.
    ports.forEach((p, n) => (p['nodePort'] = spec.mix ? 20000 + 2 * i + n : 30000 + Math.floor(i / 100)))
  }
  return ports
}

function service(i: number, spec: ClusterSpec): Obj {
  const v = variantOf(i, spec)
  const name = `svc-${pad(i)}`
  const specObj: Obj = { type: v.type }
  if (spec.shape === 'slices') {
    // In the dynamic band (past the /12's 256-address static band) at every size, as in a real
    // cluster; so a proposed Service always gets the same static-band note whatever N is.
    const ip = ip4(SVC_BASE + 4096 + i)
    Object.assign(specObj, { clusterIP: ip, clusterIPs: [ip], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
  }
  if (spec.shape === 'workloads' || spec.origin === 'existing') specObj['selector'] = { 'app.kubernetes.io/name': name }
  specObj['ports'] = servicePorts(i, v, spec)
  specObj['sessionAffinity'] = v.affinity ? 'ClientIP' : 'None'
  if (v.type !== 'ClusterIP') specObj['externalTrafficPolicy'] = v.etpLocal ? 'Local' : 'Cluster'
  specObj['internalTrafficPolicy'] = v.itpLocal ? 'Local' : 'Cluster'
  if (v.sourceRanges) specObj['loadBalancerSourceRanges'] = ['203.0.113.0/24', '198.51.100.0/24']
  if (v.externalIP) specObj['externalIPs'] = [ip4(0xac100000 + i)]
  if (v.type === 'LoadBalancer' && v.etpLocal && spec.origin === 'existing' && spec.shape === 'slices') specObj['healthCheckNodePort'] = 45000 + i
  const obj: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: nsOf(i), labels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'bench' } },
    spec: specObj,
  }
  if (v.type === 'LoadBalancer') obj['status'] = { loadBalancer: { ingress: [{ ip: ip4(0xc6120000 + i) }] } }
  return obj
}

function endpointSlice(i: number, spec: ClusterSpec): Obj {
  const v = variantOf(i, spec)
  const name = `svc-${pad(i)}`
  const count = spec.endpoints + (v.extraEndpoint ? 1 : 0)
  const endpoints: Obj[] = []
  for (let j = 0; j < count; j++) {
    const g = i * (spec.endpoints + 1) + j
    const node = g % NODES.length
    endpoints.push({
      addresses: [ip4((POD_BASE[node] as number) + 2 + Math.floor(g / NODES.length))],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: NODES[node],
      zone: ZONES[node],
      targetRef: { kind: 'Pod', namespace: nsOf(i), name: `${name}-${j}` },
    })
  }
  const ports: Obj[] = [{ name: 'http', port: v.targetPort, protocol: 'TCP' }]
  if (v.twoPorts) ports.push({ name: 'https', port: 8443, protocol: 'TCP' })
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${name}-${suffix(i)}`,
      namespace: nsOf(i),
      labels: { 'kubernetes.io/service-name': name, 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    },
    addressType: 'IPv4',
    endpoints,
    ports,
  }
}

function deployment(i: number, spec: ClusterSpec): Obj {
  const v = variantOf(i, spec)
  const name = `svc-${pad(i)}`
  const ports: Obj[] = [{ name: 'http', containerPort: v.targetPort, protocol: 'TCP' }]
  if (v.twoPorts) ports.push({ name: 'https', containerPort: 8443, protocol: 'TCP' })
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: nsOf(i), labels: { 'app.kubernetes.io/name': name } },
    spec: {
      replicas: spec.endpoints + (v.extraEndpoint ? 1 : 0),
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': name } },
        spec: {
          containers: [
            {
              name: 'app',
              image: `registry.example.com/bench/${name}:1.0.0`,
              ports,
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
            },
          ],
        },
      },
    },
  }
}

/** The cluster facts every case shares: ClusterProfile, KubeProxyConfiguration, three zoned Nodes. */
export function clusterObjects(spec: Pick<ClusterSpec, 'mix'>): Obj[] {
  const nodes = NODES.map((name, n) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': ZONES[n] } },
    spec: { podCIDR: `${ip4(POD_BASE[n] as number)}/12`, podCIDRs: [`${ip4(POD_BASE[n] as number)}/12`] },
    status: { addresses: [{ type: 'InternalIP', address: `192.168.10.${11 + n}` }, { type: 'Hostname', address: name }] },
  }))
  return [
    {
      apiVersion: 'kube-whatif.dev/v1alpha1',
      kind: 'ClusterProfile',
      metadata: { name: 'bench' },
      serviceClusterIPRange: '10.96.0.0/12',
      serviceNodePortRange: spec.mix ? MIX_NODE_PORT_RANGE : '30000-32767',
      node: 'node-1',
    },
    {
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'iptables',
      clusterCIDR: '100.64.0.0/10',
      detectLocalMode: 'ClusterCIDR',
    },
    ...nodes,
  ]
}

/** Every object of the spec, in file order: per Service its EndpointSlice or Deployment follows it. */
export function* objects(spec: ClusterSpec): Generator<Obj> {
  for (let i = 0; i < spec.services; i++) {
    yield service(i, spec)
    yield spec.shape === 'slices' ? endpointSlice(i, spec) : deployment(i, spec)
  }
}

/** Packs serialised objects into files below the parser's default limits. */
function pack(docs: Iterable<Obj>, format: ClusterSpec['format'], prefix: string, origin: SourceFile['origin']): SourceFile[] {
  const files: SourceFile[] = []
  let batch: string[] = []
  let bytes = 0
  const flush = (): void => {
    if (batch.length === 0) return
    const n = String(files.length).padStart(3, '0')
    const text =
      format === 'yaml'
        ? batch.join('---\n')
        : `{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [\n${batch.join(',\n')}\n  ]\n}\n`
    files.push({ path: `${prefix}-${n}.${format}`, text, origin })
    batch = []
    bytes = 0
  }
  for (const obj of docs) {
    const s = format === 'yaml' ? toYaml(obj) : JSON.stringify(obj, null, 2).replace(/^/gm, '    ')
    if (batch.length >= MAX_DOCS_PER_FILE || bytes + s.length > MAX_BYTES_PER_FILE) flush()
    batch.push(s)
    bytes += s.length + 8
  }
  flush()
  return files
}

/**
 * The input files of one synthetic cluster: `cluster-000.<fmt>` (origin `existing`, like
 * `--cluster`) and `services-NNN.<fmt>` (origin `spec.origin`).
 */
export function generate(spec: ClusterSpec): SourceFile[] {
  return [...pack(clusterObjects(spec), spec.format, 'cluster', 'existing'), ...pack(objects(spec), spec.format, 'services', spec.origin)]
}

/** Total UTF-16 length of the files (≈ bytes: the generator writes ASCII only). */
export function totalBytes(files: readonly SourceFile[]): number {
  return files.reduce((n, f) => n + f.text.length, 0)
}
