/**
 * A compact, reviewable line per Service of a plan: what an operator checks first. Type, each
 * port with the port its endpoints really receive (named targetPorts resolved), its NodePort and
 * where that came from, the healthCheckNodePort, ready/total endpoints, the nodes they run on and,
 * for headless Services, each DNS name with its number of addresses.
 */
import type { JsonPlan } from './helpers.ts'

/** One line per Service, in the plan's order. */
export function fingerprint(plan: JsonPlan): string[] {
  const byPort = new Map(plan.servicePorts.map((p) => [`${p.spn}/${(p as unknown as { protocol: string }).protocol}`, p]))
  return plan.services.map((s) => {
    const ports = s.ports.map((p) => {
      const spn = `${s.namespace}/${s.name}${p.name ? `:${p.name}` : ''}/${p.protocol}`
      const rendered = byPort.get(spn)?.endpoints.map((e) => e.port) ?? []
      const held = s.endpoints.flatMap((e) => e.ports.filter((x) => x.name === p.name && x.protocol === p.protocol).map((x) => x.port))
      const targets = [...new Set(rendered.length > 0 ? rendered : held)].sort((a, b) => a - b)
      const target = targets.length > 0 ? targets.join(',') : `(${String(p.targetPort ?? p.port)})`
      const np = p.nodePort ? ` np ${p.nodePort} ${p.nodePortOrigin}` : ''
      return `${p.name || '-'} ${p.port}/${p.protocol}->${target}${np}`
    })
    const hc = (s as unknown as { healthCheckNodePort?: number }).healthCheckNodePort
    const ready = s.endpoints.filter((e) => e.ready).length
    const nodes = [...new Set(s.endpoints.map((e) => e.node ?? '?'))].sort().join(',')
    const dns = s.dns === undefined ? '' : ` dns ${s.dns.map((r) => `${r.name}=${r.type}x${r.addresses.length}`).join(' ')}`
    return `${s.namespace}/${s.name} ${s.type} [${ports.join('; ')}]${hc ? ` hc ${hc}` : ''} eps ${ready}/${s.endpoints.length}${nodes ? ` on ${nodes}` : ''}${dns}`
  })
}
