/**
 * @module diff/types
 * The what-if diff: what changes between the plan of the base manifests and the plan of the head
 * manifests, both against the same cluster facts. Plain data (no functions, no parsed objects), so
 * the JSON report is a sorted-keys dump of it and every report renders from the same value.
 */
import type { ObjectRef, SourceSpan } from '../issues.ts'
import type { DiagramChange } from '../diagram/types.ts'
import type { IPFamily } from '../model/k8s.ts'

/**
 * ARM what-if order: destructive first (Delete < Create < Modify). `refused`: the apiserver would
 * refuse the head's object, so the apply fails and the cluster keeps what it had; listed first.
 */
export type ServiceChangeKind = 'refused' | 'delete' | 'create' | 'update'

/** Why a Service's apply fails and what stays. */
export interface Refused {
  /** `create`: nothing is created; `update`: the current (base) object stays, its rules unchanged. */
  readonly operation: 'create' | 'update'
  /** The apiserver's (or decoder's) messages, kubectl style. */
  readonly messages: readonly string[]
}

/** One field that differs, as display strings (`undefined` = absent on that side). */
export interface FieldChange {
  /** Kubernetes-style path, e.g. `spec.externalTrafficPolicy`, `spec.ports[http].nodePort`. */
  readonly field: string
  readonly before?: string
  readonly after?: string
}

/** Endpoint changes of one service port. Entries are `ip:port`, with ` (not ready)` etc. appended. */
export interface EndpointChange {
  /** `ns/name:port/PROTOCOL`. */
  readonly servicePort: string
  readonly added: readonly string[]
  readonly removed: readonly string[]
  /** How many endpoints the port has after the change. */
  readonly after: number
}

/** A way in from outside the pod network. */
export interface Exposure {
  readonly kind: 'NodePort' | 'externalIP' | 'LoadBalancer'
  /** `ns/name`. */
  readonly service: string
  /** Human form, e.g. `NodePort 30080/TCP`, `LoadBalancer 203.0.113.7:443/TCP from 0.0.0.0/0`. */
  readonly text: string
}

/** One Service that is created, updated or deleted. */
export interface ServiceChange {
  readonly kind: ServiceChangeKind
  readonly namespace: string
  readonly name: string
  /** Type after the change (before, for a deletion). */
  readonly type: string
  /** Where the Service is defined: head side for create/update, base side for delete. */
  readonly source?: SourceSpan
  /** Spec fields that differ (update only). */
  readonly fields: readonly FieldChange[]
  /** ClusterIP / NodePort / healthCheckNodePort values and how they were chosen. */
  readonly allocations: readonly FieldChange[]
  readonly endpoints: readonly EndpointChange[]
  readonly opened: readonly Exposure[]
  readonly closed: readonly Exposure[]
  /** One-line summary for the table, e.g. `ClusterIP 10.96.4.7 (preview), 2 endpoints`. */
  readonly note: string
  /** Set for kind `refused` only. */
  readonly refused?: Refused
}

/** Chain-level change counts of one table. */
export interface TableChange {
  readonly table: string
  readonly chainsAdded: readonly string[]
  readonly chainsRemoved: readonly string[]
  readonly chainsChanged: readonly string[]
}

/** The iptables rule changes of one or more nodes that share exactly the same diff. */
export interface RulesChange {
  readonly nodes: readonly string[]
  readonly family: IPFamily
  /** `nftables`, or `iptables->nftables` (a migration); absent for iptables on both sides. */
  readonly proxyMode?: string
  readonly tables: readonly TableChange[]
  /** Unified diff of the `iptables-restore` form (with `---`/`+++` header). */
  readonly unified: string
  readonly linesAdded: number
  readonly linesRemoved: number
}

/** Severity of a finding, in GitHub alert terms. */
export type FindingSeverity = 'error' | 'warning' | 'notice'

/** Something risky or wrong, with where it is. */
export interface Finding {
  readonly severity: FindingSeverity
  /** An IssueCode: `diff/...` for our own findings, else the plan stage's code. */
  readonly code: string
  readonly message: string
  readonly ref?: ObjectRef
  readonly path?: string
  readonly source?: SourceSpan
  /** `base` when the location is in the base side only (e.g. a deleted Service). */
  readonly side: 'base' | 'head'
}

/** How the outcome of one probe changes. */
export interface ProbeChange {
  readonly name: string
  readonly from: string
  readonly to: string
  readonly protocol: string
  /** e.g. `DNAT 10.0.1.5:8080 1/2, DNAT 10.0.2.5:8080 1/2`, `REJECT`, `unresolved`. */
  readonly before: string
  readonly after: string
  readonly changed: boolean
}

/** Counts for the one-line summary and the exit code. */
export interface DiffSummary {
  readonly added: number
  readonly changed: number
  readonly destroyed: number
  /** Services whose apply the apiserver refuses (each also an error finding). */
  readonly refused: number
  readonly errors: number
  readonly warnings: number
  readonly notices: number
  readonly hasChanges: boolean
}

/**
 * One behavioural difference between iptables and nftables mode for a service port, for the
 * migration view (`diff --base-proxy-mode iptables --head-proxy-mode nftables`).
 */
export interface MigrationDifference {
  /** `ns/name:port` (ServicePortName) and protocol, e.g. `shop/api:http/TCP`. */
  readonly servicePort: string
  /** What differs, e.g. `localhost NodePorts`, `NodePort addresses`. */
  readonly difference: string
  /** What iptables mode does. */
  readonly iptables: string
  /** What nftables mode does. */
  readonly nftables: string
}

/** The complete what-if diff. */
export interface PlanDiff {
  /** Rendered node of each side (the default view). */
  readonly node: string
  readonly ipFamily: IPFamily
  /** Sorted: refusals, deletions, creations, updates; then namespace/name. */
  readonly services: readonly ServiceChange[]
  /** Only node groups whose rules change. */
  readonly rules: readonly RulesChange[]
  /** Nodes whose rules were compared, and how many more were not (see `maxNodes`). */
  readonly nodesCompared: readonly string[]
  readonly nodesNotCompared: number
  /** Sorted: errors, warnings, notices; then file, line. */
  readonly findings: readonly Finding[]
  readonly probes: readonly ProbeChange[]
  /** Assumptions of the head plan (defaults, synthesised nodes, preview allocations). */
  readonly assumptions: readonly string[]
  /** The proxy mode of each side; absent when both are iptables (output unchanged from before). */
  readonly proxyMode?: { readonly base: string; readonly head: string }
  /** When one side is iptables and the other nftables: what changes per service port. */
  readonly migration?: readonly MigrationDifference[]
  /**
   * Packet-path diagrams of the changed service ports, before and after (default node). A view
   * of the rules already reported, drawn by the Markdown report; not part of the JSON document.
   */
  readonly diagrams: readonly DiagramChange[]
  readonly summary: DiffSummary
}
