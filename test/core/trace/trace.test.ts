import { describe, expect, it } from 'vitest'
import { tracePacket } from '../../../src/core/trace/trace.ts'
import type { Probe, Trace } from '../../../src/core/trace/types.ts'
import type { Table } from '../../../src/core/proxy/iptables/ir.ts'
import { chain, dnat, jump, prob, rule, sampleTables, src, table, verdict, NODE_IPS } from './rules.ts'

function probe(sourceIP: string, destIP: string, destPort: number, protocol: Probe['protocol'] = 'tcp'): Probe {
  const local = NODE_IPS.includes(sourceIP) || sourceIP.startsWith('127.')
  return { name: 't', from: sourceIP, to: `${destIP}:${destPort}`, sourceIP, destIP, destPort, protocol, node: 'n1', local }
}

function trace(p: Probe, tables: readonly Table[] = sampleTables()): Trace {
  return tracePacket({ tables, probe: p, localIPs: NODE_IPS, locate: (ref) => ({ ...ref, text: `${ref.chain}#${ref.index}` }) })
}

const total = (t: Trace) => t.outcomes.reduce((s, o) => s + o.probability, 0)

describe('tracePacket outcomes and probabilities', () => {
  it('splits 1/(n-i) into equal shares that sum to 1', () => {
    const t = trace(probe('10.0.0.2', '172.30.0.41', 80))
    expect(t.outcomes.map((o) => [o.verdict, o.dnat, o.fraction])).toEqual([
      ['DNAT', '10.180.0.1:8080', '1/3'],
      ['DNAT', '10.180.0.2:8080', '1/3'],
      ['DNAT', '10.180.0.3:8080', '1/3'],
    ])
    expect(total(t)).toBeCloseTo(1, 12)
    expect(t.outcomes.every((o) => !o.masquerade && !o.marked && !o.hairpin)).toBe(true)
    expect(t.hooks).toEqual(['nat PREROUTING', 'filter FORWARD', 'nat POSTROUTING'])
    expect(t.output).toBe('10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080')
    expect(t.masquerade).toBe(false)
    expect(t.notes).toEqual([])
  })

  it('multiplies probabilities of nested splits and keeps Σ = 1 for many endpoints', () => {
    const n = 7
    const svc = chain(
      'KUBE-SVC-X',
      ...Array.from({ length: n }, (_, i) =>
        rule(jump(`SEP${i}`), ...(i < n - 1 ? [prob((1 / (n - i)).toFixed(10))] : [])),
      ),
    )
    const seps = Array.from({ length: n }, (_, i) => chain(`SEP${i}`, rule(dnat(`10.1.0.${i}:80`))))
    const tables = [table('nat', chain('PREROUTING', rule(jump('KUBE-SVC-X'))), svc, ...seps)]
    const t = trace(probe('10.0.0.2', '172.30.0.1', 80), tables)
    expect(t.outcomes).toHaveLength(n)
    expect(t.outcomes.every((o) => o.fraction === '1/7')).toBe(true)
    expect(total(t)).toBeCloseTo(1, 12)
  })

  it('takes a non-1/k probability at face value', () => {
    const tables = [
      table('nat', chain('PREROUTING', rule(dnat('1.1.1.1:1'), prob('0.2500000001')), rule(dnat('2.2.2.2:2')))),
    ]
    const t = trace(probe('10.0.0.2', '9.9.9.9', 80), tables)
    expect(t.outcomes.map((o) => o.fraction)).toEqual(['2500000001/10000000000', '7499999999/10000000000'])
  })

  it('marks external traffic to a cluster IP and masquerades it in POSTROUTING', () => {
    const t = trace(probe('203.0.113.2', '172.30.0.41', 80))
    expect(t.masquerade).toBe(true)
    expect(t.outcomes.every((o) => o.masquerade && o.marked)).toBe(true)
    const path = t.outcomes[0]?.path.map((s) => s.text)
    expect(path).toEqual([
      'PREROUTING#0',
      'KUBE-SERVICES#0',
      'KUBE-SVC-AAAAAAAAAAAAAAAA#0',
      'KUBE-MARK-MASQ#0',
      'KUBE-SVC-AAAAAAAAAAAAAAAA#1',
      'KUBE-SEP-A1#1',
      'FORWARD#0',
      // The masquerade mark makes KUBE-FORWARD accept: filter KUBE-SERVICES is never reached.
      'FORWARD#1',
      'KUBE-FORWARD#1',
      'POSTROUTING#0',
      'KUBE-POSTROUTING#1',
      'KUBE-POSTROUTING#2',
    ])
  })

  it('reports a hairpin: only the branch back to the sender is masqueraded', () => {
    const t = trace(probe('10.180.0.2', '172.30.0.41', 80))
    expect(t.outcomes.map((o) => [o.dnat, o.hairpin, o.masquerade])).toEqual([
      ['10.180.0.1:8080', false, false],
      ['10.180.0.2:8080', true, true],
      ['10.180.0.3:8080', false, false],
    ])
    expect(t.masquerade).toBe(true)
    expect(t.notes.join('\n')).toMatch(/Hairpin/)
    expect(t.notes.join('\n')).toMatch(/Only some outcomes are masqueraded/)
  })

  it('models traffic from the node itself through nat OUTPUT and says so', () => {
    const t = trace(probe('192.168.0.2', '172.30.0.41', 80))
    expect(t.probe.local).toBe(true)
    expect(t.hooks).toEqual(['nat OUTPUT', 'filter OUTPUT', 'nat POSTROUTING'])
    expect(t.outcomes).toHaveLength(3)
    expect(t.outcomes.every((o) => o.masquerade)).toBe(true)
    expect(t.outcomes[0]?.path[0]?.chain).toBe('OUTPUT')
    expect(t.notes[0]).toMatch(/nat OUTPUT/)
    // The upstream summary is still computed through PREROUTING.
    expect(t.output).toBe('10.180.0.1:8080, 10.180.0.2:8080, 10.180.0.3:8080')
    expect(t.masquerade).toBe(true)
  })

  it('local traffic to a local NodePort goes through filter INPUT after loopback delivery', () => {
    const t = trace(probe('127.0.0.1', '127.0.0.1', 30080))
    expect(t.outcomes.map((o) => o.verdict)).toEqual(['DNAT', 'DNAT', 'DNAT'])
    // The pod address is not local, so there is no INPUT step; KUBE-FIREWALL is never reached.
    expect(t.hooks).toEqual(['nat OUTPUT', 'filter OUTPUT', 'nat POSTROUTING'])
  })

  it('reports ClientIP affinity and still splits the first connection', () => {
    const t = trace(probe('10.0.0.2', '172.30.0.42', 80))
    expect(t.affinity?.timeoutSeconds).toBe(10800)
    expect(t.affinity?.note).toMatch(/same\s+client address/)
    expect(t.outcomes.map((o) => [o.dnat, o.fraction])).toEqual([
      ['10.180.1.1:80', '1/2'],
      ['10.180.1.2:80', '1/2'],
    ])
    expect(trace(probe('10.0.0.2', '172.30.0.41', 80)).affinity).toBeUndefined()
  })

  it('gives the terminal verdict and the rule that decided it when there is no DNAT', () => {
    const t = trace(probe('10.0.0.2', '172.30.0.46', 80))
    expect(t.output).toBe('REJECT')
    expect(t.outcomes).toHaveLength(1)
    expect(t.outcomes[0]?.verdict).toBe('REJECT')
    expect(t.outcomes[0]?.decidedBy).toMatchObject({ table: 'filter', chain: 'KUBE-SERVICES', index: 0 })
    expect(t.outcomes[0]?.masquerade).toBe(false)
  })

  it('says "none" when no rule decides anything', () => {
    const t = trace(probe('10.0.0.2', '172.30.0.99', 80))
    expect(t.output).toBe('')
    expect(t.outcomes.map((o) => [o.verdict, o.probability])).toEqual([['none', 1]])
  })

  it('NodePort from outside: INPUT is not taken because DNAT sends it to a pod (FORWARD)', () => {
    const t = trace(probe('203.0.113.2', '192.168.0.2', 30080))
    expect(t.hooks).toEqual(['nat PREROUTING', 'filter FORWARD', 'nat POSTROUTING'])
    expect(t.outcomes.every((o) => o.verdict === 'DNAT' && o.masquerade)).toBe(true)
  })

  it('notes where RETURN makes the real path differ from the upstream tracer', () => {
    const tables = [
      table('nat', chain('PREROUTING', rule(jump('X'))), chain('X', rule(verdict('RETURN'), src('10.0.0.0/8')), rule(dnat('1.2.3.4:80')))),
    ]
    const t = trace(probe('10.0.0.2', '9.9.9.9', 80), tables)
    expect(t.output).toBe('1.2.3.4:80')
    expect(t.outcomes[0]?.verdict).toBe('none')
    expect(t.notes.join('\n')).toMatch(/real path the result is no rule deciding anything; kube-proxy's test tracer says "1.2.3.4:80"/)
  })

  it('a DROP after DNAT is a DROP that still names the DNAT destination', () => {
    const tables = [
      table('nat', chain('PREROUTING', rule(dnat('10.9.9.9:80')))),
      table('filter', chain('FORWARD', rule(verdict('DROP'), src('10.0.0.2')))),
    ]
    const t = trace(probe('10.0.0.2', '9.9.9.9', 80), tables)
    expect(t.outcomes[0]).toMatchObject({ verdict: 'DROP', dnat: '10.9.9.9:80', masquerade: false })
  })
})

describe('tracePacket on odd user rulesets', () => {
  it('does not loop forever on a jump cycle and says why', () => {
    const tables = [table('nat', chain('PREROUTING', rule(jump('A'))), chain('A', rule(jump('B'))), chain('B', rule(jump('A'))))]
    const t = trace(probe('10.0.0.2', '9.9.9.9', 80), tables)
    expect(t.outcomes.map((o) => o.verdict)).toEqual(['none'])
    expect(t.notes.join('\n')).toMatch(/nest deeper than 64 chains/)
  })

  it('merges equal branches: 20 probabilistic jumps that return are one exact outcome, not 2^20', () => {
    // Each jump returns with the packet unchanged, so taken and skipped branches are equal
    // again at the next rule: they walk on as one with the summed probability.
    const rules = Array.from({ length: 20 }, () => rule(jump('NOP'), prob('0.5000000000')))
    const tables = [table('nat', chain('PREROUTING', ...rules), chain('NOP'))]
    const t = trace(probe('10.0.0.2', '9.9.9.9', 80), tables)
    expect(t.outcomes).toHaveLength(1)
    expect(t.outcomes[0]?.fraction).toBe('1')
    expect(t.limitReached).toBeUndefined()
  })

  it('keeps exact odds when branches differ, and stops at the path limit instead of enumerating 2^22', () => {
    // Each rule ORs its own mark bit, so every subset of the 22 rules is a different packet.
    const marking = (bit: number) => rule({ kind: 'mark', op: 'or', value: 1 << bit }, prob('0.5000000000'))
    const few = [table('nat', chain('PREROUTING', ...Array.from({ length: 3 }, (_, i) => marking(i)), rule(dnat('10.9.9.9:80'))))]
    const small = trace(probe('10.0.0.2', '9.9.9.9', 80), few)
    expect(small.outcomes.map((o) => o.fraction)).toEqual(Array(8).fill('1/8'))
    const many = [table('nat', chain('PREROUTING', ...Array.from({ length: 22 }, (_, i) => marking(i))))]
    const started = performance.now()
    const t = tracePacket({ tables: many, probe: probe('10.0.0.2', '9.9.9.9', 80), localIPs: NODE_IPS, locate: (r) => ({ ...r, text: '' }), maxPaths: 1000 })
    expect(performance.now() - started).toBeLessThan(5000)
    expect(t.limitReached).toMatchObject({ chain: 'PREROUTING' })
  })

  it('notes a jump to a chain the ruleset does not hold', () => {
    const tables = [table('nat', chain('PREROUTING', rule(jump('MISSING'))))]
    expect(trace(probe('10.0.0.2', '9.9.9.9', 80), tables).notes.join('\n')).toMatch(/MISSING, which the ruleset does not hold/)
  })
})
