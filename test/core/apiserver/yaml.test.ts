/** End to end from YAML through the parse stage: file:line on issues, cluster state vs proposed. */
import { describe, expect, it } from 'vitest'
import { node, runYaml } from './helpers.ts'

const CLUSTER = `apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: default}
spec:
  type: NodePort
  clusterIP: 10.96.0.10
  clusterIPs: [10.96.0.10]
  ipFamilies: [IPv4]
  ipFamilyPolicy: SingleStack
  selector: {app: legacy}
  ports:
  - {name: http, port: 80, nodePort: 30080}
`

const APP = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  clusterIP: 10.96.0.10
  ports:
  - name: dns
    port: 53
`

describe('YAML end to end', () => {
  it('reports allocation collisions against cluster state at the field line', () => {
    const r = runYaml(APP, CLUSTER, { nodes: [node('n1', ['10.244.0.0/24'])] })
    expect(r.parseIssues).toEqual([])
    const errs = r.issues.filter((i) => i.severity === 'error')
    expect(errs.map((i) => [i.message, i.path, i.source?.file, i.source?.line])).toEqual([
      ['The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated', 'spec.ports[0].nodePort', 'app.yaml', 12],
      [
        'The Service "dns" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.10"}: failed to allocate IP 10.96.0.10: provided IP is already allocated',
        'spec.clusterIPs',
        'app.yaml',
        expect.any(Number),
      ],
    ])
    expect(r.value.services.map((s) => `${s.metadata.name}:${s.origin}`)).toEqual(['legacy:existing'])
    expect(r.value.allocations[0]).toMatchObject({ operation: 'existing', clusterIPOrigin: 'existing', ports: [{ nodePort: 30080, nodePortOrigin: 'existing' }] })
    expect(r.value.ranges.map((x) => x.used)).toEqual([2, 1])
  })
  it('the same plan twice is identical (no clock, no randomness)', () => {
    const a = runYaml(APP.replace('nodePort: 30080', ''), CLUSTER)
    const b = runYaml(APP.replace('nodePort: 30080', ''), CLUSTER)
    expect(JSON.stringify(b.value.allocations)).toBe(JSON.stringify(a.value.allocations))
    expect(b.value.assumptions).toEqual(a.value.assumptions)
  })

  it('reports out-of-range and missing port numbers with kube-apiserver wording, not as parse errors', () => {
    const app = (spec: string): string => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n${spec}\n`
    const msgs = (spec: string): string[] => {
      const r = runYaml(app(spec))
      expect(r.parseIssues).toEqual([])
      return r.issues.filter((i) => i.severity === 'error').map((i) => i.message)
    }
    expect(msgs('  ports: [{name: a}]')).toEqual([
      'The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      'The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ])
    expect(msgs('  ports: [{port: 80, targetPort: -1}]')).toEqual([
      'The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: -1: must be between 1 and 65535, inclusive',
    ])
    expect(msgs('  type: NodePort\n  ports: [{port: 80, nodePort: 70000}]')).toEqual([
      'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 70000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ])
    expect(msgs('  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 70000\n  ports: [{port: 80}]')).toEqual([
      'Error from server (InternalError): error when creating "app.yaml": Internal error occurred: failed to allocate requested HealthCheck NodePort 70000: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ])
  })

  it('points errors on derived fields at the line the user wrote (clusterIP, ipFamilies, port, loadBalancerSourceRanges)', () => {
    const app = [
      'apiVersion: v1', // 1
      'kind: Service', // 2
      'metadata:', // 3
      '  name: web', // 4
      'spec:', // 5
      '  clusterIP: "2000::1"', // 6
      '  ports:', // 7
      '  - name: a', // 8
      '    port: 80', // 9
      '',
    ].join('\n')
    const at = (text: string, opts = {}): [string | undefined, number | undefined][] =>
      runYaml(text, '', opts)
        .issues.filter((i) => i.severity === 'error')
        .map((i) => [i.path, i.source?.line])
    expect(at(app)).toEqual([['spec.clusterIPs[0]', 6]])
    const dual = { profile: { serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112' } }
    expect(at(app.replace('  clusterIP: "2000::1"', '  ipFamilies:\n  - IPv4\n  - IPv6'), dual)).toEqual([['spec.ipFamilyPolicy', 6]])
    expect(at(app.replace('  clusterIP: "2000::1"', '  loadBalancerSourceRanges:\n  - 10.0.0.0/8'))).toEqual([['spec.LoadBalancerSourceRanges', 6]])
    expect(at(app.replace('  clusterIP: "2000::1"\n', '').replace('    port: 80', '    port: 0'))).toEqual([
      ['spec.ports[0].port', 8],
      ['spec.ports[0].targetPort', 8],
    ])
  })
})
