import { describe, expect, it } from 'vitest'
import { render, slice, svc } from './render-helper.ts'

const EP = (addrs: string, port = 80) => slice('ns1', 'svc1', 'svc1-1', `endpoints:\n${addrs}\nports:\n- {name: p80, port: ${port}, protocol: TCP}`)
const ONE_REMOTE = EP('- addresses: [10.180.0.1]')
const LOCAL_AND_REMOTE = EP('- addresses: [10.180.0.1]\n  nodeName: test-node\n- addresses: [10.180.0.2]\n  nodeName: other')
const SVC = 'KUBE-SVC-XPGD46QRK7WJZT7O'
const SVL = 'KUBE-SVL-XPGD46QRK7WJZT7O'
const EXT = 'KUBE-EXT-XPGD46QRK7WJZT7O'
const FW = 'KUBE-FW-XPGD46QRK7WJZT7O'

const nodePort = (extra = '') => svc('ns1', 'svc1', `  type: NodePort\n  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP, nodePort: 3001}\n${extra}`)
const lb = (extra = '', ingress = '    - ip: 1.2.3.4') =>
  svc('ns1', 'svc1', `  type: LoadBalancer\n  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP, nodePort: 3001}\n${extra}`, `  loadBalancer:\n    ingress:\n${ingress}`)

describe('NodePort', () => {
  it('jumps from KUBE-NODEPORTS (plus the localhost nfacct variant) to EXT, which masquerades', () => {
    const r = render(nodePort() + ONE_REMOTE)
    expect(r.chain('nat', 'KUBE-NODEPORTS')).toEqual([
      `-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j ${EXT}`,
      `-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j ${EXT}`,
    ])
    expect(r.chain('nat', EXT)).toEqual([
      `-A ${EXT} -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ`,
      `-A ${EXT} -j ${SVC}`,
    ])
  })
  it('drops the localhost variant when localhostNodePorts is off, and excludes 127/8 in the tail', () => {
    const r = render(nodePort() + ONE_REMOTE, { localhostNodePorts: false })
    expect(r.grep('127.0.0.0/8 --dport')).toEqual([])
    expect(r.grep('must be the last rule')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS',
    ])
    expect(r.chains('filter')).not.toContain('KUBE-FIREWALL')
  })
  it('drops the localhost variant without the nfacct counter but keeps KUBE-FIREWALL', () => {
    const r = render(nodePort() + ONE_REMOTE, { nfacctCounters: { ct_state_invalid_dropped_pkts: true, localhost_nps_accepted_pkts: false } })
    expect(r.chain('nat', 'KUBE-NODEPORTS')).toHaveLength(1)
    expect(r.chain('filter', 'KUBE-FIREWALL')).toHaveLength(1)
  })
})

describe('externalIPs', () => {
  it('captures each external IP of the family into EXT; other-family and invalid IPs are dropped', () => {
    const r = render(svc('ns1', 'svc1', '  type: ClusterIP\n  clusterIP: 172.30.0.41\n  externalIPs: [192.168.99.33, "2001:db8::5", bogus, 192.168.099.034]\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') + ONE_REMOTE)
    expect(r.grep('external IP"')).toEqual([
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j ${EXT}`,
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 external IP" -m tcp -p tcp -d 192.168.99.34 --dport 80 -j ${EXT}`,
    ])
    expect(r.chains('nat')).toContain(EXT)
    expect(r.chain('nat', 'KUBE-NODEPORTS')).toEqual([])
  })
})

describe('LoadBalancer', () => {
  it('captures VIP-mode ingress IPs and ignores ipMode Proxy and hostname-only entries', () => {
    const r = render(lb('', '    - ip: 1.2.3.4\n    - ip: 5.6.7.8\n      ipMode: Proxy\n    - hostname: lb.example.com\n    - ip: 9.10.11.12\n      ipMode: VIP') + ONE_REMOTE)
    expect(r.grep('loadbalancer IP"')).toEqual([
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j ${EXT}`,
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 9.10.11.12 --dport 80 -j ${EXT}`,
    ])
    expect(r.text).not.toContain('5.6.7.8')
  })
})

describe('loadBalancerSourceRanges', () => {
  it('sends LB traffic through KUBE-FW, drops the rest in KUBE-PROXY-FIREWALL; NodePorts bypass it', () => {
    const r = render(lb('  loadBalancerSourceRanges: [" 203.0.113.000/025", "2001:db8::/64", nonsense]') + ONE_REMOTE)
    expect(r.grep('loadbalancer IP" -m tcp')).toEqual([
      `-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j ${FW}`,
    ])
    expect(r.chain('nat', FW)).toEqual([
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 203.0.113.0/25 -j ${EXT}`,
      `-A ${FW} -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
    ])
    expect(r.chain('filter', 'KUBE-PROXY-FIREWALL')).toEqual([
      `-A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by ${FW}" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP`,
    ])
    const nodePorts = r.chain('nat', 'KUBE-NODEPORTS')
    expect(nodePorts).toHaveLength(2)
    for (const l of nodePorts) expect(l.endsWith(`-j ${EXT}`)).toBe(true)
  })
  it('allows traffic sourced from the LB IP when a range contains the node IP', () => {
    const r = render(lb('  loadBalancerSourceRanges: [203.0.113.0/25, 192.168.0.0/16]') + ONE_REMOTE)
    expect(r.chain('nat', FW)).toEqual([
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 203.0.113.0/25 -j ${EXT}`,
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 192.168.0.0/16 -j ${EXT}`,
      `-A ${FW} -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 1.2.3.4 -j ${EXT}`,
      `-A ${FW} -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"`,
    ])
  })
  it('writes no FW chain without endpoints', () => {
    const r = render(lb('  loadBalancerSourceRanges: [203.0.113.0/25]'))
    expect(r.chains('nat')).not.toContain(FW)
    expect(r.chain('filter', 'KUBE-PROXY-FIREWALL')).toEqual([])
  })
})

describe('externalTrafficPolicy: Local', () => {
  const etpLocal = lb('  externalTrafficPolicy: Local\n  healthCheckNodePort: 30000')
  it('with a local endpoint: EXT short-circuits pods and the node, then jumps to SVL', () => {
    const r = render(etpLocal + LOCAL_AND_REMOTE)
    expect(r.chain('nat', EXT)).toEqual([
      `-A ${EXT} -m comment --comment "pod traffic for ns1/svc1:p80 external destinations" -s 10.0.0.0/8 -j ${SVC}`,
      `-A ${EXT} -m comment --comment "masquerade LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
      `-A ${EXT} -m comment --comment "route LOCAL traffic for ns1/svc1:p80 external destinations" -m addrtype --src-type LOCAL -j ${SVC}`,
      `-A ${EXT} -j ${SVL}`,
    ])
    expect(r.chain('nat', SVL)).toEqual([`-A ${SVL} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j ${r.chain('nat', SVL)[0]!.split(' -j ')[1]}`])
    expect(r.chain('nat', SVC)).toHaveLength(3)
    expect(r.chain('filter', 'KUBE-NODEPORTS')).toEqual([
      '-A KUBE-NODEPORTS -m comment --comment "ns1/svc1:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT',
    ])
    expect(r.chain('filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([])
  })
  it('without local endpoints: no SVL, EXT has no final jump, external paths DROP in filter', () => {
    const r = render(etpLocal + ONE_REMOTE)
    expect(r.chains('nat')).not.toContain(SVL)
    expect(r.chain('nat', EXT).at(-1)).toContain('route LOCAL traffic')
    expect(r.chain('filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP',
    ])
    // The health check port is opened regardless of local endpoints.
    expect(r.chain('filter', 'KUBE-NODEPORTS')).toHaveLength(1)
  })
  it('ignores healthCheckNodePort with Cluster policy and ETP on a ClusterIP service without externalIPs', () => {
    expect(render(lb('  externalTrafficPolicy: Cluster\n  healthCheckNodePort: 30000') + ONE_REMOTE).chain('filter', 'KUBE-NODEPORTS')).toEqual([])
    const r = render(svc('ns1', 'svc1', '  type: ClusterIP\n  externalTrafficPolicy: Local\n  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') + ONE_REMOTE)
    expect(r.chains('nat')).not.toContain(SVL)
    expect(r.chains('nat')).not.toContain(EXT)
  })
})

describe('internalTrafficPolicy: Local', () => {
  const itp = (extra = '') => svc('ns1', 'svc1', `  clusterIP: 172.30.0.41\n  internalTrafficPolicy: Local\n  ports:\n  - {name: p80, port: 80, protocol: TCP}\n${extra}`)
  it('sends cluster-IP traffic to SVL with the masquerade rule first in SVL', () => {
    const r = render(itp() + LOCAL_AND_REMOTE)
    expect(r.grep('cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j')).toEqual([`-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j ${SVL}`])
    expect(r.chain('nat', SVL)[0]).toBe(`-A ${SVL} -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ`)
    expect(r.chain('nat', SVL)).toHaveLength(2)
    expect(r.chains('nat')).not.toContain(SVC)
    expect(r.grep('--to-destination')).toHaveLength(1)
  })
  it('DROPs cluster-IP traffic in filter when there is no local endpoint', () => {
    const r = render(itp() + ONE_REMOTE)
    expect(r.chain('filter', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP',
    ])
    expect(r.chain('nat', 'KUBE-SERVICES')).toHaveLength(1)
  })
  it('still reaches every endpoint through EXT when externally accessible', () => {
    const r = render(itp('  externalIPs: [192.168.99.33]') + ONE_REMOTE)
    expect(r.chain('nat', EXT).at(-1)).toBe(`-A ${EXT} -j ${SVC}`)
    expect(r.grep('has no local endpoints')).toHaveLength(1)
  })
})

describe('sessionAffinity: ClientIP', () => {
  it('checks recent lists before balancing and records the client in the SEP chain', () => {
    const r = render(svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  sessionAffinity: ClientIP\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') + EP('- addresses: [10.180.0.1]\n- addresses: [10.180.0.2]'))
    const rules = r.chain('nat', SVC)
    const seps = rules.slice(3).map((l) => l.split(' -j ')[1]!)
    expect(rules.slice(1, 3)).toEqual([
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -m recent --name ${seps[0]} --rcheck --seconds 10800 --reap -j ${seps[0]}`,
      `-A ${SVC} -m comment --comment "ns1/svc1:p80 -> 10.180.0.2:80" -m recent --name ${seps[1]} --rcheck --seconds 10800 --reap -j ${seps[1]}`,
    ])
    expect(r.chain('nat', seps[0]!)[1]).toBe(`-A ${seps[0]} -m comment --comment ns1/svc1:p80 -m recent --name ${seps[0]} --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80`)
  })
  it('uses sessionAffinityConfig.clientIP.timeoutSeconds', () => {
    const r = render(svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  sessionAffinity: ClientIP\n  sessionAffinityConfig: {clientIP: {timeoutSeconds: 60}}\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') + ONE_REMOTE)
    expect(r.grep('--rcheck --seconds 60 --reap')).toHaveLength(1)
  })
})

describe('terminating endpoints', () => {
  const cluster = svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}')
  it('uses ready endpoints only while any exist', () => {
    const r = render(cluster + EP('- addresses: [10.180.0.1]\n- addresses: [10.180.0.2]\n  conditions: {ready: false, serving: true, terminating: true}'))
    expect(r.grep('--to-destination').map((l) => l.split(' ').at(-1))).toEqual(['10.180.0.1:80'])
  })
  it('falls back to serving terminating endpoints when none is ready', () => {
    const r = render(cluster + EP('- addresses: [10.180.0.1]\n  conditions: {ready: false, serving: false, terminating: true}\n- addresses: [10.180.0.2]\n  conditions: {ready: false, serving: true, terminating: true}'))
    expect(r.grep('--to-destination').map((l) => l.split(' ').at(-1))).toEqual(['10.180.0.2:80'])
  })
  it('ETP Local: local terminating endpoints serve external traffic, cluster traffic the ready remote ones', () => {
    const r = render(
      lb('  externalTrafficPolicy: Local\n  healthCheckNodePort: 30000') +
        EP('- addresses: [10.180.0.1]\n  nodeName: test-node\n  conditions: {ready: false, serving: true, terminating: true}\n- addresses: [10.180.0.2]\n  nodeName: other'),
    )
    expect(r.chain('nat', SVL)).toHaveLength(1)
    expect(r.chain('nat', SVL)[0]).toContain('-> 10.180.0.1:80')
    expect(r.chain('nat', SVC).slice(1).map((l) => l.includes('10.180.0.2:80'))).toEqual([true])
    // Both endpoints get SEP chains (the union of cluster and local lists).
    expect(r.grep('--to-destination')).toHaveLength(2)
  })
})

describe('topology hints', () => {
  const cluster = svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}')
  const zoned = EP(
    '- addresses: [10.180.0.1]\n  hints: {forZones: [{name: zone-a}], forNodes: [{name: test-node}]}\n- addresses: [10.180.0.2]\n  hints: {forZones: [{name: zone-b}], forNodes: [{name: other}]}\n- addresses: [10.180.0.3]\n  hints: {forZones: [{name: zone-a}], forNodes: [{name: other}]}',
  )
  const targets = (r: ReturnType<typeof render>) => r.chain('nat', SVC).slice(1).map((l) => /-> ([^"]+)"/.exec(l)?.[1])
  it('keeps only endpoints hinted for the node zone', () => {
    expect(targets(render(cluster + zoned, { nodeZone: 'zone-a' }))).toEqual(['10.180.0.1:80', '10.180.0.3:80'])
  })
  it('ignores hints when the node zone has none or is unknown', () => {
    expect(targets(render(cluster + zoned, { nodeZone: 'zone-c' }))).toHaveLength(3)
    expect(targets(render(cluster + zoned))).toHaveLength(3)
  })
  it('ignores zone hints unless every ready endpoint has some', () => {
    const partial = EP('- addresses: [10.180.0.1]\n  hints: {forZones: [{name: zone-a}]}\n- addresses: [10.180.0.2]')
    expect(targets(render(cluster + partial, { nodeZone: 'zone-a' }))).toHaveLength(2)
  })
  it('prefers node hints only with the PreferSameTrafficDistribution gate', () => {
    expect(targets(render(cluster + zoned, { nodeZone: 'zone-a', featureGates: { PreferSameTrafficDistribution: true } }))).toEqual(['10.180.0.1:80'])
    expect(targets(render(cluster + zoned, { nodeZone: 'zone-a', featureGates: { PreferSameTrafficDistribution: false } }))).toHaveLength(2)
  })
})
