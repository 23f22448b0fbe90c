/**
 * @module diff/services
 * Per-Service changes between two plans: created / updated (which fields) / deleted, allocation
 * changes with their origin, endpoint changes per service port and exposure opened or closed.
 * Allocation values are compared as the planner previews them; because preview values are seeded
 * by the Service's own name (apiserver stage), an unchanged Service keeps its value on both sides
 * and never shows a spurious change (the "noise kills trust" lesson of ARM what-if).
 */
import type { PlannedService, PlannedServicePort, PlanResult } from '../plan/types.ts'
import { endpointSources } from '../plan/service-ports.ts'
import { plannedType, sameServiceInputs, type ServiceIndex, type ServiceInputs } from '../plan/services.ts'
import type { Refusal } from './refused.ts'
import { sameList } from './same-data.ts'
import type { EndpointChange, Exposure, FieldChange, ServiceChange, ServiceChangeKind } from './types.ts'

const key = (ns: string, name: string): string => `${ns}/${name}`

/** `value (origin)` for allocation display; requested/existing values are shown bare. */
function withOrigin(value: string, origin: string | undefined): string {
  return origin === 'preview' ? `${value} (preview)` : value
}

function list(xs: readonly string[]): string {
  return xs.length === 0 ? '' : xs.join(', ')
}

/** A stable key for a port within its Service: its name, or `port/PROTOCOL` when unnamed. */
function portKey(p: { name: string; port: number; protocol: string }): string {
  return p.name !== '' ? p.name : `${p.port}/${p.protocol}`
}

function pushIf(out: FieldChange[], field: string, before: string | undefined, after: string | undefined): void {
  if (before === after) return
  out.push({ field, ...(before !== undefined && before !== '' ? { before } : {}), ...(after !== undefined && after !== '' ? { after } : {}) })
}

/**
 * `app=web,tier=fe` (keys sorted, as kubectl prints label selectors). An empty selector is the
 * same as none: the API drops `{}` (omitempty) and the EndpointSlice controller skips both.
 */
function selectorText(sel: Readonly<Record<string, string>> | undefined): string | undefined {
  const keys = Object.keys(sel ?? {}).sort(cmp)
  return keys.length === 0 ? undefined : keys.map((k) => `${k}=${sel?.[k] ?? ''}`).join(',')
}

/** Spec fields that differ between two versions of a Service (allocations excluded). */
export function specChanges(b: PlannedService, h: PlannedService): FieldChange[] {
  const out: FieldChange[] = []
  pushIf(out, 'spec.type', b.type, h.type)
  // The selector decides the endpoints; show it even when both pick the same Pods today.
  pushIf(out, 'spec.selector', selectorText(b.selector), selectorText(h.selector))
  pushIf(out, 'spec.ipFamilies', list(b.ipFamilies), list(h.ipFamilies))
  const bp = new Map(b.ports.map((p) => [portKey(p), p]))
  const hp = new Map(h.ports.map((p) => [portKey(p), p]))
  for (const k of [...new Set([...bp.keys(), ...hp.keys()])].sort()) {
    const x = bp.get(k)
    const y = hp.get(k)
    const show = (p: typeof x): string | undefined =>
      p ? `${p.port}/${p.protocol}${p.targetPort !== undefined ? ` → ${p.targetPort}` : ''}` : undefined
    if (!x || !y) pushIf(out, `spec.ports[${k}]`, show(x), show(y))
    else {
      pushIf(out, `spec.ports[${k}].port`, `${x.port}/${x.protocol}`, `${y.port}/${y.protocol}`)
      pushIf(out, `spec.ports[${k}].targetPort`, x.targetPort?.toString(), y.targetPort?.toString())
    }
  }
  pushIf(out, 'spec.externalIPs', list(b.externalIPs), list(h.externalIPs))
  pushIf(out, 'spec.loadBalancerSourceRanges', list(b.loadBalancerSourceRanges), list(h.loadBalancerSourceRanges))
  pushIf(out, 'status.loadBalancer.ingress', list(b.loadBalancerIngress), list(h.loadBalancerIngress))
  pushIf(out, 'spec.externalTrafficPolicy', b.externalTrafficPolicy, h.externalTrafficPolicy)
  pushIf(out, 'spec.internalTrafficPolicy', b.internalTrafficPolicy, h.internalTrafficPolicy)
  pushIf(out, 'spec.sessionAffinity', b.sessionAffinity, h.sessionAffinity)
  return out
}

/** ClusterIP, NodePort and healthCheckNodePort changes (all of them for a create or delete). */
export function allocationChanges(b: PlannedService | undefined, h: PlannedService | undefined): FieldChange[] {
  const out: FieldChange[] = []
  const ips = (s: PlannedService | undefined): string | undefined =>
    s && s.clusterIPs.length > 0 ? withOrigin(s.clusterIPs.join(', '), s.clusterIPOrigin) : undefined
  // Two previews are both hypothetical: if they differ (another Service took the seeded slot),
  // the real cluster would still keep whatever it allocates once, so that is noise, not a change.
  const bothPreview = (x: string | undefined, y: string | undefined): boolean => x === 'preview' && y === 'preview'
  // Compare raw values so a changed origin label alone (existing → requested) is not a change.
  if (list(b?.clusterIPs ?? []) !== list(h?.clusterIPs ?? []) && !bothPreview(b?.clusterIPOrigin, h?.clusterIPOrigin)) {
    pushIf(out, 'spec.clusterIPs', ips(b), ips(h))
  }
  const np = (s: PlannedService | undefined): Map<string, { value: number; origin: string | undefined }> =>
    new Map((s?.ports ?? []).filter((p) => p.nodePort > 0).map((p) => [portKey(p), { value: p.nodePort, origin: p.nodePortOrigin }]))
  const bn = np(b)
  const hn = np(h)
  const show = (v: { value: number; origin: string | undefined } | undefined): string | undefined => (v ? withOrigin(`${v.value}`, v.origin) : undefined)
  for (const k of [...new Set([...bn.keys(), ...hn.keys()])].sort()) {
    const x = bn.get(k)
    const y = hn.get(k)
    if (x?.value !== y?.value && !bothPreview(x?.origin, y?.origin)) pushIf(out, `spec.ports[${k}].nodePort`, show(x), show(y))
  }
  const hc = (s: PlannedService | undefined): string | undefined =>
    s?.healthCheckNodePort ? withOrigin(`${s.healthCheckNodePort}`, s.healthCheckNodePortOrigin) : undefined
  if ((b?.healthCheckNodePort ?? 0) !== (h?.healthCheckNodePort ?? 0) && !bothPreview(b?.healthCheckNodePortOrigin, h?.healthCheckNodePortOrigin)) {
    pushIf(out, 'spec.healthCheckNodePort', hc(b), hc(h))
  }
  return out
}

/** `ns/name:port/PROTO` for a service port. */
export function servicePortLabel(sp: PlannedServicePort): string {
  return `${sp.spn}/${sp.protocol}`
}

function endpointLabel(e: PlannedServicePort['endpoints'][number]): string {
  const state = e.ready ? '' : e.terminating ? ' (terminating)' : e.serving ? ' (serving, not ready)' : ' (not ready)'
  return `${e.endpoint}${state}`
}

/** Endpoint additions and removals per service port of one Service. */
export function endpointChanges(base: readonly PlannedServicePort[], head: readonly PlannedServicePort[]): EndpointChange[] {
  const bm = new Map(base.map((sp) => [servicePortLabel(sp), sp]))
  const hm = new Map(head.map((sp) => [servicePortLabel(sp), sp]))
  const out: EndpointChange[] = []
  for (const k of [...new Set([...bm.keys(), ...hm.keys()])].sort()) {
    const before = new Set((bm.get(k)?.endpoints ?? []).map(endpointLabel))
    const afterList = (hm.get(k)?.endpoints ?? []).map(endpointLabel)
    const after = new Set(afterList)
    const added = [...after].filter((e) => !before.has(e)).sort()
    const removed = [...before].filter((e) => !after.has(e)).sort()
    if (added.length > 0 || removed.length > 0) out.push({ servicePort: k, added, removed, after: after.size })
  }
  return out
}

/** Every way in from outside for the given service ports. */
export function exposures(ports: readonly PlannedServicePort[]): Exposure[] {
  const out: Exposure[] = []
  for (const sp of ports) {
    const service = key(sp.namespace, sp.name)
    const pp = `${sp.port}/${sp.protocol}`
    if (sp.nodePort > 0) out.push({ kind: 'NodePort', service, text: `NodePort ${sp.nodePort}/${sp.protocol}` })
    for (const ip of sp.externalIPs) out.push({ kind: 'externalIP', service, text: `externalIP ${hostPort(ip, pp)}` })
    for (const ip of sp.loadBalancerIPs) {
      const ranges = sp.loadBalancerSourceRanges.length > 0 ? sp.loadBalancerSourceRanges : [ip.includes(':') ? '::/0' : '0.0.0.0/0']
      for (const r of ranges) out.push({ kind: 'LoadBalancer', service, text: `LoadBalancer ${hostPort(ip, pp)} from ${r}` })
    }
  }
  return out
}

function hostPort(ip: string, portProto: string): string {
  return ip.includes(':') ? `[${ip}]:${portProto}` : `${ip}:${portProto}`
}

function exposureDiff(b: readonly Exposure[], h: readonly Exposure[]): { opened: Exposure[]; closed: Exposure[] } {
  const bt = new Set(b.map((e) => e.text))
  const ht = new Set(h.map((e) => e.text))
  const uniq = (xs: readonly Exposure[]): Exposure[] => [...new Map(xs.map((e) => [e.text, e])).values()].sort((x, y) => cmp(x.text, y.text))
  return { opened: uniq(h.filter((e) => !bt.has(e.text))), closed: uniq(b.filter((e) => !ht.has(e.text))) }
}

/** Byte-wise string comparison: locale-independent, so output is the same everywhere. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const ORDER: Record<ServiceChangeKind, number> = { refused: 0, delete: 1, create: 2, update: 3 }

function note(kind: ServiceChangeKind, s: PlannedService, ports: readonly PlannedServicePort[], fields: readonly FieldChange[]): string {
  const parts: string[] = []
  if (kind === 'delete') {
    if (s.clusterIPs.length > 0) parts.push(`frees ClusterIP ${withOrigin(s.clusterIPs.join(', '), s.clusterIPOrigin)}`)
    const nps = s.ports.filter((p) => p.nodePort > 0)
    if (nps.length > 0) parts.push(`NodePort ${[...new Set(nps.map((p) => withOrigin(`${p.nodePort}`, p.nodePortOrigin)))].join(', ')}`)
    return parts.join(', ')
  }
  if (kind === 'create') {
    if (s.notProxied) parts.push(s.notProxied)
    else if (s.clusterIPs.length > 0) parts.push(`ClusterIP ${withOrigin(s.clusterIPs.join(', '), s.clusterIPOrigin)}`)
    const nps = s.ports.filter((p) => p.nodePort > 0)
    if (nps.length > 0) parts.push(`NodePort ${[...new Set(nps.map((p) => withOrigin(`${p.nodePort}`, p.nodePortOrigin)))].join(', ')}`)
    const eps = new Set(ports.flatMap((sp) => sp.endpoints.map((e) => e.endpoint)))
    if (!s.notProxied) parts.push(`${eps.size} endpoint${eps.size === 1 ? '' : 's'}`)
    // A headless Service's answer is DNS: its endpoints and the addresses its name resolves to.
    if (s.dns !== undefined) {
      parts.push(`${s.endpoints.length} endpoint${s.endpoints.length === 1 ? '' : 's'}`)
      for (const r of s.dns.filter((d) => d.name.startsWith(`${s.name}.${s.namespace}.svc.`))) {
        parts.push(`DNS ${r.name} ${r.type} ${r.addresses.length > 0 ? r.addresses.join(' ') : 'no address'}`)
      }
    }
    return parts.join(', ')
  }
  return fields.map((f) => `${f.field.replace(/^(spec|status)\./, '')}: ${f.before ?? '∅'} → ${f.after ?? '∅'}`).join('; ')
}

const grouped = new WeakMap<readonly PlannedServicePort[], ReadonlyMap<string, readonly PlannedServicePort[]>>()

/**
 * {@link portsByService} of a plan's service ports, grouped once per list: the Service
 * comparison and the findings both read the head's groups (≈ 2k ports at 1k Services).
 */
export function groupedPorts(ports: readonly PlannedServicePort[]): ReadonlyMap<string, readonly PlannedServicePort[]> {
  let m = grouped.get(ports)
  if (m === undefined) {
    m = portsByService(ports)
    grouped.set(ports, m)
  }
  return m
}

/** Service ports grouped by `namespace/name`, in their original order within each Service. */
export function portsByService(ports: readonly PlannedServicePort[]): Map<string, PlannedServicePort[]> {
  const m = new Map<string, PlannedServicePort[]>()
  for (const sp of ports) {
    const k = key(sp.namespace, sp.name)
    const list = m.get(k)
    if (list) list.push(sp)
    else m.set(k, [sp])
  }
  return m
}

/**
 * The row of a Service whose apply fails. An update leaves the base object, so only what moves
 * without it (its endpoints, when the head changes the Pods) is listed.
 */
function refusedChange(r: Refusal, b: PlannedService | undefined, endpoints: readonly EndpointChange[]): ServiceChange {
  const operation = b ? 'update' : 'create'
  const stays = operation === 'update' ? 'update refused: the current object stays, its rules unchanged' : 'create refused: nothing is created'
  return {
    kind: 'refused',
    namespace: r.namespace,
    name: r.name,
    type: r.type ?? b?.type ?? '',
    ...(r.source ? { source: r.source } : {}),
    fields: [],
    allocations: [],
    endpoints,
    opened: [],
    closed: [],
    note: `${stays}; ${r.messages.join('; ')}`,
    refused: { operation, messages: r.messages },
  }
}

/** Same `spec.selector` text ({@link selectorText}): the same keys in the same order, same values. */
function sameSelector(a: PlannedService['selector'], b: PlannedService['selector']): boolean {
  if (a === b) return true
  const ka = Object.keys(a ?? {})
  const kb = Object.keys(b ?? {})
  if (!sameList(ka, kb)) return false
  for (const k of ka) if (a?.[k] !== b?.[k]) return false
  return true
}

/** What {@link unchangedService} compares of an endpoint (a planned one, or the front end's it copies). */
interface EndpointState {
  readonly endpoint: string
  readonly ready: boolean
  readonly serving: boolean
  readonly terminating: boolean
}

/**
 * True only when {@link specChanges}, {@link allocationChanges}, {@link endpointChanges} and the
 * exposure diff of the two sides are all empty: every field they read is equal, lists element by
 * element in the same order (so their maps and sets are built the same). Checked without
 * building their strings, maps and sets: ≈ 99% of a pull request's Services are unchanged, and
 * building those views for them was most of `diffServices`. Anything else (a field differs, or
 * the same data in another order) takes the full comparison, which decides.
 */
export function unchangedService(b: PlannedService, h: PlannedService, bports: readonly PlannedServicePort[], hports: readonly PlannedServicePort[]): boolean {
  if (
    b.type !== h.type ||
    b.externalTrafficPolicy !== h.externalTrafficPolicy ||
    b.internalTrafficPolicy !== h.internalTrafficPolicy ||
    b.sessionAffinity !== h.sessionAffinity ||
    b.clusterIPOrigin !== h.clusterIPOrigin ||
    b.healthCheckNodePort !== h.healthCheckNodePort ||
    b.healthCheckNodePortOrigin !== h.healthCheckNodePortOrigin ||
    !sameList(b.clusterIPs, h.clusterIPs) ||
    !sameList(b.ipFamilies, h.ipFamilies) ||
    !sameList(b.externalIPs, h.externalIPs) ||
    !sameList(b.loadBalancerSourceRanges, h.loadBalancerSourceRanges) ||
    !sameList(b.loadBalancerIngress, h.loadBalancerIngress) ||
    !sameSelector(b.selector, h.selector) ||
    b.ports.length !== h.ports.length
  ) {
    return false
  }
  // (A view taken from the other plan shares its lists: plan/services.ts `copiedService`.)
  if (b.ports !== h.ports) for (let i = 0; i < b.ports.length; i++) {
    const x = b.ports[i] as PlannedService['ports'][number]
    const y = h.ports[i] as PlannedService['ports'][number]
    if (x.name !== y.name || x.port !== y.port || x.protocol !== y.protocol || x.targetPort !== y.targetPort || x.nodePort !== y.nodePort || x.nodePortOrigin !== y.nodePortOrigin) return false
  }
  return unchangedPorts(bports, hports)
}

/**
 * The service-port half of {@link unchangedService}: {@link endpointChanges} and the exposure
 * diff of the two lists are empty, every field they read equal, element by element.
 */
export function unchangedPorts(bports: readonly PlannedServicePort[], hports: readonly PlannedServicePort[]): boolean {
  if (bports.length !== hports.length) return false
  for (let i = 0; i < bports.length; i++) {
    const x = bports[i] as PlannedServicePort
    const y = hports[i] as PlannedServicePort
    // The same view (the head's taken from the base's, plan/service-ports.ts): every field the same.
    if (x === y) continue
    if (
      x.spn !== y.spn ||
      x.namespace !== y.namespace ||
      x.name !== y.name ||
      x.protocol !== y.protocol ||
      x.port !== y.port ||
      x.nodePort !== y.nodePort ||
      !sameList(x.externalIPs, y.externalIPs) ||
      !sameList(x.loadBalancerIPs, y.loadBalancerIPs) ||
      !sameList(x.loadBalancerSourceRanges, y.loadBalancerSourceRanges)
    ) {
      return false
    }
    // The fields compared are the front end's, copied: read there, the unchanged ports'
    // endpoints are never built (plan/service-ports.ts).
    const xe: readonly EndpointState[] = endpointSources(x) ?? x.endpoints
    const ye: readonly EndpointState[] = endpointSources(y) ?? y.endpoints
    if (xe.length !== ye.length) return false
    for (let j = 0; j < xe.length; j++) {
      const e = xe[j] as EndpointState
      const f = ye[j] as EndpointState
      if (e.endpoint !== f.endpoint || e.ready !== f.ready || e.serving !== f.serving || e.terminating !== f.terminating) return false
    }
  }
  return true
}

/**
 * One side's Services as {@link diffServices} and the findings read them: by `namespace/name`,
 * in the plan's order, each one's view, and the inputs of its view when known.
 */
export interface ServiceSide {
  readonly keys: readonly string[]
  view(key: string): PlannedService | undefined
  /** What the view is built from (undefined: not known, compare the views). */
  inputs(key: string): ServiceInputs | undefined
  origin(key: string): PlannedService['origin'] | undefined
  type(key: string): PlannedService['type'] | undefined
}

/** A plan's Services from its views (`PlanResult.services`, all built). */
export function sideOfViews(services: readonly PlannedService[]): ServiceSide {
  const byKey = new Map(services.map((s) => [key(s.namespace, s.name), s]))
  return {
    keys: [...byKey.keys()],
    view: (k) => byKey.get(k),
    inputs: () => undefined,
    origin: (k) => byKey.get(k)?.origin,
    type: (k) => byKey.get(k)?.type,
  }
}

/**
 * A plan's Services from their {@link ServiceIndex}: a view is built only when asked, and a
 * Service's origin and type are read from its Service, as planService reads them (its `origin`
 * is the Service's, its `type` {@link plannedType}).
 */
export function sideOfIndex(index: ServiceIndex): ServiceSide {
  return {
    keys: index.keys,
    view: (k) => index.view(k),
    inputs: (k) => index.inputs(k),
    origin: (k) => index.inputs(k)?.s.origin,
    type: (k) => {
      const i = index.inputs(k)
      return i === undefined ? undefined : plannedType(i.s)
    },
  }
}

/**
 * Compares the Services of two plans. Unchanged Services are left out; a refused one is its own
 * row (`refused`), never a deletion. `sides`: the plans' Services as read (default: their views).
 */
export function diffServices(base: PlanResult, head: PlanResult, refusals: readonly Refusal[] = [], fast = true, sides?: { readonly base: ServiceSide; readonly head: ServiceSide }): ServiceChange[] {
  const refused = new Map(refusals.map((r) => [key(r.namespace, r.name), r]))
  const bs = sides?.base ?? sideOfViews(base.services)
  const hs = sides?.head ?? sideOfViews(head.services)
  // Grouped once: filtering every plan's ports per Service would be quadratic in Services.
  const [basePorts, headPorts] = [groupedPorts(base.servicePorts), groupedPorts(head.servicePorts)]
  const portsOf = (p: PlanResult, k: string): readonly PlannedServicePort[] => (p === base ? basePorts : headPorts).get(k) ?? []
  const out: ServiceChange[] = []
  for (const k of [...new Set([...bs.keys, ...hs.keys])]) {
    const bports = portsOf(base, k)
    const hports = portsOf(head, k)
    if (fast) {
      // Views of the same inputs have the same fields but source and endpoints, none of which
      // unchangedService reads: its port half decides, and neither view is built.
      const bi = bs.inputs(k)
      const hi = hs.inputs(k)
      if (bi !== undefined && hi !== undefined && sameServiceInputs(bi, hi) && unchangedPorts(bports, hports)) continue
    }
    const b = bs.view(k)
    const h = hs.view(k)
    // An unchanged update is left out below, as is a refused one: skip building its views.
    if (fast && b !== undefined && h !== undefined && unchangedService(b, h, bports, hports)) continue
    const kind: ServiceChangeKind = !b ? 'create' : !h ? 'delete' : 'update'
    const fields = b && h ? specChanges(b, h) : []
    const allocations = allocationChanges(b, h)
    const endpoints = endpointChanges(bports, hports)
    const { opened, closed } = exposureDiff(exposures(bports), exposures(hports))
    if (kind === 'update' && fields.length + allocations.length + endpoints.length + opened.length + closed.length === 0) continue
    const s = (h ?? b) as PlannedService
    if (refused.has(k)) continue
    const count = (ps: readonly PlannedServicePort[]): string => `${new Set(ps.flatMap((sp) => sp.endpoints.map((e) => e.endpoint))).size}`
    // The endpoint count goes in the note whenever it moves (3 → 0 is what a selector typo does),
    // or when endpoints are all that changed.
    const [nb, nh] = [count(bports), count(hports)]
    const endpointCount = nb !== nh || (endpoints.length > 0 && fields.length + allocations.length === 0)
    const summaryFields = [...fields, ...allocations, ...(kind === 'update' && endpointCount ? [{ field: 'endpoints', before: nb, after: nh }] : [])]
    out.push({
      kind,
      namespace: s.namespace,
      name: s.name,
      type: s.type,
      source: s.source,
      fields,
      allocations,
      endpoints,
      opened,
      closed,
      note: note(kind, s, hports, summaryFields),
    })
  }
  for (const [k, r] of refused) {
    const b = bs.view(k)
    out.push(refusedChange(r, b, b ? endpointChanges(portsOf(base, k), portsOf(head, k)) : []))
  }
  return out.sort((x, y) => ORDER[x.kind] - ORDER[y.kind] || cmp(x.namespace, y.namespace) || cmp(x.name, y.name))
}
