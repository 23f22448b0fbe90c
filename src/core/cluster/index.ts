/**
 * @module cluster
 * The cluster stage: cluster facts with defaults and synthesised nodes, and the per-family
 * kube-proxy configuration derived from them.
 */
export type { ClusterFacts, ResolveClusterOptions } from './types.ts'
export { resolveCluster } from './resolve.ts'
export { proxyConfigFor, ZONE_LABEL } from './proxy-config.ts'
export { DEFAULT_CLUSTER_PROFILE, DEFAULT_KUBE_PROXY_CONFIGURATION } from './defaults.ts'
export { synthesiseNodes, SYNTHESISED_NODE_COUNT, SYNTHESISED_SOURCE } from './synthesise-nodes.ts'
export { nodeIPOfFamily, nodeIPsOf } from './node-addresses.ts'
export { resolveNodePortAddresses, type ResolvedNodePortAddresses } from './node-port-addresses.ts'
export { resolveLocalDetector } from './local-detector.ts'
