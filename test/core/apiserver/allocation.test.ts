/** ClusterIP / NodePort allocation: requested values, previews, exhaustion, dual-stack, stability. */
import { describe, expect, it } from 'vitest'
import type { ServiceAllocation } from '../../../src/core/apiserver/index.ts'
import { errors, run, svc } from './helpers.ts'

type Rec = Record<string, unknown>
const P80 = [{ port: 80 }]
const make = (name: string, spec: Rec, origin: 'proposed' | 'existing' = 'proposed', ns = 'default'): ReturnType<typeof svc> =>
  svc({ metadata: { name, namespace: ns }, spec }, origin)
const alloc = (r: ReturnType<typeof run>, name: string): ServiceAllocation => {
  const a = r.value.allocations.find((x) => x.name === name)
  if (a === undefined) throw new Error(`no allocation for ${name}`)
  return a
}
const inv = (name: string, rest: string): string => `The Service "${name}" is invalid: ${rest}`
const DUAL = { profile: { serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112' } }
const V6 = { profile: { serviceClusterIPRange: 'fd00:10:96::/112' } }

describe('requested ClusterIPs', () => {
  it('are taken as requested and reported with origin requested', () => {
    const r = run({ services: [make('web', { clusterIP: '10.96.0.20', ports: P80 })] })
    expect(errors(r)).toEqual([])
    expect(alloc(r, 'web')).toMatchObject({ clusterIPs: ['10.96.0.20'], clusterIPOrigin: 'requested', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
    expect(r.value.services[0]?.spec.clusterIP).toBe('10.96.0.20')
  })
  it('collide with existing Services and with default/kubernetes', () => {
    const existing = make('old', { clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.20'], ports: P80 }, 'existing', 'other')
    const r = run({ services: [existing, make('web', { clusterIP: '10.96.0.20', ports: P80 }), make('k', { clusterIP: '10.96.0.1', ports: P80 })] })
    expect(errors(r)).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"10.96.0.20"}: failed to allocate IP 10.96.0.20: provided IP is already allocated'),
      inv('k', 'spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated'),
    ])
    expect(r.issues.find((i) => i.ref?.name === 'web')?.code).toBe('alloc/cluster-ip-taken')
    // The existing Service is planned as given; the refused ones are left out.
    expect(r.value.services.map((s) => s.metadata.name)).toEqual(['old'])
  })
  it('a given default/kubernetes replaces the implicit reservation', () => {
    const kube = make('kubernetes', { clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'], ports: [{ name: 'https', port: 443 }] }, 'existing')
    const r = run({ services: [kube, make('web', { clusterIP: '10.96.0.1', ports: P80 })] })
    expect(errors(r)).toEqual([])
    expect(r.value.assumptions.join('\n')).not.toContain('default/kubernetes holds')
  })
  it('states the modelled allocator of the version when Services are planned, and the slice packing when slices are computed (spec §0)', () => {
    const existingOnly = run({ services: [make('old', { clusterIP: '10.96.0.20', ports: P80 }, 'existing')] })
    expect(existingOnly.value.assumptions.join('\n')).not.toContain('kube-apiserver 1.35')
    const planned = run({ services: [make('web', { ports: P80 })] })
    expect(planned.value.assumptions.join('\n')).toContain('kube-apiserver 1.35 allocates ClusterIPs as IPAddress objects from the ServiceCIDRs only')
    const old = run({ services: [make('web', { ports: P80 })] }, { profile: { kubernetesVersion: '1.32' } })
    expect(old.value.assumptions.join('\n')).toContain('kube-apiserver 1.32 allocates ClusterIPs with the legacy bitmap')
    expect(planned.value.assumptions.join('\n')).not.toContain('--max-endpoints-per-slice')
    const selected = run({ services: [make('web', { selector: { app: 'web' }, ports: P80 })] })
    expect(selected.value.assumptions.join('\n')).toContain('--max-endpoints-per-slice=100')
  })
  it('must be inside the range, and not its network or broadcast address (1.32: bitmap wording)', () => {
    const p = { profile: { serviceClusterIPRange: '10.0.0.0/24', kubernetesVersion: '1.32' as const } }
    const msg = (ip: string, shown = ip): string =>
      inv('web', `spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: the provided IP (${shown}) is not in the valid range. The range of valid IPs is 10.0.0.0/24`)
    for (const ip of ['10.1.0.5', '10.0.0.0', '10.0.0.255']) {
      const r = run({ services: [make('web', { clusterIP: ip, ports: P80 })] }, p)
      expect(errors(r)).toEqual([msg(ip)])
      expect(r.issues[0]?.code).toBe('alloc/cluster-ip-out-of-range')
    }
    expect(errors(run({ services: [make('web', { clusterIP: '10.0.0.254', ports: P80 })] }, p))).toEqual([])
  })
  it('must be a host of a ready ServiceCIDR (1.33+: "the provided network does not match the current range")', () => {
    for (const kubernetesVersion of ['1.33', '1.34', '1.35'] as const) {
      const p = { profile: { serviceClusterIPRange: '10.0.0.0/24', kubernetesVersion } }
      for (const ip of ['10.1.0.5', '10.0.0.0', '10.0.0.255']) {
        const r = run({ services: [make('web', { clusterIP: ip, ports: P80 })] }, p)
        expect(errors(r)).toEqual([inv('web', `spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: the provided network does not match the current range`)])
        expect(r.issues[0]?.code).toBe('alloc/cluster-ip-out-of-range')
      }
      expect(errors(run({ services: [make('web', { clusterIP: '10.0.0.254', ports: P80 })] }, p))).toEqual([])
    }
  })
  it('notes a requested IP in the dynamic band (it may race with dynamic allocation)', () => {
    const r = run({ services: [make('a', { clusterIP: '10.96.5.5', ports: P80 }), make('b', { clusterIP: '10.96.0.10', ports: P80 })] })
    const notes = r.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band')
    expect(notes.map((i) => i.ref?.name)).toEqual(['a'])
    expect(notes[0]?.severity).toBe('info')
  })
  it('IPv6 ranges: the legacy allocator stops 65535 hosts after the network address (1.32)', () => {
    const p = { profile: { serviceClusterIPRange: 'fd00:1::/108', kubernetesVersion: '1.32' as const } }
    expect(errors(run({ services: [make('web', { clusterIP: 'fd00:1::ffff', ports: P80 })] }, p))).toEqual([])
    expect(errors(run({ services: [make('web', { clusterIP: 'fd00:1::1:0', ports: P80 })] }, p))).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"fd00:1::1:0"}: failed to allocate IP fd00:1::1:0: the provided IP (fd00:1::1:0) is not in the valid range. The range of valid IPs is fd00:1::/108'),
    ])
  })
  it('IPv6 ranges: 1.33 still refuses beyond the bitmap window (dual write), 1.34+ uses every host up to the all-ones address', () => {
    const at = (kubernetesVersion: '1.33' | '1.34', ip: string) =>
      errors(run({ services: [make('web', { clusterIP: ip, ports: P80 })] }, { profile: { serviceClusterIPRange: 'fd00:1::/108', kubernetesVersion } }))
    expect(at('1.33', 'fd00:1::1:0')).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"fd00:1::1:0"}: failed to allocate IP fd00:1::1:0: the provided IP (fd00:1::1:0) is not in the valid range. The range of valid IPs is fd00:1::/108'),
    ])
    expect(at('1.34', 'fd00:1::1:0')).toEqual([])
    expect(at('1.34', 'fd00:1::f:ffff')).toEqual([])
  })
})

describe('preview ClusterIPs', () => {
  it('come from the dynamic band, are labelled preview and listed as assumptions', () => {
    const r = run({ services: [make('web', { ports: P80 })] })
    const a = alloc(r, 'web')
    expect(a.clusterIPOrigin).toBe('preview')
    const [ip] = a.clusterIPs
    const n = ip?.split('.').map(Number) ?? []
    // 10.96.0.0/12 dynamic band: 10.96.1.1 .. 10.111.255.254
    expect(n[0]).toBe(10)
    expect((n[1] ?? 0) * 256 + (n[2] ?? 0)).toBeGreaterThanOrEqual(96 * 256 + 1)
    expect(n[1]).toBeLessThanOrEqual(111)
    expect(r.value.assumptions.some((s) => s.startsWith('default/web: ClusterIP') && s.includes('preview'))).toBe(true)
  })
  it('are stable across runs, input order and added Services', () => {
    const base = run({ services: [make('web', { ports: P80 }), make('api', { type: 'NodePort', ports: P80 })] })
    const again = run({ services: [make('api', { type: 'NodePort', ports: P80 }), make('web', { ports: P80 })] })
    const more = run({
      services: [make('zz', { ports: P80 }), make('api', { type: 'NodePort', ports: P80 }), make('web', { ports: P80 }), make('aa', { type: 'NodePort', ports: P80 })],
    })
    for (const other of [again, more]) {
      expect(alloc(other, 'web')).toEqual(alloc(base, 'web'))
      expect(alloc(other, 'api')).toEqual(alloc(base, 'api'))
    }
  })
  it('are the same pick for the flag range whichever allocator generation serves it (bitmap or IPAddress objects)', () => {
    const at = (kubernetesVersion: '1.31' | '1.32' | '1.33' | '1.34' | '1.35', range = '10.96.0.0/12') =>
      alloc(run({ services: [make('web', { ports: P80 }), make('api', { ports: P80 })] }, { profile: { kubernetesVersion, serviceClusterIPRange: range } }), 'web').clusterIPs
    for (const range of ['10.96.0.0/12', 'fd00:10:96::/112']) {
      const ips = (['1.31', '1.32', '1.33', '1.34', '1.35'] as const).map((v) => at(v, range))
      expect(new Set(ips.map((x) => x.join()))).toHaveLength(1)
    }
  })
  it('1.34+: a /64 IPv6 range allocates from its upper band without enumerating it', () => {
    const r = run({ services: [make('web', { ports: P80 })] }, { profile: { kubernetesVersion: '1.35', serviceClusterIPRange: 'fd00:1:2:3::/64' } })
    expect(errors(r)).toEqual([])
    const [ip] = alloc(r, 'web').clusterIPs
    expect(ip?.startsWith('fd00:1:2:3:')).toBe(true)
    expect(r.value.ranges[0]).toMatchObject({ range: 'fd00:1:2:3::/64', serviceCIDR: 'kubernetes', used: 2, staticBand: { first: 'fd00:1:2:3::1', last: 'fd00:1:2:3::100', size: 256 } })
  })
  it('never make an explicit request fail: requested values are placed before previews', () => {
    const first = run({ services: [make('web', { ports: P80 })] })
    const ip = alloc(first, 'web').clusterIPs[0]
    const r = run({ services: [make('web', { ports: P80 }), make('pinned', { clusterIP: ip, ports: P80 })] })
    expect(errors(r)).toEqual([])
    expect(alloc(r, 'pinned').clusterIPs).toEqual([ip])
    expect(alloc(r, 'web').clusterIPs[0]).not.toBe(ip)
  })
  it('fall back to the static band when the dynamic band is full, then report range is full', () => {
    // /27: 30 usable, static band 16 (.1-.16), dynamic 14 (.17-.30); kubernetes holds .1.
    const p = { profile: { serviceClusterIPRange: '10.0.0.0/27' } }
    const services = Array.from({ length: 30 }, (_, i) => make(`s${String(i).padStart(2, '0')}`, { ports: P80 }))
    const r = run({ services }, p)
    const ips = r.value.allocations.map((a) => a.clusterIPs[0] ?? '')
    expect(new Set(ips).size).toBe(29)
    const last = (ip: string): number => Number(ip.split('.')[3])
    // The first 14 picks (sorted by name) fill the dynamic band.
    expect(services.slice(0, 14).map((s) => last(alloc(r, s.metadata.name).clusterIPs[0] ?? '')).every((x) => x >= 17)).toBe(true)
    expect(errors(r)).toEqual([
      'Error from server (InternalError): error when creating "test.yaml": Internal error occurred: failed to allocate a serviceIP: range is full',
    ])
    expect(r.issues.find((i) => i.severity === 'error')?.code).toBe('alloc/range-exhausted')
    expect(r.value.ranges[0]).toMatchObject({ range: '10.0.0.0/27', size: 30, used: 30, free: 0 })
  })
  it('a /28 has no static band: previews use the whole range', () => {
    const r = run({ services: [make('web', { ports: P80 })] }, { profile: { serviceClusterIPRange: '10.0.0.0/28' } })
    expect(r.value.ranges[0]).toMatchObject({ size: 14, staticBand: { size: 0 }, used: 2, free: 12 })
  })
})

describe('NodePorts', () => {
  it('requested values are checked for range and collisions with the apiserver text', () => {
    const existing = make('old', { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30080 }] }, 'existing')
    const r = run({
      services: [existing, make('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), make('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })],
    })
    expect(errors(r)).toEqual([
      inv('a', 'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'),
      inv('b', 'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated'),
    ])
    expect(r.issues.map((i) => i.code)).toEqual(['alloc/node-port-out-of-range', 'alloc/node-port-taken'])
  })
  it('allocation errors come before field validation', () => {
    const existing = make('old', { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30080 }] }, 'existing')
    const r = run({ services: [existing, make('b', { type: 'NodePort', ports: [{ name: 'BAD', port: 80, nodePort: 30080 }] })] })
    expect(errors(r)).toEqual([inv('b', 'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated')])
  })
  it('TCP and UDP entries of the same port share one NodePort; different ports cannot', () => {
    const dns = run({ services: [make('dns', { type: 'NodePort', ports: [{ name: 'u', port: 53, protocol: 'UDP' }, { name: 't', port: 53, protocol: 'TCP' }] })] })
    const ports = alloc(dns, 'dns').ports
    expect(ports[0]?.nodePort).toBeDefined()
    expect(ports[0]?.nodePort).toBe(ports[1]?.nodePort)
    expect(dns.value.ranges[1]?.used).toBe(1)
    const both = run({ services: [make('x', { type: 'NodePort', ports: [{ name: 'u', port: 53, protocol: 'UDP', nodePort: 30053 }, { name: 't', port: 53, protocol: 'TCP' }] })] })
    expect(alloc(both, 'x').ports.map((p) => p.nodePort)).toEqual([30053, 30053])
    const clash = run({
      services: [make('y', { type: 'NodePort', ports: [{ name: 'a', port: 93, nodePort: 30093 }, { name: 'b', port: 76, protocol: 'UDP', nodePort: 30093 }] })],
    })
    expect(errors(clash)).toEqual([inv('y', 'spec.ports[1].nodePort: Invalid value: 30093: provided port is already allocated')])
  })
  it('LoadBalancer with allocateLoadBalancerNodePorts: false only allocates explicit ones', () => {
    const r = run({
      services: [make('lb', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81, nodePort: 30081 }] })],
    })
    expect(alloc(r, 'lb').ports).toEqual([
      { name: 'a', protocol: 'TCP', port: 80 },
      { name: 'b', protocol: 'TCP', port: 81, nodePort: 30081, nodePortOrigin: 'requested' },
    ])
  })
  it('healthCheckNodePort for externalTrafficPolicy Local LoadBalancers, InternalError on collision', () => {
    const r = run({ services: [make('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: P80 })] })
    const a = alloc(r, 'lb')
    expect(a.healthCheckNodePortOrigin).toBe('preview')
    expect(a.healthCheckNodePort).not.toBe(a.ports[0]?.nodePort)
    const clash = run({ services: [make('lb', { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort: 30080, ports: [{ port: 80, nodePort: 30080 }] })] })
    expect(errors(clash)).toEqual([
      'Error from server (InternalError): error when creating "test.yaml": Internal error occurred: failed to allocate requested HealthCheck NodePort 30080: provided port is already allocated',
    ])
  })
  it('exhaustion of a small range', () => {
    const r = run({ services: ['a', 'b', 'c'].map((n) => make(n, { type: 'NodePort', ports: P80 })) }, { profile: { serviceNodePortRange: '30000-30001' } })
    expect(errors(r)).toEqual(['Error from server (InternalError): error when creating "test.yaml": Internal error occurred: failed to allocate a nodePort: range is full'])
    expect(r.value.ranges[1]).toMatchObject({ range: '30000-30001', size: 2, used: 2, free: 0 })
  })
})

describe('dual-stack defaulting (spec §3.8 decision table)', () => {
  const fam = (spec: Rec, opts: { profile?: { serviceClusterIPRange?: string } } = DUAL): Pick<ServiceAllocation, 'ipFamilies' | 'ipFamilyPolicy'> | string[] => {
    const r = run({ services: [make('web', spec)] }, opts)
    const e = errors(r)
    if (e.length > 0) return e
    const a = alloc(r, 'web')
    return { ipFamilies: a.ipFamilies, ipFamilyPolicy: a.ipFamilyPolicy }
  }
  it('nothing set → SingleStack, primary family', () => {
    expect(fam({ ports: P80 })).toEqual({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
    expect(fam({ ports: P80 }, V6)).toEqual({ ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' })
  })
  it('PreferDualStack on a single-stack cluster stays single; RequireDualStack is refused', () => {
    expect(fam({ ports: P80, ipFamilyPolicy: 'PreferDualStack' }, { profile: {} })).toEqual({ ipFamilies: ['IPv4'], ipFamilyPolicy: 'PreferDualStack' })
    expect(fam({ ports: P80, ipFamilyPolicy: 'RequireDualStack' }, { profile: {} })).toEqual([
      inv('web', 'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services'),
    ])
  })
  it('dual-stack cluster: both policies get both families and two ClusterIPs', () => {
    for (const policy of ['PreferDualStack', 'RequireDualStack']) {
      const r = run({ services: [make('web', { ports: P80, ipFamilyPolicy: policy })] }, DUAL)
      const a = alloc(r, 'web')
      expect(a.ipFamilies).toEqual(['IPv4', 'IPv6'])
      expect(a.clusterIPs[1]).toMatch(/^fd00:10:96::/)
    }
  })
  it('ipFamilies [IPv6] or an IPv6 clusterIP → SingleStack IPv6', () => {
    expect(fam({ ports: P80, ipFamilies: ['IPv6'] })).toEqual({ ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' })
    expect(fam({ ports: P80, clusterIP: 'fd00:10:96::20' })).toEqual({ ipFamilies: ['IPv6'], ipFamilyPolicy: 'SingleStack' })
  })
  it('two families with the policy unset is an error (unset means SingleStack)', () => {
    expect(fam({ ports: P80, ipFamilies: ['IPv4', 'IPv6'] })).toEqual([
      inv('web', `spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`),
    ])
  })
  it('family mismatch between clusterIPs and ipFamilies', () => {
    expect(fam({ ports: P80, clusterIP: '10.96.0.20', ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6'] })).toEqual([
      inv('web', 'spec.clusterIPs[0]: Invalid value: "10.96.0.20": expected an IPv6 value as indicated by `ipFamilies[0]`'),
    ])
  })
  it('unconfigured families are reported with the whole list', () => {
    expect(fam({ ports: P80, clusterIP: 'fd00::5' }, { profile: {} })).toEqual([
      inv('web', 'spec.clusterIPs[0]: Invalid value: []string{"fd00::5"}: IPv6 is not configured on this cluster'),
    ])
    expect(fam({ ports: P80, ipFamilies: ['IPv6'] }, { profile: {} })).toEqual([inv('web', 'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster')])
  })
  it('headless: selector-less gets RequireDualStack and both families even on a single-stack cluster', () => {
    expect(fam({ clusterIP: 'None' }, V6)).toEqual({ ipFamilies: ['IPv6', 'IPv4'], ipFamilyPolicy: 'RequireDualStack' })
    expect(fam({ clusterIP: 'None', selector: { app: 'x' }, ipFamilyPolicy: 'PreferDualStack' }, { profile: {} })).toEqual({
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'PreferDualStack',
    })
  })
})

describe('updates (a proposed Service that already exists)', () => {
  const old = make(
    'web',
    {
      type: 'NodePort',
      clusterIP: '10.96.0.50',
      clusterIPs: ['10.96.0.50'],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [{ name: 'http', port: 80, nodePort: 30080 }, { name: 'admin', port: 81, nodePort: 30081 }],
    },
    'existing',
  )
  it('re-applying without pinned values keeps ClusterIP and NodePorts (matched by port name)', () => {
    const r = run({ services: [old, make('web', { type: 'NodePort', ports: [{ name: 'admin', port: 81 }, { name: 'http', port: 80 }] })] })
    expect(errors(r)).toEqual([])
    const a = alloc(r, 'web')
    expect(a.operation).toBe('update')
    expect(a.clusterIPs).toEqual(['10.96.0.50'])
    expect(a.clusterIPOrigin).toBe('existing')
    expect(a.ports.map((p) => [p.name, p.nodePort, p.nodePortOrigin])).toEqual([
      ['admin', 30081, 'existing'],
      ['http', 30080, 'existing'],
    ])
    expect(r.value.services).toHaveLength(1)
  })
  it('changing the ClusterIP is refused, and the existing Service stays', () => {
    const r = run({ services: [old, make('web', { type: 'NodePort', clusterIP: '10.96.0.51', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 81 }] })] })
    expect(errors(r)).toEqual([inv('web', 'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.51"}: may not change once set')])
    expect(r.value.services[0]?.spec.clusterIP).toBe('10.96.0.50')
  })
  it('switching to ClusterIP releases the NodePorts for others', () => {
    const r = run({
      services: [old, make('web', { type: 'ClusterIP', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 81 }] }), make('b', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] })],
    })
    // Requests are processed in manifest order: web's update has not released 30080 yet when b asks.
    expect(errors(r)).toEqual([inv('b', 'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated')])
    expect(alloc(r, 'web').ports.every((p) => p.nodePort === undefined)).toBe(true)
  })
  it('downgrading dual-stack needs SingleStack', () => {
    const dual = make('d', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50', 'fd00:10:96::50'], ipFamilies: ['IPv4', 'IPv6'], ipFamilyPolicy: 'PreferDualStack', ports: P80 }, 'existing')
    const bad = run({ services: [dual, make('d', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ipFamilies: ['IPv4'], ports: P80 })] }, DUAL)
    expect(errors(bad)).toEqual([
      inv('d', `spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be 'SingleStack' to release the secondary cluster IP`),
      inv('d', `spec.ipFamilyPolicy: Invalid value: "PreferDualStack": must be 'SingleStack' to release the secondary IP family`),
    ])
    const ok = run({ services: [dual, make('d', { ipFamilyPolicy: 'SingleStack', ports: P80 })] }, DUAL)
    expect(errors(ok)).toEqual([])
    expect(alloc(ok, 'd')).toMatchObject({ clusterIPs: ['10.96.0.50'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })
  })
  it('upgrading to dual-stack allocates the secondary IP', () => {
    const single = make('s', { clusterIP: '10.96.0.60', clusterIPs: ['10.96.0.60'], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ports: P80 }, 'existing')
    const r = run({ services: [single, make('s', { ipFamilyPolicy: 'PreferDualStack', ports: P80 })] }, DUAL)
    expect(errors(r)).toEqual([])
    const a = alloc(r, 's')
    expect(a.clusterIPs[0]).toBe('10.96.0.60')
    expect(a.clusterIPOrigins).toEqual(['existing', 'preview'])
  })
})

describe('cluster ranges', () => {
  it('a range the apiserver refuses is reported and the default is planned (1.33: the bitmap limit)', () => {
    const r = run({ services: [make('web', { ports: P80 })] }, { profile: { serviceClusterIPRange: '10.0.0.0/8', kubernetesVersion: '1.33' } })
    expect(r.issues[0]).toMatchObject({
      code: 'alloc/invalid-service-cidr',
      severity: 'error',
      message: 'kube-apiserver refuses --service-cluster-ip-range=10.0.0.0/8: specified --service-cluster-ip-range is too large; for 32-bit addresses, the mask must be >= 12',
    })
    expect(r.value.ranges[0]?.range).toBe('10.96.0.0/12')
    expect(r.value.services).toHaveLength(1)
  })
  it('1.34+: no size limit for IPv4, IPv6 prefixes shorter than /64 refused', () => {
    const big = run({ services: [make('web', { ports: P80 })] }, { profile: { serviceClusterIPRange: '10.0.0.0/8', kubernetesVersion: '1.34' } })
    expect(big.issues).toEqual([])
    expect(big.value.ranges[0]).toMatchObject({ range: '10.0.0.0/8', serviceCIDR: 'kubernetes', size: 16777214, used: 2 })
    const wide = run({ services: [make('web', { ports: P80 })] }, { profile: { serviceClusterIPRange: 'fd00::/48', kubernetesVersion: '1.35' } })
    expect(wide.issues[0]).toMatchObject({
      code: 'alloc/invalid-service-cidr',
      message: 'kube-apiserver refuses --service-cluster-ip-range=fd00::/48: shortest allowed prefix length for service CIDR is 64, got 48',
    })
    const v64 = run({ services: [make('web', { ports: P80 })] }, { profile: { serviceClusterIPRange: 'fd00::/64', kubernetesVersion: '1.35' } })
    expect(v64.issues).toEqual([])
  })
})
