/**
 * @module apiserver/endpoints/ports
 * Endpoint ports for one pod, mirroring pkg/controller/endpointslice utils.go getEndpointPorts and
 * pkg/api/v1/pod FindPort: a numeric targetPort is used as is (containerPort is informational);
 * a named one is looked up by name AND protocol in the pod's container ports (containers first,
 * then sidecars); a port that does not resolve is left out for that pod only.
 */
import type { EndpointPort, Pod, Protocol, ServicePort } from '../../model/k8s.ts'

/** FindPort: the pod port a Service port targets, or undefined when a name does not resolve. */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port
  if (typeof tp === 'number') return tp === 0 ? sp.port : tp
  if (tp === '') return sp.port
  return pod.containerPorts.find((c) => c.name === tp && c.protocol === sp.protocol)?.containerPort
}

/** getEndpointPorts: one entry per Service port that resolves for this pod, in Service order. */
export function endpointPorts(pod: Pod, ports: readonly ServicePort[]): EndpointPort[] {
  const out: EndpointPort[] = []
  for (const sp of ports) {
    const n = findPort(pod, sp)
    if (n === undefined) continue
    const ep: EndpointPort = sp.appProtocol !== undefined ? { name: sp.name, protocol: sp.protocol as Protocol, port: n, appProtocol: sp.appProtocol } : { name: sp.name, protocol: sp.protocol as Protocol, port: n }
    out.push(ep)
  }
  return out
}

/** Grouping key of a port list (upstream hashes the sorted list; pods with equal lists share slices). */
export function portsKey(ports: readonly EndpointPort[]): string {
  return ports
    .map((p) => `${p.name ?? ''}/${p.protocol ?? ''}/${p.port ?? 0}/${p.appProtocol ?? ''}`)
    .sort()
    .join(',')
}
