import { describe, expect, it } from 'vitest'
import { render, slice, svc } from './render-helper.ts'

const clusterIP = (extra = '') =>
  svc('ns1', 'svc1', `  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}\n${extra}`) +
  slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: [10.180.0.1]\nports:\n- {name: p80, port: 80, protocol: TCP}')

describe('ClusterIP', () => {
  it('captures the cluster IP, masquerades off-pod traffic and DNATs through SVC and SEP', () => {
    const r = render(clusterIP())
    expect(r.chain('nat', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O',
      '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS',
    ])
    expect(r.chain('nat', 'KUBE-SVC-XPGD46QRK7WJZT7O')).toEqual([
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ',
      '-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ',
    ])
    expect(r.chain('nat', 'KUBE-SEP-SXIVWICOYRO3J4NJ')).toEqual([
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ',
      '-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80',
    ])
    // A plain ClusterIP service is not externally reachable: no EXT chain, no NodePort rules.
    expect(r.chains('nat').filter((c) => c.startsWith('KUBE-EXT-'))).toEqual([])
    expect(r.chain('nat', 'KUBE-NODEPORTS')).toEqual([])
  })

  it('normalises sloppy addresses (leading zeros) in cluster IP and endpoints', () => {
    const r = render(
      svc('ns1', 'svc1', '  clusterIP: 172.30.0.041\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') +
        slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: [10.180.00.001]\nports:\n- {name: p80, port: 80, protocol: TCP}'),
    )
    expect(r.grep('-d 172.30.0.41 --dport 80 -j KUBE-SVC-')).toHaveLength(1)
    expect(r.grep('--to-destination 10.180.0.1:80')).toHaveLength(1)
    expect(r.text).not.toContain('041')
  })

  it('writes the production mark as Go %#08x and honours masqueradeBit', () => {
    expect(render(clusterIP()).grep('0x')).toEqual([
      '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x00004000/0x00004000 -j ACCEPT',
      '-A KUBE-POSTROUTING -m mark ! --mark 0x00004000/0x00004000 -j RETURN',
      '-A KUBE-POSTROUTING -j MARK --xor-mark 0x00004000',
      '-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000',
    ])
    expect(render(clusterIP(), { masqueradeBit: 5 }).grep('--or-mark')).toEqual(['-A KUBE-MARK-MASQ -j MARK --or-mark 0x00000020'])
  })

  it('orders endpoints byte-wise by ip:port and spreads them with 1/(n-i) probabilities', () => {
    const r = render(
      svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') +
        slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: [10.180.0.1]\n- addresses: [10.180.0.10]\n- addresses: [10.180.0.2]\nports:\n- {name: p80, port: 80, protocol: TCP}'),
    )
    const rules = r.chain('nat', 'KUBE-SVC-XPGD46QRK7WJZT7O').slice(1)
    expect(rules.map((l) => /"ns1\/svc1:p80 -> ([^"]+)"/.exec(l)?.[1])).toEqual(['10.180.0.10:80', '10.180.0.1:80', '10.180.0.2:80'])
    expect(rules[0]).toContain('-m statistic --mode random --probability 0.3333333333 -j KUBE-SEP-')
    expect(rules[1]).toContain('-m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-')
    expect(rules[2]).not.toContain('statistic')
  })

  it('lays the payload out as kube-proxy writes it (spec §6.1)', () => {
    const lines = render(clusterIP()).text.split('\n')
    expect(lines.slice(0, 7)).toEqual([
      '*filter',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-EXTERNAL-SERVICES - [0:0]',
      ':KUBE-FORWARD - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-PROXY-FIREWALL - [0:0]',
      ':KUBE-FIREWALL - [0:0]',
    ])
    const nat = lines.indexOf('*nat')
    expect(lines.slice(nat, nat + 7)).toEqual([
      '*nat',
      ':KUBE-SERVICES - [0:0]',
      ':KUBE-NODEPORTS - [0:0]',
      ':KUBE-POSTROUTING - [0:0]',
      ':KUBE-MARK-MASQ - [0:0]',
      ':KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]',
      ':KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]',
    ])
    // Rules interleave per service, and the NodePort tail is the last nat rule.
    expect(lines[nat + 11]).toContain('-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP"')
    expect(lines[nat + 12]).toContain('-A KUBE-SVC-XPGD46QRK7WJZT7O')
    expect(lines.at(-3)).toContain('must be the last rule')
    expect(lines.at(-2)).toBe('COMMIT')
    expect(lines.at(-1)).toBe('')
  })
})

describe('Services that get no rules', () => {
  it('skips headless and ExternalName services', () => {
    const r = render(
      svc('ns1', 'headless', '  clusterIP: None\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') +
        svc('ns1', 'ext', '  type: ExternalName\n  externalName: example.com\n  clusterIP: 172.30.0.50\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') +
        slice('ns1', 'headless', 'h-1', 'endpoints:\n- addresses: [10.180.0.1]\nports:\n- {name: p80, port: 80, protocol: TCP}'),
    )
    expect(r.text).not.toContain('ns1/headless')
    expect(r.text).not.toContain('ns1/ext')
    expect(r.text).not.toContain('KUBE-SVC-')
  })
})

describe('no endpoints', () => {
  it('REJECTs every entry point in filter and writes no nat chains', () => {
    const r = render(
      svc('ns1', 'svc1', '  type: LoadBalancer\n  clusterIP: 172.30.0.41\n  externalIPs: [192.168.99.33]\n  ports:\n  - {name: p80, port: 80, protocol: TCP, nodePort: 3001}', '  loadBalancer:\n    ingress:\n    - ip: 1.2.3.4'),
    )
    expect(r.chain('filter', 'KUBE-SERVICES')).toEqual([
      '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT',
    ])
    expect(r.chain('filter', 'KUBE-EXTERNAL-SERVICES')).toEqual([
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT',
      '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/svc1:p80 has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j REJECT',
    ])
    expect(r.chains('nat')).toEqual(['KUBE-SERVICES', 'KUBE-NODEPORTS', 'KUBE-POSTROUTING', 'KUBE-MARK-MASQ'])
    expect(r.chain('nat', 'KUBE-NODEPORTS')).toEqual([])
  })

  it('treats not-ready, not-serving endpoints as none', () => {
    const r = render(
      svc('ns1', 'svc1', '  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: TCP}') +
        slice('ns1', 'svc1', 'svc1-1', 'endpoints:\n- addresses: [10.180.0.1]\n  conditions: {ready: false, serving: false, terminating: true}\nports:\n- {name: p80, port: 80, protocol: TCP}'),
    )
    expect(r.grep('has no endpoints')).toHaveLength(1)
    expect(r.text).not.toContain('KUBE-SEP-')
  })
})

describe('protocols', () => {
  it.each([
    ['TCP', 'tcp'],
    ['UDP', 'udp'],
    ['SCTP', 'sctp'],
  ])('%s uses -m %s -p %s and hashes the lower-case protocol', (proto, lower) => {
    const r = render(
      svc('ns1', 'svc1', `  clusterIP: 172.30.0.41\n  ports:\n  - {name: p80, port: 80, protocol: ${proto}}`) +
        slice('ns1', 'svc1', 'svc1-1', `endpoints:\n- addresses: [10.180.0.1]\nports:\n- {name: p80, port: 80, protocol: ${proto}}`),
    )
    expect(r.grep(`-m ${lower} -p ${lower} -d 172.30.0.41 --dport 80 -j KUBE-SVC-`)).toHaveLength(1)
    expect(r.grep(`-m ${lower} -p ${lower} -j DNAT --to-destination 10.180.0.1:80`)).toHaveLength(1)
    if (proto === 'UDP') expect(r.chains('nat')).toContain('KUBE-SVC-OJWW7NSBVZTDHXNW')
  })

  it('keeps same-numbered TCP and UDP ports apart and matches slice ports by name and protocol', () => {
    const r = render(
      svc('ns1', 'dns', '  clusterIP: 172.30.0.10\n  ports:\n  - {name: dns, port: 53, protocol: UDP}\n  - {name: dns-tcp, port: 53, protocol: TCP}') +
        slice('ns1', 'dns', 'dns-1', 'endpoints:\n- addresses: [10.180.0.5]\nports:\n- {name: dns, port: 5353, protocol: UDP}\n- {name: dns-tcp, port: 5354, protocol: TCP}\n- {name: dns, port: 9999, protocol: TCP}\n- {name: other, port: 1, protocol: UDP}'),
    )
    const dnat = r.grep('--to-destination').map((l) => l.replace(/^-A KUBE-SEP-\w+ /, ''))
    expect(dnat).toEqual([
      '-m comment --comment ns1/dns:dns -m udp -p udp -j DNAT --to-destination 10.180.0.5:5353',
      '-m comment --comment ns1/dns:dns-tcp -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:5354',
    ])
  })
})
