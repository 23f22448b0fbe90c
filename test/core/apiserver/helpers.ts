/**
 * Test helpers: build inventories from YAML (through the real parse stage, for file:line) or from
 * raw objects (bypassing the parser's own type checks, so validation sees exactly the raw value).
 */
import { parseSources } from '../../../src/core/parse/index.ts'
import { emulateApiserver } from '../../../src/core/apiserver/index.ts'
import type { ApiserverResult } from '../../../src/core/apiserver/index.ts'
import type { Issue, Staged } from '../../../src/core/issues.ts'
import type { ClusterProfile, KubeProxyConfiguration } from '../../../src/core/model/cluster.ts'
import type { Inventory } from '../../../src/core/model/inventory.ts'
import type { Node, OtherObject, Parsed, Pod, Service, ServicePort } from '../../../src/core/model/k8s.ts'

type Rec = Record<string, unknown>
const src = { file: 'test.yaml', line: 1, column: 1 }

function envelope(kind: string, raw: Rec, origin: 'proposed' | 'existing'): Parsed & { kind: string } {
  const meta = (raw['metadata'] ?? {}) as Rec
  const name = String(meta['name'] ?? '')
  const namespace = kind === 'Node' ? '' : String(meta['namespace'] ?? 'default')
  return {
    kind,
    ref: { kind, namespace, name },
    metadata: {
      name,
      namespace,
      labels: (meta['labels'] ?? {}) as Record<string, string>,
      annotations: (meta['annotations'] ?? {}) as Record<string, string>,
      ...(meta['ownerReferences'] ? { ownerReferences: meta['ownerReferences'] as never } : {}),
    },
    source: src,
    locate: () => src,
    origin,
    raw,
  }
}

/** A Service straight from a raw object: typed view minimal, `raw` authoritative. */
export function svc(raw: Rec, origin: 'proposed' | 'existing' = 'proposed'): Service {
  const spec = (raw['spec'] ?? {}) as Rec
  const ports = ((spec['ports'] ?? []) as Rec[]).map(
    (p): ServicePort => ({
      name: String(p['name'] ?? ''),
      protocol: (p['protocol'] ?? 'TCP') as 'TCP',
      port: Number(p['port'] ?? 0),
      ...(p['targetPort'] !== undefined ? { targetPort: p['targetPort'] as number } : {}),
      ...(p['nodePort'] !== undefined ? { nodePort: Number(p['nodePort']) } : {}),
    }),
  )
  return {
    ...envelope('Service', { apiVersion: 'v1', kind: 'Service', ...raw }, origin),
    kind: 'Service',
    spec: {
      type: '',
      ports,
      ...(spec['selector'] ? { selector: spec['selector'] as Record<string, string> } : {}),
      ...(spec['clusterIP'] ? { clusterIP: String(spec['clusterIP']) } : {}),
      ...(spec['clusterIPs'] ? { clusterIPs: spec['clusterIPs'] as string[] } : {}),
      ...(spec['ipFamilies'] ? { ipFamilies: spec['ipFamilies'] as never } : {}),
      ...(spec['publishNotReadyAddresses'] ? { publishNotReadyAddresses: true } : {}),
      ...(spec['trafficDistribution'] ? { trafficDistribution: String(spec['trafficDistribution']) } : {}),
      ...(spec['type'] ? { type: spec['type'] as never } : {}),
    },
    status: {},
  } as Service
}

/** A Node with podCIDRs, labels, taints. */
export function node(name: string, podCIDRs: string[] = [], labels: Record<string, string> = {}, taints: Rec[] = [], ip?: string): Node {
  return {
    ...envelope('Node', { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints } }, 'existing'),
    kind: 'Node',
    podCIDRs,
    addresses: ip ? [{ type: 'InternalIP', address: ip }] : [],
  } as Node
}

/** A Pod. */
export function pod(name: string, labels: Record<string, string>, o: Partial<Pod> = {}, ns = 'default', origin: 'proposed' | 'existing' = 'proposed'): Pod {
  return {
    ...envelope('Pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels } }, origin),
    kind: 'Pod',
    podIPs: [],
    terminating: false,
    containerPorts: [],
    hostNetwork: false,
    ...o,
  } as Pod
}

/** A workload (Deployment, StatefulSet, ...) as an OtherObject. */
export function workload(kind: string, raw: Rec, origin: 'proposed' | 'existing' = 'proposed'): OtherObject {
  const apiVersion = kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1'
  return { ...envelope(kind, { apiVersion, kind, ...raw }, origin), apiVersion } as OtherObject
}

/** Default profile (kubeadm ranges). */
export function profile(p: Partial<ClusterProfile> = {}): ClusterProfile {
  return {
    kubernetesVersion: '1.35',
    serviceClusterIPRange: '10.96.0.0/12',
    serviceNodePortRange: '30000-32767',
    hostCapabilities: { iptablesRandomFully: true, nfacct: true },
    ...p,
  }
}

/** A KubeProxyConfiguration with the fields the apiserver stage reads. */
export function kubeProxy(clusterCIDR = ''): KubeProxyConfiguration {
  return {
    mode: 'iptables',
    clusterCIDR,
    detectLocalMode: '',
    detectLocal: {},
    nodePortAddresses: [],
    iptables: { masqueradeAll: false, masqueradeBit: 14, localhostNodePorts: true },
    conntrack: { tcpBeLiberal: false },
    featureGates: {},
  }
}

/** Runs the stage on an inventory assembled from parts. */
export function run(
  parts: Partial<Inventory>,
  opts: { profile?: Partial<ClusterProfile>; nodes?: Node[]; clusterCIDR?: string } = {},
): Staged<ApiserverResult> {
  const inventory: Inventory = { services: [], endpointSlices: [], nodes: [], pods: [], others: [], serviceCIDRs: [], ...parts }
  return emulateApiserver({
    inventory,
    nodes: opts.nodes ?? [],
    profile: profile(opts.profile),
    kubeProxy: kubeProxy(opts.clusterCIDR),
  })
}

/** Runs the stage on YAML (proposed) and optional YAML cluster state (existing). */
export function runYaml(
  proposed: string,
  existing = '',
  opts: { profile?: Partial<ClusterProfile>; nodes?: Node[]; clusterCIDR?: string } = {},
): Staged<ApiserverResult> & { parseIssues: readonly Issue[] } {
  const parsed = parseSources([
    ...(existing ? [{ path: 'cluster.yaml', text: existing, origin: 'existing' as const }] : []),
    { path: 'app.yaml', text: proposed, origin: 'proposed' as const },
  ])
  const r = run(parsed.value, opts)
  return { ...r, parseIssues: parsed.issues }
}

/** Messages of error issues. */
export const errors = (r: Staged<unknown>): string[] => r.issues.filter((i) => i.severity === 'error').map((i) => i.message)
