/**
 * @module apiserver/service/source
 * Which manifest line an apiserver field error points at. kube-apiserver names fields of the
 * object *after* defaulting and normalisation, so a path may not exist in what the user wrote:
 * `spec.clusterIPs` built from `clusterIP`, `spec.ipFamilyPolicy` defaulted because of
 * `ipFamilies`, `targetPort` copied from `port`, and the capital-L `spec.LoadBalancerSourceRanges`
 * quirk. The issue keeps upstream's path; its source is the line the user actually wrote.
 */
import type { SourceSpan } from '../../issues.ts'
import type { Service } from '../../model/k8s.ts'
import { parsePath } from '../../parse/locate.ts'

type Rec = Readonly<Record<string, unknown>>

/** True when `path` names a value present (not null) in the raw document. */
export function rawHas(raw: unknown, path: string): boolean {
  let cur: unknown = raw
  for (const seg of parsePath(path)) {
    if (seg.index !== undefined && Array.isArray(cur)) cur = cur[seg.index]
    else if (typeof cur === 'object' && cur !== null && !Array.isArray(cur) && Object.hasOwn(cur, seg.key)) cur = (cur as Rec)[seg.key]
    else return false
  }
  return cur !== undefined && cur !== null
}

/** Paths the user may have written instead of `field`, most specific first. */
function candidates(field: string): string[] {
  const out = [field]
  const lbsr = /^spec\.LoadBalancerSourceRanges(.*)$/.exec(field)
  if (lbsr) out.push(`spec.loadBalancerSourceRanges${lbsr[1] ?? ''}`, 'spec.loadBalancerSourceRanges')
  if (field.startsWith('spec.clusterIPs')) out.push('spec.clusterIPs', 'spec.clusterIP')
  if (field.startsWith('spec.ipFamilies') || field === 'spec.ipFamilyPolicy') out.push('spec.ipFamilies', 'spec.clusterIPs', 'spec.clusterIP')
  const tp = /^(spec\.ports\[\d+\])\.targetPort$/.exec(field)
  if (tp) out.push(`${tp[1]}.port`)
  return out
}

/** The source position for an apiserver error on `field` of `svc`. */
export function fieldSource(svc: Service, field: string): SourceSpan {
  for (const p of candidates(field)) if (rawHas(svc.raw, p)) return svc.locate(p)
  return svc.locate(field)
}
