/**
 * @module diff/probes
 * Per-probe outcome changes: the same probes traced through the base and the head plan, each
 * side summarised as its distinct fates with their odds, and compared as text.
 */
import type { ProbeSpec, Trace } from '../trace/types.ts'
import type { ProbeChange } from './types.ts'

/** `DNAT 10.0.1.5:8080 50%, DNAT 10.0.2.5:8080 50%`, `REJECT`, ...: the distinct fates of a trace. */
export function summariseTrace(t: Trace | undefined): string {
  if (!t) return 'unresolved'
  const odds = new Map<string, number>()
  for (const o of t.outcomes) {
    const label =
      (o.verdict === 'DNAT' ? `DNAT ${o.dnat ?? '?'}` : o.verdict === 'none' ? 'no rule (unchanged)' : o.verdict) +
      (o.masquerade ? ' +masq' : '')
    odds.set(label, (odds.get(label) ?? 0) + o.probability)
  }
  if (odds.size === 0) return 'no rule (unchanged)'
  if (odds.size === 1) return [...odds.keys()][0] as string
  return [...odds].map(([label, p]) => `${label} ${Math.round(p * 1000) / 10}%`).join(', ')
}

function findTrace(traces: readonly Trace[], spec: ProbeSpec): Trace | undefined {
  const proto = (spec.protocol ?? 'tcp').toLowerCase() || 'tcp'
  return traces.find((t) => t.probe.from === spec.from && t.probe.to === spec.to && t.probe.protocol === proto)
}

/** Compares traces of the same probes on both sides, in the probes' order. */
export function diffProbes(specs: readonly ProbeSpec[], base: readonly Trace[], head: readonly Trace[]): ProbeChange[] {
  return specs.map((spec) => {
    const b = summariseTrace(findTrace(base, spec))
    const h = summariseTrace(findTrace(head, spec))
    return {
      name: spec.name ?? `${spec.from} → ${spec.to}`,
      from: spec.from,
      to: spec.to,
      protocol: (spec.protocol ?? 'tcp').toLowerCase() || 'tcp',
      before: b,
      after: h,
      changed: b !== h,
    }
  })
}
