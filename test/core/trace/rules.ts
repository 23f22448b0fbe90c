/**
 * Small IR builders for tracer tests: rules written the way kube-proxy writes them, without
 * going through the renderer (the tracer is tested on its own).
 */
import type { Chain, Match, Rule, Table, TableName, Target } from '../../../src/core/proxy/iptables/ir.ts'

export const comment = (text: string): Match => ({ kind: 'comment', text })
export const proto = (protocol: 'tcp' | 'udp' | 'sctp' = 'tcp'): Match => ({ kind: 'protocol', protocol, module: true })
export const src = (value: string, negate = false): Match => ({ kind: 'address', dir: 'src', value, negate })
export const dst = (value: string, negate = false): Match => ({ kind: 'address', dir: 'dst', value, negate })
export const dport = (port: number, negate = false): Match => ({ kind: 'dport', port, negate })
export const dstLocal = (negate = false): Match => ({ kind: 'addrtype', dir: 'dst', type: 'LOCAL', negate })
export const srcLocal = (negate = false): Match => ({ kind: 'addrtype', dir: 'src', type: 'LOCAL', negate })
export const ctstate = (states: string[], negate = false): Match => ({ kind: 'conntrack', states, negate })
export const mark = (value: number, negate = false): Match => ({ kind: 'mark', value, mask: value, negate })
export const prob = (probability: string): Match => ({ kind: 'statistic', probability })
export const rcheck = (name: string, seconds: number): Match => ({ kind: 'recent', name, op: 'rcheck', seconds, reap: true })
export const rset = (name: string): Match => ({ kind: 'recent', name, op: 'set' })

export const jump = (chain: string): Target => ({ kind: 'jump', chain })
export const dnat = (to: string): Target => ({ kind: 'dnat', to })
export const verdict = (v: 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN'): Target => ({ kind: 'verdict', verdict: v })

export const rule = (target: Target | undefined, ...matches: Match[]): Rule => (target === undefined ? { matches } : { matches, target })
export const chain = (name: string, ...rules: Rule[]): Chain => ({ name, rules })
export const table = (name: TableName, ...chains: Chain[]): Table => ({ name, chains })

/** A KUBE-SEP chain as kube-proxy writes it: hairpin masquerade, (affinity set,) DNAT. */
export function sep(name: string, ip: string, port: number, affinity = false): Chain {
  return chain(
    name,
    rule(jump('KUBE-MARK-MASQ'), src(ip)),
    rule(dnat(`${ip.includes(':') ? `[${ip}]` : ip}:${port}`), ...(affinity ? [rset(name)] : []), proto()),
  )
}

/** kube-proxy's static machinery plus the base-chain jump rules (spec §2, §2.2). */
export function basics(): { nat: Chain[]; filter: Chain[] } {
  return {
    nat: [
      chain('PREROUTING', rule(jump('KUBE-SERVICES'), comment('kubernetes service portals'))),
      chain('OUTPUT', rule(jump('KUBE-SERVICES'), comment('kubernetes service portals'))),
      chain('POSTROUTING', rule(jump('KUBE-POSTROUTING'), comment('kubernetes postrouting rules'))),
      chain(
        'KUBE-POSTROUTING',
        rule(verdict('RETURN'), mark(0x4000, true)),
        rule({ kind: 'mark', op: 'xor', value: 0x4000 }),
        rule({ kind: 'masquerade', randomFully: false }, comment('kubernetes service traffic requiring SNAT')),
      ),
      chain('KUBE-MARK-MASQ', rule({ kind: 'mark', op: 'or', value: 0x4000 })),
    ],
    filter: [
      chain(
        'INPUT',
        rule(jump('KUBE-FIREWALL')),
        rule(jump('KUBE-PROXY-FIREWALL'), ctstate(['NEW'])),
        rule(jump('KUBE-NODEPORTS')),
        rule(jump('KUBE-EXTERNAL-SERVICES'), ctstate(['NEW'])),
      ),
      chain(
        'FORWARD',
        rule(jump('KUBE-PROXY-FIREWALL'), ctstate(['NEW'])),
        rule(jump('KUBE-FORWARD')),
        rule(jump('KUBE-SERVICES'), ctstate(['NEW'])),
        rule(jump('KUBE-EXTERNAL-SERVICES'), ctstate(['NEW'])),
      ),
      chain('OUTPUT', rule(jump('KUBE-FIREWALL')), rule(jump('KUBE-PROXY-FIREWALL'), ctstate(['NEW'])), rule(jump('KUBE-SERVICES'), ctstate(['NEW']))),
      chain(
        'KUBE-FIREWALL',
        rule(verdict('DROP'), comment('block incoming localnet connections'), dst('127.0.0.0/8'), src('127.0.0.0/8', true), ctstate(['RELATED', 'ESTABLISHED', 'DNAT'], true)),
      ),
      chain(
        'KUBE-FORWARD',
        rule(verdict('DROP'), ctstate(['INVALID'])),
        rule(verdict('ACCEPT'), comment('kubernetes forwarding rules'), mark(0x4000)),
        rule(verdict('ACCEPT'), comment('kubernetes forwarding conntrack rule'), ctstate(['RELATED', 'ESTABLISHED'])),
      ),
    ],
  }
}

/** The node the test rulesets are rendered for (the upstream fake's addresses). */
export const NODE_IPS = ['192.168.0.2', '192.168.1.2', '192.168.99.11', '2001:db8::1', '2001:db8:1::2']

/**
 * One node's rules for: svc1 (ClusterIP 172.30.0.41:80, three endpoints, NodePort 30080),
 * svc2 (ClusterIP 172.30.0.42:80, ClientIP affinity, two endpoints), svc3 (no endpoints: REJECT).
 */
export function sampleTables(): Table[] {
  const b = basics()
  const svcA = 'KUBE-SVC-AAAAAAAAAAAAAAAA'
  const svcB = 'KUBE-SVC-BBBBBBBBBBBBBBBB'
  const extA = 'KUBE-EXT-AAAAAAAAAAAAAAAA'
  return [
    table(
      'filter',
      ...b.filter,
      chain('KUBE-SERVICES', rule(verdict('REJECT'), comment('ns3/svc3:p80 has no endpoints'), proto(), dst('172.30.0.46'), dport(80))),
      chain('KUBE-EXTERNAL-SERVICES'),
      chain('KUBE-NODEPORTS'),
      chain('KUBE-PROXY-FIREWALL'),
    ),
    table(
      'nat',
      ...b.nat,
      chain(
        'KUBE-SERVICES',
        rule(jump(svcA), comment('ns1/svc1:p80 cluster IP'), proto(), dst('172.30.0.41'), dport(80)),
        rule(jump(svcB), comment('ns2/svc2:p80 cluster IP'), proto(), dst('172.30.0.42'), dport(80)),
        rule(jump('KUBE-NODEPORTS'), comment('kubernetes service nodeports; NOTE: this must be the last rule in this chain'), dstLocal()),
      ),
      chain('KUBE-NODEPORTS', rule(jump(extA), comment('ns1/svc1:p80'), proto(), dport(30080))),
      chain(extA, rule(jump('KUBE-MARK-MASQ'), comment('masquerade traffic for ns1/svc1:p80 external destinations')), rule(jump(svcA))),
      chain(
        svcA,
        rule(jump('KUBE-MARK-MASQ'), comment('ns1/svc1:p80 cluster IP'), proto(), dst('172.30.0.41'), dport(80), src('10.0.0.0/8', true)),
        rule(jump('KUBE-SEP-A1'), comment('ns1/svc1:p80 -> 10.180.0.1:8080'), prob('0.3333333333')),
        rule(jump('KUBE-SEP-A2'), comment('ns1/svc1:p80 -> 10.180.0.2:8080'), prob('0.5000000000')),
        rule(jump('KUBE-SEP-A3'), comment('ns1/svc1:p80 -> 10.180.0.3:8080')),
      ),
      sep('KUBE-SEP-A1', '10.180.0.1', 8080),
      sep('KUBE-SEP-A2', '10.180.0.2', 8080),
      sep('KUBE-SEP-A3', '10.180.0.3', 8080),
      chain(
        svcB,
        rule(jump('KUBE-MARK-MASQ'), comment('ns2/svc2:p80 cluster IP'), proto(), dst('172.30.0.42'), dport(80), src('10.0.0.0/8', true)),
        rule(jump('KUBE-SEP-B1'), comment('ns2/svc2:p80 -> 10.180.1.1:80'), rcheck('KUBE-SEP-B1', 10800)),
        rule(jump('KUBE-SEP-B2'), comment('ns2/svc2:p80 -> 10.180.1.2:80'), rcheck('KUBE-SEP-B2', 10800)),
        rule(jump('KUBE-SEP-B1'), comment('ns2/svc2:p80 -> 10.180.1.1:80'), prob('0.5000000000')),
        rule(jump('KUBE-SEP-B2'), comment('ns2/svc2:p80 -> 10.180.1.2:80')),
      ),
      sep('KUBE-SEP-B1', '10.180.1.1', 80, true),
      sep('KUBE-SEP-B2', '10.180.1.2', 80, true),
    ),
  ]
}
