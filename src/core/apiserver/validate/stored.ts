/**
 * @module apiserver/validate/stored
 * Objects given as cluster state (`--cluster`) are not re-validated, because older apiservers
 * accepted values today's refuse (leading-zero IPs, for one). Names are different: no version of
 * kube-apiserver ever stored a Service whose name is not a DNS-1035 label, a namespace that is not
 * a DNS-1123 label, or a port name that is not a DNS-1123 label (ValidateObjectMeta,
 * validateServicePort, ValidateEndpointSlice). Such an object cannot come from a real cluster,
 * and its names flow into kube-proxy's rule comments, so it is refused like a proposed one would
 * be — a name holding `"` and a newline would otherwise reach `iptables-restore` verbatim.
 */
import type { EndpointSlice, Service } from '../../model/k8s.ts'
import { invalid, str, type FieldError } from './field-errors.ts'
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isValidLabelValue } from './names.ts'

function check(errs: FieldError[], path: string, value: string, rule: (v: string) => string[]): void {
  for (const m of rule(value)) errs.push(invalid(path, str(value), m))
}

/** Name errors of a stored Service (metadata.name, metadata.namespace, spec.ports[*].name). */
export function storedServiceErrors(svc: Service): FieldError[] {
  const errs: FieldError[] = []
  check(errs, 'metadata.name', svc.metadata.name, isDNS1035Label)
  if (svc.metadata.namespace !== '') check(errs, 'metadata.namespace', svc.metadata.namespace, isDNS1123Label)
  svc.spec.ports.forEach((p, i) => {
    if (p.name !== '') check(errs, `spec.ports[${i}].name`, p.name, isDNS1123Label)
  })
  return errs
}

/** The EndpointSlice label naming its Service (kube-proxy keys slices by it). */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'

/** Name errors of an EndpointSlice (metadata, its Service label, ports[*].name). */
export function storedSliceErrors(slice: EndpointSlice): FieldError[] {
  const errs: FieldError[] = []
  check(errs, 'metadata.name', slice.metadata.name, isDNS1123Subdomain)
  if (slice.metadata.namespace !== '') check(errs, 'metadata.namespace', slice.metadata.namespace, isDNS1123Label)
  const svc = slice.metadata.labels[SERVICE_NAME_LABEL]
  if (svc !== undefined) check(errs, `metadata.labels[${SERVICE_NAME_LABEL}]`, svc, isValidLabelValue)
  slice.ports.forEach((p, i) => {
    if (p.name !== undefined && p.name !== '') check(errs, `ports[${i}].name`, p.name, isDNS1123Label)
  })
  return errs
}
