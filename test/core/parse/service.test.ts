import { describe, expect, it } from 'vitest'
import { lines, parseText, where } from './helpers.ts'

const full = lines(
  'apiVersion: v1',
  'kind: Service',
  'metadata:',
  '  name: web',
  '  namespace: shop',
  '  labels: {app: web}',
  'spec:',
  '  type: LoadBalancer',
  '  selector: {app: web}',
  '  clusterIP: 10.96.0.10',
  '  clusterIPs: [10.96.0.10, "fd00::10"]',
  '  ipFamilies: [IPv4, IPv6]',
  '  ipFamilyPolicy: PreferDualStack',
  '  externalIPs: [192.0.2.1]',
  '  loadBalancerSourceRanges: [203.0.113.0/24]',
  '  loadBalancerIP: 198.51.100.7',
  '  externalTrafficPolicy: Local',
  '  internalTrafficPolicy: Cluster',
  '  healthCheckNodePort: 30999',
  '  sessionAffinity: ClientIP',
  '  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}',
  '  publishNotReadyAddresses: true',
  '  allocateLoadBalancerNodePorts: false',
  '  trafficDistribution: PreferClose',
  '  ports:',
  '  - {name: http, port: 80, targetPort: http, nodePort: 30080, appProtocol: http}',
  '  - {name: dns, port: 53, protocol: UDP, targetPort: 5353}',
  '  - {port: 8080, targetPort: 0}',
  'status:',
  '  loadBalancer:',
  '    ingress: [{ip: 198.51.100.7, ipMode: Proxy}, {hostname: lb.example.com}]',
)

describe('Service', () => {
  it('reads every field kube-proxy and the apiserver emulation need', () => {
    const r = parseText(full)
    expect(r.issues).toEqual([])
    const s = r.value.services[0]!
    expect(s.kind).toBe('Service')
    expect(s.ref).toEqual({ kind: 'Service', namespace: 'shop', name: 'web' })
    expect(s.origin).toBe('proposed')
    expect(s.metadata.labels).toEqual({ app: 'web' })
    expect(s.spec).toEqual({
      type: 'LoadBalancer',
      selector: { app: 'web' },
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10', 'fd00::10'],
      ipFamilies: ['IPv4', 'IPv6'],
      ipFamilyPolicy: 'PreferDualStack',
      externalIPs: ['192.0.2.1'],
      loadBalancerSourceRanges: ['203.0.113.0/24'],
      loadBalancerIP: '198.51.100.7',
      externalTrafficPolicy: 'Local',
      internalTrafficPolicy: 'Cluster',
      healthCheckNodePort: 30999,
      sessionAffinity: 'ClientIP',
      sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } },
      publishNotReadyAddresses: true,
      allocateLoadBalancerNodePorts: false,
      trafficDistribution: 'PreferClose',
      ports: [
        { name: 'http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080, appProtocol: 'http' },
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 5353 },
        { name: '', protocol: 'TCP', port: 8080 },
      ],
    })
    expect(s.status).toEqual({
      loadBalancer: { ingress: [{ ip: '198.51.100.7', ipMode: 'Proxy' }, { hostname: 'lb.example.com' }] },
    })
    expect(s.raw['kind']).toBe('Service')
  })

  it('defaults what is absent: type "", no ports, namespace default, protocol TCP', () => {
    const s = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: bare}', 'spec: {ports: [{port: 1, protocol: null}]}'))
      .value.services[0]!
    expect(s.ref.namespace).toBe('default')
    expect(s.spec).toEqual({ type: '', ports: [{ name: '', protocol: 'TCP', port: 1 }] })
    expect(s.status).toEqual({})
  })

  it('keeps IP strings as written (validation is the apiserver stage’s job)', () => {
    const s = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: x}', 'spec: {clusterIP: "not-an-ip", externalIPs: ["010.1.1.1"]}'))
      .value.services[0]!
    expect(s.spec.clusterIP).toBe('not-an-ip')
    expect(s.spec.externalIPs).toEqual(['010.1.1.1'])
  })

  it('rejects wrong types and values with kubectl wording at the field line (existing objects)', () => {
    const text = lines(
      'apiVersion: v1', // 1
      'kind: Service', // 2
      'metadata: {name: web}', // 3
      'spec:', // 4
      '  type: Foo', // 5
      '  ports:', // 6
      '  - port: abc', // 7
      '  - port: 0', // 8
      '  - port: 80', // 9
      '    nodePort: 70000', // 10
      '    protocol: ICMP', // 11
      '  - {port: 81, targetPort: 65536}', // 12
      '  - {name: x}', // 13
      '  externalIPs: 1.2.3.4', // 14
      '  publishNotReadyAddresses: "true"', // 15
    )
    const r = parseText(text, 'm.yaml', { origin: 'existing' })
    expect(r.value.services).toEqual([])
    // ports are read first, then the other spec fields in declaration order
    expect(where(r.issues)).toEqual([
      'manifest/invalid-field@7',
      'manifest/invalid-field@8',
      'manifest/invalid-field@10',
      'manifest/unsupported-value@11',
      'manifest/invalid-field@12',
      'manifest/missing-field@13',
      'manifest/unsupported-value@5',
      'manifest/invalid-field@14',
      'manifest/invalid-field@15',
    ])
    const msgs = r.issues.map((i) => i.message)
    expect(msgs).toContain('Service "web" in namespace "default": spec.ports[0].port: Invalid value: "abc": must be an integer')
    expect(msgs).toContain('Service "web" in namespace "default": spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive')
    expect(msgs).toContain(
      'Service "web" in namespace "default": spec.ports[2].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"',
    )
    // A missing port of an existing Service is only a warning: kube-proxy programs port 0.
    expect(msgs).toContain('Service "web" in namespace "default": spec.ports[4].port: Required value; kube-proxy programs it as port 0')
    expect(r.issues.find((i) => i.path === 'spec.ports[4].port')?.severity).toBe('warning')
    expect(msgs).toContain(
      'Service "web" in namespace "default": spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"',
    )
    for (const i of r.issues) {
      expect(i.severity).toBe(i.path === 'spec.ports[4].port' ? 'warning' : 'error')
      expect(i.ref).toEqual({ kind: 'Service', namespace: 'default', name: 'web' })
      expect(i.path).toMatch(/^spec\./)
    }
  })

  it('accepts nodePort 0 as unset and a numeric-looking string targetPort as a name', () => {
    const s = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: a}', 'spec: {ports: [{port: 80, nodePort: 0, targetPort: "8080"}]}'))
      .value.services[0]!
    expect(s.spec.ports[0]).toEqual({ name: '', protocol: 'TCP', port: 80, nodePort: 0, targetPort: '8080' })
  })

  it('requires metadata.name', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {namespace: x}'))
    expect(r.value.services).toEqual([])
    expect(r.issues[0]).toMatchObject({ code: 'manifest/missing-field', path: 'metadata.name', source: { line: 3 } })
  })

  it('skips only the bad Service and keeps the others of the file', () => {
    const good = lines('apiVersion: v1', 'kind: Service', 'metadata: {name: good}')
    const bad = lines('apiVersion: v1', 'kind: Service', 'metadata: {name: bad}', 'spec: {ports: [{port: "80"}]}')
    const r = parseText([bad, good].join('---\n'))
    expect(r.value.services.map((s) => s.ref.name)).toEqual(['good'])
    expect(r.issues.map((i) => i.ref?.name)).toEqual(['bad'])
  })

  it('keeps unsupported enum values of proposed Services for the apiserver emulation to reject', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec:',
      '  type: Foo',
      '  sessionAffinity: Sticky',
      '  ipFamilies: [IPv5]',
      '  ports:',
      '  - {port: 80, protocol: tcp}',
    )
    const r = parseText(text)
    expect(r.issues).toEqual([])
    const spec = r.value.services[0]?.spec
    expect(spec?.type).toBe('Foo')
    expect(spec?.sessionAffinity).toBe('Sticky')
    expect(spec?.ipFamilies).toEqual(['IPv5'])
    expect(spec?.ports[0]?.protocol).toBe('tcp')
  })

  it('keeps out-of-range int32 port numbers and a missing port of proposed Services for ValidateService', () => {
    const text = lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: web}',
      'spec:',
      '  healthCheckNodePort: 70000',
      '  ports:',
      '  - {port: 70000, targetPort: -1, nodePort: 99999}',
      '  - {name: x}',
    )
    const r = parseText(text)
    expect(r.issues).toEqual([])
    expect(r.value.services[0]?.spec.ports).toEqual([
      { name: '', protocol: 'TCP', port: 70000, targetPort: -1, nodePort: 99999 },
      { name: 'x', protocol: 'TCP', port: 0 },
    ])
    expect(r.value.services[0]?.spec.healthCheckNodePort).toBe(70000)
    // Beyond int32 the apiserver's decoder fails before validation: still a parse error.
    const big = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {ports: [{port: 2147483648}]}'))
    expect(big.value.services).toEqual([])
    expect(where(big.issues)).toEqual(['manifest/invalid-field@4'])
  })
})
