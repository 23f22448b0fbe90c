/**
 * @module apiserver/validate/cluster-ips
 * clusterIP / clusterIPs / ipFamilies / ipFamilyPolicy consistency, mirroring
 * pkg/apis/core/validation/validation.go ValidateServiceClusterIPsRelatedFields. Runs twice like
 * upstream: as the "loose" pre-validation inside allocation, and inside ValidateService.
 */
import { parseIPSloppy } from '../../net/ip.ts'
import type { ServiceDraft } from '../service/draft.ts'
import { isHeadless } from '../service/draft.ts'
import { duplicate, goStringSlice, invalid, notSupported, str } from './field-errors.ts'
import type { FieldError } from './field-errors.ts'

/** Sorted like sets.List(supportedServiceIPFamily). */
export const IP_FAMILIES = ['IPv4', 'IPv6'] as const
/** Sorted like sets.List(supportedServiceIPFamilyPolicy). */
export const IP_FAMILY_POLICIES = ['PreferDualStack', 'RequireDualStack', 'SingleStack'] as const

/** validation.IsValidIP detail text. */
export const INVALID_IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'

/** netutils.IsIPv6String: parses and is not IPv4 (mapped IPv4 counts as IPv4). */
export function isIPv6String(ip: string): boolean {
  return parseIPSloppy(ip)?.family === 'IPv6'
}

/** ValidateServiceClusterIPsRelatedFields. */
export function validateClusterIPsRelatedFields(d: ServiceDraft): FieldError[] {
  if (d.type === 'ExternalName') return []
  const errs: FieldError[] = []
  // The rendered list only goes into an error's text: built when one is reported (this runs
  // twice per Service, and a valid Service reports none).
  const ipsVal = (): string => goStringSlice(d.clusterIPs)
  let hasInvalidIPs = false
  if (d.clusterIP !== '') {
    if (d.clusterIPs.length === 0) errs.push({ type: 'Required', field: 'spec.clusterIPs', body: 'Required value' })
    else if (d.clusterIPs[0] !== d.clusterIP) errs.push(invalid('spec.clusterIPs', ipsVal(), 'first value must match `clusterIP`'))
  } else if (d.clusterIPs.length !== 0) {
    errs.push(invalid('spec.clusterIPs', ipsVal(), 'must be empty when `clusterIP` is not specified'))
  }

  const seen = new Set<string>()
  d.ipFamilies.forEach((f, i) => {
    if (!(IP_FAMILIES as readonly string[]).includes(f)) errs.push(notSupported(`spec.ipFamilies[${i}]`, str(f), IP_FAMILIES))
    if (seen.has(f)) errs.push(duplicate(`spec.ipFamilies[${i}]`, str(f)))
    seen.add(f)
  })

  if (d.ipFamilyPolicy !== undefined && !(IP_FAMILY_POLICIES as readonly string[]).includes(d.ipFamilyPolicy)) {
    errs.push(notSupported('spec.ipFamilyPolicy', str(d.ipFamilyPolicy), IP_FAMILY_POLICIES))
  }

  d.clusterIPs.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (d.clusterIPs.length > 1) {
        hasInvalidIPs = true
        errs.push(invalid('spec.clusterIPs', ipsVal(), "'None' must be the first and only value"))
      }
      return
    }
    if (parseIPSloppy(ip) === undefined) {
      hasInvalidIPs = true
      errs.push(invalid(`spec.clusterIPs[${i}]`, str(ip), INVALID_IP))
    }
  })

  if (d.clusterIPs.length > 2) errs.push(invalid('spec.clusterIPs', ipsVal(), 'may only hold up to 2 values'))
  if (hasInvalidIPs) return errs

  if (d.clusterIPs.length > 1) {
    const fams = new Set(d.clusterIPs.map((ip) => (isIPv6String(ip) ? 'IPv6' : 'IPv4')))
    if (fams.size < 2) errs.push(invalid('spec.clusterIPs', ipsVal(), 'may specify no more than one IP for each IP family'))
  }

  if (!isHeadless(d) && d.clusterIPs.length > 0 && d.ipFamilies.length > 0) {
    for (let i = 0; i < d.clusterIPs.length && i < d.ipFamilies.length; i++) {
      const ip = d.clusterIPs[i] ?? ''
      const fam = d.ipFamilies[i]
      if (fam === 'IPv4' && isIPv6String(ip)) {
        errs.push(invalid(`spec.clusterIPs[${i}]`, str(ip), `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``))
      }
      if (fam === 'IPv6' && !isIPv6String(ip)) {
        errs.push(invalid(`spec.clusterIPs[${i}]`, str(ip), `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``))
      }
    }
  }
  return errs
}
