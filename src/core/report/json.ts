/**
 * @module report/json
 * The plan as stable JSON for API and CI consumers: versioned (`schemaVersion`), keys sorted at
 * every level, no timestamps, no IR (the `iptables-restore` payload is included as text).
 * The schema is documented in README.md ("JSON output").
 */
import type { Staged } from '../issues.ts'
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

/** The document of {@link planToJson} before its keys are sorted. */
function planDocument(result: Staged<PlanResult>, iptablesRestore: string | undefined, nftables: string | undefined): Record<string, unknown> {
  const p = result.value
  const { errors, warnings } = countIssues(result.issues)
  const { profile, kubeProxy } = p.cluster
  return {
    schemaVersion: PLAN_JSON_SCHEMA_VERSION,
    node: p.node,
    ipFamily: p.ipFamily,
    proxyMode: p.proxyMode,
    summary: {
      services: p.services.length,
      servicePorts: p.servicePorts.length,
      errors,
      warnings,
    },
    cluster: {
      profile,
      kubeProxy,
      nodes: p.nodes.map((n) => ({
        name: n.metadata.name,
        addresses: n.addresses,
        podCIDRs: n.podCIDRs,
        labels: n.metadata.labels,
        synthesised: n.synthesised === true,
        origin: n.origin,
      })),
    },
    proxyConfig: p.proxyConfig,
    services: p.services,
    servicePorts: p.servicePorts,
    ranges: p.ranges,
    assumptions: p.assumptions,
    issues: result.issues,
    iptablesRestore: iptablesRestore ?? null,
    nftables: nftables ?? null,
  }
}

/**
 * Renders {@link planToJson} with two-space indentation and a final newline, written straight
 * from the unsorted document (sorted-json.ts: the same bytes, without the sorted copy).
 */
export function renderPlanJson(result: Staged<PlanResult>, iptablesRestore: string | undefined, nftables?: string): string {
  return `${stringifySorted(planDocument(result, iptablesRestore, nftables))}\n`
}
