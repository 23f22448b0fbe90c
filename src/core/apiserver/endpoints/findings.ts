/**
 * @module apiserver/endpoints/findings
 * What a user needs to hear about a Service's backends: a selector matching no Pod (kube-proxy
 * then REJECTs the ClusterIP), a named targetPort no selected Pod defines (protocol-aware, as
 * FindPort), and a numeric targetPort no container declares (legal — containerPort is
 * informational — but usually a typo).
 */
import { issue } from '../../issues.ts'
import type { Issue } from '../../issues.ts'
import type { Pod, Service } from '../../model/k8s.ts'
import { findPort } from './ports.ts'

const sel = (s: Readonly<Record<string, string>>): string =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')

/** Findings for one selector Service given the pods its selector matched. */
export function endpointFindings(svc: Service, matched: readonly Pod[], customResources: readonly string[] = []): Issue[] {
  const ref = svc.ref
  const key = `${svc.metadata.namespace}/${svc.metadata.name}`
  if (svc.spec.selector === undefined) return []
  if (matched.length === 0 && svc.spec.clusterIP === 'None') {
    // A headless Service has no rules to REJECT with: no Pod only means no DNS answer yet, which is
    // normal for Pods an operator creates at runtime (e.g. Longhorn's instance managers).
    return [
      issue(
        'endpoints/selector-matches-nothing',
        'info',
        `headless Service ${key} selects ${sel(svc.spec.selector)}, which matches no Pod in the input (namespace ${svc.metadata.namespace}): its EndpointSlices stay empty and its DNS name answers no address until such Pods exist (for example Pods an operator creates)`,
        { ref, path: 'spec.selector', source: svc.locate('spec.selector') },
      ),
    ]
  }
  if (matched.length === 0 && customResources.length > 0) {
    // Operators create Pods for the custom resources they watch; those Pods are not in the input.
    const kinds = customResources.length > 3 ? `${customResources.slice(0, 3).join(', ')} and ${customResources.length - 3} more` : customResources.join(', ')
    return [
      issue(
        'endpoints/selector-matches-nothing',
        'info',
        `Service ${key} selects ${sel(svc.spec.selector)}, which matches no Pod in the input (namespace ${svc.metadata.namespace}); the namespace has custom resources (${kinds}), whose operator may create such Pods at run time. If none does, the Service has no endpoints and kube-proxy REJECTs its traffic`,
        { ref, path: 'spec.selector', source: svc.locate('spec.selector') },
      ),
    ]
  }
  if (matched.length === 0) {
    return [
      issue(
        'endpoints/selector-matches-nothing',
        'warning',
        `Service ${key} selects ${sel(svc.spec.selector)}, which matches no Pod in namespace ${svc.metadata.namespace}: it has no endpoints and kube-proxy will REJECT its traffic`,
        { ref, path: 'spec.selector', source: svc.locate('spec.selector') },
      ),
    ]
  }
  const out: Issue[] = []
  svc.spec.ports.forEach((sp, i) => {
    const tp = sp.targetPort ?? sp.port
    const path = `spec.ports[${i}].targetPort`
    const label = sp.name ? `port ${sp.name}` : `port ${sp.port}`
    if (typeof tp === 'string' && tp !== '') {
      const missing = matched.filter((p) => findPort(p, sp) === undefined)
      if (missing.length > 0) {
        const all = missing.length === matched.length
        out.push(
          issue(
            'endpoints/named-port-unresolved',
            'warning',
            all
              ? `Service ${key} ${label} targets port name "${tp}"/${sp.protocol}, which no selected Pod defines: the port has no endpoints`
              : `Service ${key} ${label} targets port name "${tp}"/${sp.protocol}, which ${missing.length} of ${matched.length} selected Pods do not define (e.g. ${missing[0]?.metadata.name}); those Pods are left out for this port`,
            { ref, path, source: svc.locate(sp.targetPort === undefined ? `spec.ports[${i}]` : path) },
          ),
        )
      }
      return
    }
    const n = typeof tp === 'number' && tp !== 0 ? tp : sp.port
    const declares = matched.some((p) => p.containerPorts.some((c) => c.containerPort === n && c.protocol === sp.protocol))
    if (declares) return
    const anyPorts = matched.some((p) => p.containerPorts.length > 0)
    out.push(
      issue(
        'endpoints/port-not-exposed',
        anyPorts ? 'warning' : 'info',
        `Service ${key} ${label} sends to ${n}/${sp.protocol}, which no container of the selected Pods declares${anyPorts ? ' (they declare other ports)' : ''}; traffic still goes there, so make sure the process listens on it`,
        { ref, path, source: svc.locate(sp.targetPort === undefined ? `spec.ports[${i}].port` : path) },
      ),
    )
  })
  return out
}
