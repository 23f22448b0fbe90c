/**
 * @module trace/probe
 * Probes: what a user asks to trace. `from` is `pod:NS/NAME` (that Pod's IP), `node:NAME` (that
 * Node's InternalIP) or an IP; `to` is `IP:PORT`, `[IPv6]:PORT`, `pod:…`/`node:…` followed by
 * `:PORT`, or a Service port `svc:NS/NAME:PORT` / `NS/NAME:PORT` (its cluster IP of the traced
 * family; PORT is the port number or its name). A probe that cannot be resolved becomes a
 * `trace/probe-unresolved` issue, never a crash.
 */
import { EVENT_ID, load, parseEvents, type Event } from 'js-yaml'
import { nodeIPOfFamily } from '../cluster/node-addresses.ts'
import { issue, type Issue, type SourceSpan, type Staged } from '../issues.ts'
import type { IPFamily, Node, Pod } from '../model/k8s.ts'
import type { PlannedService } from '../plan/types.ts'
import { formatIP, parseIPSloppy } from '../net/ip.ts'
import { LineIndex } from '../parse/lines.ts'
import { normaliseProtocol } from './kube-tracer.ts'
import type { Probe, ProbeSpec } from './types.ts'

/** What resolving a probe needs to know about the cluster and the node being traced. */
export interface ProbeContext {
  readonly node: string
  readonly ipFamily: IPFamily
  /** The traced node's own addresses: a source among them is local (OUTPUT path). */
  readonly nodeIPs: readonly string[]
  readonly pods: readonly Pod[]
  readonly nodes: readonly Node[]
  /** Planned Services, for `svc:NS/NAME:PORT` destinations (absent when only a ruleset file is traced). */
  readonly services?: readonly PlannedService[]
}

/** Every destination form, for error messages. */
export const DESTINATION_FORMS = 'IP:PORT, [IPv6]:PORT, pod:NS/NAME:PORT, node:NAME:PORT, or a Service port svc:NS/NAME:PORT (also NS/NAME:PORT; PORT is the number or the port name)'

/** Every source form, for error messages. */
const SOURCE_FORMS = 'an IP address, pod:NS/NAME or node:NAME'

/** Where each probe of a file was written, for issues. */
export type ProbeSources = readonly (SourceSpan | undefined)[]

const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const

function unresolved(message: string, name: string, index: number, source?: SourceSpan): Issue {
  return issue('trace/probe-unresolved', 'error', message, {
    path: `probes[${index}]${name === '' ? '' : ` (${name})`}`,
    ...(source !== undefined ? { source } : {}),
  })
}

/** Resolves `pod:NS/NAME`, `node:NAME` or an IP to one IP of `family`; a string is the reason it failed. */
export function resolveEndpoint(text: string, ctx: ProbeContext): { ip: string } | string {
  const family = ctx.ipFamily
  if (text.startsWith('pod:')) {
    const ref = text.slice(4)
    const slash = ref.indexOf('/')
    const [ns, name] = slash < 0 ? ['default', ref] : [ref.slice(0, slash), ref.slice(slash + 1)]
    const pod = ctx.pods.find((p) => p.metadata.namespace === ns && p.metadata.name === name)
    if (pod === undefined) return `no Pod ${ns}/${name} in the plan`
    if (pod.hostNetwork) {
      const node = ctx.nodes.find((n) => n.metadata.name === pod.nodeName)
      const ip = nodeIPOfFamily(node, family)
      return ip === undefined ? `Pod ${ns}/${name} uses the host network and its node has no ${family} address` : { ip }
    }
    for (const a of pod.podIPs) {
      const ip = parseIPSloppy(a)
      if (ip?.family === family) return { ip: formatIP(ip) }
    }
    return `Pod ${ns}/${name} has no ${family} address`
  }
  if (text.startsWith('node:')) {
    const name = text.slice(5)
    const node = ctx.nodes.find((n) => n.metadata.name === name)
    if (node === undefined) return `no Node ${name} in the plan`
    const ip = nodeIPOfFamily(node, family)
    return ip === undefined ? `Node ${name} has no ${family} address` : { ip }
  }
  const ip = parseIPSloppy(text)
  if (ip === undefined) return `"${text}" is not ${SOURCE_FORMS}`
  if (ip.family !== family) return `${text} is ${ip.family} but the traced ruleset is ${family} (use --ip-family ${ip.family})`
  return { ip: formatIP(ip) }
}

/** A destination naming a Service port: `svc:NS/NAME:PORT`, `svc:NAME:PORT` (namespace default) or `NS/NAME:PORT`. */
export function parseServiceDestination(to: string): { namespace: string; name: string; port: string } | undefined {
  const svc = to.startsWith('svc:')
  if (!svc && (to.startsWith('pod:') || to.startsWith('node:') || !to.includes('/'))) return undefined
  const m = /^(?:([^/:\s]+)\/)?([^/:\s]+):([A-Za-z0-9-]+)$/.exec(svc ? to.slice(4) : to)
  if (m === null || (!svc && m[1] === undefined)) return undefined
  return { namespace: m[1] ?? 'default', name: m[2] ?? '', port: m[3] ?? '' }
}

/**
 * A Service port destination as the packet's address: the Service's cluster IP of the traced
 * family and the port (matched by number, else by name), with its protocol. A string is the reason it failed.
 */
export function resolveServiceDestination(
  dest: { namespace: string; name: string; port: string },
  ctx: ProbeContext,
): { ip: string; port: number; protocol: string } | string {
  const ref = `${dest.namespace}/${dest.name}`
  const svc = (ctx.services ?? []).find((s) => s.namespace === dest.namespace && s.name === dest.name)
  if (svc === undefined) return ctx.services === undefined ? `Service ${ref}: no manifests were planned (give PATH or --cluster with the Service)` : `no Service ${ref} in the plan`
  const byNumber = /^\d+$/.test(dest.port) ? svc.ports.filter((p) => p.port === Number(dest.port)) : []
  const ports = byNumber.length > 0 ? byNumber : svc.ports.filter((p) => p.name === dest.port)
  const port = ports[0]
  if (port === undefined) return `Service ${ref} has no port ${dest.port} (ports: ${svc.ports.map((p) => (p.name === '' ? String(p.port) : `${p.name} ${p.port}`)).join(', ') || 'none'})`
  const ip = svc.clusterIPs.map((c) => parseIPSloppy(c)).find((c) => c?.family === ctx.ipFamily)
  if (ip === undefined) return `Service ${ref} has no ${ctx.ipFamily} cluster IP${svc.clusterIPs.length > 0 ? ` (${svc.clusterIPs.join(', ')})` : ''}`
  return { ip: formatIP(ip), port: port.port, protocol: port.protocol }
}

/** Splits a destination into host part and port: `IP:PORT`, `[IPv6]:PORT`, `pod:NS/NAME:PORT`, `node:NAME:PORT`. */
export function splitHostPort(to: string): { host: string; port: number } | undefined {
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(to)
  const m = v6 ?? /^(.*):(\d+)$/.exec(to)
  if (m === null) return undefined
  const host = m[1] ?? ''
  const port = Number(m[2])
  // A bare IPv6 address ends in ":digits" too; it needs brackets to carry a port.
  if (v6 === null && !host.startsWith('pod:') && !host.startsWith('node:') && host.includes(':')) return undefined
  if (host === '' || !Number.isInteger(port) || port < 1 || port > 65535) return undefined
  return { host, port }
}

/** True when `ip` is one of the node's addresses or loopback: the node itself sends it. */
function isLocalSource(ip: string, nodeIPs: readonly string[]): boolean {
  const p = parseIPSloppy(ip)
  if (p === undefined) return false
  if (p.family === 'IPv4' && p.value >> 24n === 127n) return true
  if (p.family === 'IPv6' && p.value === 1n) return true
  return nodeIPs.some((n) => {
    const q = parseIPSloppy(n)
    return q !== undefined && q.family === p.family && q.value === p.value
  })
}

/**
 * Resolves probes against the plan's Pods and Nodes, in order. Unresolvable probes are left out,
 * each with a `trace/probe-unresolved` issue.
 * @example resolveProbes([{ from: 'pod:default/web-0', to: '10.96.0.10:80' }], ctx)
 */
export function resolveProbes(specs: readonly ProbeSpec[], ctx: ProbeContext, sources: ProbeSources = []): Staged<Probe[]> {
  const out: Probe[] = []
  const issues: Issue[] = []
  specs.forEach((spec, index) => {
    const name = spec.name ?? `${spec.from} → ${spec.to}`
    const src = sources[index]
    const from = resolveEndpoint(spec.from, ctx)
    if (typeof from === 'string') return issues.push(unresolved(`Probe source: ${from}`, spec.name ?? '', index, src))
    const svcDest = parseServiceDestination(spec.to)
    let hp: { host: string; port: number } | undefined
    let to: { ip: string } | string
    let defaultProtocol = ''
    if (svcDest !== undefined) {
      const r = resolveServiceDestination(svcDest, ctx)
      if (typeof r === 'string') return issues.push(unresolved(`Probe destination: ${r}`, spec.name ?? '', index, src))
      hp = { host: `svc:${svcDest.namespace}/${svcDest.name}`, port: r.port }
      to = { ip: r.ip }
      // The Service port says which protocol it serves; an explicit protocol still wins.
      defaultProtocol = r.protocol
    } else {
      hp = splitHostPort(spec.to)
      if (hp === undefined) {
        return issues.push(unresolved(`Probe destination "${spec.to}" is not one of ${DESTINATION_FORMS}`, spec.name ?? '', index, src))
      }
      to = resolveEndpoint(hp.host, ctx)
    }
    if (typeof to === 'string') return issues.push(unresolved(`Probe destination: ${to}`, spec.name ?? '', index, src))
    const protocol = normaliseProtocol(spec.protocol ?? defaultProtocol)
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
      return issues.push(unresolved(`Probe protocol "${spec.protocol ?? ''}" is not tcp, udp or sctp`, spec.name ?? '', index, src))
    }
    if (hp.host.startsWith('node:') && hp.host.slice(5) !== ctx.node) {
      issues.push(
        issue(
          'trace/other-node',
          'warning',
          `Probe destination ${hp.host} is not the traced node ${ctx.node}: the rules walked are ${ctx.node}'s (a packet passing through it); trace with --node ${hp.host.slice(5)} for that node's view`,
          { path: `probes[${index}]`, ...(src !== undefined ? { source: src } : {}) },
        ),
      )
    }
    out.push({
      name,
      from: spec.from,
      to: spec.to,
      sourceIP: from.ip,
      destIP: to.ip,
      destPort: hp.port,
      protocol: protocol as Probe['protocol'],
      node: ctx.node,
      local: isLocalSource(from.ip, ctx.nodeIPs),
    })
    return undefined
  })
  return { value: out, issues }
}

/** Offsets at which each item of the probe list starts (root list, or the list under `probes:`). */
function itemOffsets(text: string, events: readonly Event[], wrapped: boolean): number[] {
  const offsets: number[] = []
  let depth = 0
  let listDepth = wrapped ? -1 : 2
  let lastKeyAtRoot = ''
  let keyTurn = true
  for (const e of events) {
    if (e.type === EVENT_ID.POP) {
      depth--
      continue
    }
    if (depth === listDepth && e.type !== EVENT_ID.DOCUMENT) {
      offsets.push(e.type === EVENT_ID.SCALAR ? e.valueStart : e.type === EVENT_ID.ALIAS ? -1 : 'start' in e ? e.start : -1)
    }
    if (wrapped && depth === 2 && listDepth < 0) {
      // Root mapping entries alternate key, value; the value after key `probes` is the list.
      if (keyTurn && e.type === EVENT_ID.SCALAR) lastKeyAtRoot = text.slice(e.valueStart, e.valueEnd).replace(/^["']|["']$/g, '')
      if (!keyTurn && e.type === EVENT_ID.SEQUENCE && lastKeyAtRoot === 'probes') listDepth = 3
      keyTurn = !keyTurn
    }
    if (e.type === EVENT_ID.DOCUMENT || e.type === EVENT_ID.SEQUENCE || e.type === EVENT_ID.MAPPING) depth++
  }
  return offsets
}

function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v
  if (typeof v === 'number') return String(v)
  return undefined
}

/**
 * Reads a probes file: YAML or JSON, a list of `{name, from, to, protocol}` (or a mapping with
 * such a list under `probes`). Bad entries become issues with file and line; good ones keep
 * their order.
 * @example parseProbesFile('probes.yaml', '- {name: web, from: 10.0.0.2, to: 10.96.0.10:80}\n')
 */
export function parseProbesFile(file: string, text: string): Staged<{ specs: ProbeSpec[]; sources: (SourceSpan | undefined)[] }> {
  const lines = new LineIndex(file, text)
  let doc: unknown
  try {
    doc = load(text, { filename: file, maxDepth: 64 })
  } catch (e) {
    const mark = (e as { mark?: { line: number; column: number } }).mark
    const reason = (e as { reason?: string }).reason ?? String(e)
    return {
      value: { specs: [], sources: [] },
      issues: [issue('trace/probes-syntax', 'error', `Probes file is not valid YAML or JSON: ${reason}`, {
        source: mark !== undefined ? lines.at(mark.line, mark.column) : { file, line: 1, column: 1 },
      })],
    }
  }
  const wrapped = doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'probes' in doc
  const list = wrapped ? (doc as { probes: unknown }).probes : doc
  if (!Array.isArray(list)) {
    return {
      value: { specs: [], sources: [] },
      issues: [issue('trace/probes-syntax', 'error', 'Probes file must hold a list of {name, from, to, protocol}', { source: { file, line: 1, column: 1 } })],
    }
  }
  let offsets: number[] = []
  try {
    offsets = itemOffsets(text, parseEvents(text, { filename: file, maxDepth: 64 }), wrapped)
  } catch {
    offsets = []
  }
  const specs: ProbeSpec[] = []
  const sources: (SourceSpan | undefined)[] = []
  const issues: Issue[] = []
  list.forEach((item: unknown, index) => {
    const off = offsets[index]
    const source = off !== undefined && off >= 0 ? lines.span(off) : { file, line: 1, column: 1 }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      issues.push(issue('trace/probes-syntax', 'error', 'Each probe must be a mapping with from and to', { path: `probes[${index}]`, source }))
      return
    }
    const rec = item as Record<string, unknown>
    const from = str(rec['from'])
    const to = str(rec['to'])
    if (from === undefined || to === undefined) {
      issues.push(issue('trace/probes-syntax', 'error', `Probe needs string fields from and to`, { path: `probes[${index}]`, source }))
      return
    }
    const name = str(rec['name'])
    const protocol = str(rec['protocol'])
    specs.push({ from, to, ...(name !== undefined ? { name } : {}), ...(protocol !== undefined ? { protocol } : {}) })
    sources.push(source)
  })
  return { value: { specs, sources }, issues }
}
