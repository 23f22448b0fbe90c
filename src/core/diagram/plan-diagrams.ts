/**
 * @module diagram/plan-diagrams
 * Diagrams of a plan: for each service port, a packet is traced through the plan's own rendered
 * ruleset from each way in (cluster IP from a pod, NodePort on the node's address, every external
 * IP and load-balancer IP, from an allowed and a refused source when loadBalancerSourceRanges is
 * set) and the outcomes are drawn (diagram/build.ts). Traced probes draw the same way.
 */
import type { IPFamily } from '../model/k8s.ts'
import { cidrContains, formatIP, joinHostPort, parseCIDRSloppy, parseIPSloppy } from '../net/ip.ts'
import type { PlanResult, PlannedEndpoint, PlannedServicePort } from '../plan/types.ts'
import { endpointSources } from '../plan/service-ports.ts'
import { planTarget, traceTargetOutcomes, type TraceTarget } from '../trace/target.ts'
import { targetSlicer, type SliceDestination, type SliceWanted } from '../trace/slice.ts'
import type { ProbeSpec, Trace, TraceOutcomes } from '../trace/types.ts'
import { buildDiagram, type EndpointInfo, type NodeSpec, type Route } from './build.ts'
import { DEFAULT_DIAGRAM_LIMITS, type Diagram, type DiagramLimits } from './types.ts'

/** Source addresses used for traffic from outside the cluster (documentation ranges, RFC 5737/3849). */
const OUTSIDE: Record<IPFamily, readonly string[]> = {
  IPv4: ['203.0.113.10', '198.51.100.200', '192.0.2.10'],
  IPv6: ['2001:db8:ffff::a', '2001:db8:fffe::a', '2001:db8:fffd::a'],
}

function inAny(ip: string, cidrs: readonly string[]): boolean {
  const p = parseIPSloppy(ip)
  return p !== undefined && cidrs.some((c) => {
    const n = parseCIDRSloppy(c)
    return n !== undefined && cidrContains(n, p)
  })
}

/** The last usable address of a CIDR (unlikely to be an endpoint), or the address of a /32 or /128. */
function addressIn(cidr: string): string | undefined {
  const c = parseCIDRSloppy(cidr)
  if (c === undefined) return undefined
  const bits = c.family === 'IPv4' ? 32 : 128
  const span = 1n << BigInt(bits - c.prefix)
  return formatIP({ family: c.family, value: span > 2n ? c.network + span - 2n : c.network })
}

/** The traffic sources a plan's diagrams use, and the sentence that says so. */
export interface DiagramSources {
  readonly pod: string
  readonly outside: (refused: readonly string[]) => string | undefined
  /** The node address NodePort traffic is sent to, when the node has one of this family. */
  readonly nodeIP?: string
  readonly assumption: string
}

/**
 * Pod traffic comes from an address kube-proxy's local-traffic detector counts as a pod's
 * (`proxier.syncProxyRules` marks cluster-IP traffic from anything else for masquerade): the last
 * address of the detector's CIDR, else a planned Pod of this family on the node, else a
 * documentation address. Outside traffic comes from the first documentation address that no
 * loadBalancerSourceRanges entry admits.
 */
export function diagramSources(plan: PlanResult): DiagramSources {
  const family = plan.ipFamily
  const det = plan.proxyConfig.localDetector
  let pod: string | undefined
  let why = ''
  if (det.mode === 'ClusterCIDR' || det.mode === 'NodeCIDR') {
    pod = addressIn(det.cidr)
    why = `the last address of the ${det.mode === 'ClusterCIDR' ? 'cluster CIDR' : 'node CIDR'} ${det.cidr}`
  }
  if (pod === undefined) {
    const p = plan.pods.find((x) => x.nodeName === plan.node && !x.hostNetwork && x.podIPs.some((a) => parseIPSloppy(a)?.family === family))
    const ip = p?.podIPs.find((a) => parseIPSloppy(a)?.family === family)
    if (p !== undefined && ip !== undefined) {
      pod = ip
      why = `Pod ${p.metadata.namespace}/${p.metadata.name} on ${plan.node}`
    }
  }
  if (pod === undefined) {
    pod = family === 'IPv4' ? '192.0.2.1' : '2001:db8::1'
    why = 'a documentation address (no pod CIDR or Pod on the node to take one from)'
  }
  const nodeIP = [plan.proxyConfig.nodeIP, ...plan.proxyConfig.nodeIPs].find((a) => a !== undefined && parseIPSloppy(a)?.family === family)
  const outside = (refused: readonly string[]): string | undefined => OUTSIDE[family].find((a) => !inAny(a, refused))
  const assumption =
    `Diagrams trace one new connection per way in: from a pod at ${pod} (${why}) to the cluster IP, ` +
    `and from outside the cluster at ${OUTSIDE[family][0]} (or the next documentation address that loadBalancerSourceRanges does not admit) ` +
    `to the NodePort on ${nodeIP ?? 'the node (none of this family)'} and to each external and load-balancer IP.`
  return { pod, outside, ...(nodeIP !== undefined ? { nodeIP } : {}), assumption }
}

interface Way {
  readonly client: NodeSpec
  readonly entry: NodeSpec
  readonly short: string
  readonly probe: ProbeSpec
  readonly destination: SliceDestination
}

function ways(sp: PlannedServicePort, src: DiagramSources): Way[] {
  const proto = sp.protocol.toLowerCase()
  const out: Way[] = []
  const add = (short: string, client: NodeSpec, ip: string, port: number): void => {
    const to = joinHostPort(ip, port)
    out.push({
      client,
      entry: { key: `entry:${short} ${to}`, kind: 'entry', label: `${short} ${to}`, detail: [sp.protocol] },
      short,
      probe: { name: `${short} ${to}`, from: client.detail?.[0] ?? '', to, protocol: proto },
      destination: { ip, port },
    })
  }
  const outsideClient = (ip: string, label: string): NodeSpec => ({ key: `client:${label} ${ip}`, kind: 'client', label, detail: [ip] })
  if (sp.port >= 1 && sp.clusterIP !== '' && parseIPSloppy(sp.clusterIP) !== undefined) {
    add('ClusterIP', { key: 'client:pod', kind: 'client', label: 'pod', detail: [src.pod] }, sp.clusterIP, sp.port)
  }
  const anyOutside = src.outside([])
  if (sp.nodePort > 0 && src.nodeIP !== undefined && anyOutside !== undefined) {
    add('NodePort', outsideClient(anyOutside, 'outside client'), src.nodeIP, sp.nodePort)
  }
  if (sp.port < 1) return out
  for (const ip of sp.externalIPs) if (anyOutside !== undefined) add('externalIP', outsideClient(anyOutside, 'outside client'), ip, sp.port)
  const ranges = sp.loadBalancerSourceRanges
  for (const ip of sp.loadBalancerIPs) {
    if (ranges.length === 0) {
      if (anyOutside !== undefined) add('LB', outsideClient(anyOutside, 'outside client'), ip, sp.port)
      continue
    }
    const fam = parseIPSloppy(ip)?.family
    const allowedRange = ranges.find((r) => parseCIDRSloppy(r)?.family === fam)
    const allowed = allowedRange === undefined ? undefined : addressIn(allowedRange)
    if (allowed !== undefined) add('LB', outsideClient(allowed, 'allowed source'), ip, sp.port)
    const refused = src.outside(ranges)
    if (refused !== undefined) add('LB', outsideClient(refused, 'other source'), ip, sp.port)
  }
  return out
}

function endpointInfo(e: PlannedEndpoint): EndpointInfo {
  const state = e.ready ? [] : [e.terminating ? (e.serving ? 'terminating, serving' : 'terminating') : 'not ready']
  const where = e.node === undefined ? [] : [`${e.node}${e.local ? ' (local)' : ''}`]
  return { detail: [...where, ...(e.target !== undefined ? [e.target] : []), ...state], local: e.local }
}

/** The `endpoint` texts of a port's endpoints, in order, read without building them (plan/service-ports.ts). */
const endpointTexts = (sp: PlannedServicePort): readonly { readonly endpoint: string }[] => endpointSources(sp) ?? sp.endpoints

/**
 * A lookup from DNAT destination to what the plan knows about that endpoint (its first service
 * port's). Indexed by the front end's endpoints the ports copy, in the same order
 * (plan/service-ports.ts `endpointSources`): only a port a destination is looked up in has its
 * planned endpoints built. Given `wanted` (the endpoints of the ports that will be drawn, which
 * their DNATs mostly are), only those are indexed, and any other destination asked for is
 * answered from an index of every endpoint: indexing all 10k of a side was most of the
 * describer at 1k Services. With `scan` (see {@link endpointScan}), an endpoint list the scan
 * has read already is not read again.
 */
export function endpointDescriber(plan: PlanResult, wanted?: ReadonlySet<string>, scan?: EndpointScan): (dnat: string) => EndpointInfo | undefined {
  const d = new Describer(plan, wanted, scan)
  return (dnat) => d.describe(dnat)
}

/** An endpoint's first service port and its index in that port's endpoint list. */
interface EndpointAt {
  readonly sp: PlannedServicePort
  readonly index: number
}

/**
 * {@link endpointDescriber}'s indexes. A class, not closures made per describer: a diff draws
 * once per report, and the optimized code of a closure lives only as long as some closure of its
 * site does (V8 holds it weakly from the shared feedback), so each drawing's index loop, the
 * describer's longest, ran unoptimized and was compiled again (`--trace-opt`: ≈ 10 ms of
 * compiling each time).
 */
class Describer {
  private readonly some: Map<string, EndpointAt> | undefined
  private all: Map<string, EndpointAt> | undefined

  constructor(
    private readonly plan: PlanResult,
    private readonly wanted: ReadonlySet<string> | undefined,
    private readonly scan: EndpointScan | undefined,
  ) {
    this.some = wanted === undefined ? undefined : this.index(wanted)
    this.all = wanted === undefined ? this.index(undefined) : undefined
  }

  private index(only: ReadonlySet<string> | undefined): Map<string, EndpointAt> {
    const map = new Map<string, EndpointAt>()
    const scan = this.scan
    for (const sp of this.plan.servicePorts) {
      // Every wanted endpoint has its first port: later ports change nothing (a diff's changed
      // Services often sit in one namespace, mid-plan: the rest is not read).
      if (only !== undefined && map.size === only.size) break
      const list = endpointTexts(sp)
      if (only !== undefined && scan !== undefined) {
        // The endpoints of the list the scan wants (a superset of `only`), in list order: the
        // same first port and index per endpoint of `only` as reading the whole list.
        for (const [endpoint, i] of scan.hits(list)) if (only.has(endpoint) && !map.has(endpoint)) map.set(endpoint, { sp, index: i })
        continue
      }
      for (let i = 0; i < list.length; i++) {
        const endpoint = (list[i] as { readonly endpoint: string }).endpoint
        if ((only === undefined || only.has(endpoint)) && !map.has(endpoint)) map.set(endpoint, { sp, index: i })
      }
    }
    return map
  }

  describe(dnat: string): EndpointInfo | undefined {
    const at = this.some !== undefined && this.wanted?.has(dnat) === true ? this.some.get(dnat) : (this.all ??= this.index(undefined)).get(dnat)
    const e = at === undefined ? undefined : at.sp.endpoints[at.index]
    return e === undefined ? undefined : endpointInfo(e)
  }
}

/**
 * The endpoints the describers of both sides of a diff want, and which of them each endpoint
 * list holds, read once per list: the head's unchanged ports hold the base's lists (the same
 * arrays, proxy/state.ts front-end reuse), so the head's describer reads ≈ 10 new lists
 * instead of every endpoint of the plan again. Lists are never changed once planned.
 */
export interface EndpointScan {
  /** The wanted endpoints of `list` with their indices, in list order. */
  readonly hits: (list: readonly { readonly endpoint: string }[]) => readonly (readonly [string, number])[]
}

/** The scan shared by the describers of the service ports `ports` (both sides' drawn ports). */
export function endpointScan(ports: readonly PlannedServicePort[]): EndpointScan {
  return new Scan(new Set(ports.flatMap((sp) => endpointTexts(sp).map((e) => e.endpoint))))
}

/**
 * {@link endpointScan}'s lists read. A class, not a closure made per scan: a diff draws once per
 * report, and the optimized code of a closure lives only as long as some closure of its site
 * does (V8 holds it weakly from the shared feedback), so each drawing's scan ran unoptimized.
 */
class Scan implements EndpointScan {
  private readonly read = new Map<readonly { readonly endpoint: string }[], (readonly [string, number])[]>()
  constructor(private readonly wanted: ReadonlySet<string>) {}
  hits(list: readonly { readonly endpoint: string }[]): readonly (readonly [string, number])[] {
    let hits = this.read.get(list)
    if (hits === undefined) {
      hits = []
      for (let i = 0; i < list.length; i++) {
        const endpoint = (list[i] as { readonly endpoint: string }).endpoint
        if (this.wanted.has(endpoint)) hits.push([endpoint, i])
      }
      this.read.set(list, hits)
    }
    return hits
  }
}

/** `ns/name:port/PROTOCOL`, the diff's name for a service port. */
export function servicePortName(sp: PlannedServicePort): string {
  return `${sp.spn}/${sp.protocol}`
}

/** What drawing the service ports of one plan shares: built once by {@link diagramContext}. */
export interface DiagramContext {
  readonly target: TraceTarget
  readonly sources: DiagramSources
  readonly describe: (dnat: string) => EndpointInfo | undefined
  /** The part of `target` packets to one service port can meet (trace/slice.ts); absent: all of it. */
  readonly slice?: (spn: string, destinations: readonly SliceDestination[]) => TraceTarget
  readonly limits?: DiagramLimits
}

/**
 * Indexes a plan once for drawing any number of its service ports. Given `ports` (the ones that
 * will be drawn, e.g. a diff's changed ports), the trace index covers only their rules and
 * destinations; any other port still draws the same (the slicer then indexes the whole ruleset).
 * With `reach`, a slice reads only the chains reached from the entry chains (trace/slice.ts).
 * The traces locate no restore-text lines (a box shows the rules' texts only): `restoreText` is
 * read in nftables mode only, where the table's index comes with its lines. `scan`, made for
 * `ports` and maybe more ({@link endpointScan}), may be shared with another plan's context.
 */
export function diagramContext(
  plan: PlanResult,
  limits: DiagramLimits = DEFAULT_DIAGRAM_LIMITS,
  restoreText?: string,
  ports?: readonly PlannedServicePort[],
  reach = false,
  scan?: EndpointScan,
): DiagramContext {
  const target = planTarget(plan, restoreText, { lines: false })
  const sources = diagramSources(plan)
  const wanted: SliceWanted | undefined =
    ports === undefined
      ? undefined
      : { spns: new Set(ports.map((sp) => sp.spn)), destinations: ports.flatMap((sp) => ways(sp, sources).slice(0, limits.maxEntries).map((w) => w.destination)) }
  const endpoints = ports === undefined ? undefined : new Set(ports.flatMap((sp) => endpointTexts(sp).map((e) => e.endpoint)))
  return { target, sources, describe: endpointDescriber(plan, endpoints, scan), slice: targetSlicer(target, wanted, reach), limits }
}

/** The diagram of one service port, traced through the plan's ruleset (`ctx.target`). */
export function servicePortDiagram(sp: PlannedServicePort, id: string, ctx: DiagramContext): Diagram {
  const limits = ctx.limits ?? DEFAULT_DIAGRAM_LIMITS
  const all = ways(sp, ctx.sources)
  const drawn = all.slice(0, limits.maxEntries)
  const target = ctx.slice === undefined ? ctx.target : ctx.slice(sp.spn, drawn.map((w) => w.destination))
  // Outcomes only: a diagram draws no test-tracer view (trace/target.ts `traceTargetOutcomes`).
  const traces = traceTargetOutcomes(target, drawn.map((w) => w.probe)).value
  const routes: Route[] = []
  for (const w of drawn) {
    const t: TraceOutcomes | undefined = traces.find((x) => x.probe.to === w.probe.to && x.probe.from === w.probe.from)
    if (t !== undefined) routes.push({ client: w.client, entry: w.entry, short: w.short, trace: t })
  }
  const notes: string[] = []
  if (all.length > drawn.length) notes.push(`Only the first ${limits.maxEntries} of ${all.length} ways in are drawn.`)
  if (sp.port < 1) notes.push(`Port ${sp.port} cannot be the destination of a traced packet; only the NodePort (if any) is drawn.`)
  else if (all.length === 0) notes.push('No way in to trace (no cluster IP, NodePort or external address of this family).')
  const policies = [
    sp.internalTrafficPolicy === 'Local' ? 'internalTrafficPolicy Local' : '',
    sp.externalTrafficPolicy === 'Local' && sp.external !== undefined ? 'externalTrafficPolicy Local' : '',
    sp.topologyMode !== '' ? `topology ${sp.topologyMode}` : '',
  ].filter(Boolean)
  const title = `${sp.spn} ${sp.port}/${sp.protocol}${policies.length > 0 ? ` (${policies.join(', ')})` : ''}`
  return buildDiagram({ id, title, notes, routes, describeEndpoint: ctx.describe, maxEndpoints: limits.maxEndpoints })
}

/** Diagrams of a plan and the facts behind them (sources used, what the limits left out). */
export interface DiagramSet {
  readonly diagrams: readonly Diagram[]
  readonly notes: readonly string[]
}

/** Diagrams of every service port of a plan, up to `maxServicePorts`. */
export function planDiagrams(plan: PlanResult, limits: DiagramLimits = DEFAULT_DIAGRAM_LIMITS, restoreText?: string): DiagramSet {
  const ctx = diagramContext(plan, limits, restoreText)
  const ports = plan.servicePorts.slice(0, limits.maxServicePorts)
  const diagrams = ports.map((sp, i) => servicePortDiagram(sp, `d${i}`, ctx))
  const notes = [ctx.sources.assumption]
  if (plan.servicePorts.length > ports.length) notes.push(`Only the first ${limits.maxServicePorts} of ${plan.servicePorts.length} service ports are drawn.`)
  return { diagrams, notes }
}

/** One diagram per traced probe; endpoints are described from `plan` when there is one. */
export function traceDiagrams(traces: readonly Trace[], plan?: PlanResult): Diagram[] {
  const describe = plan === undefined ? undefined : endpointDescriber(plan)
  return traces.map((t, i) => {
    const p = t.probe
    const dest = joinHostPort(p.destIP, p.destPort)
    const client: NodeSpec = { key: `client:${p.from}`, kind: 'client', label: p.from, detail: p.from === p.sourceIP ? [] : [p.sourceIP] }
    const entry: NodeSpec = { key: `entry:${dest}`, kind: 'entry', label: dest, detail: [p.protocol.toUpperCase(), ...(p.to === dest ? [] : [p.to])] }
    return buildDiagram({
      id: `t${i}`,
      title: `probe ${p.name}${p.node === '' ? '' : ` on ${p.node}`}`,
      notes: t.notes,
      routes: [{ client, entry, short: 'probe', trace: t }],
      ...(describe !== undefined ? { describeEndpoint: describe } : {}),
      maxEndpoints: DEFAULT_DIAGRAM_LIMITS.maxEndpoints,
    })
  })
}
