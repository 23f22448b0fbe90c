/**
 * @module parse/cluster-profile
 * kube-whatif.dev/v1alpha1 ClusterProfile → {@link ClusterProfile} with defaults applied. Fields
 * may sit under `spec` or at the top level (a short hand-written profile reads better without
 * `spec`); when both are written, `spec` wins. Range strings are kept as written: the apiserver
 * stage parses and validates them.
 */
import type { Issue } from '../issues.ts'
import type { ClusterProfile } from '../model/cluster.ts'
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
  const profile: ClusterProfile = {
    serviceClusterIPRange: str('serviceClusterIPRange') || DEFAULT_SERVICE_CLUSTER_IP_RANGE,
    serviceNodePortRange: str('serviceNodePortRange') || DEFAULT_SERVICE_NODE_PORT_RANGE,
    ...(node ? { node } : {}),
    ...(clusterDomain ? { clusterDomain: clusterDomain.replace(/\.$/, '') } : {}),
    hostCapabilities: {
      iptablesRandomFully: f.bool(caps, capsPath, 'iptablesRandomFully') ?? true,
      nfacct: f.bool(caps, capsPath, 'nfacct') ?? true,
      ...(nfacctCounters !== undefined ? { nfacctCounters } : {}),
    },
  }
  return f.ok ? profile : undefined
}
