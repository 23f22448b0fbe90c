import { describe, expect, it } from 'vitest'
import { normaliseProtocol, traceLikeUpstream } from '../../../src/core/trace/kube-tracer.ts'
import { chain, dnat, dst, jump, proto, rule, sampleTables, src, table, verdict, NODE_IPS, dport, prob } from './rules.ts'

const flow = (sourceIP: string, destIP: string, destPort: number, protocol = '') => ({ sourceIP, destIP, destPort, protocol })

describe('traceLikeUpstream (kube-proxy test tracer semantics)', () => {
  const tables = sampleTables()

  it.each([
    { name: 'pod → cluster IP collects every endpoint, no masquerade', f: flow('10.0.0.2', '172.30.0.41', 80), output: '10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080', masq: false },
    { name: 'external → cluster IP is masqueraded', f: flow('203.0.113.2', '172.30.0.41', 80), output: '10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080', masq: true },
    { name: 'endpoint → its own service is masqueraded (hairpin)', f: flow('10.180.0.2', '172.30.0.41', 80), output: '10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080', masq: true },
    { name: 'recent --rcheck never matches: affinity rules fall through to the split', f: flow('10.0.0.2', '172.30.0.42', 80), output: '10.180.1.1:80, 10.180.1.2:80', masq: false },
    { name: 'no endpoints → filter REJECT', f: flow('10.0.0.2', '172.30.0.46', 80), output: 'REJECT', masq: false },
    { name: 'nothing matches → empty output', f: flow('10.0.0.2', '172.30.0.99', 80), output: '', masq: false },
    { name: 'wrong port does not match', f: flow('10.0.0.2', '172.30.0.41', 81), output: '', masq: false },
    { name: 'wrong protocol does not match', f: flow('10.0.0.2', '172.30.0.41', 80, 'UDP'), output: '', masq: false },
    { name: 'NodePort on a LOCAL address (string-compared)', f: flow('203.0.113.2', '192.168.0.2', 30080), output: '10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080', masq: true },
    { name: 'NodePort on 127.0.0.1 (always LOCAL)', f: flow('127.0.0.1', '127.0.0.1', 30080), output: '10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080', masq: true },
    { name: 'NodePort on a non-local address does not match', f: flow('203.0.113.2', '192.168.0.9', 30080), output: '', masq: false },
  ])('$name', ({ f, output, masq }) => {
    const r = traceLikeUpstream(tables, f, NODE_IPS)
    expect(r.output).toBe(output)
    expect(r.masq).toBe(masq)
  })

  it('records matched rules in match order with table, chain and index', () => {
    const r = traceLikeUpstream(tables, flow('10.0.0.2', '172.30.0.46', 80), NODE_IPS)
    expect(r.matched).toEqual([
      { table: 'nat', chain: 'PREROUTING', index: 0 },
      { table: 'filter', chain: 'KUBE-SERVICES', index: 0 },
    ])
    const p = traceLikeUpstream(tables, flow('10.0.0.2', '172.30.0.42', 80), NODE_IPS)
    expect(p.matched.map((m) => `${m.table}/${m.chain}/${m.index}`)).toEqual([
      'nat/PREROUTING/0',
      'nat/KUBE-SERVICES/1',
      'nat/KUBE-SVC-BBBBBBBBBBBBBBBB/3',
      'nat/KUBE-SEP-B1/1',
      'nat/KUBE-SVC-BBBBBBBBBBBBBBBB/4',
      'nat/KUBE-SEP-B2/1',
    ])
  })

  it('ignores RETURN (upstream looks for a chain named RETURN and carries on)', () => {
    const t = [
      table('nat', chain('PREROUTING', rule(jump('X'))), chain('X', rule(verdict('RETURN'), src('10.0.0.0/8')), rule(dnat('1.2.3.4:80')))),
    ]
    expect(traceLikeUpstream(t, flow('10.0.0.2', '9.9.9.9', 80), []).output).toBe('1.2.3.4:80')
  })

  it('a non-probabilistic jump that terminated ends the calling chain; a probabilistic one does not', () => {
    const t = [
      table(
        'nat',
        chain('PREROUTING', rule(jump('A'), prob('0.5000000000')), rule(jump('B')), rule(jump('C'))),
        chain('A', rule(dnat('1.1.1.1:1'))),
        chain('B', rule(dnat('2.2.2.2:2'))),
        chain('C', rule(dnat('3.3.3.3:3'))),
      ),
    ]
    expect(traceLikeUpstream(t, flow('10.0.0.2', '9.9.9.9', 80), []).output).toBe('1.1.1.1:1, 2.2.2.2:2')
  })

  it('rewrites the destination to the text before the first ":" of the first output (the IPv6 quirk)', () => {
    const t = [
      table('nat', chain('PREROUTING', rule(dnat('[fd00::5]:80')))),
      // Matches only if the destination parsed; "[fd00" does not, so a negated -d matches.
      table('filter', chain('KUBE-SERVICES', rule(verdict('REJECT'), dst('fd00::5'))), chain('KUBE-NODEPORTS', rule(verdict('DROP'), dst('fd00::5', true)))),
    ]
    expect(traceLikeUpstream(t, flow('fd00:10::2', 'fd00:1::1', 80), []).output).toBe('[fd00::5]:80, DROP')
    const t4 = [
      table('nat', chain('PREROUTING', rule(dnat('10.1.1.1:80')))),
      table('filter', chain('KUBE-SERVICES', rule(verdict('REJECT'), dst('10.1.1.1'), proto(), dport(80)))),
    ]
    // The port is not rewritten by the quirk: only the IP.
    expect(traceLikeUpstream(t4, flow('10.0.0.2', '9.9.9.9', 80), []).output).toBe('10.1.1.1:80, REJECT')
  })

  it('walks all four filter chains to completion, in order, after nat', () => {
    const t = [
      table(
        'filter',
        chain('KUBE-PROXY-FIREWALL', rule(verdict('DROP'))),
        chain('KUBE-NODEPORTS', rule(verdict('ACCEPT'))),
        chain('KUBE-EXTERNAL-SERVICES', rule(verdict('DROP'))),
        chain('KUBE-SERVICES', rule(verdict('REJECT'))),
        chain('INPUT', rule(verdict('ACCEPT'))),
      ),
    ]
    expect(traceLikeUpstream(t, flow('1.1.1.1', '2.2.2.2', 1), []).output).toBe('REJECT, DROP, ACCEPT, DROP')
  })

  it('compares addresses parsed (leading zeros, CIDR) and honours negation', () => {
    const t = [table('nat', chain('PREROUTING', rule(dnat('1.1.1.1:1'), src('10.0.0.0/8', true)), rule(dnat('2.2.2.2:2'), dst('172.030.0.1'))))]
    expect(traceLikeUpstream(t, flow('10.0.0.2', '172.30.0.1', 80), []).output).toBe('2.2.2.2:2')
    expect(traceLikeUpstream(t, flow('11.0.0.2', '172.30.0.1', 80), []).output).toBe('1.1.1.1:1')
  })

  it('normalises the protocol like the upstream runner', () => {
    expect(normaliseProtocol('')).toBe('tcp')
    expect(normaliseProtocol('SCTP')).toBe('sctp')
  })
})
