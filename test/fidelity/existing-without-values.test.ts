/**
 * Issue 11 point 3 through the CLI: an existing Service (`--cluster`) without the ClusterIP the
 * apiserver would have assigned is not headless. Its ClusterIP (and the NodePorts /
 * healthCheckNodePort of NodePort and LoadBalancer Services) are previewed and labelled; an
 * update changing that ClusterIP gets the apiserver's error. Only `clusterIP: None` is headless.
 */
import { describe, expect, it } from 'vitest'
import { planJson, svc, tmpTree } from './helpers.ts'

const service = (name: string, spec: string): string => `apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: default}
spec:
${spec}  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: 8080}]
`
const PODS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
`

describe('an existing Service without its allocated values', () => {
  it('gets a previewed ClusterIP and rules, not "headless", with the assumption', async () => {
    const cluster = tmpTree({ 'svc.yaml': service('web', ''), 'deploy.yaml': PODS })
    const { run, plan } = await planJson(['--cluster', cluster])
    expect(run.code).toBe(0)
    const s = svc(plan, 'default/web')
    expect(s.notProxied).toBeUndefined()
    expect(s.clusterIPs).toHaveLength(1)
    expect(s.clusterIPs[0]).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\./)
    expect(s.clusterIPOrigin).toBe('preview')
    expect(plan.servicePorts.map((p) => [p.spn, p.endpoints.length, p.internal.verdict])).toEqual([['default/web:http', 2, 'forward']])
    expect(plan.assumptions).toContainEqual(expect.stringMatching(new RegExp(`^default/web: existing object without its allocated values: previewed ClusterIP ${s.clusterIPs[0]!.replace(/\./g, '\\.')}`)))
    // Same input, same bytes.
    expect((await planJson(['--cluster', cluster])).run.stdout).toBe(run.stdout)
  })

  it('previews the NodePorts and healthCheckNodePort of an existing LoadBalancer with externalTrafficPolicy Local', async () => {
    const cluster = tmpTree({ 'svc.yaml': service('lb', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n'), 'deploy.yaml': PODS })
    const { plan } = await planJson(['--cluster', cluster])
    const s = svc(plan, 'default/lb')
    expect(s.ports[0]?.nodePort).toBeGreaterThanOrEqual(30000)
    expect(s.ports[0]?.nodePortOrigin).toBe('preview')
    expect(plan.assumptions.join('\n')).toMatch(/default\/lb: existing object without its allocated values: previewed ClusterIP [\d.]+, NodePort \d+ \(http\/TCP\), healthCheckNodePort \d+/)
  })

  it('refuses a proposed ClusterIP change of it with "may not change once set", as when the export carries its clusterIP', async () => {
    const proposed = tmpTree({ 'svc.yaml': service('web', '  clusterIP: 10.33.9.4\n') })
    for (const existingSpec of ['', '  clusterIP: 10.96.0.50\n']) {
      const { run, plan } = await planJson([proposed, '--cluster', tmpTree({ 'svc.yaml': service('web', existingSpec) })])
      expect(run.code).toBe(1)
      expect(plan.issues.map((i) => i.message)).toContainEqual('The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.33.9.4"}: may not change once set')
    }
  })

  it('keeps the previewed ClusterIP on an update that omits it', async () => {
    const cluster = tmpTree({ 'svc.yaml': service('web', '') })
    const before = svc((await planJson(['--cluster', cluster])).plan, 'default/web').clusterIPs
    const { run, plan } = await planJson([tmpTree({ 'svc.yaml': service('web', '').replace('port: 80,', 'port: 81,') }), '--cluster', cluster])
    expect(run.code).toBe(0)
    expect(svc(plan, 'default/web').clusterIPs).toEqual(before)
  })

  it('keeps clusterIP: None headless', async () => {
    const { plan } = await planJson(['--cluster', tmpTree({ 'svc.yaml': service('db', '  clusterIP: None\n') })])
    expect(svc(plan, 'default/db').notProxied).toMatch(/^headless Service/)
    expect(plan.assumptions.join('\n')).not.toMatch(/without its allocated values/)
  })
})
