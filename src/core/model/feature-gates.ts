/**
 * @module model/feature-gates
 * The feature gates kube-whatif reads and their default per Kubernetes version
 * (pkg/features/kube_features.go versioned specs). kube-apiserver, the EndpointSlice controller
 * and kube-proxy each read their own copy; a KubeProxyConfiguration's `featureGates` overrides
 * kube-proxy's, the others run with the defaults.
 */
import type { KubernetesVersion } from './version.ts'

/** trafficDistribution PreferSameZone / PreferSameNode and node hints (KEP-3015). */
export const PREFER_SAME_TRAFFIC_DISTRIBUTION = 'PreferSameTrafficDistribution'
/** LoadBalancer ingress `ipMode` (KEP-1860): `Proxy` IPs get no rules. */
export const LOAD_BALANCER_IP_MODE = 'LoadBalancerIPMode'

/** Stage of a gate in one release; `locked` GA gates cannot be turned off. */
export interface GateState {
  readonly default: boolean
  readonly stage: 'alpha' | 'beta' | 'GA'
  readonly locked: boolean
}

const GATES: Readonly<Record<string, Partial<Record<KubernetesVersion, GateState>>>> = {
  // Alpha 1.33, beta 1.34; GA in 1.35 is UNVERIFIED (on by default either way).
  [PREFER_SAME_TRAFFIC_DISTRIBUTION]: {
    '1.33': { default: false, stage: 'alpha', locked: false },
    '1.34': { default: true, stage: 'beta', locked: false },
    '1.35': { default: true, stage: 'beta', locked: false },
  },
  // Beta (on) 1.30, GA 1.32.
  [LOAD_BALANCER_IP_MODE]: {
    '1.31': { default: true, stage: 'beta', locked: false },
    '1.32': { default: true, stage: 'GA', locked: true },
    '1.33': { default: true, stage: 'GA', locked: true },
    '1.34': { default: true, stage: 'GA', locked: true },
    '1.35': { default: true, stage: 'GA', locked: true },
  },
}

/** Every gate kube-whatif models, sorted. */
export function knownGates(): readonly string[] {
  return Object.keys(GATES).sort()
}

/** The gate in `v`, or undefined when that release does not know it. */
export function gateState(gate: string, v: KubernetesVersion): GateState | undefined {
  return GATES[gate]?.[v]
}

/** Whether a gate is on in `v` with default settings (false when the release does not know it). */
export function gateDefault(gate: string, v: KubernetesVersion): boolean {
  return gateState(gate, v)?.default ?? false
}

/**
 * The `spec.trafficDistribution` values kube-apiserver accepts with default gates
 * (ValidateService; PreferSameZone/PreferSameNode need PreferSameTrafficDistribution), sorted as
 * the NotSupported message lists them. UNVERIFIED: the exact list per release.
 */
export function trafficDistributions(v: KubernetesVersion): readonly string[] {
  return gateDefault(PREFER_SAME_TRAFFIC_DISTRIBUTION, v) ? ['PreferClose', 'PreferSameNode', 'PreferSameZone'] : ['PreferClose']
}

/**
 * A gate as a component of release `v` runs it: the configured value when the release knows the
 * gate and allows it (a locked GA gate stays on), else the release's default.
 */
export function gateEnabled(configured: Readonly<Record<string, boolean>>, gate: string, v: KubernetesVersion): boolean {
  const state = gateState(gate, v)
  if (state === undefined) return false
  const set = configured[gate]
  if (set === undefined || (state.locked && set !== state.default)) return state.default
  return set
}

/** What a plan with a `trafficDistribution` assumes about the release (the spec leaves it UNVERIFIED). */
export function trafficDistributionAssumption(v: KubernetesVersion): string {
  const values = trafficDistributions(v)
  return (
    `trafficDistribution at Kubernetes ${v}: the apiserver accepts ${values.map((x) => `"${x}"`).join(', ')} with default feature gates ` +
    '(UNVERIFIED: the exact list per release; PreferSameZone/PreferSameNode assumed from 1.34, when PreferSameTrafficDistribution is beta and on); ' +
    'the EndpointSlice controller hints the zone for PreferClose/PreferSameZone and the node, plus the zone (UNVERIFIED), for PreferSameNode'
  )
}
