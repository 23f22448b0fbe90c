/**
 * @module apiserver/allocate/ip-families
 * Defaulting and checking of ipFamilyPolicy / ipFamilies against the cluster's families, mirroring
 * pkg/registry/core/service/storage/alloc.go initIPFamilyFields (create and update) and
 * isMatchingPreferDualStackClusterIPFields. Runs before any IP is allocated; its errors are the
 * first a user sees (registry `BeginCreate` calls `initIPFamilyFields` before allocating).
 */
import type { Family } from '../../net/ip.ts'
import type { ServiceDraft } from '../service/draft.ts'
import { isHeadless, isSelectorless } from '../service/draft.ts'
import { validateClusterIPsRelatedFields, isIPv6String } from '../validate/cluster-ips.ts'
import { goStringSlice, invalid, nil, str } from '../validate/field-errors.ts'
import type { FieldError } from '../validate/field-errors.ts'

const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])
const needsIP = (t: string): boolean => t === 'ClusterIP' || t === 'NodePort' || t === 'LoadBalancer'
const other = (f: string): Family => (f === 'IPv4' ? 'IPv6' : 'IPv4')

/** isMatchingPreferDualStackClusterIPFields: an unchanged PreferDualStack Service is left alone. */
export function isUnchangedPreferDualStack(d: ServiceDraft, old: ServiceDraft | undefined): boolean {
  if (old === undefined || d.ipFamilyPolicy === undefined) return false
  if (old.type !== d.type || !needsIP(d.type)) return false
  if (d.ipFamilyPolicy !== 'PreferDualStack') return false
  if (old.ipFamilyPolicy !== undefined && old.ipFamilyPolicy !== 'PreferDualStack') return false
  return same(old.clusterIPs, d.clusterIPs) && same(old.ipFamilies, d.ipFamilies)
}

/**
 * initIPFamilyFields. `families` are the configured families in flag order (primary first).
 * Mutates the draft; returns the errors of the first failing block (upstream returns early).
 */
export function initIPFamilyFields(d: ServiceDraft, old: ServiceDraft | undefined, families: readonly Family[]): FieldError[] {
  if (d.type === 'ExternalName') return []
  if (isUnchangedPreferDualStack(d, old)) return []
  const primary = families[0] ?? 'IPv4'
  const configured = (f: string): boolean => (families as readonly string[]).includes(f)

  if (d.ipFamilyPolicy === undefined) {
    if (old?.ipFamilyPolicy !== undefined) d.ipFamilyPolicy = old.ipFamilyPolicy
    else d.ipFamilyPolicy = isHeadless(d) && isSelectorless(d) ? 'RequireDualStack' : 'SingleStack'
  }

  const loose = validateClusterIPsRelatedFields(d)
  if (loose.length > 0) return loose

  const el: FieldError[] = []
  if (old !== undefined) {
    if (d.ipFamilyPolicy === 'SingleStack') {
      // Setting SingleStack with the lists unchanged is a clear request to downgrade.
      if (same(old.clusterIPs, d.clusterIPs) && d.clusterIPs.length > 1) d.clusterIPs = d.clusterIPs.slice(0, 1)
      if (same(old.ipFamilies, d.ipFamilies) && d.ipFamilies.length > 1) d.ipFamilies = d.ipFamilies.slice(0, 1)
    } else {
      if (d.clusterIPs.length > 0 && d.clusterIPs.length < old.clusterIPs.length) {
        el.push(invalid('spec.ipFamilyPolicy', str(d.ipFamilyPolicy), "must be 'SingleStack' to release the secondary cluster IP"))
      }
      if (d.ipFamilies.length > 0 && d.ipFamilies.length < old.ipFamilies.length) {
        el.push(invalid('spec.ipFamilyPolicy', str(d.ipFamilyPolicy), "must be 'SingleStack' to release the secondary IP family"))
      }
    }
  }

  const policy = (): string => (d.ipFamilyPolicy === undefined ? nil : str(d.ipFamilyPolicy))
  if (d.ipFamilyPolicy === 'SingleStack') {
    if (d.clusterIPs.length === 2) {
      el.push(invalid('spec.ipFamilyPolicy', policy(), "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"))
    }
    if (d.ipFamilies.length === 2) {
      el.push(invalid('spec.ipFamilyPolicy', policy(), "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"))
    }
  }

  for (let i = 0; i < d.clusterIPs.length; i++) {
    const ip = d.clusterIPs[i] ?? ''
    if (ip === 'None') break
    const fam: Family = isIPv6String(ip) ? 'IPv6' : 'IPv4'
    if (i >= d.ipFamilies.length) {
      if (!configured(fam)) el.push(invalid(`spec.clusterIPs[${i}]`, goStringSlice(d.clusterIPs), `${fam} is not configured on this cluster`))
      else d.ipFamilies.push(fam)
    }
  }
  if (el.length > 0) return el

  if (isHeadless(d) && isSelectorless(d)) {
    if (d.ipFamilies.length === 0) d.ipFamilies = [primary]
    // Even on a single-stack cluster: selector-less headless Services need no allocation.
    if (d.ipFamilies.length < 2 && d.ipFamilyPolicy !== 'SingleStack') d.ipFamilies.push(other(d.ipFamilies[0] ?? primary))
    return []
  }

  if (d.ipFamilyPolicy === 'RequireDualStack' && families.length < 2) {
    el.push(invalid('spec.ipFamilyPolicy', policy(), 'this cluster is not configured for dual-stack services'))
  }
  d.ipFamilies.forEach((f, i) => {
    if (!configured(f)) el.push(invalid(`spec.ipFamilies[${i}]`, str(f), 'not configured on this cluster'))
  })
  if (el.length > 0) return el

  if (d.ipFamilies.length === 0) d.ipFamilies = [primary]
  if (d.ipFamilyPolicy !== 'SingleStack' && d.ipFamilies.length === 1 && families.length === 2) {
    d.ipFamilies.push(other(d.ipFamilies[0] ?? primary))
  }
  return []
}
