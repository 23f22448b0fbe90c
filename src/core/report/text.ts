/**
 * @module report/text
 * The CLI's default output: a readable summary per Service port (VIPs, NodePorts, endpoints with
 * the odds of a new connection reaching each, policies, what happens without (local)
 * endpoints), then assumptions and issues as `file:line: severity: message`.
 */
import type { Issue, Staged } from '../issues.ts'
import type { DnsRecord, PlannedEndpoint, PlannedService, PlannedServicePort, PlanResult, TrafficOutcome } from '../plan/types.ts'

/** Formats one issue as `file:line: severity: message` (`severity: message` without a source). */
export function formatIssue(i: Issue): string {
  const where = i.source ? `${i.source.file}:${i.source.line}: ` : ''
  return `${where}${i.severity}: ${i.message}`
}

/** A probability as a percentage with at most two decimals (`33.33%`, `100%`). */
export function formatPercent(p: number): string {
  return `${Number((p * 100).toFixed(2))}%`
}

/** Counts issues by severity. */
export function countIssues(issues: readonly Issue[]): { errors: number; warnings: number } {
  return {
    errors: issues.filter((i) => i.severity === 'error').length,
    warnings: issues.filter((i) => i.severity === 'warning').length,
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/**
 * Renders the plan as text for a terminal.
 *
 * @example
 * process.stdout.write(renderPlanText(planFromSources({ files })))
 */
export function renderPlanText(result: Staged<PlanResult>): string {
  const plan = result.value
  const { errors, warnings } = countIssues(result.issues)
  const out: string[] = []
  const mode = plan.proxyMode === 'nftables' ? ', nftables mode' : ''
  out.push(
    `Plan for node ${plan.node} (${plan.ipFamily}${mode}): ${plural(plan.services.length, 'Service')}, ` +
      `${plural(plan.servicePorts.length, 'service port')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`,
  )
  for (const svc of plan.services) {
    out.push('', ...serviceBlock(svc, plan))
  }
  if (plan.ranges.length > 0) {
    out.push('', 'Ranges:')
    for (const r of plan.ranges) {
      // Ranges added by ServiceCIDR objects say which; the flag's own (`kubernetes`) reads as before.
      const owner = r.serviceCIDR !== undefined && r.serviceCIDR !== 'kubernetes' ? ` (ServiceCIDR ${r.serviceCIDR})` : ''
      out.push(`  ${r.kind} ${r.range}${owner}: ${r.used} used, ${r.free} free of ${r.size} (static band ${r.staticBand.first}-${r.staticBand.last}, ${r.staticBand.size})`)
    }
  }
  if (plan.assumptions.length > 0) {
    out.push('', 'Assumptions:')
    for (const a of plan.assumptions) out.push(`  - ${a}`)
  }
  if (result.issues.length > 0) {
    out.push('', 'Issues:')
    for (const i of result.issues) out.push(`  ${formatIssue(i)}`)
  }
  return `${out.join('\n')}\n`
}

function serviceBlock(svc: PlannedService, plan: PlanResult): string[] {
  const head = [svc.type, svc.update ? 'update of an existing Service' : svc.origin, `${svc.source.file}:${svc.source.line}`]
  const lines = [`${svc.namespace}/${svc.name}  (${head.join(', ')})`]
  const ips = svc.clusterIPs.length > 0 ? svc.clusterIPs.join(', ') : 'none'
  lines.push(`  cluster IPs  ${ips}${svc.clusterIPOrigin ? ` (${svc.clusterIPOrigin})` : ''}`)
  if (svc.notProxied) {
    lines.push(`  ${svc.notProxied}`)
    if (svc.dns !== undefined) lines.push(...headlessBlock(svc, svc.dns))
    return lines
  }
  if (svc.healthCheckNodePort) {
    lines.push(`  health check NodePort ${svc.healthCheckNodePort}${svc.healthCheckNodePortOrigin ? ` (${svc.healthCheckNodePortOrigin})` : ''}`)
  }
  const ports = plan.servicePorts.filter((p) => p.namespace === svc.namespace && p.name === svc.name)
  if (ports.length === 0) {
    lines.push(`  no ${plan.ipFamily} cluster IP: the ${plan.ipFamily} kube-proxy writes no rules for it`)
  }
  for (const p of ports) lines.push(...portBlock(p, svc, plan))
  return lines
}

function portBlock(p: PlannedServicePort, svc: PlannedService, plan: PlanResult): string[] {
  const port = svc.ports.find((sp) => sp.name === p.portName && sp.protocol === p.protocol)
  const label = p.portName ? `port ${p.portName} ${p.port}/${p.protocol}` : `port ${p.port}/${p.protocol}`
  const lines = [`  ${label}  (${p.spn})`]
  const row = (k: string, v: string): void => {
    lines.push(`    ${k.padEnd(13)} ${v}`)
  }
  row('cluster IP', hostPort(p.clusterIP, p.port))
  if (p.nodePort !== 0) {
    const origin = port?.nodePortOrigin ? ` (${port.nodePortOrigin})` : ''
    row('NodePort', `${p.nodePort}${origin} on ${nodePortScope(plan)}`)
  }
  if (p.externalIPs.length > 0) row('external IPs', p.externalIPs.map((ip) => hostPort(ip, p.port)).join(', '))
  if (p.loadBalancerIPs.length > 0) row('LB IPs', p.loadBalancerIPs.map((ip) => hostPort(ip, p.port)).join(', '))
  if (p.loadBalancerSourceRanges.length > 0) {
    row('source ranges', `${p.loadBalancerSourceRanges.join(', ')} (load balancer IPs only; NodePorts stay open)`)
  }
  const affinity = p.sessionAffinityTimeoutSeconds ? `ClientIP affinity ${p.sessionAffinityTimeoutSeconds}s` : 'no session affinity'
  row('policies', `internalTrafficPolicy ${p.internalTrafficPolicy}, externalTrafficPolicy ${p.externalTrafficPolicy}, ${affinity}`)
  if (p.topologyMode) row('topology', `${p.topologyMode} hints applied`)
  const ready = p.endpoints.filter((e) => e.ready).length
  row('endpoints', p.endpoints.length === 0 ? 'none' : `${p.endpoints.length} (${ready} ready)`)
  for (const e of p.endpoints) lines.push(`      ${endpointLine(e, p.external !== undefined)}`)
  row('internal', outcomeText(p.internal))
  if (p.external) row('external', outcomeText(p.external))
  if (plan.nftables !== undefined) {
    // nftables mode dispatches through map elements: show the ones of this port, which name its chains.
    const elements = plan.nftables.elements.filter((e) => e.servicePortName === p.spn && e.container !== 'cluster-ips')
    elements.forEach((e, i) => row(i === 0 ? 'nft elements' : '', `${e.container} { ${e.key.join(' . ')} : ${e.value ?? ''} }`))
  }
  return lines
}

/** A headless Service's answer: the endpoints its slices hold and the DNS records they make. */
function headlessBlock(svc: PlannedService, dns: readonly DnsRecord[]): string[] {
  const ready = svc.endpoints.filter((e) => e.ready).length
  const lines = [`  endpoints    ${svc.endpoints.length === 0 ? 'none' : `${svc.endpoints.length} (${ready} ready)`}`]
  for (const e of svc.endpoints) {
    const state = e.ready ? 'ready' : e.serving ? (e.terminating ? 'serving, terminating' : 'serving, not ready') : e.terminating ? 'terminating' : 'not ready'
    const ports = e.ports.map((p) => `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`).join(', ')
    lines.push(`    ${[e.ip, e.node ?? 'no node', state, ...(e.target ? [e.target] : []), ports ? `ports ${ports}` : 'no ports'].join('  ')}`)
  }
  lines.push('  DNS')
  for (const r of dns) lines.push(`    ${r.name}  ${r.type}  ${r.addresses.length > 0 ? r.addresses.join(', ') : 'no address (no ready endpoint of the family)'}`)
  return lines
}

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`
}

function nodePortScope(plan: PlanResult): string {
  const cfg = plan.proxyConfig
  if (cfg.nodePortAddresses.length > 0) return `node addresses in ${cfg.nodePortAddresses.join(', ')}`
  // nftables mode matches `fib daddr type local` minus loopback: no localhost NodePorts.
  if (plan.proxyMode === 'nftables') return 'every local address of the node except 127.0.0.0/8 and ::1'
  return cfg.localhostNodePorts ? 'every local address of the node, 127.0.0.1 included' : 'every local address of the node'
}

function endpointLine(e: PlannedEndpoint, exposed: boolean): string {
  const state = e.ready ? 'ready' : e.serving ? (e.terminating ? 'serving, terminating' : 'serving, not ready') : e.terminating ? 'terminating' : 'not ready'
  const where = e.node ? `${e.node}${e.local ? ' (local)' : ''}` : 'no node'
  const odds = [`internal ${formatPercent(e.internalProbability)}`]
  if (exposed) odds.push(`external ${formatPercent(e.externalProbability ?? 0)}`)
  return [e.endpoint, where, state, ...(e.target ? [e.target] : []), odds.join(', ')].join('  ')
}

function outcomeText(o: TrafficOutcome): string {
  const tag = o.verdict === 'forward' ? '' : ` [${o.verdict.toUpperCase()}]`
  return `${o.summary}${tag}`
}
