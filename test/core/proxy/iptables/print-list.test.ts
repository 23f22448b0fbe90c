import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Rule, Ruleset } from '../../../../src/core/proxy/iptables/ir.ts'
import { JUMP_RULES } from '../../../../src/core/proxy/iptables/jump-chains.ts'
import { toKernelRule } from '../../../../src/core/proxy/iptables/kernel-rule.ts'
import { parseRestore } from '../../../../src/core/proxy/iptables/parse.ts'
import { listRule, listTarget, printList } from '../../../../src/core/proxy/iptables/print-list.ts'

const FIXTURES = join(import.meta.dirname, '../../../fixtures/conformance/kube-proxy-iptables')
const CAPTURED = join(import.meta.dirname, '../../../kernel/captured-1.8.9')
const read = (dir: string, p: string): string => readFileSync(join(dir, p), 'utf8')

function ruleset(text: string): Ruleset {
  const parsed = parseRestore(text)
  expect(parsed.issues).toEqual([])
  return parsed.value
}

function list(args: string, family: 'IPv4' | 'IPv6' = 'IPv4'): string {
  const rs = parseRestore(`*nat\n:C - [0:0]\n-A C ${args}\nCOMMIT\n`, { family })
  return listRule(toKernelRule(rs.value.tables[0]?.chains[0]?.rules[0] as Rule, family), family)
}

describe('printList reproduces real iptables 1.8.9 -L -n output', () => {
  it.each(['overall-iptables-rules', 'sync-proxy-rules-repeated-step1'])('%s: real-iptables-list.txt byte for byte', (c) => {
    const rs = ruleset(read(FIXTURES, `${c}/expected.iptables`))
    expect(printList(rs, { jumpRules: JUMP_RULES })).toBe(read(FIXTURES, `${c}/real-iptables-list.txt`))
  })

  it.each(['ipv4', 'ipv6'])('captured feature payload (%s), including the ip6tables layout', (v) => {
    const rs = ruleset(read(CAPTURED, `features-${v}.iptables`))
    expect(printList(rs, { jumpRules: [] })).toBe(read(CAPTURED, `features-${v}.list.txt`))
  })

  it('lists the same as the real listing when fed real iptables-save output', () => {
    const rs = ruleset(read(FIXTURES, 'overall-iptables-rules/real-iptables-save.txt'))
    expect(printList(rs, { jumpRules: [] })).toBe(read(FIXTURES, 'overall-iptables-rules/real-iptables-list.txt'))
  })

  it('counts references per table and separates chains by one blank line', () => {
    const rs = ruleset('*nat\n:A - [0:0]\n:B - [0:0]\n-A A -j B\n-A A -j B\n-A B -j RETURN\nCOMMIT\n')
    const out = printList(rs, { jumpRules: [], tables: ['nat'] })
    expect(out).toContain('Chain A (0 references)\n')
    expect(out).toContain('Chain B (2 references)\n')
    expect(out.endsWith('RETURN     0    --  0.0.0.0/0            0.0.0.0/0           \n')).toBe(true)
    expect(out.split('\n\n')).toHaveLength(6) // 4 built-ins + A + B
  })
})

describe('rule columns and extension print texts', () => {
  it('pads the target to 9, the protocol number to 4, addresses to 19', () => {
    expect(list('-m tcp -p tcp -d 10.0.0.1 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ')).toBe(
      'KUBE-MARK-MASQ  6    -- !10.0.0.0/8           10.0.0.1             tcp dpt:80',
    )
    expect(list('-j DROP')).toBe('DROP       0    --  0.0.0.0/0            0.0.0.0/0           ')
    expect(list('-m comment --comment x')).toBe('           0    --  0.0.0.0/0            0.0.0.0/0            /* x */')
    expect(list('-m udp -p udp ! --dport 53 -j DROP', 'IPv6')).toBe('DROP       17   --  ::/0                 ::/0                 udp dpt:!53')
  })

  it('prints interfaces nowhere without -v', () => {
    expect(list('! -i cni0 -o eth0 -j ACCEPT')).toBe(list('-j ACCEPT'))
  })

  it('prints the MARK target like mark_tg_print', () => {
    const t = (mark: number, mask: number): string => listTarget({ kind: 'mark', mark, mask }).text
    expect(t(0x4000, 0x4000)).toBe(' MARK or 0x4000')
    expect(t(0x4000, 0)).toBe(' MARK xor 0x4000')
    expect(t(0x4000, 0xffffffff)).toBe(' MARK set 0x4000')
    expect(t(0, 0xffffbfff)).toBe(' MARK and 0x4000')
    expect(t(0x4000, 0xff00)).toBe(' MARK xset 0x4000/0xff00')
  })

  it('prints addrtype, conntrack, recent, statistic and nfacct like their print functions', () => {
    expect(list('-m addrtype ! --dst-type LOCAL -j X')).toMatch(/ ADDRTYPE match dst-type !LOCAL$/)
    expect(list('-m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j X')).toMatch(/ ! ctstate RELATED,ESTABLISHED,DNAT$/)
    expect(list('-m recent --name S --set -j X')).toMatch(/ recent: SET name: S side: source mask: 255\.255\.255\.255$/)
    expect(list('-m statistic --mode random --probability 0.2000000000 -j X')).toMatch(/ statistic mode random probability 0\.20000000019$/)
    expect(list('-m nfacct --nfacct-name a.b -j X')).toMatch(/ nfacct-name  "a\.b"$/)
    expect(list('-j REJECT', 'IPv6')).toMatch(/ reject-with icmp6-port-unreachable$/)
    expect(list('-j MASQUERADE --random-fully')).toMatch(/^MASQUERADE  0 .* random-fully$/)
  })
})
