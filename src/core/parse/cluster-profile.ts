/**
 * @module parse/cluster-profile
 * kube-whatif.dev/v1alpha1 ClusterProfile → {@link ClusterProfile} with defaults applied. Fields
 * may sit under `spec` or at the top level (a short hand-written profile reads better without
 * `spec`); when both are written, `spec` wins. Range strings are kept as written: the apiserver
 * stage parses and validates them.
 */
import { issue, type Issue } from '../issues.ts'
import type { ClusterProfile } from '../model/cluster.ts'
import { DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion, SUPPORTED_VERSIONS_TEXT } from '../model/version.ts'
import type { KubernetesVersion } from '../model/version.ts'
import type { Envelope } from './envelope.ts'
import { Fields, own } from './fields.ts'
import type { Rec } from './fields.ts'

/** apiserver `--service-cluster-ip-range` default used by kubeadm and kube-whatif. */
export const DEFAULT_SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12'
/** apiserver `--service-node-port-range` default. */
export const DEFAULT_SERVICE_NODE_PORT_RANGE = '30000-32767'

/**
 * Reads a ClusterProfile with defaults applied.
 * @returns the profile, or undefined when a field had the wrong type
 */
export function parseClusterProfile(env: Envelope, issues: Issue[]): ClusterProfile | undefined {
  const f = new Fields('ClusterProfile', undefined, env.locate, issues)
  const spec = f.obj(env.raw, '', 'spec')
  // Read each field from `spec` when it is written there, else from the top level.
  const pick = (key: string): [Rec | undefined, string] =>
    own(spec, key) !== undefined && own(spec, key) !== null ? [spec, 'spec'] : [env.raw, '']
  const str = (key: string): string | undefined => {
    const [rec, base] = pick(key)
    return f.str(rec, base, key)
  }
  const [capsRec, capsBase] = pick('hostCapabilities')
  const caps = f.obj(capsRec, capsBase, 'hostCapabilities')
  const capsPath = capsBase === '' ? 'hostCapabilities' : `${capsBase}.hostCapabilities`
  const node = str('node')
  const clusterDomain = str('clusterDomain')
  const nfacctCounters = f.strList(caps, capsPath, 'nfacctCounters')
  const version = readVersion(pick('kubernetesVersion'), env, issues)
  // Read in this order (each read may add an issue), then assembled with its keys in sorted
  // order: the JSON report prints the plan with V8's own stringify (report/native-json.ts).
  const serviceClusterIPRange = str('serviceClusterIPRange') || DEFAULT_SERVICE_CLUSTER_IP_RANGE
  const serviceNodePortRange = str('serviceNodePortRange') || DEFAULT_SERVICE_NODE_PORT_RANGE
  const iptablesRandomFully = f.bool(caps, capsPath, 'iptablesRandomFully') ?? true
  const nfacct = f.bool(caps, capsPath, 'nfacct') ?? true
  const profile: ClusterProfile = {
    ...(clusterDomain ? { clusterDomain: clusterDomain.replace(/\.$/, '') } : {}),
    hostCapabilities: { iptablesRandomFully, nfacct, ...(nfacctCounters !== undefined ? { nfacctCounters } : {}) },
    kubernetesVersion: version ?? DEFAULT_KUBERNETES_VERSION,
    ...(version === undefined ? { kubernetesVersionDefaulted: true } : {}),
    ...(node ? { node } : {}),
    serviceClusterIPRange,
    serviceNodePortRange,
  }
  return f.ok ? profile : undefined
}

/**
 * `kubernetesVersion`: a string (`"1.34"`, `v1.34`, `1.34.2`) or, as a bare YAML `1.34` reads, a
 * number. A version outside the modelled set is an error naming the supported ones; the rest of
 * the profile is still used, planned at the default version (the error says so).
 */
function readVersion([rec, base]: [Rec | undefined, string], env: Envelope, issues: Issue[]): KubernetesVersion | undefined {
  const raw = rec === undefined ? undefined : own(rec, 'kubernetesVersion')
  if (raw === undefined || raw === null) return undefined
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw : undefined
  const version = text === undefined ? undefined : parseKubernetesVersion(text)
  if (version !== undefined) return version
  const path = base === '' ? 'kubernetesVersion' : `${base}.kubernetesVersion`
  // A bare YAML 1.30 is the number 1.3: say how to write it.
  const shown = text === undefined ? 'a non-string value' : typeof raw === 'number' ? `${text} (a YAML number; quote the version, e.g. "1.34")` : JSON.stringify(text)
  issues.push(
    issue(
      'cluster/unsupported-version',
      'error',
      `ClusterProfile: ${path}: Unsupported value: ${shown}: Kubernetes version not modelled (${SUPPORTED_VERSIONS_TEXT}); planned as ${DEFAULT_KUBERNETES_VERSION}`,
      { path, source: env.locate(path) },
    ),
  )
  return undefined
}
