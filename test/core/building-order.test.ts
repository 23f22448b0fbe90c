/**
 * Objects built field by field (building.ts) instead of by conditional spreads must keep the key
 * order the literals had — reports sort keys, but other readers (diffs of raw objects, JSON of
 * pods and slices) see the order. Pinned here for every object of that kind in one plan with all
 * optional fields present and absent: synthesised pods, EndpointSlice endpoints and ports, the
 * plan's services, their ports and endpoints, its service ports and their endpoints, and the
 * apiserver's Service specs written back from the drafts. The plan's views (services, their
 * ports and endpoints, service ports and their endpoints) are built in sorted key order, so the
 * JSON report prints them with V8's own stringify (report/native-json.ts).
 */
import { describe, expect, it } from 'vitest'
import { planFromSources } from '../../src/core/plan/plan.ts'

const YAML = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http, appProtocol: http}
  - {name: metrics, port: 9090, targetPort: 9090}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: shop}
spec:
  replicas: 2
  serviceName: web
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: internal, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 81, targetPort: 8080}]
`

/** Keys of `o` in order, keeping only those in `order` (optional ones may be absent). */
const ordered = (o: object, order: readonly string[]): void => {
  const keys = Object.keys(o)
  expect(keys).toEqual(order.filter((k) => keys.includes(k)))
  expect(keys.every((k) => order.includes(k))).toBe(true)
}

describe('key order of objects built by assignment', () => {
  const plan = planFromSources({ files: [{ path: 'm.yaml', text: YAML, origin: 'proposed' }] }).value

  it('synthesised pods', () => {
    expect(plan.pods.length).toBe(2)
    for (const p of plan.pods) {
      ordered(p, ['kind', 'ref', 'metadata', 'source', 'locate', 'origin', 'raw', 'nodeName', 'podIPs', 'phase', 'ready', 'terminating', 'containerPorts', 'hostNetwork', 'hostname', 'subdomain', 'owner', 'synthesised'])
      expect(p.hostname).toBeDefined()
      for (const c of p.containerPorts) ordered(c, ['name', 'containerPort', 'protocol'])
    }
  })

  it('EndpointSlice endpoints and ports', () => {
    const computed = plan.endpointSlices.filter((s) => s.computed)
    expect(computed.length).toBeGreaterThan(0)
    for (const s of computed) {
      for (const e of s.endpoints) ordered(e, ['addresses', 'conditions', 'nodeName', 'zone', 'hints', 'targetRef', 'hostname'])
      for (const p of s.ports) ordered(p, ['name', 'protocol', 'port', 'appProtocol'])
    }
    expect(computed.some((s) => s.ports.some((p) => p.appProtocol !== undefined))).toBe(true)
  })

  it('service endpoints and service-port endpoints', () => {
    for (const s of plan.services) for (const e of s.endpoints) ordered(e, ['hostname', 'ip', 'node', 'ports', 'ready', 'serving', 'target', 'terminating'])
    const eps = plan.servicePorts.flatMap((sp) => sp.endpoints)
    expect(eps.length).toBeGreaterThan(0)
    for (const e of eps) ordered(e, ['endpoint', 'externalProbability', 'internalProbability', 'ip', 'local', 'node', 'port', 'ready', 'serving', 'target', 'terminating'])
    expect(eps.some((e) => e.externalProbability !== undefined)).toBe(true)
  })

  it('planned services, their ports, service ports and Service specs written back by the apiserver', () => {
    expect(plan.services.length).toBe(2)
    for (const s of plan.services) {
      ordered(s, ['clusterIPOrigin', 'clusterIPs', 'dns', 'endpoints', 'externalIPs', 'externalTrafficPolicy', 'healthCheckNodePort', 'healthCheckNodePortOrigin', 'internalTrafficPolicy', 'ipFamilies', 'ipFamilyPolicy', 'loadBalancerIngress', 'loadBalancerSourceRanges', 'name', 'namespace', 'notProxied', 'operation', 'origin', 'ports', 'selector', 'sessionAffinity', 'source', 'type', 'update'])
      for (const p of s.ports) ordered(p, ['name', 'nodePort', 'nodePortOrigin', 'port', 'protocol', 'targetPort'])
    }
    for (const sp of plan.servicePorts) {
      ordered(sp, ['clusterIP', 'endpoints', 'external', 'externalIPs', 'externalTrafficPolicy', 'healthCheckNodePort', 'internal', 'internalTrafficPolicy', 'loadBalancerIPs', 'loadBalancerSourceRanges', 'name', 'namespace', 'nodePort', 'port', 'portName', 'protocol', 'sessionAffinityTimeoutSeconds', 'spn', 'topologyMode'])
    }
    expect(plan.servicePorts.some((sp) => sp.external !== undefined)).toBe(true)
    for (const svc of plan.serviceObjects) {
      ordered(svc.metadata, ['name', 'namespace', 'labels', 'annotations', 'uid', 'deletionTimestamp', 'ownerReferences'])
      ordered(svc.spec, ['type', 'selector', 'clusterIP', 'clusterIPs', 'ipFamilies', 'ipFamilyPolicy', 'ports', 'externalIPs', 'loadBalancerSourceRanges', 'loadBalancerIP', 'externalTrafficPolicy', 'internalTrafficPolicy', 'healthCheckNodePort', 'sessionAffinity', 'sessionAffinityConfig', 'publishNotReadyAddresses', 'allocateLoadBalancerNodePorts', 'externalName', 'trafficDistribution'])
      for (const p of svc.spec.ports) ordered(p, ['name', 'protocol', 'port', 'targetPort', 'nodePort', 'appProtocol'])
    }
  })
})
