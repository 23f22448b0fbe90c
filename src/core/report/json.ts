/**
 * @module report/json
 * The plan as stable JSON for API and CI consumers: versioned (`schemaVersion`), keys sorted at
 * every level, no timestamps, no IR (the `iptables-restore` payload is included as text).
 * The schema is documented in README.md ("JSON output").
 */
import type { Building } from '../building.ts'
import { sortedSpan, type Issue, type ObjectRef, type Staged } from '../issues.ts'
import type { PlanResult } from '../plan/types.ts'
import { sortKeys } from './sort-keys.ts'
import { stringifySorted } from './sorted-json.ts'
import { countIssues } from './text.ts'

/** Bumped on any incompatible change of the JSON shape. */
export const PLAN_JSON_SCHEMA_VERSION = 1

/**
 * The plan as a plain JSON-able object (see README "JSON output").
 *
 * @param iptablesRestore the production `iptables-restore` payload of the plan's ruleset (iptables mode)
 * @param nftables the `nft -f` transaction of the plan (nftables mode)
 */
export function planToJson(result: Staged<PlanResult>, iptablesRestore: string | undefined, nftables?: string): unknown {
  return sortKeys(planDocument(result, iptablesRestore, nftables))
}

/** The document of {@link planToJson} before its keys are sorted (its objects are built in sorted key order, so native stringify can print it: sorted-json.ts). */
export function planDocument(result: Staged<PlanResult>, iptablesRestore: string | undefined, nftables: string | undefined): Record<string, unknown> {
  const p = result.value
  const { errors, warnings } = countIssues(result.issues)
  const { profile, kubeProxy } = p.cluster
  // Keys in sorted order here and in every builder of the plan's objects, so that
  // renderPlanJson's stringifySorted prints the document with V8's own JSON.stringify
  // (native-json.ts) instead of its piece-by-piece writer.
  return {
    assumptions: p.assumptions,
    cluster: {
      kubeProxy,
      nodes: p.nodes.map((n) => ({
        addresses: n.addresses,
        labels: n.metadata.labels,
        name: n.metadata.name,
        origin: n.origin,
        podCIDRs: n.podCIDRs,
        synthesised: n.synthesised === true,
      })),
      profile,
    },
    ipFamily: p.ipFamily,
    iptablesRestore: iptablesRestore ?? null,
    issues: result.issues.map(sortedIssue),
    nftables: nftables ?? null,
    node: p.node,
    proxyConfig: p.proxyConfig,
    proxyMode: p.proxyMode,
    ranges: p.ranges,
    schemaVersion: PLAN_JSON_SCHEMA_VERSION,
    servicePorts: p.servicePorts,
    services: p.services,
    summary: {
      errors,
      servicePorts: p.servicePorts.length,
      services: p.services.length,
      warnings,
    },
  }
}

/**
 * An issue with its keys, and its ref's and source's, in sorted order, so that native stringify
 * prints it: issues are built in their own order (code, severity, message, ref, path, source),
 * which the Worker's problem+json prints as it is. One with any other own key (or a key holding
 * `undefined`) is left as it is, for the walk to copy (native-json.ts) or the writer to print.
 */
function sortedIssue(i: Issue): Issue {
  const { ref, path, source } = i
  if (Object.keys(i).length !== 3 + (ref !== undefined ? 1 : 0) + (path !== undefined ? 1 : 0) + (source !== undefined ? 1 : 0)) return i
  const o: Building<Issue> = { code: i.code, message: i.message }
  if (path !== undefined) o.path = path
  if (ref !== undefined) o.ref = exactly(ref, REF_KEYS) ? sortedRef(ref) : ref
  o.severity = i.severity
  if (source !== undefined) o.source = exactly(source, SPAN_KEYS) ? sortedSpan(source) : source
  return o as Issue
}

const REF_KEYS = ['kind', 'name', 'namespace'] as const
const SPAN_KEYS = ['column', 'file', 'line'] as const

/** True when `o`'s own keys are `keys` (in any order), none holding `undefined`: a copy of those keys prints the same. */
function exactly(o: object, keys: readonly string[]): boolean {
  return Object.keys(o).length === keys.length && keys.every((k) => (o as Record<string, unknown>)[k] !== undefined && Object.hasOwn(o, k))
}

function sortedRef(r: ObjectRef): ObjectRef {
  return { kind: r.kind, name: r.name, namespace: r.namespace }
}

/**
 * Renders {@link planToJson} with two-space indentation and a final newline, written straight
 * from {@link planDocument} without a sorted copy: its objects are built in sorted key order, so
 * `stringifySorted` hands it to V8's `JSON.stringify` (native-json.ts), copying only the user's
 * maps that are out of order; the writer prints whatever native stringify would print otherwise.
 */
export function renderPlanJson(result: Staged<PlanResult>, iptablesRestore: string | undefined, nftables?: string): string {
  return `${stringifySorted(planDocument(result, iptablesRestore, nftables))}\n`
}
