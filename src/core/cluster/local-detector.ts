/**
 * @module cluster/local-detector
 * Which local-traffic detector kube-proxy builds for one IP family.
 * Mirrors cmd/kube-proxy/app/server_linux.go getLocalDetectors and
 * pkg/proxy/util/localdetector.go NewDetectLocalByCIDR and friends.
 */
import { issue, type Issue } from '../issues.ts'
import type { KubeProxyConfiguration, LocalDetector } from '../model/cluster.ts'
import type { Node } from '../model/k8s.ts'
import { formatCIDR, parseCIDRSloppy, type Family } from '../net/ip.ts'
import { firstCIDRPerFamily } from './synthesise-nodes.ts'

// Every detector's keys in sorted order: the JSON report prints them with V8's own stringify
// (report/native-json.ts).
const NO_OP: LocalDetector = { mode: 'NoOp' }

/**
 * Resolves the detector for `family`. `detectLocalMode` `''` means ClusterCIDR (kube-proxy's
 * effective default). ClusterCIDR uses the first CIDR of the family in the comma-separated
 * `clusterCIDR`, printed as the network; none → no-op detector (no S7 masquerade rule, no pod
 * short-circuit). NodeCIDR uses the node's first podCIDR of the family.
 */
export function resolveLocalDetector(
  kubeProxy: KubeProxyConfiguration,
  node: Node | undefined,
  family: Family,
  issues: Issue[],
): LocalDetector {
  const mode = kubeProxy.detectLocalMode === '' ? 'ClusterCIDR' : kubeProxy.detectLocalMode
  switch (mode) {
    case 'ClusterCIDR': {
      reportInvalidCIDRs(kubeProxy.clusterCIDR, issues)
      const cidr = firstCIDRPerFamily(kubeProxy.clusterCIDR)[family]
      return cidr === undefined ? NO_OP : { cidr: formatCIDR(cidr), mode: 'ClusterCIDR' }
    }
    case 'NodeCIDR': {
      const cidr = node?.podCIDRs.map((c) => parseCIDRSloppy(c.trim())).find((c) => c?.family === family)
      if (cidr === undefined) {
        // kube-proxy blocks until the node has a podCIDR; we render without a detector and say so.
        issues.push(
          issue('cluster/no-pod-cidr', 'warning', `detectLocalMode NodeCIDR: node "${node?.metadata.name ?? ''}" has no ${family} podCIDR; no local-traffic detector.`, {
            ...(node ? { ref: node.ref, path: 'spec.podCIDRs', source: node.locate('spec.podCIDRs') } : {}),
          }),
        )
        return NO_OP
      }
      return { cidr: formatCIDR(cidr), mode: 'NodeCIDR' }
    }
    case 'BridgeInterface': {
      const name = kubeProxy.detectLocal.bridgeInterface ?? ''
      if (name === '') return missing('detectLocal.bridgeInterface', mode, issues)
      if (!validInterfaceName(name, 15)) return badInterface('detectLocal.bridgeInterface', name, issues)
      return { interface: name, mode: 'BridgeInterface' }
    }
    case 'InterfaceNamePrefix': {
      const prefix = kubeProxy.detectLocal.interfaceNamePrefix ?? ''
      if (prefix === '') return missing('detectLocal.interfaceNamePrefix', mode, issues)
      // kube-proxy writes `-i PREFIX+`, and the whole argument must fit in IFNAMSIZ-1.
      if (!validInterfaceName(prefix, 14)) return badInterface('detectLocal.interfaceNamePrefix', prefix, issues)
      return { mode: 'InterfaceNamePrefix', prefix }
    }
  }
}

/**
 * A name the kernel accepts for an interface (net/core/dev.c dev_valid_name: shorter than
 * IFNAMSIZ, no `/`, `:` or whitespace, not `.`/`..`), so `-i NAME` is one safe argument; a
 * quote or newline from a hostile KubeProxyConfiguration would otherwise reach the rules.
 */
function validInterfaceName(name: string, max: number): boolean {
  return name.length <= max && name !== '.' && name !== '..' && !/[\s/:"'\\\u0000-\u001f\u007f]/.test(name)
}

function badInterface(path: string, name: string, issues: Issue[]): LocalDetector {
  issues.push(issue('cluster/invalid-config', 'error', `KubeProxyConfiguration: ${path} ${JSON.stringify(name)} is not an interface name iptables accepts; no local-traffic detector.`, { path }))
  return NO_OP
}

function missing(path: string, mode: string, issues: Issue[]): LocalDetector {
  // kube-proxy's config validation rejects this; we keep planning without a detector.
  issues.push(issue('cluster/invalid-config', 'error', `KubeProxyConfiguration: ${path} must be set when detectLocalMode is ${mode}.`, { path }))
  return NO_OP
}

function reportInvalidCIDRs(clusterCIDR: string, issues: Issue[]): void {
  if (clusterCIDR.trim() === '') return
  for (const part of clusterCIDR.split(',')) {
    if (parseCIDRSloppy(part.trim()) === undefined) {
      issues.push(
        issue('cluster/invalid-config', 'error', `KubeProxyConfiguration: clusterCIDR: Invalid value: "${part.trim()}": must be a valid CIDR.`, {
          path: 'clusterCIDR',
        }),
      )
    }
  }
}
