/**
 * The `kubectl get svc,endpointslices,nodes -A -o yaml` export of a cluster, as one file: a
 * `kind: List` whose items carry everything a real export carries and the planner does not need
 * (`metadata.managedFields`, the `kubectl.kubernetes.io/last-applied-configuration` annotation,
 * uids, resourceVersions, timestamps, `status`), in kubectl's shape: keys in alphabetical order at
 * every level (kubectl prints through JSON, whose maps sigs.k8s.io/yaml sorts), block style,
 * sequences at their parent's indentation, the annotation as a literal block.
 *
 * Services are NodePort (issue 16's case), each with a pinned clusterIP in 10.96.0.0/12 and a
 * NodePort of the range the cluster was started with (20000-59999, wide enough for 40k
 * Services), backed by one EndpointSlice each. Deterministic: everything is derived from the
 * Service index.
 */
import type { SourceFile } from '#core'
import { toYaml } from './yaml-emit.ts'

type Obj = Record<string, unknown>

const NODES = ['node-1', 'node-2', 'node-3'] as const
const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const
const POD_BASE = [0x64400000, 0x64500000, 0x64600000] as const
const SVC_BASE = 0x0a600000
const NAMESPACES = 100
const CREATED = '2026-03-01T12:00:00Z'

const ip4 = (n: number): string => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`
const pad = (i: number): string => String(i).padStart(5, '0')
const nsOf = (i: number): string => `ns-${String(i % NAMESPACES).padStart(3, '0')}`
const hex = (n: number, len: number): string => ((n * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(2).slice(0, len)
/** A stable uid in the apiserver's format (8-4-4-4-12 hex). */
const uid = (kind: number, i: number): string => `${hex(i + kind, 8)}-${hex(i * 7 + kind, 4)}-4${hex(i * 13, 3)}-8${hex(i * 17, 3)}-${hex(i * 31 + kind, 12)}`
const suffix = (i: number): string => ((i * 2654435761) >>> 0).toString(36).padStart(7, '0').slice(-5)

/** Keys sorted at every level, as kubectl prints them. */
function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted)
  if (v !== null && typeof v === 'object') {
    const out: Obj = {}
    for (const k of Object.keys(v).sort()) out[k] = sorted((v as Obj)[k])
    return out
  }
  return v
}

/** managedFields of a Service applied with `kubectl apply` (client side). */
function serviceManagedFields(): Obj[] {
  const leaf = {}
  return [
    {
      apiVersion: 'v1',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': {
          'f:annotations': { '.': leaf, 'f:kubectl.kubernetes.io/last-applied-configuration': leaf },
          'f:labels': { '.': leaf, 'f:app.kubernetes.io/name': leaf, 'f:app.kubernetes.io/part-of': leaf },
        },
        'f:spec': {
          'f:externalTrafficPolicy': leaf,
          'f:internalTrafficPolicy': leaf,
          'f:ports': { '.': leaf, 'k:{"port":80,"protocol":"TCP"}': { '.': leaf, 'f:name': leaf, 'f:nodePort': leaf, 'f:port': leaf, 'f:protocol': leaf, 'f:targetPort': leaf } },
          'f:selector': leaf,
          'f:sessionAffinity': leaf,
          'f:type': leaf,
        },
      },
      manager: 'kubectl-client-side-apply',
      operation: 'Update',
      time: CREATED,
    },
  ]
}

function service(i: number): Obj {
  const name = `svc-${pad(i)}`
  const ns = nsOf(i)
  const ip = ip4(SVC_BASE + 4096 + i)
  const nodePort = 20000 + i
  const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': 'bench' }
  const applied = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { annotations: {}, labels, name, namespace: ns },
    spec: { ports: [{ name: 'http', nodePort, port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { 'app.kubernetes.io/name': name }, type: 'NodePort' },
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': `${JSON.stringify(applied)}\n` },
      creationTimestamp: CREATED,
      labels,
      managedFields: serviceManagedFields(),
      name,
      namespace: ns,
      resourceVersion: String(100000 + 2 * i),
      uid: uid(1, i),
    },
    spec: {
      clusterIP: ip,
      clusterIPs: [ip],
      externalTrafficPolicy: 'Cluster',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', nodePort, port: 80, protocol: 'TCP', targetPort: 8080 }],
      selector: { 'app.kubernetes.io/name': name },
      sessionAffinity: 'None',
      type: 'NodePort',
    },
    status: { loadBalancer: {} },
  }
}

function endpointSlice(i: number, endpoints: number): Obj {
  const name = `svc-${pad(i)}`
  const ns = nsOf(i)
  const eps: Obj[] = []
  for (let j = 0; j < endpoints; j++) {
    const g = i * (endpoints + 1) + j
    const node = g % NODES.length
    eps.push({
      addresses: [ip4((POD_BASE[node] as number) + 2 + Math.floor(g / NODES.length))],
      conditions: { ready: true, serving: true, terminating: false },
      nodeName: NODES[node],
      targetRef: { kind: 'Pod', name: `${name}-7d9c8b6f5-${suffix(g)}`, namespace: ns, uid: uid(3, g) },
      zone: ZONES[node],
    })
  }
  const leaf = {}
  return {
    addressType: 'IPv4',
    apiVersion: 'discovery.k8s.io/v1',
    endpoints: eps,
    kind: 'EndpointSlice',
    metadata: {
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': CREATED },
      creationTimestamp: CREATED,
      generateName: `${name}-`,
      generation: 3,
      labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': name },
      managedFields: [
        {
          apiVersion: 'discovery.k8s.io/v1',
          fieldsType: 'FieldsV1',
          fieldsV1: {
            'f:addressType': leaf,
            'f:endpoints': leaf,
            'f:metadata': {
              'f:annotations': { '.': leaf, 'f:endpoints.kubernetes.io/last-change-trigger-time': leaf },
              'f:generateName': leaf,
              'f:labels': { '.': leaf, 'f:endpointslice.kubernetes.io/managed-by': leaf, 'f:kubernetes.io/service-name': leaf },
              'f:ownerReferences': { '.': leaf, [`k:{"uid":"${uid(1, i)}"}`]: leaf },
            },
            'f:ports': leaf,
          },
          manager: 'kube-controller-manager',
          operation: 'Update',
          time: CREATED,
        },
      ],
      name: `${name}-${suffix(i)}`,
      namespace: ns,
      ownerReferences: [{ apiVersion: 'v1', blockOwnerDeletion: true, controller: true, kind: 'Service', name, uid: uid(1, i) }],
      resourceVersion: String(100001 + 2 * i),
      uid: uid(2, i),
    },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  }
}

function node(n: number): Obj {
  const name = NODES[n] as string
  const cidr = `${ip4(POD_BASE[n] as number)}/12`
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      creationTimestamp: CREATED,
      labels: { 'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': ZONES[n] },
      name,
      resourceVersion: String(90000 + n),
      uid: uid(4, n),
    },
    spec: { podCIDR: cidr, podCIDRs: [cidr] },
    status: {
      addresses: [{ address: `192.168.10.${11 + n}`, type: 'InternalIP' }, { address: name, type: 'Hostname' }],
      conditions: [{ lastHeartbeatTime: CREATED, lastTransitionTime: CREATED, message: 'kubelet is posting ready status', reason: 'KubeletReady', status: 'True', type: 'Ready' }],
      nodeInfo: { architecture: 'amd64', kubeProxyVersion: 'v1.33.0', kubeletVersion: 'v1.33.0', operatingSystem: 'linux' },
    },
  }
}

/** One item of the List: its YAML with the `- ` of the List's sequence (kubectl's indentation). */
function item(obj: Obj): string {
  const body = toYaml(sorted(obj) as Obj)
  return body.replace(/^/gm, '  ').replace(/^ {2}/, '- ').replace(/\n {2}$/, '\n')
}

/** What a lean export leaves out (`kubectl get -o yaml` after `kubectl-neat` or a `yq del`). */
function lean(obj: Obj): Obj {
  const meta = { ...(obj['metadata'] as Obj) }
  for (const k of ['annotations', 'creationTimestamp', 'managedFields', 'resourceVersion', 'uid', 'generation', 'ownerReferences', 'generateName']) delete meta[k]
  const out: Obj = { ...obj, metadata: meta }
  if (obj['kind'] === 'Service') delete out['status']
  if (Array.isArray(obj['endpoints'])) out['endpoints'] = (obj['endpoints'] as Obj[]).map((e) => ({ ...e, targetRef: { ...(e['targetRef'] as Obj), uid: undefined } }))
  return out
}

/**
 * The export as one `--cluster` file: Nodes, then per Service its Service and EndpointSlice.
 * `full` keeps what a real export carries (managedFields, last-applied annotation, uids, status);
 * without it the same objects are stripped to the fields a manifest author would write.
 */
export function kubectlExport(services: number, endpoints: number, full = true): SourceFile {
  const keep = full ? (o: Obj): Obj => o : lean
  const parts: string[] = ['apiVersion: v1\nitems:\n']
  for (let n = 0; n < NODES.length; n++) parts.push(item(keep(node(n))))
  for (let i = 0; i < services; i++) parts.push(item(keep(service(i))), item(keep(endpointSlice(i, endpoints))))
  parts.push('kind: List\nmetadata:\n  resourceVersion: ""\n')
  return { path: 'export.yaml', text: parts.join(''), origin: 'existing' }
}
