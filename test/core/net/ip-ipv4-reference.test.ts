/**
 * The index-scanning IPv4 parser and the double-based IPv4 formatter must agree with the
 * slicing/bigint versions they replaced (kept below as the reference, line for line as they
 * were): every IPv4 text, dotted-quad suffix of IPv6 and address value gives the same answer.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatIP, parseIPSloppy } from '../../../src/core/net/ip.ts'

const BIG = 0xffffff
function dtoi(s: string): { n: number; len: number } | undefined {
  let n = 0
  let i = 0
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 48 || c > 57) break
    n = n * 10 + (c - 48)
    if (n >= BIG) return undefined
  }
  return i === 0 ? undefined : { n, len: i }
}
function referenceParseIPv4(s: string): bigint | undefined {
  let v = 0n
  let rest = s
  for (let i = 0; i < 4; i++) {
    if (rest.length === 0) return undefined
    if (i > 0) {
      if (rest[0] !== '.') return undefined
      rest = rest.slice(1)
    }
    const d = dtoi(rest)
    if (d === undefined || d.n > 0xff) return undefined
    rest = rest.slice(d.len)
    v = (v << 8n) | BigInt(d.n)
  }
  return rest.length === 0 ? v : undefined
}
const referenceFormatIPv4 = (v: bigint): string => `${(v >> 24n) & 0xffn}.${(v >> 16n) & 0xffn}.${(v >> 8n) & 0xffn}.${v & 0xffn}`

/** Strings made of the characters an IPv4 parser cares about. */
const ipLike = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '.', ':', 'a', ' ', '-', '٣'), maxLength: 24 })
const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('000', '0255', '256', '99999999', '', '00000000000001'))
const quads = fc.tuple(octet, octet, octet, octet).map((xs) => xs.join('.'))

describe('IPv4 parsing and formatting against the reference', () => {
  it('parses every IPv4-like text the same way', () => {
    fc.assert(
      fc.property(fc.oneof(ipLike, quads), (s) => {
        const ref = s.includes('.') && !s.slice(0, s.indexOf('.')).includes(':') ? referenceParseIPv4(s) : undefined
        const got = parseIPSloppy(s)
        if (ref !== undefined) expect(got).toEqual({ family: 'IPv4', value: ref })
        else if (!s.includes(':')) expect(got, s).toBeUndefined()
      }),
      { numRuns: 20000 },
    )
  })

  it('parses the dotted tail of IPv6 the same way', () => {
    fc.assert(
      fc.property(quads, (q) => {
        const ref = referenceParseIPv4(q)
        const got = parseIPSloppy(`::ffff:${q}`)
        expect(got, q).toEqual(ref === undefined ? undefined : { family: 'IPv4', value: ref })
        const v6 = parseIPSloppy(`64:ff9b::${q}`)
        expect(v6, q).toEqual(ref === undefined ? undefined : { family: 'IPv6', value: (0x64ff9bn << 96n) | ref })
      }),
      { numRuns: 5000 },
    )
  })

  it('formats every 32-bit value (and out-of-range values) the same way', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), (v) => {
        expect(formatIP({ family: 'IPv4', value: v })).toBe(referenceFormatIPv4(v))
      }),
      { numRuns: 20000 },
    )
    for (const v of [0n, 1n, 0xffn, 0x100n, 0x7fffffffn, 0x80000000n, 0xffffffffn]) expect(formatIP({ family: 'IPv4', value: v })).toBe(referenceFormatIPv4(v))
  })
})
