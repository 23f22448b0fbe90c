/**
 * @module apiserver/endpoints/custom-resources
 * Custom resources in the input, by namespace. Operators (Prometheus, Strimzi, ECK, Longhorn …)
 * create Pods at run time for the custom resources they watch, so a Service selecting labels no
 * manifest's Pod carries is expected there; the planner cannot see those Pods and says so
 * instead of predicting a REJECT.
 */
import type { OtherObject } from '../../model/k8s.ts'

/** API groups served by Kubernetes itself (and kube-whatif's own configuration kinds). */
const BUILT_IN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'kube-whatif.dev',
  'kubeproxy.config.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
])

/** `Kind (group)` of every custom resource, by namespace, sorted and unique. */
export function customResourcesByNamespace(others: readonly OtherObject[]): Map<string, string[]> {
  const out = new Map<string, Set<string>>()
  for (const o of others) {
    const slash = o.apiVersion.indexOf('/')
    const group = slash < 0 ? '' : o.apiVersion.slice(0, slash)
    if (BUILT_IN_GROUPS.has(group)) continue
    const set = out.get(o.metadata.namespace) ?? new Set<string>()
    set.add(`${o.kind} (${group})`)
    out.set(o.metadata.namespace, set)
  }
  return new Map([...out].map(([ns, kinds]) => [ns, [...kinds].sort()]))
}
