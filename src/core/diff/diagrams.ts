/**
 * @module diff/diagrams
 * Before/after packet-path diagrams of the service ports a change touches: every port of every
 * created, updated or deleted Service, traced through the base and the head plan of the default
 * node. Ports whose paths draw the same on both sides are left out.
 */
import { compareDiagrams } from '../diagram/compare.ts'
import { diagramSources, servicePortDiagram, servicePortName } from '../diagram/plan-diagrams.ts'
import { DEFAULT_DIAGRAM_LIMITS, type DiagramChange, type DiagramLimits } from '../diagram/types.ts'
import type { PlanResult } from '../plan/types.ts'
import { planTarget } from '../trace/index.ts'
import type { ServiceChange } from './types.ts'

/** The diagrams of the changed service ports, in the order of `services` then port order. */
export function diffDiagrams(
  base: PlanResult,
  head: PlanResult,
  services: readonly ServiceChange[],
  print: (plan: PlanResult) => string,
  limits: DiagramLimits = DEFAULT_DIAGRAM_LIMITS,
): DiagramChange[] {
  if (services.length === 0) return []
  const side = (plan: PlanResult) => ({ target: planTarget(plan, print(plan)), sources: diagramSources(plan), limits })
  const b = side(base)
  const h = side(head)
  const out: DiagramChange[] = []
  for (const s of services) {
    const mine = (plan: PlanResult) => plan.servicePorts.filter((sp) => sp.namespace === s.namespace && sp.name === s.name)
    const before = mine(base)
    const after = mine(head)
    const names = [...new Set([...after, ...before].map(servicePortName))]
    for (const name of names) {
      if (out.length >= limits.maxServicePorts) return out
      const i = out.length
      const bp = before.find((sp) => servicePortName(sp) === name)
      const hp = after.find((sp) => servicePortName(sp) === name)
      const change = compareDiagrams(
        name,
        bp === undefined ? undefined : servicePortDiagram(base, bp, `b${i}`, b),
        hp === undefined ? undefined : servicePortDiagram(head, hp, `a${i}`, h),
        [h.sources.assumption],
      )
      if (change !== undefined) out.push(change)
    }
  }
  return out
}
