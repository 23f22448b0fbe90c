/**
 * Each row of the create-time validation table (spec apiserver.md §5.2) with its literal kubectl
 * message, run through the whole stage (defaulting → allocation → validation).
 */
import type { KubernetesVersion } from '../../../src/core/model/version.ts'
import { describe, expect, it } from 'vitest'
import { errors, run, svc } from './helpers.ts'

type Rec = Record<string, unknown>
const P80 = [{ port: 80 }]
const make = (spec: Rec, name = 'web', meta: Rec = {}): ReturnType<typeof svc> => svc({ metadata: { name, ...meta }, spec })
const refuse = (spec: Rec, opts: { name?: string; meta?: Rec; dual?: boolean; kubernetesVersion?: KubernetesVersion } = {}): string[] =>
  errors(
    run(
      { services: [make(spec, opts.name, opts.meta)] },
      {
        profile: {
          ...(opts.dual ? { serviceClusterIPRange: '10.96.0.0/16,fd00:10:96::/112' } : {}),
          ...(opts.kubernetesVersion ? { kubernetesVersion: opts.kubernetesVersion } : {}),
        },
      },
    ),
  )
const inv = (name: string, rest: string): string => `The Service "${name}" is invalid: ${rest}`

const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const DNS1123 =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const ONLY_LB = "Forbidden: may only be used when `type` is 'LoadBalancer'"

describe('create validation table (spec §5.2)', () => {
  it('1: metadata.name must be a DNS-1035 label of at most 63 characters', () => {
    expect(refuse({ ports: P80 }, { name: '1web' })).toEqual([inv('1web', `metadata.name: Invalid value: "1web": ${DNS1035}`)])
    const long = 'a'.repeat(64)
    expect(refuse({ ports: P80 }, { name: long })).toEqual([inv(long, `metadata.name: Invalid value: "${long}": must be no more than 63 characters`)])
  })
  it('2: ports are required unless headless or ExternalName', () => {
    expect(refuse({})).toEqual([inv('web', 'spec.ports: Required value')])
    expect(refuse({ clusterIP: 'None' })).toEqual([])
    expect(refuse({ type: 'ExternalName', externalName: 'db.example.com' })).toEqual([])
  })
  it("3-4: 'None' is refused for LoadBalancer and NodePort", () => {
    expect(refuse({ type: 'LoadBalancer', clusterIP: 'None', ports: P80 })).toEqual([
      inv('web', `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for LoadBalancer services`),
    ])
    expect(refuse({ type: 'NodePort', clusterIP: 'None', ports: P80 })).toEqual([
      inv('web', `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`),
    ])
  })
  it('5-8: ExternalName rules', () => {
    expect(refuse({ type: 'ExternalName', externalName: 'a.example.com', clusterIP: '10.96.0.5' })).toEqual([
      inv('web', 'spec.clusterIPs: Forbidden: may not be set for ExternalName services'),
    ])
    expect(refuse({ type: 'ExternalName', externalName: 'a.example.com', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' })).toEqual([
      inv('web', 'spec.ipFamilies: Forbidden: may not be set for ExternalName services'),
      inv('web', 'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services'),
    ])
    expect(refuse({ type: 'ExternalName' })).toEqual([inv('web', 'spec.externalName: Required value')])
    expect(refuse({ type: 'ExternalName', externalName: 'Bad_Name.' })).toEqual([
      inv('web', `spec.externalName: Invalid value: "Bad_Name": ${SUBDOMAIN}`),
    ])
    expect(refuse({ type: 'ExternalName', externalName: 'db.example.com.' })).toEqual([])
  })
  it('9-11: port names', () => {
    expect(refuse({ ports: [{ name: 'a', port: 80 }, { port: 81 }] })).toEqual([inv('web', 'spec.ports[1].name: Required value')])
    expect(refuse({ ports: [{ name: 'HTTP', port: 80 }] })).toEqual([inv('web', `spec.ports[0].name: Invalid value: "HTTP": ${DNS1123}`)])
    expect(refuse({ ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] })).toEqual([
      inv('web', 'spec.ports[1].name: Duplicate value: "http"'),
    ])
  })
  it('12 and 14: port and targetPort numbers (a bad port also fails the defaulted targetPort)', () => {
    expect(refuse({ ports: [{ port: 70000 }] })).toEqual([
      inv('web', 'spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive'),
      inv('web', 'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive'),
    ])
    expect(refuse({ ports: [{ port: 80, targetPort: 65536 }] })).toEqual([
      inv('web', 'spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive'),
    ])
  })
  it('13: protocol', () => {
    expect(refuse({ ports: [{ port: 80, protocol: 'HTTP' }] })).toEqual([
      inv('web', 'spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'),
    ])
  })
  it('15: named targetPort must be an IANA_SVC_NAME, one message per broken rule', () => {
    const tp = (v: string): string[] => refuse({ ports: [{ port: 80, targetPort: v }] })
    expect(tp('8080')).toEqual([inv('web', 'spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z)')])
    expect(tp('a--b')).toEqual([inv('web', 'spec.ports[0].targetPort: Invalid value: "a--b": must not contain consecutive hyphens')])
    expect(tp('-ab')).toEqual([inv('web', 'spec.ports[0].targetPort: Invalid value: "-ab": must not begin or end with a hyphen')])
    expect(tp('averyveryverylongname')).toEqual([
      inv('web', 'spec.ports[0].targetPort: Invalid value: "averyveryverylongname": must be no more than 15 characters'),
    ])
    expect(tp('Http')).toEqual([
      inv('web', 'spec.ports[0].targetPort: Invalid value: "Http": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'),
    ])
  })
  it('16: appProtocol must be a qualified name', () => {
    expect(refuse({ ports: [{ port: 80, appProtocol: 'a/b/c' }] })).toEqual([
      inv(
        'web',
        `spec.ports[0].appProtocol: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ),
    ])
    expect(refuse({ ports: [{ port: 80, appProtocol: 'kubernetes.io/h2c' }] })).toEqual([])
  })
  it('17: selector values must be label values', () => {
    expect(refuse({ ports: P80, selector: { app: 'no spaces' } })).toEqual([
      inv(
        'web',
        `spec.selector: Invalid value: "no spaces": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ),
    ])
  })
  it('18-19: session affinity', () => {
    expect(refuse({ ports: P80, sessionAffinity: 'Sticky' })).toEqual([
      inv('web', 'spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'),
    ])
    const t = (s: number): string[] => refuse({ ports: P80, sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: s } } })
    expect(t(0)).toEqual([inv('web', 'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400')])
    expect(t(86401)).toHaveLength(1)
    expect(t(86400)).toEqual([])
    // With affinity None the config is dropped by v1 defaulting, never an error.
    expect(refuse({ ports: P80, sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } })).toEqual([])
  })
  it('21-22: clusterIP and clusterIPs must agree (reported before allocation)', () => {
    expect(refuse({ ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.6'] })).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: first value must match `clusterIP`'),
    ])
    expect(refuse({ ports: P80, clusterIPs: ['10.96.0.6'] })).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"10.96.0.6"}: must be empty when `clusterIP` is not specified'),
    ])
  })
  it('23-25: ipFamilies and ipFamilyPolicy values', () => {
    expect(refuse({ ports: P80, ipFamilies: ['IPv5'] })).toEqual([
      inv('web', 'spec.ipFamilies[0]: Unsupported value: "IPv5": supported values: "IPv4", "IPv6"'),
    ])
    expect(refuse({ ports: P80, ipFamilies: ['IPv4', 'IPv4'], ipFamilyPolicy: 'PreferDualStack' })).toEqual([
      inv('web', 'spec.ipFamilies[1]: Duplicate value: "IPv4"'),
    ])
    expect(refuse({ ports: P80, ipFamilyPolicy: 'DualStack' })).toEqual([
      inv('web', 'spec.ipFamilyPolicy: Unsupported value: "DualStack": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"'),
    ])
  })
  it('26-30: clusterIPs shape', () => {
    expect(refuse({ ports: P80, clusterIP: 'None', clusterIPs: ['None', '10.96.0.5'] })).toEqual([
      inv('web', `spec.clusterIPs: Invalid value: []string{"None", "10.96.0.5"}: 'None' must be the first and only value`),
    ])
    expect(refuse({ ports: P80, clusterIP: '10.96.0.999' })).toEqual([
      inv('web', 'spec.clusterIPs[0]: Invalid value: "10.96.0.999": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
    ])
    const three = ['10.96.0.5', 'fd00:10:96::5', '10.96.0.6']
    expect(refuse({ ports: P80, clusterIP: three[0], clusterIPs: three, ipFamilyPolicy: 'RequireDualStack' }, { dual: true })).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "fd00:10:96::5", "10.96.0.6"}: may only hold up to 2 values'),
    ])
    expect(refuse({ ports: P80, clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', '10.96.0.6'], ipFamilyPolicy: 'RequireDualStack' }, { dual: true })).toEqual([
      inv('web', 'spec.clusterIPs: Invalid value: []string{"10.96.0.5", "10.96.0.6"}: may specify no more than one IP for each IP family'),
    ])
    expect(refuse({ ports: P80, clusterIP: 'fd00:10:96::5', ipFamilies: ['IPv4'] }, { dual: true })).toEqual([
      inv('web', 'spec.clusterIPs[0]: Invalid value: "fd00:10:96::5": expected an IPv4 value as indicated by `ipFamilies[0]`'),
    ])
  })
  it('31-32: externalIPs must be valid, non-special IPs', () => {
    const e = (ip: string): string[] => refuse({ ports: P80, externalIPs: [ip] })
    expect(e('foo')).toEqual([inv('web', 'spec.externalIPs[0]: Invalid value: "foo": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)')])
    expect(e('0.0.0.0')).toEqual([inv('web', 'spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)')])
    expect(e('127.0.0.1')).toEqual([inv('web', 'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)')])
    expect(e('169.254.1.1')).toEqual([inv('web', 'spec.externalIPs[0]: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)')])
    expect(e('224.0.0.5')).toEqual([
      inv('web', 'spec.externalIPs[0]: Invalid value: "224.0.0.5": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'),
    ])
    expect(e('fe80::1')).toHaveLength(1)
    expect(e('ff02::1')).toHaveLength(1)
    expect(e('203.0.113.7')).toEqual([])
  })
  it('33: type', () => {
    expect(refuse({ ports: P80, type: 'Internal' })).toEqual([
      inv('web', 'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'),
    ])
  })
  it('34-36: nodePort on ClusterIP, duplicate nodePorts and ports', () => {
    expect(refuse({ ports: [{ port: 80, nodePort: 30080 }] })).toEqual([
      inv('web', "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
    ])
    expect(refuse({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30080 }, { name: 'b', port: 80, nodePort: 30080 }] })).toEqual([
      inv('web', 'spec.ports[1].nodePort: Duplicate value: 30080'),
      inv(
        'web',
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ),
    ])
  })
  it('37-39: load balancer source ranges (field with its capital L, and the annotation)', () => {
    expect(refuse({ ports: P80, loadBalancerSourceRanges: ['10.0.0.0/8'] })).toEqual([inv('web', `spec.LoadBalancerSourceRanges: ${ONLY_LB}`)])
    expect(refuse({ type: 'LoadBalancer', ports: P80, loadBalancerSourceRanges: [' 10.0.0.0/33 '] })).toEqual([
      inv('web', 'spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'),
    ])
    expect(refuse({ ports: P80 }, { meta: { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '10.0.0.0/8' } } })).toEqual([
      inv('web', `metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: ${ONLY_LB}`),
    ])
  })
  it('40-41: LoadBalancer-only fields', () => {
    expect(refuse({ ports: P80, allocateLoadBalancerNodePorts: false })).toEqual([inv('web', `spec.allocateLoadBalancerNodePorts: ${ONLY_LB}`)])
    expect(refuse({ ports: P80, loadBalancerClass: 'example.com/lb' })).toEqual([inv('web', `spec.loadBalancerClass: ${ONLY_LB}`)])
  })
  it('42-45: traffic policies and healthCheckNodePort', () => {
    expect(refuse({ ports: P80, externalTrafficPolicy: 'Local' })).toEqual([
      inv('web', 'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'),
    ])
    expect(refuse({ ports: P80, externalTrafficPolicy: 'Local', externalIPs: ['203.0.113.7'] })).toEqual([])
    expect(refuse({ type: 'NodePort', ports: P80, externalTrafficPolicy: 'Global' })).toEqual([
      inv('web', 'spec.externalTrafficPolicy: Unsupported value: "Global": supported values: "Cluster", "Local"'),
    ])
    expect(refuse({ type: 'NodePort', ports: P80, healthCheckNodePort: 30100 })).toEqual([
      inv('web', "spec.healthCheckNodePort: Invalid value: 30100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"),
    ])
    expect(refuse({ ports: P80, internalTrafficPolicy: 'Node' })).toEqual([
      inv('web', 'spec.internalTrafficPolicy: Unsupported value: "Node": supported values: "Cluster", "Local"'),
    ])
  })
  it('46: trafficDistribution (1.31-1.33 default gates accept only PreferClose; 1.34+ also PreferSameNode/PreferSameZone)', () => {
    for (const kubernetesVersion of ['1.31', '1.32', '1.33'] as const) {
      expect(refuse({ ports: P80, trafficDistribution: 'PreferSameNode' }, { kubernetesVersion })).toEqual([
        inv('web', 'spec.trafficDistribution: Unsupported value: "PreferSameNode": supported values: "PreferClose"'),
      ])
    }
    expect(refuse({ ports: P80, trafficDistribution: 'PreferClose' })).toEqual([])
    expect(refuse({ ports: P80, trafficDistribution: 'PreferSameNode' })).toEqual([])
    expect(refuse({ ports: P80, trafficDistribution: 'Nearby' }, { kubernetesVersion: '1.34' })).toEqual([
      inv('web', 'spec.trafficDistribution: Unsupported value: "Nearby": supported values: "PreferClose", "PreferSameNode", "PreferSameZone"'),
    ])
  })
  it('collects every field error of a Service, and refused Services are left out', () => {
    const r = run({ services: [make({ ports: [{ name: 'A', port: 80 }, { port: 0 }] }), make({ ports: P80 }, 'ok')] })
    expect(errors(r).length).toBeGreaterThanOrEqual(3)
    expect(r.value.services.map((s) => s.metadata.name)).toEqual(['ok'])
    for (const i of r.issues.filter((x) => x.severity === 'error')) {
      expect(i.ref?.name).toBe('web')
      expect(i.path).toMatch(/^spec\.ports\[[01]\]/)
      expect(i.code).toMatch(/^service\//)
    }
  })
})
