/**
 * @module diff/diagrams
 * Before/after packet-path diagrams of the service ports a change touches: every port of every
 * created, updated or deleted Service, traced through the base and the head plan of the default
 * node. Ports whose paths draw the same on both sides are left out.
 */
import { compareDiagrams } from '../diagram/compare.ts'
import { diagramContext, endpointScan, servicePortDiagram, servicePortName } from '../diagram/plan-diagrams.ts'
import { DEFAULT_DIAGRAM_LIMITS, type DiagramChange, type DiagramLimits } from '../diagram/types.ts'
import type { PlanResult, PlannedServicePort } from '../plan/types.ts'
import type { ServiceChange } from './types.ts'

/** The diagrams of the changed service ports, in the order of `services` then port order. */
export function diffDiagrams(
  base: PlanResult,
  head: PlanResult,
  services: readonly ServiceChange[],
  print: (plan: PlanResult) => string,
  indexChanged = true,
  limits: DiagramLimits = DEFAULT_DIAGRAM_LIMITS,
  sliceReached = true,
): DiagramChange[] {
  if (services.length === 0) return []
  // The changed Services' names by namespace, for {@link group}.
  const wanted = new Map<string, Set<string>>()
  for (const s of services) {
    const names = wanted.get(s.namespace)
    if (names === undefined) wanted.set(s.namespace, new Set([s.name]))
    else names.add(s.name)
  }
  const baseBy = group(base, services, wanted)
  const headBy = group(head, services, wanted)
  // Each side's trace index covers only the changed Services' ports (the ones drawn below): the
  // whole-ruleset index was half of the diagrams' setup at 1k Services.
  const changed = (by: Map<string, PlannedServicePort[]>): PlannedServicePort[] => services.flatMap((s) => by.get(`${s.namespace}/${s.name}`) ?? [])
  // The text is only the nftables index's (iptables traces for drawing locate no lines).
  const text = (p: PlanResult): string | undefined => (p.nftables !== undefined ? print(p) : undefined)
  // Slices reached from the entry chains read the few chains a changed port's packets can meet,
  // not all ≈ 11k of each side (trace/slice.ts `targetSlicer` `reach`).
  const bp = indexChanged ? changed(baseBy) : undefined
  const hp = indexChanged ? changed(headBy) : undefined
  // One read of each endpoint list for both sides' describers (the head's are mostly the base's).
  const scan = bp !== undefined && hp !== undefined ? endpointScan([...bp, ...hp]) : undefined
  const b = diagramContext(base, limits, text(base), bp, sliceReached, scan)
  const h = diagramContext(head, limits, text(head), hp, sliceReached, scan)
  const out: DiagramChange[] = []
  for (const s of services) {
    const before = baseBy.get(`${s.namespace}/${s.name}`) ?? []
    const after = headBy.get(`${s.namespace}/${s.name}`) ?? []
    const names = [...new Set([...after, ...before].map(servicePortName))]
    for (const name of names) {
      if (out.length >= limits.maxServicePorts) return out
      const i = out.length
      const bp = before.find((sp) => servicePortName(sp) === name)
      const hp = after.find((sp) => servicePortName(sp) === name)
      const change = compareDiagrams(
        name,
        bp === undefined ? undefined : servicePortDiagram(bp, `b${i}`, b),
        hp === undefined ? undefined : servicePortDiagram(hp, `a${i}`, h),
        [h.sources.assumption],
      )
      if (change !== undefined) out.push(change)
    }
  }
  return out
}

/**
 * The changed Services' ports of `plan`, grouped once per side: a lookup per changed Service, not
 * a scan of every port. A port is matched by namespace and name (no `ns/name` string per port of
 * the plan); with a '/' in some name, two pairs could spell one key: then keyed by that
 * spelling. A module function, not a closure made per drawing: a diff draws once per report,
 * and a closure's optimized code dies with the last closure of its site (V8 holds it weakly).
 */
function group(plan: PlanResult, services: readonly ServiceChange[], wanted: ReadonlyMap<string, ReadonlySet<string>>): Map<string, PlannedServicePort[]> {
  const m = new Map<string, PlannedServicePort[]>()
  const slash = slashIn(services) || slashIn(plan.servicePorts)
  for (const sp of plan.servicePorts) {
    if (!slash && wanted.get(sp.namespace)?.has(sp.name) !== true) continue
    const k = `${sp.namespace}/${sp.name}`
    const list = m.get(k)
    if (list === undefined) m.set(k, [sp])
    else list.push(sp)
  }
  return m
}

/** Some namespace or name holds a '/' (a loop: no closure over every port of the plan per drawing). */
function slashIn(named: readonly { readonly namespace: string; readonly name: string }[]): boolean {
  for (const n of named) if (n.namespace.includes('/') || n.name.includes('/')) return true
  return false
}
