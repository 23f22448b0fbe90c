/**
 * @module proxy/canonical-ip
 * Addresses as kube-proxy prints them after ParseIPSloppy (newBaseEndpointInfo, newBaseServiceInfo).
 * EndpointSlice addresses and cluster IPs are almost always written that way already
 * (`10.1.2.3`); for those, parsing (net/ip.ts parseIPSloppy) and printing back (formatIP)
 * returns the text unchanged, so the front end skips both for each of the ≈ 10⁵ endpoints of
 * a large plan.
 */
import type { IPFamily } from '../model/k8s.ts'
import { formatIP, parseIPSloppy } from '../net/ip.ts'

const DOT = 46
const ZERO = 48
const NINE = 57

/**
 * True when `s` is four decimal parts 0–255 separated by dots, none with a leading zero: exactly
 * the texts `formatIP(parseIPSloppy(s))` returns unchanged as an IPv4 address.
 */
export function isCanonicalIPv4(s: string): boolean {
  let parts = 0
  let digits = 0
  let value = 0
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : DOT
    if (c === DOT) {
      if (digits === 0 || value > 255) return false
      parts++
      digits = 0
      value = 0
      continue
    }
    if (c < ZERO || c > NINE) return false
    if (digits === 1 && value === 0) return false
    value = value * 10 + (c - ZERO)
    if (++digits > 3) return false
  }
  return parts === 4
}

/** `text` sloppy-parsed and printed canonically, or undefined when it is not a `family` address. */
export function canonicalIP(text: string, family: IPFamily): string | undefined {
  if (family === 'IPv4' && isCanonicalIPv4(text)) return text
  const ip = parseIPSloppy(text)
  return ip === undefined || ip.family !== family ? undefined : formatIP(ip)
}
