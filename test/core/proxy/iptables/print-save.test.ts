import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Rule, Ruleset } from '../../../../src/core/proxy/iptables/ir.ts'
import { JUMP_RULES } from '../../../../src/core/proxy/iptables/jump-chains.ts'
import { toKernelRule } from '../../../../src/core/proxy/iptables/kernel-rule.ts'
import { parseRestore } from '../../../../src/core/proxy/iptables/parse.ts'
import { formatProbability, printSave, saveRule, saveString } from '../../../../src/core/proxy/iptables/print-save.ts'
import { SPEC_JUMP_RULES } from '../../../kernel/helpers/spec-jump-rules.ts'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/conformance/kube-proxy-iptables')
const CAPTURED = join(import.meta.dirname, '../../../kernel/captured-1.8.9')
const read = (dir: string, p: string): string => readFileSync(join(dir, p), 'utf8')

function ruleset(text: string): Ruleset {
  const parsed = parseRestore(text)
  expect(parsed.issues).toEqual([])
  return parsed.value
}

/** One rule's save line, from restore-form arguments. */
function save(args: string, family: 'IPv4' | 'IPv6' = 'IPv4'): string {
  const rs = parseRestore(`*nat\n:C - [0:0]\n-A C ${args}\nCOMMIT\n`, { family })
  const rule = rs.value.tables[0]?.chains[0]?.rules[0] as Rule
  return saveRule('C', toKernelRule(rule, family), family)
}

describe('printSave reproduces real iptables 1.8.9 output', () => {
  it('uses the spec §2.2 jump rules', () => {
    expect(JUMP_RULES).toEqual(SPEC_JUMP_RULES)
  })

  it.each(['overall-iptables-rules', 'sync-proxy-rules-repeated-step1'])('%s: real-iptables-save.txt byte for byte', (c) => {
    const rs = ruleset(read(FIXTURES, `${c}/expected.iptables`))
    expect(printSave(rs, { jumpRules: JUMP_RULES })).toBe(read(FIXTURES, `${c}/real-iptables-save.txt`))
  })

  it.each(['ipv4', 'ipv6'])('captured feature payload (%s): udp/sctp, masks, -i/-o, escapes, --random-fully, -X', (v) => {
    const rs = ruleset(read(CAPTURED, `features-${v}.iptables`))
    expect(rs.family).toBe(v === 'ipv4' ? 'IPv4' : 'IPv6')
    expect(printSave(rs, { jumpRules: [] })).toBe(read(CAPTURED, `features-${v}.save.txt`))
  })

  it('is a fixed point on its own output (parse real iptables-save, print again)', () => {
    const real = read(FIXTURES, 'overall-iptables-rules/real-iptables-save.txt')
    expect(printSave(ruleset(real), { jumpRules: [] })).toBe(real)
  })

  it('prints the jump rules in inserted-at-1 order and creates their target chains', () => {
    const out = printSave({ backend: 'iptables', family: 'IPv4', node: '', tables: [] }, { jumpRules: JUMP_RULES })
    const input = out.split('\n').filter((l) => l.startsWith('-A INPUT '))
    expect(input.map((l) => l.split(' -j ')[1])).toEqual(['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES'])
    expect(out).toContain(':KUBE-PROXY-FIREWALL - [0:0]\n')
    expect(out.startsWith('*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n')).toBe(true)
  })

  it('sorts user chains by strcmp, not by the payload order', () => {
    const out = printSave(ruleset('*filter\n:b - [0:0]\n:B - [0:0]\n:KUBE-Z - [0:0]\n:KUBE-A - [0:0]\nCOMMIT\n'), { jumpRules: [] })
    expect(out.split('\n').filter((l) => l.startsWith(':') && l.endsWith(' - [0:0]'))).toEqual([
      ':B - [0:0]', ':KUBE-A - [0:0]', ':KUBE-Z - [0:0]', ':b - [0:0]',
    ])
  })

  it('keeps built-in chain rules on --noflush and applies a declared policy', () => {
    const out = printSave(ruleset('*filter\n:INPUT DROP [0:0]\n-A INPUT -j ACCEPT\nCOMMIT\n'), { jumpRules: JUMP_RULES, tables: ['filter'] })
    expect(out).toContain(':INPUT DROP [0:0]\n')
    expect(out.split('\n').filter((l) => l.startsWith('-A INPUT '))).toHaveLength(5)
    expect(out.split('\n').filter((l) => l.startsWith('-A INPUT ')).at(-1)).toBe('-A INPUT -j ACCEPT')
  })
})

describe('save canonicalisation of single rules (spec §8)', () => {
  it('hoists addresses and -p, adds /32 and /128, masks the address', () => {
    expect(save('-m comment --comment "a b" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.1.2.3/8 -j X')).toBe(
      '-A C ! -s 10.0.0.0/8 -d 172.30.0.41/32 -p tcp -m comment --comment "a b" -m tcp --dport 80 -j X',
    )
    expect(save('-s 0.0.0.0/0 -j X')).toBe('-A C -j X')
    expect(save('-d 10.1.2.3/255.0.255.0 -j X')).toBe('-A C -d 10.0.2.0/255.0.255.0 -j X')
    expect(save('-d FD00::0001 -j X', 'IPv6')).toBe('-A C -d fd00::1/128 -j X')
    expect(save('-d 2001:db8:0:0:1:0:0:1/96 -j X', 'IPv6')).toBe('-A C -d 2001:db8:0:0:1::/96 -j X')
    expect(save('-s ::ffff:1.2.3.4 -j X', 'IPv6')).toBe('-A C -s ::ffff:1.2.3.4/128 -j X')
  })

  it('loads the protocol match implicitly for a --dport without -m', () => {
    expect(save('-p udp --dport 53 -j X')).toBe('-A C -p udp -m udp --dport 53 -j X')
    expect(save('-m tcp -p tcp ! --dport 53 -j X')).toBe('-A C -p tcp -m tcp ! --dport 53 -j X')
  })

  it('prints the targets with their defaults', () => {
    expect(save('-j REJECT')).toBe('-A C -j REJECT --reject-with icmp-port-unreachable')
    expect(save('-j REJECT', 'IPv6')).toBe('-A C -j REJECT --reject-with icmp6-port-unreachable')
    expect(save('-j REJECT --reject-with tcp-rst')).toBe('-A C -j REJECT --reject-with tcp-reset')
    expect(save('-j MARK --or-mark 0x00004000')).toBe('-A C -j MARK --set-xmark 0x4000/0x4000')
    expect(save('-j MARK --xor-mark 0x4000')).toBe('-A C -j MARK --set-xmark 0x4000/0x0')
    expect(save('-j MASQUERADE --random-fully')).toBe('-A C -j MASQUERADE --random-fully')
    expect(save('-m udp -p udp -j DNAT --to-destination [FD00::0A]:53', 'IPv6')).toBe('-A C -p udp -m udp -j DNAT --to-destination [fd00::a]:53')
  })

  it('orders conntrack states as print_state and keeps -m order', () => {
    expect(save('-m conntrack --ctstate DNAT,ESTABLISHED,INVALID -m comment --comment x -j X')).toBe(
      '-A C -m conntrack --ctstate INVALID,ESTABLISHED,DNAT -m comment --comment x -j X',
    )
  })

  it('prints recent, nfacct and mark in their save forms', () => {
    expect(save('-m recent --name S --rcheck --seconds 5 --reap -j S', 'IPv6')).toBe(
      '-A C -m recent --rcheck --seconds 5 --reap --name S --mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource -j S',
    )
    expect(save('-m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP')).toBe(
      '-A C -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP',
    )
    expect(save('-m mark --mark 0x4000/0xffffffff -j X')).toBe('-A C -m mark --mark 0x4000 -j X')
  })
})

describe('number and string formats', () => {
  it('probabilities match the spec §8 table (lround(2^31 p) printed %.11f)', () => {
    const table: Record<number, string> = {
      2: '0.50000000000', 3: '0.33333333349', 4: '0.25000000000', 5: '0.20000000019', 6: '0.16666666651',
      7: '0.14285714272', 8: '0.12500000000', 9: '0.11111111101', 10: '0.10000000009', 12: '0.08333333349',
      20: '0.04999999981', 100: '0.00999999978',
    }
    for (const [n, want] of Object.entries(table)) {
      const kubeProxy = (1 / Number(n)).toFixed(10)
      expect(save(`-m statistic --mode random --probability ${kubeProxy} -j X`)).toBe(`-A C -m statistic --mode random --probability ${want} -j X`)
    }
  })

  it('rounds exact ties half to even like glibc printf', () => {
    // 1/4096 = 0.000244140625 exactly: the 12th digit is a tie.
    expect(formatProbability(0x80000000 / 4096)).toBe('0.00024414062')
    expect(formatProbability(3 * (0x80000000 / 4096))).toBe('0.00073242188')
    expect(formatProbability(0x80000000)).toBe('1.00000000000')
    expect(formatProbability(0)).toBe('0.00000000000')
  })

  it('quotes like xtables_save_string', () => {
    expect(saveString('abc_-09')).toBe(' abc_-09')
    expect(saveString('')).toBe(' ""')
    expect(saveString('ns/a:b')).toBe(' "ns/a:b"')
    expect(saveString(`x"y\\z'`)).toBe(` "x\\"y\\\\z\\'"`)
  })
})
