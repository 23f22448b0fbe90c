/**
 * @module apiserver/validate/ports
 * Per-port and cross-port Service checks, mirroring validation.go validateServicePort,
 * ValidatePortNumOrName and the duplicate nodePort / (protocol, port) loops of ValidateService.
 */
import type { PortDraft, ServiceDraft } from '../service/draft.ts'
import { duplicate, forbidden, invalid, notSupported, num, required, str } from './field-errors.ts'
import type { FieldError } from './field-errors.ts'
import { isDNS1123Label, isQualifiedName, isValidPortName, isValidPortNum } from './names.ts'
import { pushAll } from '../../append.ts'

/** Sorted like sets.List(supportedPortProtocols). */
export const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const

function validatePort(p: PortDraft, requireName: boolean, names: Set<string>, path: string): FieldError[] {
  const errs: FieldError[] = []
  if (requireName && p.name === '') errs.push(required(`${path}.name`))
  else if (p.name !== '') {
    for (const m of isDNS1123Label(p.name)) errs.push(invalid(`${path}.name`, str(p.name), m))
    if (names.has(p.name)) errs.push(duplicate(`${path}.name`, str(p.name)))
    else names.add(p.name)
  }
  for (const m of isValidPortNum(p.port)) errs.push(invalid(`${path}.port`, num(p.port), m))
  if (p.protocol === '') errs.push(required(`${path}.protocol`))
  else if (!(PROTOCOLS as readonly string[]).includes(p.protocol)) {
    errs.push(notSupported(`${path}.protocol`, str(p.protocol), PROTOCOLS))
  }
  const tp = p.targetPort
  if (typeof tp === 'number') {
    for (const m of isValidPortNum(tp)) errs.push(invalid(`${path}.targetPort`, num(tp), m))
  } else if (typeof tp === 'string') {
    for (const m of isValidPortName(tp)) errs.push(invalid(`${path}.targetPort`, str(tp), m))
  }
  if (p.appProtocol !== undefined) {
    for (const m of isQualifiedName(p.appProtocol)) errs.push(invalid(`${path}.appProtocol`, str(p.appProtocol), m))
  }
  return errs
}

/** Rules 9–16: each port on its own (headless targetPorts are tolerated, as upstream). */
export function validateServicePorts(d: ServiceDraft): FieldError[] {
  const names = new Set<string>()
  const errs: FieldError[] = []
  d.ports.forEach((p, i) => pushAll(errs, validatePort(p, d.ports.length > 1, names, `spec.ports[${i}]`)))
  return errs
}

/** Go `%#v` of the `core.ServicePort{Protocol, Port}` key used by the duplicate-port check. */
export function servicePortKey(protocol: string, port: number): string {
  return (
    `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, ` +
    `TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`
  )
}

/** Rules 34–36: nodePort on ClusterIP, duplicate (protocol, nodePort), duplicate (protocol, port). */
export function validatePortCombinations(d: ServiceDraft): FieldError[] {
  const errs: FieldError[] = []
  if (d.type === 'ClusterIP') {
    d.ports.forEach((p, i) => {
      if (p.nodePort !== 0) errs.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"))
    })
  }
  const nodePorts = new Set<string>()
  d.ports.forEach((p, i) => {
    if (p.nodePort === 0) return
    const k = `${p.protocol}/${p.nodePort}`
    if (nodePorts.has(k)) errs.push(duplicate(`spec.ports[${i}].nodePort`, num(p.nodePort)))
    nodePorts.add(k)
  })
  const ports = new Set<string>()
  d.ports.forEach((p, i) => {
    const k = `${p.protocol}/${p.port}`
    if (ports.has(k)) errs.push(duplicate(`spec.ports[${i}]`, servicePortKey(p.protocol, p.port)))
    ports.add(k)
  })
  return errs
}
