/**
 * @module apiserver/allocate/service-cidrs
 * ServiceCIDR objects → the ranges each family's IPAddress allocator uses. Mirrors what
 * kube-apiserver does with them: validation on create/update (pkg/apis/networking/validation
 * ValidateServiceCIDR, ValidateServiceCIDRUpdate), the `kubernetes` ServiceCIDR the apiserver keeps
 * in step with `--service-cluster-ip-range` (pkg/controlplane/controller/defaultservicecidr), and
 * which objects the MetaAllocator builds an allocator for (cidrallocator.go addServiceCIDR: ready,
 * not being deleted, a family the cluster is configured for, IPv6 no shorter than /64).
 * Before 1.33 the MultiCIDRServiceAllocator gate is off by default and the objects are ignored.
 */
import { issue, type Issue } from '../../issues.ts'
import type { ServiceCIDR } from '../../model/k8s.ts'
import type { KubernetesVersion } from '../../model/version.ts'
import type { Family, ParsedCIDR } from '../../net/ip.ts'
import { formatCIDR, parseCIDRSloppy } from '../../net/ip.ts'
import { goQuote, goStringSlice, invalid, required, type FieldError } from '../validate/field-errors.ts'
import { kubectlInvalid } from '../validate/field-errors.ts'
import { allocatorGeneration } from './generation.ts'
import { cidrRangeOf, type CIDRRange } from './ipaddress.ts'

/** The ServiceCIDR the apiserver creates from its flag (DefaultServiceCIDRName). */
export const DEFAULT_SERVICE_CIDR_NAME = 'kubernetes'

/** ipallocator.NewIPAllocator refuses wider IPv6 prefixes (the offsets must fit in 64 bits). */
const MIN_IPV6_PREFIX = 64

/** ValidateServiceCIDR's spec rules, in its order (the first failing rule returns). */
export function validateServiceCIDRSpec(cidrs: readonly string[]): FieldError[] {
  const path = 'spec.cidrs'
  if (cidrs.length === 0) return [required(path, 'at least one CIDR required')]
  if (cidrs.length > 2) return [invalid(path, goStringSlice(cidrs), 'may only hold up to 2 values')]
  const errs: FieldError[] = []
  const parsed = cidrs.map((c, i) => {
    const p = parseCIDRSloppy(c)
    if (p === undefined) errs.push(invalid(`${path}[${i}]`, goQuote(c), 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'))
    return p
  })
  if (errs.length > 0) return errs
  if (parsed.length === 2 && parsed[0]?.family === parsed[1]?.family) {
    return [invalid(path, goStringSlice(cidrs), 'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64')]
  }
  return []
}

/** The ranges each configured family allocates from, plus what was said about the objects. */
export interface ServiceCIDRRanges {
  readonly ranges: ReadonlyMap<Family, CIDRRange[]>
  readonly issues: readonly Issue[]
  readonly assumptions: readonly string[]
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * Builds the ranges of each configured family: the flag's (`kubernetes`) first, then every usable
 * ServiceCIDR object by name, one range per distinct CIDR.
 *
 * @param flag the flag's CIDRs, primary first (already validated)
 */
export function serviceCIDRRanges(version: KubernetesVersion, flag: readonly ParsedCIDR[], objects: readonly ServiceCIDR[]): ServiceCIDRRanges {
  const issues: Issue[] = []
  const assumptions: string[] = []
  const ranges = new Map<Family, CIDRRange[]>()
  for (const c of flag) if (!ranges.has(c.family)) ranges.set(c.family, [cidrRangeOf(DEFAULT_SERVICE_CIDR_NAME, c)])
  const where = (o: ServiceCIDR, path: string): { ref: ServiceCIDR['ref']; path: string; source: ReturnType<ServiceCIDR['locate']> } => ({
    ref: o.ref,
    path,
    source: o.locate(path),
  })

  if (allocatorGeneration(version) === 'bitmap') {
    for (const o of objects) {
      issues.push(
        issue(
          'alloc/service-cidr-ignored',
          'warning',
          `ServiceCIDR ${o.metadata.name} is ignored: Kubernetes ${version} allocates ClusterIPs from --service-cluster-ip-range only (the MultiCIDRServiceAllocator feature gate is beta and off by default before 1.33)`,
          where(o, 'spec.cidrs'),
        ),
      )
    }
    return { ranges, issues, assumptions }
  }

  const existing = new Map<string, ServiceCIDR>()
  for (const o of objects) if (o.origin === 'existing') existing.set(o.metadata.name, o)
  const usable: ServiceCIDR[] = []
  for (const o of objects) {
    const name = o.metadata.name
    if (o.apiVersion === 'networking.k8s.io/v1alpha1') {
      issues.push(
        issue('alloc/service-cidr-ignored', 'warning', `ServiceCIDR ${name}: networking.k8s.io/v1alpha1 is not served by Kubernetes ${version} (v1 since 1.33); the object is ignored`, where(o, 'apiVersion')),
      )
      continue
    }
    const errs = validateServiceCIDRSpec(o.cidrs)
    const old = o.origin === 'proposed' ? existing.get(name) : undefined
    if (old !== undefined && errs.length === 0 && !sameList(old.cidrs, o.cidrs)) errs.push(invalid('spec.cidrs', goStringSlice(o.cidrs), 'field is immutable'))
    if (errs.length > 0) {
      const text = kubectlInvalid(name, errs, 'ServiceCIDR')
      issues.push(
        o.origin === 'proposed'
          ? issue('alloc/invalid-service-cidr-object', 'error', text, where(o, 'spec.cidrs'))
          : issue('alloc/invalid-service-cidr-object', 'warning', `${text} (an existing object the apiserver would not hold; ignored)`, where(o, 'spec.cidrs')),
      )
      continue
    }
    if (old !== undefined) continue // unchanged update: the existing object already counts
    if (name === DEFAULT_SERVICE_CIDR_NAME) {
      const flagText = flag.map(formatCIDR)
      const given = o.cidrs.map((c) => formatCIDR(parseCIDRSloppy(c) as ParsedCIDR))
      if (!sameList(flagText, given)) {
        issues.push(
          issue(
            'alloc/service-cidr-mismatch',
            'warning',
            `ServiceCIDR kubernetes holds ${given.join(',')} but serviceClusterIPRange is ${flagText.join(',')}; the apiserver does not change an existing default ServiceCIDR (spec.cidrs is immutable): set serviceClusterIPRange to what the cluster runs with. Planned with the serviceClusterIPRange.`,
            where(o, 'spec.cidrs'),
          ),
        )
      }
      continue
    }
    if (o.metadata.deletionTimestamp !== undefined) {
      issues.push(issue('alloc/service-cidr-not-ready', 'info', `ServiceCIDR ${name} is being deleted: no new ClusterIPs come from it`, where(o, 'metadata.deletionTimestamp')))
      continue
    }
    if (o.ready === false) {
      issues.push(issue('alloc/service-cidr-not-ready', 'info', `ServiceCIDR ${name} is not Ready: no ClusterIPs come from it`, where(o, 'status.conditions')))
      continue
    }
    usable.push(o)
  }

  for (const o of [...usable].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0))) {
    o.cidrs.forEach((text, i) => {
      const c = parseCIDRSloppy(text) as ParsedCIDR
      const list = ranges.get(c.family)
      const path = `spec.cidrs[${i}]`
      if (list === undefined) {
        assumptions.push(`A ServiceCIDR of a family --service-cluster-ip-range lacks adds no ClusterIPs and does not make the cluster dual-stack (UNVERIFIED for ${version}; alloc.go builds the families from the flag)`)
        issues.push(
          issue(
            'alloc/service-cidr-ignored',
            'info',
            `ServiceCIDR ${o.metadata.name}: ${formatCIDR(c)} is ${c.family} but the cluster is not configured for ${c.family} (--service-cluster-ip-range): it adds no ${c.family} ClusterIPs and does not make the cluster dual-stack (UNVERIFIED for ${version}; families come from the flag in alloc.go)`,
            where(o, path),
          ),
        )
        return
      }
      if (c.family === 'IPv6' && c.prefix < MIN_IPV6_PREFIX) {
        issues.push(
          issue(
            'alloc/service-cidr-ignored',
            'warning',
            `ServiceCIDR ${o.metadata.name}: ${formatCIDR(c)}: shortest allowed prefix length for service CIDR is ${MIN_IPV6_PREFIX}, got ${c.prefix}; the apiserver builds no allocator for it`,
            where(o, path),
          ),
        )
        return
      }
      // One allocator per distinct CIDR string (cidrallocator.go keys its map by it).
      if (list.some((r) => r.text === formatCIDR(c))) return
      list.push(cidrRangeOf(o.metadata.name, c))
    })
  }
  // One line per kind of assumption, however many objects raised it.
  const unique = [...new Set(assumptions)]
  assumptions.length = 0
  assumptions.push(...unique)
  if ([...ranges.values()].some((l) => l.length > 1)) {
    assumptions.push(
      'With several ServiceCIDRs of a family the apiserver tries their allocators in Go map order (effectively random) for a dynamic ClusterIP; kube-whatif tries "kubernetes" first, then the others by name, so a preview IP may come from another range',
    )
  }
  return { ranges, issues, assumptions }
}
