/**
 * Kubernetes versions 1.31–1.35 through the CLI: one test per row of the version tables
 * (docs/versions.md) — the allocator generation, its flag limits and error texts, ServiceCIDR
 * objects, and the kube-proxy differences (feature-gate defaults, trafficDistribution values and
 * hints, duplicate endpoints) — plus how the version is chosen and refused.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KUBERNETES_VERSIONS } from '../../src/core/model/version.ts'
import { runCli } from '../helpers/run-cli.ts'

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-versions-'))
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, text)
  }
  return dir
}

const profile = (fields: string): string => `apiVersion: kube-whatif.dev/v1alpha1\nkind: ClusterProfile\n${fields}\n`
const service = (name: string, spec: string): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n${spec}\n  ports:\n  - port: 80\n`
const serviceCIDR = (name: string, cidrs: readonly string[], extra = ''): string =>
  `apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata:\n  name: ${name}\n${extra}spec:\n  cidrs:\n${cidrs.map((c) => `  - "${c}"`).join('\n')}\n`
const docs = (...d: string[]): string => d.join('---\n')

interface PlanJson {
  readonly assumptions: string[]
  readonly issues: { code: string; severity: string; message: string; source?: { file: string; line: number } }[]
  readonly ranges: { kind: string; range: string; serviceCIDR?: string; size: number; used: number; free: number }[]
  readonly services: { name: string; clusterIPs: string[] }[]
  readonly proxyConfig: { kubernetesVersion: string }
  readonly cluster: { profile: { kubernetesVersion: string } }
  readonly servicePorts: { name: string; topologyMode: string; endpoints: { ip: string; terminating: boolean; ready: boolean }[] }[]
}

async function planJson(dir: string, args: readonly string[]): Promise<PlanJson & { code: number }> {
  const r = await runCli(['plan', ...args.map((a) => (a.startsWith('@') ? join(dir, a.slice(1)) : a)), '-o', 'json'])
  return { ...(JSON.parse(r.stdout) as PlanJson), code: r.code }
}

const messages = (p: PlanJson, severity?: string): string[] => p.issues.filter((i) => severity === undefined || i.severity === severity).map((i) => i.message)

describe('choosing the version', () => {
  const dir = tree({ 'svc.yaml': service('web', '  clusterIP: 10.96.0.20'), 'p133.yaml': profile('kubernetesVersion: "1.33"') })

  it('defaults to 1.35 and says so in every plan', async () => {
    const p = await planJson(dir, ['@svc.yaml'])
    expect(p.cluster.profile.kubernetesVersion).toBe('1.35')
    expect(p.proxyConfig.kubernetesVersion).toBe('1.35')
    expect(p.assumptions[0]).toBe('Kubernetes 1.35 (the default; set kubernetesVersion in a ClusterProfile or --kubernetes-version to plan for 1.31, 1.32, 1.33, 1.34).')
    const text = await runCli(['plan', join(dir, 'svc.yaml')])
    expect(text.stdout).toContain('  - Kubernetes 1.35 (the default;')
  })

  it('takes the ClusterProfile, and --kubernetes-version over it (also v1.34 / 1.34.2)', async () => {
    expect((await planJson(dir, ['@svc.yaml', '--cluster', '@p133.yaml'])).assumptions[0]).toBe('Kubernetes 1.33, from the ClusterProfile.')
    for (const flag of ['1.31', 'v1.31', '1.31.4']) {
      const p = await planJson(dir, ['@svc.yaml', '--cluster', '@p133.yaml', '--kubernetes-version', flag])
      expect(p.proxyConfig.kubernetesVersion).toBe('1.31')
      expect(p.assumptions[0]).toBe("Kubernetes 1.31, as requested for this run instead of the ClusterProfile's 1.33.")
    }
  })

  it('a version outside 1.31–1.35 is a usage error naming the supported ones: exit 2 for plan and trace, 1 for diff', async () => {
    const expected = "kube-whatif: invalid value '1.30' for --kubernetes-version: Kubernetes version not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35)\n"
    const plan = await runCli(['plan', join(dir, 'svc.yaml'), '--kubernetes-version', '1.30'])
    expect([plan.code, plan.stdout]).toEqual([2, ''])
    expect(plan.stderr).toBe(`${expected}Run 'kube-whatif plan --help' for usage.\n`)
    const trace = await runCli(['trace', join(dir, 'svc.yaml'), '--from', '10.0.0.1', '--to', '10.96.0.20:80', '--kubernetes-version', '1.36'])
    expect(trace.code).toBe(2)
    expect(trace.stderr).toContain("invalid value '1.36' for --kubernetes-version: Kubernetes version not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35)")
    for (const opt of ['--kubernetes-version', '--base-kubernetes-version', '--head-kubernetes-version']) {
      const diff = await runCli(['diff', '--base', join(dir, 'svc.yaml'), '--head', join(dir, 'svc.yaml'), opt, 'latest'])
      expect(diff.code).toBe(1)
      expect(diff.stderr).toContain(`invalid value 'latest' for ${opt}: Kubernetes version not modelled`)
    }
  })

  it('in a ClusterProfile it is an error issue at its line; the rest is planned at 1.35', async () => {
    const d = tree({ 'svc.yaml': service('web', '  clusterIP: 10.96.0.20'), 'p.yaml': profile('serviceClusterIPRange: 10.96.0.0/16\nkubernetesVersion: "1.29"') })
    const p = await planJson(d, ['@svc.yaml', '--cluster', '@p.yaml'])
    expect(p.code).toBe(1)
    expect(p.issues[0]).toMatchObject({ code: 'cluster/unsupported-version', severity: 'error', source: { line: 4 } })
    expect(p.issues[0]?.message).toContain('Unsupported value: "1.29": Kubernetes version not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35); planned as 1.35')
    expect(p.ranges[0]?.range).toBe('10.96.0.0/16')
    expect(p.services.map((s) => s.name)).toEqual(['web'])
  })
})

describe('allocator generation (apiserver MultiCIDRServiceAllocator / DisableAllocatorDualWrite)', () => {
  const dir = tree({ 'svc.yaml': service('web', '') })
  const expected: Record<string, string> = {
    '1.31': 'kube-apiserver 1.31 allocates ClusterIPs with the legacy bitmap',
    '1.32': 'kube-apiserver 1.32 allocates ClusterIPs with the legacy bitmap',
    '1.33': 'kube-apiserver 1.33 allocates ClusterIPs as IPAddress objects from the ServiceCIDRs (the "kubernetes" ServiceCIDR mirrors --service-cluster-ip-range) and also writes the legacy bitmap',
    '1.34': 'kube-apiserver 1.34 allocates ClusterIPs as IPAddress objects from the ServiceCIDRs only',
    '1.35': 'kube-apiserver 1.35 allocates ClusterIPs as IPAddress objects from the ServiceCIDRs only',
  }
  it.each(KUBERNETES_VERSIONS)('%s', async (v) => {
    const p = await planJson(dir, ['@svc.yaml', '--kubernetes-version', v])
    expect(p.assumptions.filter((a) => a.startsWith('kube-apiserver '))).toEqual([expect.stringContaining(expected[v] as string)])
    // The flag's range is reported per ServiceCIDR (named "kubernetes") once IPAddress objects are used.
    expect(p.ranges[0]).toMatchObject({ kind: 'service-cidr', range: '10.96.0.0/12', ...(v === '1.31' || v === '1.32' ? {} : { serviceCIDR: 'kubernetes' }) })
    if (v === '1.31' || v === '1.32') expect(p.ranges[0]?.serviceCIDR).toBeUndefined()
  })
})

describe('allocation error texts', () => {
  const dir = tree({ 'p.yaml': profile('serviceClusterIPRange: 10.0.0.0/24'), 'svc.yaml': service('web', '  clusterIP: 10.0.1.5') })
  it.each(KUBERNETES_VERSIONS)('%s: an IP outside the range', async (v) => {
    const p = await planJson(dir, ['@svc.yaml', '--cluster', '@p.yaml', '--kubernetes-version', v])
    const reason =
      v === '1.31' || v === '1.32'
        ? 'the provided IP (10.0.1.5) is not in the valid range. The range of valid IPs is 10.0.0.0/24'
        : 'the provided network does not match the current range'
    expect(messages(p, 'error')).toEqual([`The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.0.1.5"}: failed to allocate IP 10.0.1.5: ${reason}`])
  })
  it('taken is "provided IP is already allocated" in every version', async () => {
    const d = tree({ 'svc.yaml': docs(service('a', '  clusterIP: 10.96.0.20'), service('b', '  clusterIP: 10.96.0.20')) })
    for (const v of KUBERNETES_VERSIONS) {
      const p = await planJson(d, ['@svc.yaml', '--kubernetes-version', v])
      expect(messages(p, 'error')).toEqual(['The Service "b" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.20"}: failed to allocate IP 10.96.0.20: provided IP is already allocated'])
    }
  })
})

describe('flag limits (--service-cluster-ip-range)', () => {
  const dir = tree({
    'v4.yaml': profile('serviceClusterIPRange: 10.0.0.0/8'),
    'v6wide.yaml': profile('serviceClusterIPRange: "fd00::/48"'),
    'v6.yaml': profile('serviceClusterIPRange: "fd00:1::/108"'),
    'svc.yaml': service('web', ''),
    'svc6.yaml': service('web', '  clusterIP: "fd00:1::1:0"'),
  })
  it.each(KUBERNETES_VERSIONS)('%s: a /8 is refused while the bitmap is written (to 1.33), accepted from 1.34', async (v) => {
    const p = await planJson(dir, ['@svc.yaml', '--cluster', '@v4.yaml', '--kubernetes-version', v])
    if (v === '1.34' || v === '1.35') {
      expect(messages(p, 'error')).toEqual([])
      expect(p.ranges[0]).toMatchObject({ range: '10.0.0.0/8', size: 16777214 })
    } else {
      expect(messages(p, 'error')).toEqual([
        'kube-apiserver refuses --service-cluster-ip-range=10.0.0.0/8: specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12',
      ])
      expect(p.ranges[0]?.range).toBe('10.96.0.0/12')
    }
  })
  it.each(KUBERNETES_VERSIONS)('%s: IPv6 wider than /108 and shorter than /64', async (v) => {
    const p = await planJson(dir, ['@svc.yaml', '--cluster', '@v6wide.yaml', '--kubernetes-version', v])
    const reason = v === '1.34' || v === '1.35' ? 'shortest allowed prefix length for service CIDR is 64, got 48' : 'specified --service-cluster-ip-range is too large; for 128-bit addresses, the mask must be >= 108'
    expect(messages(p, 'error')).toEqual([`kube-apiserver refuses --service-cluster-ip-range=fd00::/48: ${reason}`])
  })
  it.each(KUBERNETES_VERSIONS)('%s: the IPv6 bitmap window (65535 hosts) binds until 1.33', async (v) => {
    const p = await planJson(dir, ['@svc6.yaml', '--cluster', '@v6.yaml', '--kubernetes-version', v])
    if (v === '1.34' || v === '1.35') expect(messages(p, 'error')).toEqual([])
    else expect(messages(p, 'error')[0]).toContain('failed to allocate IP fd00:1::1:0: the provided IP (fd00:1::1:0) is not in the valid range. The range of valid IPs is fd00:1::/108')
  })
})

describe('ServiceCIDR objects', () => {
  const small = profile('serviceClusterIPRange: 10.96.0.0/28')
  const many = docs(...Array.from({ length: 14 }, (_, i) => service(`s${String(i).padStart(2, '0')}`, '')), service('pinned', '  clusterIP: 10.100.0.5'))
  const dir = tree({ 'p.yaml': small, 'cidrs.yaml': docs(serviceCIDR('kubernetes', ['10.96.0.0/28']), serviceCIDR('extra', ['10.100.0.0/24'])), 'svc.yaml': many })

  it('1.31–1.32: ignored with a warning saying so; only the flag range allocates', async () => {
    for (const v of ['1.31', '1.32'] as const) {
      const p = await planJson(dir, ['@svc.yaml', '--cluster', '@p.yaml', '--cluster', '@cidrs.yaml', '--kubernetes-version', v])
      expect(messages(p, 'warning')).toContain(
        `ServiceCIDR extra is ignored: Kubernetes ${v} allocates ClusterIPs from --service-cluster-ip-range only (the MultiCIDRServiceAllocator feature gate is beta and off by default before 1.33)`,
      )
      expect(p.ranges.filter((r) => r.kind === 'service-cidr').map((r) => r.range)).toEqual(['10.96.0.0/28'])
      expect(messages(p, 'error')).toContain(
        'The Service "pinned" is invalid: spec.clusterIPs: Invalid value: []string{"10.100.0.5"}: failed to allocate IP 10.100.0.5: the provided IP (10.100.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/28',
      )
    }
  })

  it.each(['1.33', '1.34', '1.35'] as const)('%s: more ranges to allocate from, one report per ServiceCIDR; a full range spills into the next', async (v) => {
    const p = await planJson(dir, ['@svc.yaml', '--cluster', '@p.yaml', '--cluster', '@cidrs.yaml', '--kubernetes-version', v])
    expect(messages(p, 'error')).toEqual([])
    expect(p.services.find((s) => s.name === 'pinned')?.clusterIPs).toEqual(['10.100.0.5'])
    // /28: 14 hosts, kubernetes holds .1, so 13 Services fit; the 14th and the pinned one use "extra".
    expect(p.ranges.filter((r) => r.kind === 'service-cidr')).toEqual([
      expect.objectContaining({ range: '10.96.0.0/28', serviceCIDR: 'kubernetes', size: 14, used: 14, free: 0 }),
      expect.objectContaining({ range: '10.100.0.0/24', serviceCIDR: 'extra', size: 254, used: 2, free: 252 }),
    ])
    const text = await runCli(['plan', join(dir, 'svc.yaml'), '--cluster', join(dir, 'p.yaml'), '--cluster', join(dir, 'cidrs.yaml'), '--kubernetes-version', v])
    expect(text.stdout).toContain('  service-cidr 10.100.0.0/24 (ServiceCIDR extra): 2 used, 252 free of 254 (static band 10.100.0.1-10.100.0.16, 16)')
    expect(text.stdout).toContain('kube-whatif tries "kubernetes" first, then the others by name')
  })

  it('overlap: a host of any ready ServiceCIDR is accepted (TestCIDRAllocateShadow)', async () => {
    const d = tree({
      'p.yaml': profile('serviceClusterIPRange: 192.168.1.0/24'),
      'svc.yaml': service('web', '  clusterIP: 192.168.1.0'),
      'wide.yaml': serviceCIDR('wide', ['192.168.0.0/16']),
    })
    const alone = await planJson(d, ['@svc.yaml', '--cluster', '@p.yaml'])
    expect(messages(alone, 'error')[0]).toContain('failed to allocate IP 192.168.1.0: the provided network does not match the current range')
    const shadowed = await planJson(d, ['@svc.yaml', '--cluster', '@p.yaml', '--cluster', '@wide.yaml'])
    expect(messages(shadowed, 'error')).toEqual([])
  })

  it('validation messages of a proposed ServiceCIDR (kubectl text at its line), and spec.cidrs is immutable', async () => {
    const d = tree({
      'bad.yaml': docs(
        serviceCIDR('none', []).replace('  cidrs:\n\n', '  cidrs: []\n'),
        serviceCIDR('three', ['10.1.0.0/24', '10.2.0.0/24', 'fd00::/64']),
        serviceCIDR('two-v4', ['10.1.0.0/24', '10.2.0.0/24']),
        serviceCIDR('junk', ['10.1.0.0/33']),
        serviceCIDR('moved', ['10.9.0.0/24']),
      ),
      'existing.yaml': serviceCIDR('moved', ['10.8.0.0/24']),
    })
    const p = await planJson(d, ['@bad.yaml', '--cluster', '@existing.yaml'])
    expect(p.code).toBe(1)
    expect(messages(p, 'error')).toEqual([
      'The ServiceCIDR "none" is invalid: spec.cidrs: Required value: at least one CIDR required',
      'The ServiceCIDR "three" is invalid: spec.cidrs: Invalid value: []string{"10.1.0.0/24", "10.2.0.0/24", "fd00::/64"}: may only hold up to 2 values',
      'The ServiceCIDR "two-v4" is invalid: spec.cidrs: Invalid value: []string{"10.1.0.0/24", "10.2.0.0/24"}: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
      'The ServiceCIDR "junk" is invalid: spec.cidrs[0]: Invalid value: "10.1.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      'The ServiceCIDR "moved" is invalid: spec.cidrs: Invalid value: []string{"10.9.0.0/24"}: field is immutable',
    ])
    expect(p.issues.find((i) => i.message.includes('"junk"'))?.source?.line).toBeGreaterThan(20)
  })

  it('not Ready, being deleted, another family, an IPv6 prefix shorter than /64, or v1alpha1: not used, and said so', async () => {
    const d = tree({
      'cidrs.yaml': docs(
        serviceCIDR('down', ['10.50.0.0/24']) + 'status:\n  conditions:\n  - type: Ready\n    status: "False"\n',
        serviceCIDR('leaving', ['10.51.0.0/24'], '  deletionTimestamp: "2026-01-01T00:00:00Z"\n'),
        serviceCIDR('v6', ['fd00:99::/112']),
        serviceCIDR('old', ['10.52.0.0/24']).replace('networking.k8s.io/v1', 'networking.k8s.io/v1alpha1'),
      ),
      'svc.yaml': service('web', '  clusterIP: 10.50.0.5'),
      'dual.yaml': profile('serviceClusterIPRange: 10.96.0.0/16,fd00:10:96::/112'),
      'wide6.yaml': serviceCIDR('wide6', ['fd00:7::/48']),
    })
    const p = await planJson(d, ['@svc.yaml', '--cluster', '@cidrs.yaml'])
    expect(messages(p)).toEqual(
      expect.arrayContaining([
        'ServiceCIDR down is not Ready: no ClusterIPs come from it',
        'ServiceCIDR leaving is being deleted: no new ClusterIPs come from it',
        'ServiceCIDR v6: fd00:99::/112 is IPv6 but the cluster is not configured for IPv6 (--service-cluster-ip-range): it adds no IPv6 ClusterIPs and does not make the cluster dual-stack (UNVERIFIED for 1.35; families come from the flag in alloc.go)',
        'ServiceCIDR old: networking.k8s.io/v1alpha1 is not served by Kubernetes 1.35 (v1 since 1.33); the object is ignored',
        'The Service "web" is invalid: spec.clusterIPs: Invalid value: []string{"10.50.0.5"}: failed to allocate IP 10.50.0.5: the provided network does not match the current range',
      ]),
    )
    expect(p.ranges.filter((r) => r.kind === 'service-cidr').map((r) => r.range)).toEqual(['10.96.0.0/12'])
    expect(p.assumptions).toContain(
      'A ServiceCIDR of a family --service-cluster-ip-range lacks adds no ClusterIPs and does not make the cluster dual-stack (UNVERIFIED for 1.35; alloc.go builds the families from the flag)',
    )
    const w = await planJson(d, ['@svc.yaml', '--cluster', '@dual.yaml', '--cluster', '@wide6.yaml'])
    expect(messages(w, 'warning')).toContain('ServiceCIDR wide6: fd00:7::/48: shortest allowed prefix length for service CIDR is 64, got 48; the apiserver builds no allocator for it')
  })

  it('a given "kubernetes" ServiceCIDR that differs from the flag is reported', async () => {
    const d = tree({ 'k.yaml': serviceCIDR('kubernetes', ['10.200.0.0/16']), 'svc.yaml': service('web', '') })
    const p = await planJson(d, ['@svc.yaml', '--cluster', '@k.yaml'])
    expect(messages(p, 'warning')[0]).toContain('ServiceCIDR kubernetes holds 10.200.0.0/16 but serviceClusterIPRange is 10.96.0.0/12')
  })
})

describe('kube-proxy and EndpointSlice controller differences', () => {
  const nodes = ['a', 'b'].map(
    (n, i) =>
      `apiVersion: v1\nkind: Node\nmetadata:\n  name: node-${n}\n  labels:\n    topology.kubernetes.io/zone: zone-${n}\nspec:\n  podCIDRs: ["10.244.${i}.0/24"]\nstatus:\n  addresses:\n  - type: InternalIP\n    address: 172.18.0.${i + 2}\n`,
  )
  const pods = ['a', 'b'].map(
    (n, i) =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-${n}\n  namespace: default\n  labels: {app: web}\nspec:\n  nodeName: node-${n}\n  containers: [{name: c, image: x}]\nstatus:\n  phase: Running\n  podIP: 10.244.${i}.5\n  podIPs: [{ip: 10.244.${i}.5}]\n  conditions: [{type: Ready, status: "True"}]\n`,
  )
  const svc = (td: string): string => service('web', `  clusterIP: 10.96.0.20\n  selector: {app: web}\n  trafficDistribution: ${td}`)
  const dir = tree({
    'cluster.yaml': docs(...nodes, ...pods),
    'same-node.yaml': svc('PreferSameNode'),
    'same-zone.yaml': svc('PreferSameZone'),
    'close.yaml': svc('PreferClose'),
  })
  const at = (file: string, v: string) => planJson(dir, [`@${file}`, '--cluster', '@cluster.yaml', '--node', 'node-a', '--kubernetes-version', v])

  it.each(KUBERNETES_VERSIONS)('%s: trafficDistribution PreferSameNode / PreferSameZone exist from 1.34 (PreferSameTrafficDistribution on by default)', async (v) => {
    const node = await at('same-node.yaml', v)
    const zone = await at('same-zone.yaml', v)
    if (v === '1.34' || v === '1.35') {
      expect(node.servicePorts[0]).toMatchObject({ topologyMode: 'PreferSameNode', endpoints: [{ ip: '10.244.0.5' }, { ip: '10.244.1.5' }] })
      expect(zone.servicePorts[0]?.topologyMode).toBe('PreferSameZone')
    } else {
      expect(messages(node, 'error')).toEqual(['The Service "web" is invalid: spec.trafficDistribution: Unsupported value: "PreferSameNode": supported values: "PreferClose"'])
      expect(messages(zone, 'error')).toEqual(['The Service "web" is invalid: spec.trafficDistribution: Unsupported value: "PreferSameZone": supported values: "PreferClose"'])
    }
    // PreferClose is zone hints in every version.
    expect((await at('close.yaml', v)).servicePorts[0]?.topologyMode).toBe('PreferSameZone')
    // The accepted list per release is UNVERIFIED in the reference: the plan says so.
    expect(node.assumptions.find((a) => a.startsWith(`trafficDistribution at Kubernetes ${v}:`))).toContain('UNVERIFIED: the exact list per release')
  })

  it('the node-hint gate: set where it does not exist or locked gates turned off are warned about and not applied', async () => {
    const d = tree({
      'kp.yaml': 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nfeatureGates:\n  PreferSameTrafficDistribution: true\n  LoadBalancerIPMode: false\n',
      'svc.yaml': service('web', '  clusterIP: 10.96.0.20'),
    })
    const old = await planJson(d, ['@svc.yaml', '--cluster', '@kp.yaml', '--kubernetes-version', '1.32'])
    expect(messages(old, 'warning')).toEqual([
      'KubeProxyConfiguration: featureGates.LoadBalancerIPMode: cannot set feature gate LoadBalancerIPMode to false, feature is locked to true in 1.32; planned as true.',
      'KubeProxyConfiguration: featureGates.PreferSameTrafficDistribution: kube-proxy 1.32 has no feature gate PreferSameTrafficDistribution (unrecognized feature gate); planned without it.',
    ])
    const v131 = await planJson(d, ['@svc.yaml', '--cluster', '@kp.yaml', '--kubernetes-version', '1.31'])
    expect(messages(v131, 'warning')).toEqual([
      'KubeProxyConfiguration: featureGates.PreferSameTrafficDistribution: kube-proxy 1.31 has no feature gate PreferSameTrafficDistribution (unrecognized feature gate); planned without it.',
    ])
  })

  it('duplicate endpoint addresses: 1.34+ keep the non-terminating copy, 1.31–1.33 the first (unless a later one is local)', async () => {
    const slice = (name: string, terminating: boolean) =>
      `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: ${name}\n  namespace: default\n  labels: {kubernetes.io/service-name: dup}\naddressType: IPv4\nports: [{name: "", port: 8080, protocol: TCP}]\nendpoints:\n- addresses: [10.244.9.9]\n  conditions: {ready: ${!terminating}, serving: true, terminating: ${terminating}}\n`
    const d = tree({
      'svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: dup\n  namespace: default\nspec:\n  clusterIP: 10.96.0.30\n  ports:\n  - port: 80\n`,
      'slices.yaml': docs(slice('dup-a', true), slice('dup-b', false)),
    })
    for (const v of KUBERNETES_VERSIONS) {
      const p = await planJson(d, ['@svc.yaml', '--cluster', '@slices.yaml', '--kubernetes-version', v])
      const newer = v === '1.34' || v === '1.35'
      expect(p.servicePorts[0]?.endpoints.map((e) => e.terminating)).toEqual([!newer])
      expect(messages(p, 'info')).toContain(
        `EndpointSlice default/dup-b: endpoint 10.244.9.9:8080 of dup is listed more than once with different conditions; kube-proxy ${v} uses the ${newer ? 'ready' : 'serving terminating'} copy.`,
      )
      expect(p.assumptions.find((a) => a.includes('listed twice'))).toContain(newer ? 'UNVERIFIED (1.34 assumed' : 'Newer releases (1.34 assumed, UNVERIFIED)')
    }
  })
})

describe('diff across versions: an upgrade preview', () => {
  it('plans the same manifests at 1.32 (base) and 1.34 (head): what the upgrade changes for Service networking', async () => {
    const d = tree({
      'app/svc.yaml': docs(service('web', '  clusterIP: 10.96.0.20'), service('near', '  clusterIP: 10.96.0.21\n  trafficDistribution: PreferSameNode')),
      'cluster/p.yaml': profile('serviceClusterIPRange: 10.96.0.0/16'),
    })
    const args = ['diff', '--base', join(d, 'app'), '--head', join(d, 'app'), '--cluster', join(d, 'cluster')]
    const same = await runCli([...args, '--kubernetes-version', '1.34'])
    expect(same.code).toBe(0)
    const up = await runCli([...args, '--base-kubernetes-version', '1.32', '--head-kubernetes-version', '1.34', '-o', 'json'])
    expect(up.code).toBe(2)
    const json = JSON.parse(up.stdout) as { services: { kind: string; name: string }[]; assumptions: string[] }
    // 1.32 refuses trafficDistribution: PreferSameNode; 1.34 accepts it, so the upgrade creates it.
    expect(json.services.map((s) => [s.kind, s.name])).toEqual([['create', 'near']])
    expect(json.assumptions).toContain('Upgrade preview: the base side is planned at Kubernetes 1.32, the head side at 1.34; changes include what the upgrade itself changes.')
    expect(json.assumptions).toContain('Kubernetes 1.34, as requested for this run.')
  })
})
