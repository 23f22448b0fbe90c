/**
 * One real-packet scenario: manifests for a two-node cluster (rendered node worker-1, pod CIDR
 * 10.244.0.0/16 or fd00:244::/48), planned with `kube-whatif plan`, loaded into the node namespace, and
 * traced with `kube-whatif trace -o json`, so the test holds the kernel to what the trace the user
 * sees predicts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { JUMP_RULES } from '../../../src/core/proxy/iptables/jump-chains.ts'
import type { Trace } from '../../../src/core/trace/types.ts'
import { runCli } from '../../helpers/run-cli.ts'
import { jumpRuleCommands } from './load.ts'
import { IPV4, type Addressing, type ClientResult, type PodSpec } from './topology.ts'

/** Where the echo servers listen (every service's targetPort). */
export const TARGET_PORT = 8080

export interface Backend extends PodSpec {
  /** Node the manifests put this pod on. */
  readonly nodeName: 'worker-1' | 'worker-2'
}

export interface ServiceSpec {
  readonly type: 'ClusterIP' | 'NodePort'
  readonly clusterIP: string
  /** NodePort of the TCP port; the UDP port gets tcpNodePort + 1. */
  readonly nodePort?: number
  readonly externalTrafficPolicy?: 'Cluster' | 'Local'
  readonly sessionAffinity?: 'ClientIP'
  readonly endpoints: readonly Backend[]
}

/** kube-proxy's backend for a scenario. */
export type Mode = 'iptables' | 'nftables'

/** ClusterProfile, KubeProxyConfiguration and two Nodes for the family's test network. */
function clusterFacts(net: Addressing, mode: Mode = 'iptables'): string {
  const v6 = net.family === 'IPv6'
  return `apiVersion: kube-whatif.dev/v1alpha1
kind: ClusterProfile
metadata:
  name: kernel-test
serviceClusterIPRange: "${net.serviceCIDR}"
serviceNodePortRange: 30000-32767
node: worker-1
hostCapabilities:
  iptablesRandomFully: true
  nfacct: true
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ${mode}
clusterCIDR: "${v6 ? 'fd00:244::/48' : '10.244.0.0/16'}"
detectLocalMode: ClusterCIDR
iptables:
  masqueradeBit: 14
  localhostNodePorts: true
---
apiVersion: v1
kind: Node
metadata:
  name: worker-1
spec:
  podCIDR: "${v6 ? 'fd00:244:1::/64' : '10.244.1.0/24'}"
status:
  addresses:
  - type: InternalIP
    address: "${net.nodeIP}"
---
apiVersion: v1
kind: Node
metadata:
  name: worker-2
spec:
  podCIDR: "${v6 ? 'fd00:244:2::/64' : '10.244.2.0/24'}"
status:
  addresses:
  - type: InternalIP
    address: "${v6 ? 'fd00:50::3' : '192.168.50.3'}"
`
}

/** Service `default/web` with a TCP port 80 and a UDP port 80, both to TARGET_PORT, plus its slice. */
export function serviceYaml(s: ServiceSpec, net: Addressing = IPV4): string {
  const np = (n: number | undefined): string => (n === undefined ? '' : `\n    nodePort: ${n}`)
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  type: ${s.type}
  clusterIP: "${s.clusterIP}"
  ipFamilies: [${net.family}]${s.externalTrafficPolicy ? `\n  externalTrafficPolicy: ${s.externalTrafficPolicy}` : ''}${s.sessionAffinity ? `\n  sessionAffinity: ${s.sessionAffinity}` : ''}
  ports:
  - name: tcp
    protocol: TCP
    port: 80
    targetPort: ${TARGET_PORT}${np(s.nodePort)}
  - name: udp
    protocol: UDP
    port: 80
    targetPort: ${TARGET_PORT}${np(s.nodePort === undefined ? undefined : s.nodePort + 1)}
`
  if (s.endpoints.length === 0) return svc
  const eps = s.endpoints
    .map((e) => `- addresses: ["${e.ip}"]\n  conditions:\n    ready: true\n  nodeName: ${e.nodeName}`)
    .join('\n')
  return `${svc}---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-1
  namespace: default
  labels:
    kubernetes.io/service-name: web
addressType: ${net.family}
endpoints:
${eps}
ports:
- name: tcp
  port: ${TARGET_PORT}
  protocol: TCP
- name: udp
  port: ${TARGET_PORT}
  protocol: UDP
`
}

export interface PlannedScenario {
  /** `kube-whatif plan … -o iptables-restore` (nftables mode: `-o nft`): the production payload. */
  readonly payload: string
  /** Shell commands that install the jump rules in the node namespace. */
  readonly jumpCommands: readonly string[]
  /** `kube-whatif trace … --from IP --to IP:PORT --protocol P -o json`. */
  trace(from: string, to: string, port: number, protocol: 'tcp' | 'udp'): Promise<Trace>
  /** Removes the manifest files. */
  cleanup(): void
}

/**
 * Plans the scenario through the CLI exactly as a user would (`kube-whatif plan --cluster
 * cluster.yaml web.yaml -o iptables-restore`), failing the test on a non-zero exit.
 */
export async function planScenario(s: ServiceSpec, net: Addressing = IPV4, mode: Mode = 'iptables'): Promise<PlannedScenario> {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-scenario-'))
  const cluster = join(dir, 'cluster.yaml')
  const web = join(dir, 'web.yaml')
  writeFileSync(cluster, clusterFacts(net, mode))
  writeFileSync(web, serviceYaml(s, net))
  const plan = await runCli(['plan', '--cluster', cluster, web, '-o', mode === 'nftables' ? 'nft' : 'iptables-restore'])
  expect(plan.code, plan.stderr).toBe(0)
  return {
    payload: plan.stdout,
    jumpCommands: mode === 'nftables' ? [] : JUMP_RULES.flatMap((j) => jumpRuleCommands(j, net.family === 'IPv6' ? 'ip6tables' : 'iptables')),
    trace: async (from, to, port, protocol) => {
      const dest = net.family === 'IPv6' ? `[${to}]:${port}` : `${to}:${port}`
      const r = await runCli(['trace', '--cluster', cluster, web, '--from', from, '--to', dest, '--protocol', protocol, '-o', 'json'])
      expect(r.code, r.stderr).toBe(0)
      return JSON.parse(r.stdout) as Trace
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}


/**
 * Holds the kernel's answers to the trace: with DNAT outcomes, every listed backend answered and no
 * other, and each saw the client's address unless the trace says masquerade (then a node address);
 * with only DROP outcomes every attempt timed out; with only REJECT every attempt was refused.
 */
export function expectKernelMatchesTrace(trace: Trace, results: readonly ClientResult[], clientIP: string, net: Addressing = IPV4): void {
  // Addresses the node may masquerade to (towards a pod it uses the gateway address).
  const nodeAddresses = [net.nodeIP, net.gateway]
  const dnat = trace.outcomes.filter((o) => o.verdict === 'DNAT')
  const verdicts = new Set(trace.outcomes.map((o) => o.verdict))
  if (dnat.length > 0) {
    expect(verdicts, `trace outcomes ${[...verdicts].join(',')}`).toEqual(new Set(['DNAT']))
    const failures = results.filter((r) => !r.ok)
    expect(failures, 'every connection answered').toEqual([])
    const seen = new Set(results.flatMap((r) => (r.ok ? [r.backend] : [])))
    expect([...seen].sort(), 'backends that answered = DNAT destinations of the trace').toEqual([...new Set(dnat.map((o) => o.dnat ?? ''))].sort())
    for (const r of results) {
      if (!r.ok) continue
      const outcome = dnat.find((o) => o.dnat === r.backend)
      if (outcome?.masquerade === true) {
        expect(nodeAddresses, `${r.backend} saw ${r.peer}: masqueraded to a node address`).toContain(r.peer)
      } else {
        expect(r.peer, `${r.backend} saw the client address (no masquerade)`).toBe(clientIP)
      }
    }
    return
  }
  if (verdicts.size === 1 && verdicts.has('DROP')) {
    expect(results.map((r) => (r.ok ? r.backend : r.error))).toEqual(results.map(() => 'timeout'))
    return
  }
  if (verdicts.size === 1 && verdicts.has('REJECT')) {
    expect(results.map((r) => (r.ok ? r.backend : r.error))).toEqual(results.map(() => 'refused'))
    return
  }
  throw new Error(`scenario outcome not checkable: ${JSON.stringify(trace.outcomes.map((o) => o.verdict))}`)
}
