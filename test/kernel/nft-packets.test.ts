/**
 * Kernel suite, nftables mode: real packets go where the trace says. Same namespaces, echo
 * servers and checks as packets.test.ts, but the node gets kube-whatif's `plan -o nft`
 * transaction loaded with real `nft -f` (the KubeProxyConfiguration says `mode: nftables`), and
 * each probe is held to `trace -o json` of the same packet: every DNAT destination answers and
 * no other, masquerade or the client's own address as predicted, timeouts for DROP and refusals
 * for REJECT, including the outcomes only nftables mode has (a ClusterIP's undefined port is
 * rejected, an unallocated address of the service CIDR is dropped).
 */
import { afterAll, beforeAll, it, vi } from 'vitest'
import { describeKernel, nftKernelEnv } from './helpers/env.ts'
import { A, affinityScenario, B, C, CLIENT, DROP_TIMEOUT_MS, ipv6Scenario, REMOTE, runScenario as run, selfCheckScenario, SENDER, VIP, type Probe } from './helpers/packet-scenarios.ts'
import type { Backend, ServiceSpec } from './helpers/scenario.ts'
import { NODE_IP, removeStale } from './helpers/topology.ts'

vi.setConfig({ testTimeout: 120_000 })

const runScenario = (svc: ServiceSpec, extraPods: readonly Backend[], probes: readonly Probe[]): Promise<void> => run('nftables', svc, extraPods, probes)

describeKernel(
  'kernel (nftables mode): real packets follow the trace',
  () => {
    beforeAll(() => removeStale())
    afterAll(() => removeStale())

    it('ClusterIP with three endpoints: a pod reaches all three unmasqueraded, an outside client masqueraded', async () => {
      await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B, C] }, [SENDER], [
        { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80 },
        { from: 'client', fromIP: CLIENT, to: VIP, port: 80, udpPort: 80 },
      ])
    })

    it('NodePort from an external client: every endpoint, masqueraded', async () => {
      await runScenario({ type: 'NodePort', clusterIP: VIP, nodePort: 30080, endpoints: [A, B] }, [], [
        { from: 'client', fromIP: CLIENT, to: NODE_IP, port: 30080, udpPort: 30081 },
      ])
    })

    it('externalTrafficPolicy Local with a local endpoint: only the local pod, client address preserved', async () => {
      await runScenario({ type: 'NodePort', clusterIP: VIP, nodePort: 30090, externalTrafficPolicy: 'Local', endpoints: [A, REMOTE] }, [SENDER], [
        { from: 'client', fromIP: CLIENT, to: NODE_IP, port: 30090, udpPort: 30091 },
        { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80 },
      ])
    })

    it('externalTrafficPolicy Local without a local endpoint: external traffic is dropped by no-endpoint-nodeports', async () => {
      await runScenario({ type: 'NodePort', clusterIP: VIP, nodePort: 30100, externalTrafficPolicy: 'Local', endpoints: [REMOTE] }, [SENDER], [
        { from: 'client', fromIP: CLIENT, to: NODE_IP, port: 30100, udpPort: 30101, count: 2, timeoutMs: DROP_TIMEOUT_MS },
        { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80, count: 10 },
      ])
    })

    it('a Service with no endpoints: connections are refused (goto reject-chain)', async () => {
      await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [] }, [SENDER], [
        { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80, count: 3 },
      ])
    })

    it('cluster-ips-check: an undefined port of a ClusterIP is refused, an unallocated service address dropped', async () => {
      await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A] }, [SENDER], [
        { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 81, udpPort: 81, count: 3 },
        { from: SENDER.name, fromIP: SENDER.ip, to: '10.96.0.99', port: 80, udpPort: 80, count: 2, timeoutMs: DROP_TIMEOUT_MS },
      ])
    })

    it('ClientIP session affinity: each client address sticks to one backend (affinity sets)', async () => {
      await affinityScenario('nftables')
    })

    it('the check itself fails when the kernel does not do what the trace says', async () => {
      await selfCheckScenario('nftables')
    })

    it('hairpin: a pod calling its own service is masqueraded when it lands on itself', async () => {
      await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] }, [], [{ from: A.name, fromIP: A.ip, to: VIP, port: 80, udpPort: 80 }])
    })

    it('IPv6: ClusterIP from a pod and from outside, NodePort from outside, through the ip6 kube-proxy table', async () => {
      await ipv6Scenario('nftables')
    })
  },
  nftKernelEnv,
)
