/**
 * The benchmark's cases (issue 7). Sizes are "Services × endpoints per Service".
 *
 * - ladder `cluster-*`: ClusterIP Services exported from a cluster (pinned clusterIPs, selectors,
 *   EndpointSlices; `--cluster`-style input). NAT rules = 5 + S·(2+3E), upstream's anchor.
 * - `mix-*`: ClusterIP / NodePort / LoadBalancer with traffic policies, affinity, source ranges,
 *   external IPs, two-port Services; NodePort range widened to 20000-59999 by the ClusterProfile.
 * - `json-*`: the ladder's cluster as `kubectl get -o json`-style List files.
 * - `workloads-*`: proposed Services with selectors + Deployments: ClusterIP previews, pod
 *   synthesis and EndpointSlice computation (the apiserver emulation's full path).
 * - `diff-*`: two proposed trees (pinned Services + EndpointSlices) differing in 1% of Services;
 *   planDiff for one node (two plans), and at 1k also its default of every node (2 + 2·(nodes−1)
 *   plans; too slow for the time budget at 10k).
 * - `backends-*`: one front end rendered by both kube-proxy backends (iptables rules vs the
 *   nftables transaction), to hold nftables rendering to the iptables backend's speed.
 */
import type { ClusterSpec } from './generate.ts'

/** A plan case: one synthetic cluster planned end to end and phase by phase. */
export interface PlanCase {
  readonly id: string
  readonly kind: 'plan'
  readonly spec: ClusterSpec
  /** Measured runs (after warm-up); the median is reported. */
  readonly runs: number
  /** Also measure peak RSS (plan and js-yaml alone, in separate child processes). */
  readonly memory: boolean
  /** Also time planFromSources + printRestore as one call (the e2e target; checks the phase sum). */
  readonly e2e: boolean
}

/** A diff case: planDiff of two trees, compared with one plan of the base tree. */
export interface DiffCase {
  readonly id: string
  readonly kind: 'diff'
  readonly spec: ClusterSpec
  /** Measured runs (after warm-up); the median of each measure is reported. */
  readonly runs: number
  /** Unmeasured full-size passes before the measured runs (JIT and heap at steady state). */
  readonly warmRuns: number
  /** Also run planDiff's default (rules compared on every node: one more plan per node and side). */
  readonly allNodes: boolean
}

/**
 * A backends case: the same front end (service ports, endpoints) lowered by the iptables backend
 * and by the nftables backend, each rule IR built and printed (`-o iptables-restore` vs `-o nft`).
 */
export interface BackendsCase {
  readonly id: string
  readonly kind: 'backends'
  readonly spec: ClusterSpec
  readonly runs: number
}

export type BenchCase = PlanCase | DiffCase | BackendsCase

const ladder = (services: number, endpoints: number, runs: number, memory = false, e2e = true): PlanCase => ({
  id: `cluster-${label(services)}x${endpoints}`,
  kind: 'plan',
  spec: { services, endpoints, shape: 'slices', mix: false, format: 'yaml', origin: 'existing' },
  runs,
  memory,
  e2e,
})

/** `10000` → `10k`. */
export function label(n: number): string {
  return n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n)
}

function mix(services: number, runs: number): PlanCase {
  return {
    id: `mix-${label(services)}x10`,
    kind: 'plan',
    spec: { services, endpoints: 10, shape: 'slices', mix: true, format: 'yaml', origin: 'existing' },
    runs,
    memory: false,
    e2e: false,
  }
}

function json(services: number, runs: number): PlanCase {
  return {
    id: `json-${label(services)}x10`,
    kind: 'plan',
    spec: { services, endpoints: 10, shape: 'slices', mix: false, format: 'json', origin: 'existing' },
    runs,
    memory: false,
    e2e: false,
  }
}

function workloads(services: number, runs: number): PlanCase {
  return {
    id: `workloads-${label(services)}x10`,
    kind: 'plan',
    spec: { services, endpoints: 10, shape: 'workloads', mix: true, format: 'yaml', origin: 'proposed' },
    runs,
    memory: false,
    e2e: false,
  }
}

function diff(services: number, runs: number, allNodes: boolean, warmRuns: number): DiffCase {
  return {
    id: `diff-${label(services)}x10`,
    kind: 'diff',
    spec: { services, endpoints: 10, shape: 'slices', mix: false, format: 'yaml', origin: 'proposed' },
    runs,
    warmRuns,
    allNodes,
  }
}

function backends(services: number, runs: number): BackendsCase {
  return {
    id: `backends-${label(services)}x10`,
    kind: 'backends',
    spec: { services, endpoints: 10, shape: 'slices', mix: false, format: 'yaml', origin: 'existing' },
    runs,
  }
}

/** The full run (`npm run bench`): every size the issue asks for. */
export const FULL_CASES: readonly BenchCase[] = [
  ladder(100, 10, 9),
  ladder(1000, 10, 5, true),
  ladder(10_000, 10, 2, true),
  ladder(1000, 100, 1, false, false),
  ladder(10_000, 1, 1, false, false),
  ladder(45_000, 1, 1, false, false),
  mix(10_000, 1),
  json(10_000, 1),
  workloads(1000, 3),
  workloads(10_000, 1),
  // 31 interleaved rounds: a round's diff / plan ratio ranges 1.06–2.15 (p10–p90) with the plan's
  // GC pauses, and the median of 11 rounds moved 1.37–1.52 between windows of one 44-round run of
  // the same tree (session 12); 31 rounds narrow it for ≈ 20 s more (three lone runs after:
  // 1.45–1.60, so part of the spread is per process, not per round).
  diff(1000, 31, true, 3),
  diff(10_000, 1, false, 0),
  backends(10_000, 3),
]

/** `npm run bench -- --quick`: the same kinds at small sizes (about a minute). */
export const QUICK_CASES: readonly BenchCase[] = [
  ladder(100, 10, 9),
  ladder(1000, 10, 3, true),
  mix(1000, 3),
  json(1000, 3),
  workloads(100, 5),
  workloads(1000, 3),
  diff(1000, 3, true, 2),
  backends(1000, 3),
]

/**
 * A whole-process case (issue 16 targets 1 and 2): `kube-whatif plan --cluster export.yaml -o
 * iptables-restore` against js-yaml's `loadAll` one-liner, fresh processes, on one kubectl export
 * (bench/kubectl-export.ts) of NodePort Services × endpoints.
 */
export interface WholeProcessCase {
  readonly id: string
  readonly services: number
  readonly endpoints: number
  /** managedFields, last-applied annotation, uids, status (a real export) or the lean objects. */
  readonly full: boolean
  readonly runs: number
}

const kubectl = (services: number, full: boolean, runs: number): WholeProcessCase => ({
  id: `kubectl-${full ? '' : 'lean-'}${label(services)}x10`,
  services,
  endpoints: 10,
  full,
  runs,
})

export const FULL_WHOLE_PROCESS: readonly WholeProcessCase[] = [kubectl(10_000, false, 2), kubectl(10_000, true, 2)]
export const QUICK_WHOLE_PROCESS: readonly WholeProcessCase[] = [kubectl(1000, false, 2), kubectl(1000, true, 2)]
