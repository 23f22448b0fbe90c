/** Workloads → pods: counts, names, labels, placement, pod IPs, ownership of given pods. */
import { describe, expect, it } from 'vitest'
import type { Pod } from '../../../src/core/model/k8s.ts'
import { node, pod, run, workload } from './helpers.ts'

type Rec = Record<string, unknown>
const tmpl = (labels: Rec, spec: Rec = {}): Rec => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }], ...spec },
})
const NODES = [node('node-b', ['10.244.1.0/24']), node('node-a', ['10.244.0.0/24'], { disk: 'ssd' }), node('node-c', ['10.244.2.0/24'])]
const pods = (r: ReturnType<typeof run>): Pod[] => r.value.pods.filter((p) => p.synthesised)

describe('Deployment', () => {
  const d = workload('Deployment', { metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 4, template: tmpl({ app: 'web' }) } })
  it('makes `replicas` pods named <deploy>-<hash>-<suffix> with pod-template-hash, round-robin over nodes sorted by name', () => {
    const r = run({ others: [d] }, { nodes: NODES })
    const ps = pods(r)
    expect(ps).toHaveLength(4)
    const hash = ps[0]?.metadata.labels['pod-template-hash'] ?? ''
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{10}$/)
    for (const p of ps) {
      expect(p.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`))
      expect(p.metadata.labels['app']).toBe('web')
      expect(p.metadata.namespace).toBe('shop')
      expect(p.ready).toBe(true)
      expect(p.containerPorts).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }])
    }
    expect(ps.map((p) => p.nodeName)).toEqual(['node-a', 'node-b', 'node-c', 'node-a'])
    expect(ps.map((p) => p.podIPs[0]?.split('.').slice(0, 3).join('.'))).toEqual(['10.244.0', '10.244.1', '10.244.2', '10.244.0'])
    expect(new Set(ps.map((p) => p.podIPs[0])).size).toBe(4)
    expect(r.value.assumptions.some((a) => a.startsWith('Deployment shop/web: 4 pod(s)'))).toBe(true)
  })
  it('is deterministic, and a template change changes the hash (a rollout)', () => {
    const a = pods(run({ others: [d] }, { nodes: NODES }))
    const b = pods(run({ others: [d] }, { nodes: NODES }))
    expect(b.map((p) => [p.metadata.name, p.podIPs])).toEqual(a.map((p) => [p.metadata.name, p.podIPs]))
    const d2 = workload('Deployment', { metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 4, template: tmpl({ app: 'web', v: '2' }) } })
    expect(pods(run({ others: [d2] }, { nodes: NODES }))[0]?.metadata.labels['pod-template-hash']).not.toBe(a[0]?.metadata.labels['pod-template-hash'])
  })
  it('defaults replicas to 1, honours nodeSelector, and leaves unschedulable pods Pending with a warning', () => {
    const sel = workload('Deployment', { metadata: { name: 'db' }, spec: { replicas: 2, template: tmpl({ app: 'db' }, { nodeSelector: { disk: 'ssd' } }) } })
    expect(pods(run({ others: [sel] }, { nodes: NODES })).map((p) => p.nodeName)).toEqual(['node-a', 'node-a'])
    const one = workload('Deployment', { metadata: { name: 'one' }, spec: { template: tmpl({ app: 'one' }) } })
    expect(pods(run({ others: [one] }, { nodes: NODES }))).toHaveLength(1)
    const none = workload('Deployment', { metadata: { name: 'gpu' }, spec: { template: tmpl({ app: 'gpu' }, { nodeSelector: { gpu: 'yes' } }) } })
    const r = run({ others: [none] }, { nodes: NODES })
    expect(pods(r)[0]).toMatchObject({ phase: 'Pending', podIPs: [], ready: false })
    expect(r.issues.map((i) => i.code)).toContain('endpoints/pod-unschedulable')
  })
  it('the readiness annotation previews NotReady pods', () => {
    const nr = workload('Deployment', { metadata: { name: 'nr' }, spec: { template: { ...tmpl({ app: 'nr' }), metadata: { labels: { app: 'nr' }, annotations: { 'kube-whatif.dev/ready': 'false' } } } } })
    expect(pods(run({ others: [nr] }, { nodes: NODES }))[0]?.ready).toBe(false)
  })
})

describe('other workload kinds', () => {
  it('ReplicaSet: <rs>-<suffix>', () => {
    const rs = workload('ReplicaSet', { metadata: { name: 'cache' }, spec: { replicas: 2, template: tmpl({ app: 'cache' }) } })
    const ps = pods(run({ others: [rs] }, { nodes: NODES }))
    expect(ps.map((p) => p.metadata.name).every((n) => /^cache-[a-z0-9]{5}$/.test(n))).toBe(true)
    expect(ps).toHaveLength(2)
  })
  it('StatefulSet: ordinals from spec.ordinals.start, pod-name and pod-index labels', () => {
    const sts = workload('StatefulSet', { metadata: { name: 'db' }, spec: { replicas: 3, serviceName: 'db', ordinals: { start: 2 }, template: tmpl({ app: 'db' }) } })
    const ps = pods(run({ others: [sts] }, { nodes: NODES }))
    expect(ps.map((p) => p.metadata.name)).toEqual(['db-2', 'db-3', 'db-4'])
    expect(ps[1]?.metadata.labels).toMatchObject({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-3', 'apps.kubernetes.io/pod-index': '3' })
    expect(ps[0]?.metadata.labels['controller-revision-hash']).toMatch(/^db-/)
  })
  it('DaemonSet: one pod per eligible node (nodeSelector, taints; control-plane NoSchedule not tolerated)', () => {
    const nodes = [...NODES, node('cp', ['10.244.9.0/24'], {}, [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }])]
    const ds = workload('DaemonSet', { metadata: { name: 'agent' }, spec: { template: tmpl({ app: 'agent' }) } })
    expect(pods(run({ others: [ds] }, { nodes })).map((p) => p.nodeName)).toEqual(['node-a', 'node-b', 'node-c'])
    const tol = workload('DaemonSet', {
      metadata: { name: 'agent' },
      spec: { template: tmpl({ app: 'agent' }, { tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }) },
    })
    expect(pods(run({ others: [tol] }, { nodes })).map((p) => p.nodeName)).toEqual(['cp', 'node-a', 'node-b', 'node-c'])
    const ssd = workload('DaemonSet', { metadata: { name: 'agent' }, spec: { template: tmpl({ app: 'agent' }, { nodeSelector: { disk: 'ssd' } }) } })
    expect(pods(run({ others: [ssd] }, { nodes })).map((p) => p.nodeName)).toEqual(['node-a'])
  })
  it('hostNetwork pods use the node IP', () => {
    const nodes = [node('n1', ['10.244.0.0/24'], {}, [], '192.168.0.11')]
    const ds = workload('DaemonSet', { metadata: { name: 'hn' }, spec: { template: tmpl({ app: 'hn' }, { hostNetwork: true }) } })
    expect(pods(run({ others: [ds] }, { nodes }))[0]?.podIPs).toEqual(['192.168.0.11'])
  })
  it('Job: parallelism pods bounded by completions, job-name labels, Indexed names', () => {
    const job = workload('Job', { metadata: { name: 'migrate' }, spec: { parallelism: 3, completions: 2, template: tmpl({ app: 'm' }) } })
    const ps = pods(run({ others: [job] }, { nodes: NODES }))
    expect(ps).toHaveLength(2)
    expect(ps[0]?.metadata.labels).toMatchObject({ 'job-name': 'migrate', 'batch.kubernetes.io/job-name': 'migrate', app: 'm' })
    const idx = workload('Job', { metadata: { name: 'ix' }, spec: { parallelism: 2, completionMode: 'Indexed', template: tmpl({ app: 'ix' }) } })
    const ips = pods(run({ others: [idx] }, { nodes: NODES }))
    expect(ips.map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, ''))).toEqual(['ix-0', 'ix-1'])
    expect(ips[1]?.metadata.labels['batch.kubernetes.io/job-completion-index']).toBe('1')
  })
  it('CronJob: one assumed run named <cronjob>-<minutes>', () => {
    const cj = workload('CronJob', { metadata: { name: 'report' }, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: tmpl({ app: 'r' }) } } } })
    const r = run({ others: [cj] }, { nodes: NODES })
    const ps = pods(r)
    expect(ps).toHaveLength(1)
    expect(ps[0]?.metadata.labels['job-name']).toMatch(/^report-\d{8}$/)
    expect(r.value.assumptions.some((a) => a.startsWith('CronJob default/report: assumed one run'))).toBe(true)
  })
})

describe('given pods and ownership', () => {
  it('a workload whose pods were given is not expanded again', () => {
    const given = pod('web-abc-xyz12', { app: 'web' }, { podIPs: ['10.244.0.5'], nodeName: 'node-a', metadata: { name: 'web-abc-xyz12', namespace: 'default', labels: { app: 'web' }, annotations: {}, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc' }] } }, 'default', 'existing')
    const d = workload('Deployment', { metadata: { name: 'web' }, spec: { replicas: 3, template: tmpl({ app: 'web' }) } }, 'existing')
    const r = run({ pods: [given], others: [d] }, { nodes: NODES })
    expect(r.value.pods).toHaveLength(1)
    // ...unless the proposed manifests change it: its old pods are replaced.
    const changed = workload('Deployment', { metadata: { name: 'web' }, spec: { replicas: 2, template: tmpl({ app: 'web' }) } })
    const r2 = run({ pods: [given], others: [d, changed] }, { nodes: NODES })
    expect(r2.value.pods.map((p) => p.synthesised)).toEqual([true, true])
  })
  it('synthesised IPs avoid given pod IPs; nodes without podCIDRs get one from the cluster CIDR', () => {
    const nodes = [node('n1'), node('n2')]
    const d = workload('Deployment', { metadata: { name: 'w' }, spec: { replicas: 2, template: tmpl({ app: 'w' }) } })
    const r = run({ others: [d] }, { nodes, clusterCIDR: '10.100.0.0/16' })
    expect(pods(r).map((p) => p.podIPs[0]?.split('.').slice(0, 3).join('.'))).toEqual(['10.100.0', '10.100.1'])
    expect(r.value.assumptions.some((a) => a.includes('carved from the cluster CIDR 10.100.0.0/16'))).toBe(true)
  })
  it('a Pod manifest without status is placed and addressed (its nodeName honoured), with an assumption', () => {
    const bare = pod('solo', { app: 's' }, { nodeName: 'node-c' })
    const free = pod('free', { app: 'f' })
    const snap = pod('snap', { app: 'x' }, {}, 'default', 'existing')
    const r = run({ pods: [bare, free, snap] }, { nodes: NODES })
    const by = new Map(r.value.pods.map((p) => [p.metadata.name, p]))
    expect(by.get('solo')).toMatchObject({ nodeName: 'node-c', phase: 'Running' })
    expect(by.get('solo')?.podIPs[0]).toMatch(/^10\.244\.2\./)
    expect(by.get('free')?.nodeName).toBe('node-a')
    // Cluster state is taken as is: an existing Pod without IP stays without one.
    expect(by.get('snap')?.podIPs).toEqual([])
    expect(r.value.assumptions.some((a) => a.startsWith('Pod default/solo has no status: assumed Running and Ready on node-c'))).toBe(true)
  })
})
