import { describe, expect, it } from 'vitest'
import type { Rule, Ruleset } from '../../../../src/core/proxy/iptables/ir.ts'
import { JUMP_RULES, KUBELET_JUMP_RULES } from '../../../../src/core/proxy/iptables/jump-chains.ts'
import { checkIptablesRuleJumps, sortIptablesRules } from '../../../../src/core/proxy/iptables/normalize.ts'
import { formatMark, formatRuleArgs, printRestore } from '../../../../src/core/proxy/iptables/print-restore.ts'

describe('formatRuleArgs', () => {
  it('quotes comments only when they contain a space (or are empty)', () => {
    expect(formatRuleArgs({ matches: [{ kind: 'comment', text: 'ns1/svc1:p80' }] })).toBe('-m comment --comment ns1/svc1:p80')
    expect(formatRuleArgs({ matches: [{ kind: 'comment', text: 'a b' }] })).toBe('-m comment --comment "a b"')
    expect(formatRuleArgs({ matches: [{ kind: 'comment', text: '' }] })).toBe('-m comment --comment ""')
  })
  it('prints every match and target kind in kube-proxy spelling', () => {
    const rule: Rule = {
      matches: [
        { kind: 'protocol', protocol: 'udp', module: true },
        { kind: 'protocol', protocol: 'tcp', module: false },
        { kind: 'address', dir: 'src', value: '10.0.0.0/8', negate: true },
        { kind: 'address', dir: 'dst', value: '1.2.3.4', negate: false },
        { kind: 'dport', port: 53, negate: true },
        { kind: 'addrtype', dir: 'dst', type: 'LOCAL', negate: true },
        { kind: 'conntrack', states: ['RELATED', 'ESTABLISHED'], negate: true },
        { kind: 'mark', value: 0x4000, mask: 0x4000, negate: true },
        { kind: 'statistic', probability: '0.5000000000' },
        { kind: 'recent', name: 'X', op: 'rcheck', seconds: 5, reap: true },
        { kind: 'recent', name: 'X', op: 'set' },
        { kind: 'nfacct', name: 'n' },
        { kind: 'interface', dir: 'in', name: 'veth+', negate: true },
        { kind: 'interface', dir: 'out', name: 'eth0', negate: false },
        { kind: 'raw', text: '-m foo --bar' },
      ],
      target: { kind: 'dnat', to: '[fd00::1]:80' },
    }
    expect(formatRuleArgs(rule)).toBe(
      '-m udp -p udp -p tcp ! -s 10.0.0.0/8 -d 1.2.3.4 ! --dport 53 -m addrtype ! --dst-type LOCAL -m conntrack ! --ctstate RELATED,ESTABLISHED -m mark ! --mark 0x00004000/0x00004000 -m statistic --mode random --probability 0.5000000000 -m recent --name X --rcheck --seconds 5 --reap -m recent --name X --set -m nfacct --nfacct-name n ! -i veth+ -o eth0 -m foo --bar -j DNAT --to-destination [fd00::1]:80',
    )
    expect(formatRuleArgs({ matches: [], target: { kind: 'mark', op: 'xor', value: 0x4000 } }, { markStyle: 'short' })).toBe('-j MARK --xor-mark 0x4000')
    expect(formatRuleArgs({ matches: [], target: { kind: 'masquerade', randomFully: true } })).toBe('-j MASQUERADE --random-fully')
    expect(formatRuleArgs({ matches: [], target: { kind: 'raw', text: 'REJECT --reject-with icmp-host-prohibited' } })).toBe('-j REJECT --reject-with icmp-host-prohibited')
    expect(formatRuleArgs({ matches: [{ kind: 'comment', text: 'only comment' }] })).toBe('-m comment --comment "only comment"')
  })
  it('formats marks as Go %#08x', () => {
    expect(formatMark(0x4000)).toBe('0x00004000')
    expect(formatMark(2 ** 31)).toBe('0x80000000')
    expect(formatMark(0x4000, { markStyle: 'short' })).toBe('0x4000')
  })
})

describe('printRestore', () => {
  const rs: Ruleset = {
    backend: 'iptables',
    family: 'IPv4',
    node: 'n',
    tables: [
      {
        name: 'nat',
        chains: [
          { name: 'A', rules: [{ matches: [], target: { kind: 'jump', chain: 'B' } }] },
          { name: 'B', rules: [{ matches: [], target: { kind: 'verdict', verdict: 'RETURN' } }, { matches: [] }] },
        ],
        writeOrder: [
          { chain: 'B', index: 0 },
          { chain: 'A', index: 0 },
          { chain: 'B', index: 1 },
        ],
      },
    ],
  }
  it('prints declarations, then rules in write order, and a bare -A for an empty rule', () => {
    expect(printRestore(rs)).toBe('*nat\n:A - [0:0]\n:B - [0:0]\n-A B -j RETURN\n-A A -j B\n-A B\nCOMMIT\n')
  })
  it('falls back to chain order without writeOrder', () => {
    const t = rs.tables[0]!
    expect(printRestore({ ...rs, tables: [{ name: t.name, chains: t.chains }] })).toBe('*nat\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A B -j RETURN\n-A B\nCOMMIT\n')
  })
})

describe('sortIptablesRules', () => {
  it('sorts tables, chains and the four service-keyed chains like upstream', () => {
    const input = `
*nat
:KUBE-SERVICES - [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SVC-B - [0:0]
:INPUT ACCEPT [0:0]
:KUBE-EXT-A - [0:0]
-A KUBE-SERVICES -m comment --comment "ns2/b:p cluster IP" -j KUBE-SVC-B
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS
-A KUBE-SERVICES -m comment --comment "ns1/a:x cluster IP" -j KUBE-EXT-A
-A KUBE-SERVICES -m comment --comment "ns1/a external IP" -j KUBE-EXT-A
-A KUBE-NODEPORTS -m comment --comment ns2/b:p -j KUBE-SVC-B
-A KUBE-NODEPORTS -m comment --comment ns1/a -j KUBE-EXT-A
-A KUBE-SVC-B -m comment --comment "z" -j DROP
-A KUBE-SVC-B -m comment --comment "a" -j DROP
-X KUBE-EXT-A
COMMIT
*filter
:KUBE-PROXY-FIREWALL - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/b" -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/a" -j DROP
COMMIT
`
    expect(sortIptablesRules(input)).toBe(`*filter
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/b" -j DROP
-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns1/a" -j DROP
COMMIT
*nat
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-A - [0:0]
:KUBE-SVC-B - [0:0]
:INPUT ACCEPT [0:0]
-A KUBE-NODEPORTS -m comment --comment ns1/a -j KUBE-EXT-A
-A KUBE-NODEPORTS -m comment --comment ns2/b:p -j KUBE-SVC-B
-A KUBE-SERVICES -m comment --comment "ns1/a:x cluster IP" -j KUBE-EXT-A
-A KUBE-SERVICES -m comment --comment "ns1/a external IP" -j KUBE-EXT-A
-A KUBE-SERVICES -m comment --comment "ns2/b:p cluster IP" -j KUBE-SVC-B
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -j KUBE-NODEPORTS
-A KUBE-SVC-B -m comment --comment "z" -j DROP
-A KUBE-SVC-B -m comment --comment "a" -j DROP
-X KUBE-EXT-A
COMMIT
`)
  })
  it('is idempotent', () => {
    const once = sortIptablesRules('*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-A - [0:0]\n-A KUBE-SERVICES -m comment --comment "b/b x" -j KUBE-A\n-A KUBE-SERVICES -m comment --comment "a/a x" -j KUBE-A\n-A KUBE-A -j DROP\nCOMMIT\n')
    expect(sortIptablesRules(once)).toBe(once)
  })
})

describe('checkIptablesRuleJumps', () => {
  it('accepts a consistent payload', () => {
    expect(checkIptablesRuleJumps('*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-A\n-A KUBE-SVC-A -j DNAT --to-destination 1.2.3.4:80\nCOMMIT\n')).toEqual([])
  })
  it('reports undeclared, empty and unused chains', () => {
    const text = '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-EMPTY - [0:0]\n:KUBE-ORPHAN - [0:0]\n:KUBE-GONE - [0:0]\n-A KUBE-SERVICES -j KUBE-MISSING\n-A KUBE-SERVICES -j KUBE-EMPTY\n-A KUBE-UNDECLARED -j ACCEPT\n-A KUBE-ORPHAN -j DROP\n-X KUBE-GONE\nCOMMIT\n'
    expect(checkIptablesRuleJumps(text)).toEqual([
      'nat: chain KUBE-MISSING is used but was not created',
      'nat: chain KUBE-UNDECLARED is used but was not created',
      'nat: chain KUBE-EMPTY is jumped to but has no rules',
      'nat: chain KUBE-ORPHAN is created but not used',
    ])
  })
})

describe('JUMP_RULES', () => {
  it('lists the §2.2 table in order, kubelet rows last', () => {
    expect(JUMP_RULES.map((j) => `${j.table} ${j.from}->${j.to}`)).toEqual([
      'filter INPUT->KUBE-EXTERNAL-SERVICES',
      'filter FORWARD->KUBE-EXTERNAL-SERVICES',
      'filter INPUT->KUBE-NODEPORTS',
      'filter FORWARD->KUBE-SERVICES',
      'filter OUTPUT->KUBE-SERVICES',
      'filter FORWARD->KUBE-FORWARD',
      'filter INPUT->KUBE-PROXY-FIREWALL',
      'filter OUTPUT->KUBE-PROXY-FIREWALL',
      'filter FORWARD->KUBE-PROXY-FIREWALL',
      'nat OUTPUT->KUBE-SERVICES',
      'nat PREROUTING->KUBE-SERVICES',
      'nat POSTROUTING->KUBE-POSTROUTING',
      'filter INPUT->KUBE-FIREWALL',
      'filter OUTPUT->KUBE-FIREWALL',
    ])
    expect(KUBELET_JUMP_RULES.every((j) => j.comment === '' && j.extraArgs.length === 0)).toBe(true)
    expect(JUMP_RULES.filter((j) => j.extraArgs.length > 0).map((j) => formatRuleArgs({ matches: j.extraArgs }))).toEqual(Array(7).fill('-m conntrack --ctstate NEW'))
  })
})
