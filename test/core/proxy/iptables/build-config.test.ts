import { describe, expect, it } from 'vitest'
import { LARGE_CLUSTER_ENDPOINTS_THRESHOLD } from '../../../../src/core/proxy/iptables/build.ts'
import { render, slice, svc } from './render-helper.ts'

const SVC = 'KUBE-SVC-XPGD46QRK7WJZT7O'
const EXT = 'KUBE-EXT-XPGD46QRK7WJZT7O'
const basic =
  svc('ns1', 'svc1', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP, nodePort: 3001}', '  loadBalancer:\n    ingress:\n    - ip: 1.2.3.4') +
  slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: [10.180.0.1]\n  nodeName: test-node\nports:\n- {name: p80, port: 80, protocol: TCP}')

const masqRule = (r: ReturnType<typeof render>) => r.chain('nat', SVC)[0]
const podShortCircuit = (r: ReturnType<typeof render>) => r.chain('nat', EXT).find((l) => l.includes('pod traffic'))

describe('local traffic detectors', () => {
  it('ClusterCIDR: -s / ! -s with the network form of the CIDR', () => {
    const r = render(basic, { localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.244.0.5/16' } })
    expect(masqRule(r)).toBe(`-A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ`)
    expect(podShortCircuit(r)).toBe(`-A ${EXT} -m comment --comment "pod traffic for ns1/svc1:p80 external destinations" -s 10.244.0.0/16 -j ${SVC}`)
  })
  it('NodeCIDR: the node pod CIDR', () => {
    const r = render(basic, { localDetector: { mode: 'NodeCIDR', clusterCIDR: '10.244.1.0/24' } })
    expect(masqRule(r)).toContain('! -s 10.244.1.0/24 -j KUBE-MARK-MASQ')
    expect(podShortCircuit(r)).toContain('-s 10.244.1.0/24 -j KUBE-SVC-')
  })
  it('BridgeInterface: -i br / ! -i br', () => {
    const r = render(basic, { localDetector: { mode: 'BridgeInterface', interface: 'cbr0' } })
    expect(masqRule(r)).toContain('--dport 80 ! -i cbr0 -j KUBE-MARK-MASQ')
    expect(podShortCircuit(r)).toContain('external destinations" -i cbr0 -j KUBE-SVC-')
  })
  it('InterfaceNamePrefix: -i pfx+ / ! -i pfx+', () => {
    const r = render(basic, { localDetector: { mode: 'InterfaceNamePrefix', prefix: 'veth' } })
    expect(masqRule(r)).toContain('--dport 80 ! -i veth+ -j KUBE-MARK-MASQ')
    expect(podShortCircuit(r)).toContain('external destinations" -i veth+ -j KUBE-SVC-')
  })
  it('NoOp: no cluster-IP masquerade rule and no pod short-circuit', () => {
    const r = render(basic, { localDetector: { mode: 'NoOp' } })
    expect(r.chain('nat', SVC).every((l) => !l.includes('KUBE-MARK-MASQ'))).toBe(true)
    expect(podShortCircuit(r)).toBeUndefined()
    expect(r.chain('nat', EXT)[0]).toContain('masquerade LOCAL traffic')
  })
})

describe('masqueradeAll', () => {
  it('masquerades all cluster-IP traffic, detector or not', () => {
    const expected = `-A ${SVC} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-MARK-MASQ`
    expect(masqRule(render(basic, { masqueradeAll: true }))).toBe(expected)
    expect(masqRule(render(basic, { masqueradeAll: true, localDetector: { mode: 'NoOp' } }))).toBe(expected)
  })
})

describe('host capabilities and sysctls', () => {
  it('nfacct off: no -m nfacct anywhere', () => {
    const r = render(basic, { nfacctCounters: { ct_state_invalid_dropped_pkts: false, localhost_nps_accepted_pkts: false } })
    expect(r.text).not.toContain('nfacct')
    expect(r.chain('filter', 'KUBE-FORWARD')[0]).toBe('-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP')
  })
  it('conntrack tcp_be_liberal: no INVALID drop rule', () => {
    const r = render(basic, { conntrackTCPLiberal: true })
    expect(r.text).not.toContain('INVALID')
    expect(r.chain('filter', 'KUBE-FORWARD')).toHaveLength(2)
  })
  it('--random-fully when iptables supports it', () => {
    expect(render(basic, { iptablesHasRandomFully: true }).grep('MASQUERADE')).toEqual([
      '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
    ])
    expect(render(basic).grep('MASQUERADE')).toEqual(['-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE'])
  })
})

describe('nodePortAddresses', () => {
  const tail = (r: ReturnType<typeof render>) => r.grep('must be the last rule').map((l) => l.replace(/ -m comment --comment "[^"]*"/, ''))
  it('CIDRs: one -d rule per matching node IP, sorted', () => {
    const r = render(basic, { nodePortAddresses: ['192.168.0.0/16', '2001:db8::/64'] })
    expect(tail(r)).toEqual([
      '-A KUBE-SERVICES -d 192.168.0.2 -j KUBE-NODEPORTS',
      '-A KUBE-SERVICES -d 192.168.1.2 -j KUBE-NODEPORTS',
      '-A KUBE-SERVICES -d 192.168.99.11 -j KUBE-NODEPORTS',
    ])
    // No IPv4 loopback in the list: localhostNodePorts is forced off (no KUBE-FIREWALL, no 127/8 rule).
    expect(r.chains('filter')).not.toContain('KUBE-FIREWALL')
    expect(r.grep('127.0.0.0/8')).toEqual([])
  })
  it('loopback is written for IPv4 with localhostNodePorts', () => {
    const r = render(basic, { nodePortAddresses: ['127.0.0.0/8', '192.168.1.0/24'] })
    expect(tail(r)).toEqual(['-A KUBE-SERVICES -d 127.0.0.1 -j KUBE-NODEPORTS', '-A KUBE-SERVICES -d 192.168.1.2 -j KUBE-NODEPORTS'])
    expect(r.chains('filter')).toContain('KUBE-FIREWALL')
  })
  it('loopback is skipped on IPv6', () => {
    const r = render(basic, { ipFamily: 'IPv6', nodePortAddresses: ['::1/128', '2001:db8::/64'] })
    expect(tail(r)).toEqual(['-A KUBE-SERVICES -d 2001:db8::1 -j KUBE-NODEPORTS'])
  })
  it('no matching node IP: no tail rule', () => {
    expect(tail(render(basic, { nodePortAddresses: ['172.16.0.0/12'] }))).toEqual([])
  })
  it('a /0 entry means match all', () => {
    expect(tail(render(basic, { nodePortAddresses: ['0.0.0.0/0', '192.168.0.0/16'] }))).toEqual(['-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'])
  })
})

describe('IPv6', () => {
  const v6 =
    svc('ns1', 'svc1', '  type: NodePort\n  clusterIP: fd00:172:30:0:0:0:0:41\n  externalIPs: ["2001:db8:99::22", 192.168.99.22]\n  ports:\n  - {name: p80, port: 80, protocol: TCP, nodePort: 3001}') +
    slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: ["FD00:10:180::1"]\nports:\n- {name: p80, port: 80, protocol: TCP}', 'IPv6') +
    slice('ns1', 'svc1', 'svc1-2', 'endpoints:\n- addresses: [10.180.0.9]\nports:\n- {name: p80, port: 80, protocol: TCP}', 'IPv4')
  it('renders the ip6tables payload', () => {
    const r = render(v6, { ipFamily: 'IPv6' })
    const sep = 'KUBE-SEP-OGYCNMB4EMRUSJ6N'
    expect(r.chain('nat', sep)).toEqual([
      `-A ${sep} -m comment --comment ns1/svc1:p80 -s fd00:10:180::1 -j KUBE-MARK-MASQ`,
      `-A ${sep} -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination [fd00:10:180::1]:80`,
    ])
    expect(r.grep('cluster IP" -m tcp -p tcp -d fd00:172:30::41 --dport 80 -j KUBE-SVC-')).toHaveLength(1)
    expect(masqRule(r)).toContain('! -s fd00:10::/64 -j KUBE-MARK-MASQ')
    expect(r.grep('external IP"')).toEqual([`-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 external IP" -m tcp -p tcp -d 2001:db8:99::22 --dport 80 -j ${EXT}`])
    // No localhost NodePorts, no KUBE-FIREWALL, ::1 excluded from the tail.
    expect(r.chain('nat', 'KUBE-NODEPORTS')).toEqual([`-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j ${EXT}`])
    expect(r.chains('filter')).not.toContain('KUBE-FIREWALL')
    expect(r.grep('must be the last rule')[0]).toContain('-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS')
    // The IPv4 slice is ignored.
    expect(r.text).not.toContain('10.180.0.9')
  })
  it('picks the IPv6 cluster IP of a dual-stack service by ipFamilies', () => {
    const dual =
      svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  clusterIPs: [172.30.0.41, "fd00::41"]\n  ipFamilies: [IPv4, IPv6]\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') +
      slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: ["fd00:10:180::1"]\nports:\n- {name: p80, port: 80, protocol: TCP}', 'IPv6')
    expect(render(dual, { ipFamily: 'IPv6' }).grep('-d fd00::41 --dport 80 -j KUBE-SVC-')).toHaveLength(1)
    expect(render(dual).grep('has no endpoints" -m tcp -p tcp -d 172.30.0.41')).toHaveLength(1)
  })
})

describe('large-cluster mode', () => {
  const many = (n: number) => {
    let eps = ''
    for (let i = 0; i < n; i++) eps += `- addresses: [10.0.${Math.floor(i / 256)}.${i % 256}]\n`
    return svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') + slice('ns1', 'svc1', 'svc1-1', `endpoints:\n${eps}ports:\n- {name: p80, port: 80, protocol: TCP}`)
  }
  it(`drops per-endpoint comments above ${LARGE_CLUSTER_ENDPOINTS_THRESHOLD} endpoints`, () => {
    const r = render(many(LARGE_CLUSTER_ENDPOINTS_THRESHOLD + 1))
    expect(r.grep('-A KUBE-SEP-').every((l) => !l.includes('--comment'))).toBe(true)
    // Spec §6.3 example.
    expect(r.grep('-A KUBE-SEP-DKGQUZGBKLTPAR56')).toEqual([
      '-A KUBE-SEP-DKGQUZGBKLTPAR56 -s 10.0.0.0 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80',
    ])
    const svcRules = r.chain('nat', SVC)
    expect(svcRules[0]).toContain('"ns1/svc1:p80 cluster IP"')
    expect(svcRules.slice(1).every((l) => !l.includes('--comment'))).toBe(true)
    expect(svcRules[1]).toMatch(/^-A KUBE-SVC-XPGD46QRK7WJZT7O -m statistic --mode random --probability 0\.0009990010 -j KUBE-SEP-\w+$/)
    expect(r.grep('cluster IP" -m tcp')).toHaveLength(2)
  })
  it(`keeps comments at exactly ${LARGE_CLUSTER_ENDPOINTS_THRESHOLD} endpoints`, () => {
    const r = render(many(LARGE_CLUSTER_ENDPOINTS_THRESHOLD))
    expect(r.grep('-A KUBE-SEP-').every((l) => l.includes('--comment ns1/svc1:p80'))).toBe(true)
  })
})
