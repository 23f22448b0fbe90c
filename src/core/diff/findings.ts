/**
 * @module diff/findings
 * Findings: what in the head plan is wrong or risky, with severity and file:line. Every issue of
 * the head plan (validation errors from the apiserver emulation, allocation conflicts, unresolved
 * named ports, ...) becomes a finding; on top of that come the consequences only the diff sees:
 * traffic REJECTed for lack of endpoints, nodes that DROP external traffic under
 * `externalTrafficPolicy: Local`, LoadBalancers newly open to the whole internet, a nearly full
 * Service range, and a Service deleted while others still select its Pods.
 */
import { pushAll } from '../append.ts'
import type { Issue, ObjectRef, SourceSpan } from '../issues.ts'
import type { Service } from '../model/k8s.ts'
import type { PlannedService, PlannedServicePort, PlanResult } from '../plan/types.ts'
import { cmp, groupedPorts, servicePortLabel, sideOfViews, type ServiceSide } from './services.ts'
import type { Finding, FindingSeverity, ServiceChange } from './types.ts'

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, notice: 2 }

/** Share of a range above which we warn (the issue's "more than 80% used"). */
export const RANGE_WARN_RATIO = 0.8

const svcKey = (ns: string, name: string): string => `${ns}/${name}`
const svcRef = (namespace: string, name: string): ObjectRef => ({ kind: 'Service', namespace, name })

function fromIssue(i: Issue, side: 'base' | 'head'): Finding {
  return {
    severity: i.severity === 'info' ? 'notice' : i.severity,
    code: i.code,
    message: i.message,
    side,
    ...(i.ref ? { ref: i.ref } : {}),
    ...(i.path ? { path: i.path } : {}),
    ...(i.source ? { source: i.source } : {}),
  }
}

export const issueKey = (i: Issue): string => `${i.code}|${i.message}|${i.ref ? svcKey(i.ref.namespace, i.ref.name) : ''}`

/**
 * Whether some base issue has the {@link issueKey} of a head issue. Asked first among the base
 * issues about a Service of the same name (a Map keyed by the refs' short names, `''` without a
 * ref), where the same code, message and Service make the same key; only when none is found are
 * the keys built (another split of the same text may still give the key), once for all. Building
 * every issue's key text was most of `collectFindings` (2 000 texts of ≈ 200 characters at 1k
 * Services), and so was hashing the base's messages to index them: a head issue the base's
 * create replayed shares the base's message string, compared as one pointer, but the base's
 * strings were never hashed before.
 */
export function baseIssueKeys(base: readonly Issue[]): (i: Issue) => boolean {
  const byName = new Map<string, Issue[]>()
  for (const j of base) {
    const name = j.ref?.name ?? ''
    const list = byName.get(name)
    if (list === undefined) byName.set(name, [j])
    else list.push(j)
  }
  let keys: Set<string> | undefined
  const sameRef = (a: Issue, b: Issue): boolean =>
    a.ref === undefined ? b.ref === undefined : b.ref !== undefined && a.ref.namespace === b.ref.namespace && a.ref.name === b.ref.name
  return (i) => {
    for (const j of byName.get(i.ref?.name ?? '') ?? []) if (j.code === i.code && j.message === i.message && sameRef(i, j)) return true
    keys ??= new Set(base.map(issueKey))
    return keys.has(issueKey(i))
  }
}

/**
 * Sorted, de-duplicated findings of a diff. `extraIssues` are the head's too (after its own);
 * `sides`: the plans' Services as read (default: their views).
 */
export function collectFindings(
  base: PlanResult,
  head: PlanResult,
  services: readonly ServiceChange[],
  extraIssues: readonly Issue[] = [],
  sides?: { readonly base: ServiceSide; readonly head: ServiceSide },
): Finding[] {
  const out: Finding[] = []
  const inBase = baseIssueKeys(base.issues)
  const heads = sides?.head ?? sideOfViews(head.services)
  const existing = new Set(heads.keys.filter((k) => heads.origin(k) === 'existing'))
  for (const issues of [head.issues, extraIssues]) {
    for (const i of issues) {
      const before = inBase(i)
      // Noise in a PR comment: notes that were already true before the change, and warnings about
      // objects that only exist in the cluster (not in the manifests) and did not change.
      if (before && i.severity === 'info') continue
      if (before && i.severity === 'warning' && i.ref && existing.has(svcKey(i.ref.namespace, i.ref.name))) continue
      out.push(fromIssue(i, 'head'))
    }
  }
  const changed = new Set(services.filter((s) => s.kind !== 'delete').map((s) => svcKey(s.namespace, s.name)))
  // The head's Services and their ports by `ns/name`, indexed once for the two checks that read them.
  const headIndex: HeadIndex = { services: heads, ports: groupedPorts(head.servicePorts) }
  pushAll(out, noEndpointFindings(headIndex, out))
  pushAll(out, localPolicyDropFindings(base, head, headIndex, changed))
  pushAll(out, openLoadBalancerFindings(sides?.base ?? sideOfViews(base.services), heads, head))
  pushAll(out, rangeFindings(base, head))
  pushAll(out, deletedSharedPodFindings(base, head, services))
  return sortFindings(dedupe(out))
}

function dedupe(fs: readonly Finding[]): Finding[] {
  const seen = new Set<string>()
  return fs.filter((f) => {
    const k = `${f.severity}|${f.code}|${f.message}|${f.source?.file ?? ''}:${f.source?.line ?? 0}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** Errors first, then warnings, notices; within a severity by file and line, then message. */
export function sortFindings(fs: readonly Finding[]): Finding[] {
  return [...fs].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      cmp(a.source?.file ?? '\uffff', b.source?.file ?? '\uffff') ||
      (a.source?.line ?? 0) - (b.source?.line ?? 0) ||
      cmp(a.message, b.message),
  )
}

const vip = (sp: PlannedServicePort): string =>
  `${sp.clusterIP.includes(':') ? `[${sp.clusterIP}]` : sp.clusterIP}:${sp.port}/${sp.protocol}`

/**
 * Service ports with no endpoints: kube-proxy installs a REJECT rule for their VIPs. When the
 * planner already reported the empty selector, its issue gets the consequence appended instead
 * of a second finding.
 */
function noEndpointFindings(heads: HeadIndex, sofar: Finding[]): Finding[] {
  const out: Finding[] = []
  const services = heads.services
  // First endpoints/* finding per Service, indexed once (a findIndex per Service is quadratic).
  const explained = new Map<string, number>()
  sofar.forEach((f, i) => {
    const k = f.code.startsWith('endpoints/') && f.ref ? svcKey(f.ref.namespace, f.ref.name) : undefined
    if (k !== undefined && !explained.has(k)) explained.set(k, i)
  })
  for (const [k, ports] of heads.ports) {
    // The ports first: the Service's view is asked for only where one is rejected.
    const rejected = ports.filter((sp) => sp.internal.verdict === 'reject')
    if (rejected.length === 0) continue
    const s = services.view(k)
    if (!s || s.origin !== 'proposed') continue
    const consequence = `traffic to ${rejected.map(vip).join(', ')} is REJECTed`
    // Any endpoints/* issue of this Service already explains why (no Pod selected, unresolved
    // named port, port not exposed): add the consequence to it rather than a second finding.
    const idx = explained.get(k) ?? -1
    if (idx >= 0) {
      const f = sofar[idx] as Finding
      // The planner's message may already say REJECT; then only name the VIPs affected.
      const extra = /REJECT/.test(f.message) ? ` (${rejected.map(vip).join(', ')})` : ` → ${consequence}`
      sofar[idx] = { ...f, message: `${f.message.replace(/\.$/, '')}${extra}` }
      continue
    }
    out.push({
      severity: 'warning',
      code: 'diff/no-endpoints',
      message: `Service ${k} has no endpoints → ${consequence}`,
      ref: svcRef(s.namespace, s.name),
      source: s.source,
      side: 'head',
    })
  }
  return out
}

/** The head's Services and their service ports, by `ns/name`. */
interface HeadIndex {
  readonly services: ServiceSide
  readonly ports: ReadonlyMap<string, readonly PlannedServicePort[]>
}

/** Nodes with no usable local endpoint for an externally reachable port with policy Local. */
function droppingNodes(plan: PlanResult, sp: PlannedServicePort): string[] {
  // CategorizeEndpoints: ready local endpoints, else serving-terminating ones (pkg/proxy/topology.go).
  const withLocal = new Set(sp.endpoints.filter((e) => e.node !== undefined && (e.ready || e.serving)).map((e) => e.node as string))
  return plan.nodes.map((n) => n.metadata.name).filter((n) => !withLocal.has(n)).sort(cmp)
}

function localPolicyDropFindings(base: PlanResult, head: PlanResult, heads: HeadIndex, changed: ReadonlySet<string>): Finding[] {
  const out: Finding[] = []
  const baseDrops = new Map(
    base.servicePorts.filter((sp) => sp.external && sp.externalTrafficPolicy === 'Local').map((sp) => [servicePortLabel(sp), droppingNodes(base, sp).join(',')]),
  )
  for (const [k, ports] of heads.ports) {
    // Group the Service's ports by the set of dropping nodes (the Service's view is asked for only where a group is found).
    const groups = new Map<string, PlannedServicePort[]>()
    for (const sp of ports) {
      if (!sp.external || sp.externalTrafficPolicy !== 'Local') continue
      const nodes = droppingNodes(head, sp).join(',')
      if (nodes === '') continue
      // Only new risk: the Service changed, or the set of dropping nodes did.
      if (!changed.has(k) && baseDrops.get(servicePortLabel(sp)) === nodes) continue
      groups.set(nodes, [...(groups.get(nodes) ?? []), sp])
    }
    if (groups.size === 0) continue
    const s = heads.services.view(k)
    if (!s) continue
    for (const [nodes, sps] of groups) {
      const ways = sps.flatMap((sp) => [
        ...(sp.nodePort > 0 ? [`NodePort ${sp.nodePort}/${sp.protocol}`] : []),
        ...sp.externalIPs.map((ip) => `externalIP ${ip}:${sp.port}/${sp.protocol}`),
        ...sp.loadBalancerIPs.map((ip) => `LoadBalancer ${ip}:${sp.port}/${sp.protocol}`),
      ])
      const list = nodes.split(',')
      const all = list.length === head.nodes.length
      out.push({
        severity: 'warning',
        code: 'diff/local-policy-drop',
        message:
          `Service ${k} has externalTrafficPolicy: Local and ${all ? 'no node' : `node${list.length === 1 ? '' : 's'} ${list.join(', ')}`} ` +
          `${all ? 'has' : list.length === 1 ? 'has no' : 'have no'} local endpoint → external traffic to ${ways.join(', ') || 'it'} arriving ` +
          `${all ? 'anywhere' : 'there'} is DROPped` +
          (s.healthCheckNodePort ? ` (cloud load balancers avoid such nodes via healthCheckNodePort ${s.healthCheckNodePort})` : ''),
        ref: svcRef(s.namespace, s.name),
        path: 'spec.externalTrafficPolicy',
        source: fieldSource(head, s.namespace, s.name, 'spec.externalTrafficPolicy', s.source),
        side: 'head',
      })
    }
  }
  return out
}

/** The LoadBalancer Services of a side with no loadBalancerSourceRanges, in its order (views built for its LoadBalancers only). */
function openLoadBalancers(side: ServiceSide): PlannedService[] {
  const out: PlannedService[] = []
  for (const k of side.keys) {
    if (side.type(k) !== 'LoadBalancer') continue
    const s = side.view(k)
    if (s !== undefined && s.type === 'LoadBalancer' && s.loadBalancerSourceRanges.length === 0) out.push(s)
  }
  return out
}

function openLoadBalancerFindings(bases: ServiceSide, heads: ServiceSide, head: PlanResult): Finding[] {
  const wasOpen = new Set(openLoadBalancers(bases).map((s) => svcKey(s.namespace, s.name)))
  return openLoadBalancers(heads)
    .filter((s) => !wasOpen.has(svcKey(s.namespace, s.name)))
    .map((s) => ({
      severity: 'warning' as const,
      code: 'diff/load-balancer-open',
      message: `LoadBalancer Service ${svcKey(s.namespace, s.name)} has no loadBalancerSourceRanges → newly reachable from 0.0.0.0/0${
        s.ipFamilies.includes('IPv6') ? ' and ::/0' : ''
      }`,
      ref: svcRef(s.namespace, s.name),
      path: 'spec.loadBalancerSourceRanges',
      // The field is absent; point at the line that made the Service a LoadBalancer.
      source: fieldSource(head, s.namespace, s.name, 'spec.type', s.source),
      side: 'head' as const,
    }))
}

function rangeFindings(base: PlanResult, head: PlanResult): Finding[] {
  const out: Finding[] = []
  for (const r of head.ranges) {
    if (r.size <= 0 || r.used / r.size <= RANGE_WARN_RATIO) continue
    const before = base.ranges.find((x) => x.kind === r.kind && x.range === r.range)
    const grew = !before || r.used > before.used
    const what = r.kind === 'node-ports' ? 'NodePort range' : 'Service IP range'
    out.push({
      severity: grew ? 'warning' : 'notice',
      code: 'diff/range-nearly-full',
      message: `${what} ${r.range} is ${Math.floor((r.used / r.size) * 100)}% used (${r.used} of ${r.size}, ${r.free} free)`,
      side: 'head',
    })
  }
  return out
}

function deletedSharedPodFindings(base: PlanResult, head: PlanResult, services: readonly ServiceChange[]): Finding[] {
  const out: Finding[] = []
  // Without a deletion there is nothing to look for: no need to group both sides' ports.
  if (!services.some((s) => s.kind === 'delete')) return out
  const targets = (ports: readonly PlannedServicePort[]): Set<string> => new Set(ports.flatMap((sp) => sp.endpoints.map((e) => e.target ?? e.ip)))
  const baseBy = groupedPorts(base.servicePorts)
  const headBy = groupedPorts(head.servicePorts)
  for (const d of services.filter((s) => s.kind === 'delete')) {
    const k = svcKey(d.namespace, d.name)
    const gone = targets(baseBy.get(k) ?? [])
    if (gone.size === 0) continue
    const others = [...headBy.entries()].filter(([o, ps]) => o !== k && [...targets(ps)].some((t) => gone.has(t))).map(([o]) => o).sort(cmp)
    if (others.length === 0) continue
    out.push({
      severity: 'warning',
      code: 'diff/deleted-service-pods-still-selected',
      message: `Service ${k} is deleted while ${others.join(', ')} still select${others.length === 1 ? 's' : ''} the same Pods; clients that use ${k} lose access (if this is a rename, update them)`,
      ref: svcRef(d.namespace, d.name),
      ...(d.source ? { source: d.source } : {}),
      side: 'base',
    })
  }
  return out
}

const objectIndex = new WeakMap<PlanResult, Map<string, Service>>()

/** The line of a field of a planned Service (its document start when the field is not written). */
function fieldSource(plan: PlanResult, namespace: string, name: string, path: string, fallback: SourceSpan): SourceSpan {
  let index = objectIndex.get(plan)
  if (index === undefined) {
    index = new Map(plan.serviceObjects.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]))
    objectIndex.set(plan, index)
  }
  return index.get(`${namespace}/${name}`)?.locate(path) ?? fallback
}
