import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  formatIPv6Groups,
  canonicalIP,
  cidrContains,
  formatCIDR,
  formatIP,
  ipFamilyOf,
  joinHostPort,
  parseCIDRSloppy,
  parseIPSloppy,
} from '../../../src/core/net/ip.ts'

describe('parseIPSloppy / canonicalIP', () => {
  it('accepts IPv4 leading zeros as decimal', () => {
    expect(canonicalIP('010.000.001.099')).toBe('10.0.1.99')
    expect(canonicalIP('172.30.0.041')).toBe('172.30.0.41')
    expect(canonicalIP('1.2.3.0000004')).toBe('1.2.3.4')
    expect(parseIPSloppy('10.0.0.1')).toEqual({ family: 'IPv4', value: 0x0a000001n })
  })
  it('rejects invalid IPv4', () => {
    for (const s of ['256.1.1.1', '1.2.3', '1.2.3.4.5', '1.2.3.4 ', ' 1.2.3.4', '1..2.3', '', 'a.b.c.d', '1.2.3.-4', '1.2.3.4/32'])
      expect(parseIPSloppy(s), s).toBeUndefined()
  })
  it('canonicalises IPv6 like Go net.IP.String', () => {
    expect(canonicalIP('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1')
    expect(canonicalIP('fd00:0000:0000:0000:0000:0000:0000:0001')).toBe('fd00::1')
    expect(canonicalIP('::')).toBe('::')
    expect(canonicalIP('::1')).toBe('::1')
    expect(canonicalIP('1::')).toBe('1::')
    // one zero group is not compressed
    expect(canonicalIP('1:0:2:3:4:5:6:7')).toBe('1:0:2:3:4:5:6:7')
    // tie between two runs of two: the first wins
    expect(canonicalIP('1:0:0:2:3:0:0:4')).toBe('1::2:3:0:0:4')
    // a longer later run wins
    expect(canonicalIP('1:0:0:2:0:0:0:4')).toBe('1:0:0:2::4')
    expect(canonicalIP('0:0:1:0:0:0:0:0')).toBe('0:0:1::')
    expect(canonicalIP('2001:db8::0.0.0.1')).toBe('2001:db8::1')
  })
  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(parseIPSloppy('::ffff:1.2.3.4')).toEqual({ family: 'IPv4', value: 0x01020304n })
    expect(canonicalIP('::ffff:0102:0304')).toBe('1.2.3.4')
    expect(ipFamilyOf('::ffff:10.0.0.1')).toBe('IPv4')
    expect(ipFamilyOf('::fffe:10.0.0.1')).toBe('IPv6')
  })
  it('rejects invalid IPv6', () => {
    for (const s of ['1:2', ':::', '1::2::3', 'fe80::1%eth0', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', ':1::', '1:', 'g::', '[::1]', '1:2:3:4:5:6:1.2.3.4:5'])
      expect(parseIPSloppy(s), s).toBeUndefined()
  })
  it('formatIP round-trips values', () => {
    expect(formatIP({ family: 'IPv6', value: 1n })).toBe('::1')
    expect(formatIP({ family: 'IPv4', value: 0xffffffffn })).toBe('255.255.255.255')
  })
})

describe('parseCIDRSloppy', () => {
  it('masks to the network form', () => {
    expect(formatCIDR(parseCIDRSloppy('203.0.113.77/25')!)).toBe('203.0.113.0/25')
    expect(formatCIDR(parseCIDRSloppy('010.0.0.1/008')!)).toBe('10.0.0.0/8')
    expect(formatCIDR(parseCIDRSloppy('2001:DB8::1/64')!)).toBe('2001:db8::/64')
    expect(formatCIDR(parseCIDRSloppy('0.0.0.0/0')!)).toBe('0.0.0.0/0')
    expect(formatCIDR(parseCIDRSloppy('::ffff:1.2.3.4/120')!)).toBe('1.2.3.0/24')
  })
  it('rejects bad CIDRs', () => {
    for (const s of ['1.2.3.4', '1.2.3.4/33', '::/129', '1.2.3.4/', '1.2.3.4/ 8', ' 1.2.3.4/8', '1.2.3.4/8 ', 'x/8', '1.2.3.4/-1'])
      expect(parseCIDRSloppy(s), s).toBeUndefined()
  })
  it('contains only same-family addresses', () => {
    const c = parseCIDRSloppy('192.168.0.0/16')!
    expect(cidrContains(c, parseIPSloppy('192.168.3.4')!)).toBe(true)
    expect(cidrContains(c, parseIPSloppy('192.169.0.1')!)).toBe(false)
    expect(cidrContains(c, parseIPSloppy('::ffff:192.168.1.1')!)).toBe(true)
    expect(cidrContains(parseCIDRSloppy('::/0')!, parseIPSloppy('1.2.3.4')!)).toBe(false)
    expect(cidrContains(parseCIDRSloppy('fd00::/8')!, parseIPSloppy('fd12::1')!)).toBe(true)
  })
})

describe('joinHostPort', () => {
  it('brackets IPv6 only', () => {
    expect(joinHostPort('10.0.0.1', 80)).toBe('10.0.0.1:80')
    expect(joinHostPort('fd00::1', 80)).toBe('[fd00::1]:80')
  })
})

describe('formatIPv6Groups', () => {
  it('formats eight groups as formatIP formats the address (property, zero runs favoured)', () => {
    const group = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff }))
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const value = groups.reduce((v, g) => (v << 16n) | BigInt(g), 0n)
        expect(formatIPv6Groups(groups)).toBe(formatIP({ family: 'IPv6', value }))
      }),
      { numRuns: 2000 },
    )
  })
})
