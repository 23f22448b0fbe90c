/**
 * @module apiserver/refuse
 * Objects left out before the apiserver emulation does any work on them: stored objects whose
 * names no kube-apiserver ever accepted (see validate/stored.ts), and Services with more ports
 * than the `maxServicePorts` work limit (each port costs allocations, validation and rules).
 */
import { pushAll } from '../append.ts'
import { issue, type Issue } from '../issues.ts'
import { raiseHint, type WorkLimits } from '../limits.ts'
import type { EndpointSlice, Service } from '../model/k8s.ts'
import { fieldErrorText, kubectlInvalid, type FieldError } from './validate/field-errors.ts'
import { storedServiceErrors, storedSliceErrors } from './validate/stored.ts'

/** Services kept, with an issue for each one refused. */
export function admitServices(services: readonly Service[], limits: WorkLimits, issues: Issue[]): Service[] {
  const out: Service[] = []
  for (const svc of services) {
    const ports = svc.spec.ports.length
    if (ports > limits.maxServicePorts) {
      issues.push(
        issue('limit/service-ports', 'error', `Service ${svc.metadata.namespace}/${svc.metadata.name} has ${ports} ports, more than the limit of ${limits.maxServicePorts} per Service (${raiseHint('maxServicePorts')}); it is left out of the plan`, {
          ref: svc.ref,
          path: 'spec.ports',
          source: svc.locate('spec.ports'),
        }),
      )
      continue
    }
    // Proposed Services get the full ValidateService later; stored ones only this name check.
    const errs = svc.origin === 'existing' ? storedServiceErrors(svc) : []
    if (errs.length > 0) {
      pushAll(issues, errs.map((e) => storedIssue(svc, e, kubectlInvalid(svc.metadata.name, [e]))))
      continue
    }
    out.push(svc)
  }
  return out
}

/** EndpointSlices kept, with an issue for each one refused. */
export function admitSlices(slices: readonly EndpointSlice[], issues: Issue[]): EndpointSlice[] {
  const out: EndpointSlice[] = []
  for (const s of slices) {
    const errs = storedSliceErrors(s)
    if (errs.length === 0) out.push(s)
    else pushAll(issues, errs.map((e) => storedIssue(s, e, `The EndpointSlice is invalid: ${fieldErrorText(e)}; kube-apiserver never stores such a name, so the slice is left out`)))
  }
  return out
}

function storedIssue(obj: Service | EndpointSlice, e: FieldError, message: string): Issue {
  const code = obj.kind === 'Service' ? 'service/invalid-value' : 'manifest/invalid-field'
  return issue(code, 'error', message, { ref: obj.ref, path: e.field, source: obj.locate(e.field) })
}
