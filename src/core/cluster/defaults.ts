/**
 * @module cluster/defaults
 * Defaults used when the input has no ClusterProfile or KubeProxyConfiguration. They match the
 * parse stage's per-field defaults, so "no object" and "an empty object" plan the same.
 */
import type { ClusterProfile, KubeProxyConfiguration } from '../model/cluster.ts'
import { DEFAULT_KUBERNETES_VERSION } from '../model/version.ts'

/**
 * ClusterProfile defaults: the newest modelled Kubernetes version, kube-apiserver's flag defaults (`--service-cluster-ip-range`
 * 10.96.0.0/12 as kubeadm sets it, `--service-node-port-range` 30000-32767) and a modern host
 * (iptables >= 1.6.2 so `--random-fully`, kernel nfacct support).
 */
export const DEFAULT_CLUSTER_PROFILE: ClusterProfile = {
  // Keys in sorted order here and below: the JSON report prints them with V8's own stringify
  // (report/native-json.ts).
  hostCapabilities: { iptablesRandomFully: true, nfacct: true },
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  kubernetesVersionDefaulted: true,
  serviceClusterIPRange: '10.96.0.0/12',
  serviceNodePortRange: '30000-32767',
}

/**
 * KubeProxyConfiguration v1alpha1 defaults for the fields kube-whatif honours
 * (pkg/proxy/apis/config/v1alpha1/defaults.go): iptables mode, masqueradeBit 14, no clusterCIDR
 * (so the ClusterCIDR detector is a no-op), localhostNodePorts true, nodePortAddresses empty
 * (match every local address).
 */
export const DEFAULT_KUBE_PROXY_CONFIGURATION: KubeProxyConfiguration = {
  clusterCIDR: '',
  conntrack: { tcpBeLiberal: false },
  detectLocal: {},
  detectLocalMode: 'ClusterCIDR',
  featureGates: {},
  iptables: { localhostNodePorts: true, masqueradeAll: false, masqueradeBit: 14 },
  mode: 'iptables',
  nodePortAddresses: [],
}
