/** The front end's shortcut for canonical IPv4 texts agrees with parsing and printing them. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalIP, isCanonicalIPv4 } from '../../../src/core/proxy/canonical-ip.ts'
import { formatIP, parseIPSloppy } from '../../../src/core/net/ip.ts'

function viaParser(s: string): boolean {
  const ip = parseIPSloppy(s)
  return ip !== undefined && ip.family === 'IPv4' && formatIP(ip) === s
}

describe('isCanonicalIPv4', () => {
  it('is true exactly when parseIPSloppy + formatIP give the IPv4 text back', () => {
    const part = fc.oneof(fc.nat(300).map(String), fc.constantFrom('', '0', '00', '01', '010', '255', '256', '1000', 'a', '-1', ' 1', '1 '))
    const text = fc.oneof(
      fc.array(part, { minLength: 1, maxLength: 6 }).map((ps) => ps.join('.')),
      fc.stringMatching(/^[0-9.:a-f]{0,20}$/),
      fc.constantFrom('::ffff:10.0.0.1', '10.0.0.1/32', '1.2.3.4.', '.1.2.3.4', '1..2.3', '0.0.0.0', '255.255.255.255'),
    )
    fc.assert(
      fc.property(text, (s) => {
        expect(isCanonicalIPv4(s)).toBe(viaParser(s))
      }),
      { numRuns: 5000, seed: 3 },
    )
  })

  it('canonicalIP is parse + print, for either family', () => {
    for (const [text, family, want] of [
      ['10.1.2.3', 'IPv4', '10.1.2.3'],
      ['010.1.2.3', 'IPv4', '10.1.2.3'],
      ['10.1.2.3', 'IPv6', undefined],
      ['fd00:0::1', 'IPv6', 'fd00::1'],
      ['fd00::1', 'IPv4', undefined],
      ['bad', 'IPv4', undefined],
    ] as const) {
      expect(canonicalIP(text, family), `${text} ${family}`).toBe(want)
    }
  })

  it('takes the usual endpoint addresses and refuses the ones that need parsing', () => {
    expect(isCanonicalIPv4('10.1.2.3')).toBe(true)
    expect(isCanonicalIPv4('010.1.2.3')).toBe(false)
    expect(isCanonicalIPv4('10.1.2')).toBe(false)
    expect(isCanonicalIPv4('10.1.2.256')).toBe(false)
  })
})
