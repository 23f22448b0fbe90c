/**
 * A `kubectl get services,endpointslices,pods,nodes -A -o yaml` export of a synthetic cluster,
 * as big as asked for: every object carries what real exports carry and manifests do not
 * (managedFields, the last-applied-configuration annotation, status, uid, resourceVersion), so
 * most of the bytes are metadata the planner must parse and skip. Deterministic: derived from
 * the object index only.
 */

const pad = (i: number): string => String(i).padStart(5, '0')
const ip = (base: number, i: number): string => `${base >>> 24}.${(base >>> 16) & 255}.${((base + i) >>> 8) & 255}.${(base + i) & 255}`
const uid = (kind: number, i: number): string => `${pad(kind)}${pad(i)}-0000-4000-8000-${String(i).padStart(12, '0')}`

function managedFields(manager: string, paths: readonly string[], indent: string): string {
  const fields = paths.map((p) => `${indent}      f:${p}: {}`).join('\n')
  return [
    `${indent}managedFields:`,
    `${indent}- apiVersion: v1`,
    `${indent}  fieldsType: FieldsV1`,
    `${indent}  fieldsV1:`,
    `${indent}    f:metadata:`,
    `${indent}      f:annotations:`,
    `${indent}        .: {}`,
    `${indent}        f:kubectl.kubernetes.io/last-applied-configuration: {}`,
    `${indent}    f:spec:`,
    fields,
    `${indent}  manager: ${manager}`,
    `${indent}  operation: Update`,
    `${indent}  time: "2026-01-01T00:00:00Z"`,
  ].join('\n')
}

function service(i: number): string {
  const name = `svc-${pad(i)}`
  const ns = `ns-${i % 50}`
  const lastApplied = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels: { app: name, tier: 'backend' } }, spec: { type: i < 2700 ? 'NodePort' : 'ClusterIP', selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } })
  return `- apiVersion: v1
  kind: Service
  metadata:
    annotations:
      kubectl.kubernetes.io/last-applied-configuration: ${JSON.stringify(lastApplied)}
    creationTimestamp: "2026-01-01T00:00:00Z"
    labels:
      app: ${name}
      tier: backend
${managedFields('kubectl-client-side-apply', [...(i < 2700 ? ['externalTrafficPolicy'] : []), 'internalTrafficPolicy', 'ports', 'selector', 'sessionAffinity', 'type'], '    ')}
    name: ${name}
    namespace: ${ns}
    resourceVersion: "${100000 + i}"
    uid: ${uid(1, i)}
  spec:
    clusterIP: ${ip(0x0a600000, 10 + i)}
    clusterIPs:
    - ${ip(0x0a600000, 10 + i)}
${i < 2700 ? '    externalTrafficPolicy: Cluster\n' : ''}    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: http
${i < 2700 ? `      nodePort: ${30000 + i}\n` : ''}      port: 80
      protocol: TCP
      targetPort: 8080
    selector:
      app: ${name}
    sessionAffinity: None
    type: ${i < 2700 ? 'NodePort' : 'ClusterIP'}
  status:
    loadBalancer: {}
`
}

function endpointSlice(i: number): string {
  const name = `svc-${pad(i)}`
  return `- addressType: IPv4
  apiVersion: discovery.k8s.io/v1
  endpoints:
  - addresses:
    - ${ip(0x64400000, 2 * i)}
    conditions:
      ready: true
      serving: true
      terminating: false
    nodeName: node-${i % 3}
    targetRef:
      kind: Pod
      name: ${name}-pod-a
      namespace: ns-${i % 50}
      uid: ${uid(3, 2 * i)}
  - addresses:
    - ${ip(0x64400000, 2 * i + 1)}
    conditions:
      ready: true
      serving: true
      terminating: false
    nodeName: node-${(i + 1) % 3}
    targetRef:
      kind: Pod
      name: ${name}-pod-b
      namespace: ns-${i % 50}
      uid: ${uid(3, 2 * i + 1)}
  kind: EndpointSlice
  metadata:
    creationTimestamp: "2026-01-01T00:00:00Z"
    generateName: ${name}-
    generation: 3
    labels:
      endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
      kubernetes.io/service-name: ${name}
${managedFields('kube-controller-manager', ['addressType', 'endpoints', 'ports'], '    ')}
    name: ${name}-abcde
    namespace: ns-${i % 50}
    ownerReferences:
    - apiVersion: v1
      blockOwnerDeletion: true
      controller: true
      kind: Service
      name: ${name}
      uid: ${uid(1, i)}
    resourceVersion: "${200000 + i}"
    uid: ${uid(2, i)}
  ports:
  - name: http
    port: 8080
    protocol: TCP
`
}

function pod(i: number, half: 'a' | 'b'): string {
  const name = `svc-${pad(i)}`
  const n = 2 * i + (half === 'a' ? 0 : 1)
  return `- apiVersion: v1
  kind: Pod
  metadata:
    creationTimestamp: "2026-01-01T00:00:00Z"
    labels:
      app: ${name}
      pod-template-hash: 6d4cf56db6
${managedFields('kube-controller-manager', ['containers', 'nodeName', 'restartPolicy', 'schedulerName'], '    ')}
    name: ${name}-pod-${half}
    namespace: ns-${i % 50}
    resourceVersion: "${300000 + n}"
    uid: ${uid(3, n)}
  spec:
    containers:
    - image: registry.example/app:1.0
      imagePullPolicy: IfNotPresent
      name: app
      ports:
      - containerPort: 8080
        name: http
        protocol: TCP
      resources: {}
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
    dnsPolicy: ClusterFirst
    nodeName: node-${(i + (half === 'a' ? 0 : 1)) % 3}
    restartPolicy: Always
    schedulerName: default-scheduler
    terminationGracePeriodSeconds: 30
  status:
    conditions:
    - lastProbeTime: null
      lastTransitionTime: "2026-01-01T00:00:00Z"
      status: "True"
      type: Ready
    - lastProbeTime: null
      lastTransitionTime: "2026-01-01T00:00:00Z"
      status: "True"
      type: ContainersReady
    containerStatuses:
    - containerID: containerd://${'0'.repeat(64)}
      image: registry.example/app:1.0
      imageID: registry.example/app@sha256:${'1'.repeat(64)}
      lastState: {}
      name: app
      ready: true
      restartCount: 0
      started: true
      state:
        running:
          startedAt: "2026-01-01T00:00:00Z"
    hostIP: 192.168.0.${10 + ((i + (half === 'a' ? 0 : 1)) % 3)}
    phase: Running
    podIP: ${ip(0x64400000, n)}
    podIPs:
    - ip: ${ip(0x64400000, n)}
    qosClass: BestEffort
    startTime: "2026-01-01T00:00:00Z"
`
}

function node(k: number): string {
  return `- apiVersion: v1
  kind: Node
  metadata:
    labels:
      kubernetes.io/hostname: node-${k}
      topology.kubernetes.io/zone: zone-${k}
    name: node-${k}
  spec:
    podCIDR: 100.64.${k}.0/24
  status:
    addresses:
    - address: 192.168.0.${10 + k}
      type: InternalIP
    - address: node-${k}
      type: Hostname
`
}

/**
 * The export as one `kind: List` document of at least `minBytes` bytes. Services 0..2699 are
 * NodePorts (30000 + index), the rest ClusterIP; each has a two-endpoint slice and its two Pods.
 */
export function kubectlExport(minBytes: number): { text: string; services: number } {
  const parts: string[] = ['apiVersion: v1\nitems:\n', node(0), node(1), node(2)]
  let bytes = 0
  let services = 0
  while (bytes < minBytes) {
    const chunk = service(services) + endpointSlice(services) + pod(services, 'a') + pod(services, 'b')
    parts.push(chunk)
    bytes += chunk.length
    services++
  }
  parts.push('kind: List\nmetadata:\n  resourceVersion: ""\n')
  return { text: parts.join(''), services }
}
