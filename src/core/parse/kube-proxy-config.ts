/**
 * @module parse/kube-proxy-config
 * kubeproxy.config.k8s.io KubeProxyConfiguration (v1alpha1, and the v1alpha2 spellings) → the
 * fields kube-whatif honours, with kube-proxy's defaults (pkg/proxy/apis/config/v1alpha1
 * defaults.go): mode `iptables` when empty, masqueradeBit 14, localhostNodePorts true,
 * detectLocalMode ClusterCIDR, masqueradeAll false, tcpBeLiberal false.
 *
 * v1alpha2 moved `iptables.masqueradeAll` to top-level `masqueradeAll` (the internal config calls
 * it `linux.masqueradeAll`, next to `linux.conntrack`) and `clusterCIDR` to
 * `detectLocal.clusterCIDRs`; all spellings are accepted in either version. v1alpha2 defaults
 * `iptables.localhostNodePorts` to false. When both are
 * written, the v1alpha1 spelling wins (a guess; kube-proxy itself only reads its own version's).
 */
import type { Issue } from '../issues.ts'
import type { DetectLocalMode, KubeProxyConfiguration } from '../model/cluster.ts'
import type { Envelope } from './envelope.ts'
import { Fields } from './fields.ts'

const DETECT_LOCAL_MODES: readonly DetectLocalMode[] = ['', 'ClusterCIDR', 'NodeCIDR', 'BridgeInterface', 'InterfaceNamePrefix']

function featureGates(f: Fields, raw: Envelope['raw']): Record<string, boolean> {
  const gates = f.obj(raw, '', 'featureGates')
  const out: [string, boolean][] = []
  for (const [name, value] of Object.entries(gates ?? {})) {
    if (typeof value === 'boolean') out.push([name, value])
    else f.invalid(`featureGates[${name}]`, value, 'must be a boolean')
  }
  return Object.fromEntries(out)
}

/**
 * Reads a KubeProxyConfiguration with defaults applied.
 * @returns the configuration, or undefined when a field had the wrong type or value
 */
export function parseKubeProxyConfiguration(env: Envelope, issues: Issue[]): KubeProxyConfiguration | undefined {
  const f = new Fields('KubeProxyConfiguration', undefined, env.locate, issues)
  const raw = env.raw
  const detectLocal = f.obj(raw, '', 'detectLocal')
  const iptables = f.obj(raw, '', 'iptables')
  const nftables = f.obj(raw, '', 'nftables')
  const conntrack = f.obj(raw, '', 'conntrack')
  // The internal config (and v1alpha2) groups Linux-only settings under `linux`.
  const linux = f.obj(raw, '', 'linux')
  const linuxConntrack = f.obj(linux, 'linux', 'conntrack')
  // v1alpha2's defaults.go sets localhostNodePorts to false; v1alpha1 (flag default) to true
  // (pkg/proxy/apis/config/v1alpha1 and v1alpha2 SetDefaults_KubeProxyConfiguration).
  const v1alpha2 = env.apiVersion.endsWith('/v1alpha2')
  const clusterCIDR = f.str(raw, '', 'clusterCIDR')
  const clusterCIDRs = f.strList(detectLocal, 'detectLocal', 'clusterCIDRs')
  const bridgeInterface = f.str(detectLocal, 'detectLocal', 'bridgeInterface')
  const interfaceNamePrefix = f.str(detectLocal, 'detectLocal', 'interfaceNamePrefix')
  const hostnameOverride = f.str(raw, '', 'hostnameOverride')
  // Read in this order (each read may add an issue), then assembled with its keys in sorted
  // order: the JSON report prints the plan with V8's own stringify (report/native-json.ts).
  const mode = f.str(raw, '', 'mode') || 'iptables'
  const detectLocalMode = f.enumOf(raw, '', 'detectLocalMode', DETECT_LOCAL_MODES) || 'ClusterCIDR'
  const nodePortAddresses = f.strList(raw, '', 'nodePortAddresses') ?? []
  const masqueradeAll = f.bool(iptables, 'iptables', 'masqueradeAll') ?? f.bool(raw, '', 'masqueradeAll') ?? f.bool(linux, 'linux', 'masqueradeAll') ?? false
  const masqueradeBit = f.int(iptables, 'iptables', 'masqueradeBit', { min: 0, max: 31 }) ?? 14
  const localhostNodePorts = f.bool(iptables, 'iptables', 'localhostNodePorts') ?? !v1alpha2
  const tcpBeLiberal = f.bool(conntrack, 'conntrack', 'tcpBeLiberal') ?? f.bool(linuxConntrack, 'linux.conntrack', 'tcpBeLiberal') ?? false
  const nft = nftablesSection(f, nftables)
  const config: KubeProxyConfiguration = {
    clusterCIDR: clusterCIDR || (clusterCIDRs ?? []).join(','),
    conntrack: { tcpBeLiberal },
    detectLocal: {
      ...(bridgeInterface !== undefined ? { bridgeInterface } : {}),
      ...(interfaceNamePrefix !== undefined ? { interfaceNamePrefix } : {}),
    },
    detectLocalMode,
    featureGates: featureGates(f, raw),
    ...(hostnameOverride ? { hostnameOverride } : {}),
    iptables: { localhostNodePorts, masqueradeAll, masqueradeBit },
    mode,
    ...nft,
    nodePortAddresses,
  }
  return f.ok ? config : undefined
}

/** `nftables.masqueradeAll` / `nftables.masqueradeBit` (v1alpha1 KubeProxyNFTablesConfiguration). */
function nftablesSection(f: Fields, nftables: Envelope['raw'] | undefined): Pick<KubeProxyConfiguration, 'nftables'> {
  const masqueradeAll = f.bool(nftables, 'nftables', 'masqueradeAll')
  const masqueradeBit = f.int(nftables, 'nftables', 'masqueradeBit', { min: 0, max: 31 })
  if (masqueradeAll === undefined && masqueradeBit === undefined) return {}
  return { nftables: { ...(masqueradeAll !== undefined ? { masqueradeAll } : {}), ...(masqueradeBit !== undefined ? { masqueradeBit } : {}) } }
}
