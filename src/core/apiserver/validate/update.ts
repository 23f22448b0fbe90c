/**
 * @module apiserver/validate/update
 * Update-only rules, mirroring validation.go ValidateServiceUpdate:
 * validateUpgradeDowngradeClusterIPs, validateUpgradeDowngradeIPFamilies,
 * validateLoadBalancerClassField (old != nil) and the healthCheckNodePort immutability check.
 * The create rules run after these (ValidateServiceUpdate appends ValidateService).
 */
import type { ServiceDraft } from '../service/draft.ts'
import { isHeadless } from '../service/draft.ts'
import { needsHealthCheck } from '../service/defaults.ts'
import { forbidden, goFamilies, goStringSlice, invalid, nil, str } from './field-errors.ts'
import type { FieldError } from './field-errors.ts'

const policyVal = (d: ServiceDraft): string => (d.ipFamilyPolicy === undefined ? nil : str(d.ipFamilyPolicy))

function clusterIPChanges(old: ServiceDraft, d: ServiceDraft): FieldError[] {
  if (d.type === 'ExternalName' || old.type === 'ExternalName') return []
  if (isHeadless(old) && isHeadless(d)) return []
  const errs: FieldError[] = []
  const val = goStringSlice(d.clusterIPs)
  const o = old.clusterIPs
  const n = d.clusterIPs
  if (o.length === n.length) {
    o.forEach((ip, i) => {
      if (ip !== n[i]) errs.push(invalid(`spec.clusterIPs[${i}]`, val, 'may not change once set'))
    })
  } else if (o.length > n.length) {
    if (n.length === 0) errs.push(invalid('spec.clusterIPs[0]', val, 'primary clusterIP can not be unset'))
    if (o.length > 0 && n.length > 0 && n[0] !== o[0]) errs.push(invalid('spec.clusterIPs[0]', val, 'may not change once set'))
    if (n.length === 1 && d.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', policyVal(d), "must be set to 'SingleStack' when releasing the secondary clusterIP"))
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    errs.push(invalid('spec.clusterIPs[0]', val, 'may not change once set'))
  }
  return errs
}

function ipFamilyChanges(old: ServiceDraft, d: ServiceDraft): FieldError[] {
  if (d.type === 'ExternalName' || old.type === 'ExternalName') return []
  // Headless Services may change families freely, and so may a switch to/from headless.
  if (isHeadless(old) || isHeadless(d)) return []
  const errs: FieldError[] = []
  const val = goFamilies(d.ipFamilies)
  const o = old.ipFamilies
  const n = d.ipFamilies
  if (o.length === n.length) {
    if (o.some((f, i) => f !== n[i])) errs.push(invalid('spec.ipFamilies[0]', val, 'may not change once set'))
  } else if (o.length > n.length) {
    if (n.length > 0 && n[0] !== o[0]) errs.push(invalid('spec.ipFamilies[0]', val, 'may not change once set'))
    if (n.length === 1 && d.ipFamilyPolicy !== 'SingleStack') {
      errs.push(invalid('spec.ipFamilyPolicy', policyVal(d), "must be set to 'SingleStack' when releasing the secondary ipFamily"))
    }
  } else if (o.length > 0 && n[0] !== o[0]) {
    errs.push(invalid('spec.ipFamilies[0]', val, 'may not change once set'))
  }
  return errs
}

/** The update-only errors, in upstream order. */
export function validateServiceUpdate(old: ServiceDraft, d: ServiceDraft): FieldError[] {
  const errs = [...clusterIPChanges(old, d), ...ipFamilyChanges(old, d)]
  if (old.type === 'LoadBalancer' && d.type === 'LoadBalancer' && old.loadBalancerClass !== d.loadBalancerClass) {
    const v = d.loadBalancerClass === undefined ? nil : str(d.loadBalancerClass)
    errs.push(invalid('spec.loadBalancerClass', v, 'may not change once set'))
  }
  if (needsHealthCheck(old) && needsHealthCheck(d) && old.healthCheckNodePort !== d.healthCheckNodePort) {
    errs.push(forbidden('spec.healthCheckNodePort', 'field is immutable'))
  }
  return errs
}
