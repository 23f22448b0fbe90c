/**
 * Kernel suite, part 2: real packets go where the trace says. For each scenario the test builds
 * namespaces (node, external client, backend pods), loads kube-whatif's rules for node worker-1
 * into the node namespace, starts TCP+UDP echo servers in the pods, sends bounded numbers of
 * connections, and holds the kernel to kube-whatif's trace of the same packet: which backends
 * answered (every DNAT destination of the trace and no other), the source address they saw
 * (masquerade or not), and timeouts for DROP / refusals for REJECT. All traffic stays inside the
 * namespaces the test made; every namespace is deleted in a finally block.
 */
import { afterAll, beforeAll, it, vi } from 'vitest'
import { describeKernel } from './helpers/env.ts'
import { A, affinityScenario, B, C, CLIENT, DROP_TIMEOUT_MS, ipv6Scenario, REMOTE, runScenario as run, selfCheckScenario, SENDER, VIP, type Probe } from './helpers/packet-scenarios.ts'
import type { Backend, ServiceSpec } from './helpers/scenario.ts'
import { NODE_IP, removeStale } from './helpers/topology.ts'

// Namespaces, real iptables and bounded timeouts: slower than unit tests, especially on a busy CI box.
vi.setConfig({ testTimeout: 120_000 })

const runScenario = (svc: ServiceSpec, extraPods: readonly Backend[], probes: readonly Probe[]): Promise<void> => run('iptables', svc, extraPods, probes)

describeKernel('kernel: real packets follow the trace', () => {
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
      // Inside the cluster the ClusterIP still balances over both endpoints.
      { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80 },
    ])
  })

  it('externalTrafficPolicy Local without a local endpoint: external traffic is dropped (times out)', async () => {
    await runScenario({ type: 'NodePort', clusterIP: VIP, nodePort: 30100, externalTrafficPolicy: 'Local', endpoints: [REMOTE] }, [SENDER], [
      { from: 'client', fromIP: CLIENT, to: NODE_IP, port: 30100, udpPort: 30101, count: 2, timeoutMs: DROP_TIMEOUT_MS },
      { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80, count: 10 },
    ])
  })

  it('a Service with no endpoints: connections are refused (REJECT)', async () => {
    await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [] }, [SENDER], [
      { from: SENDER.name, fromIP: SENDER.ip, to: VIP, port: 80, udpPort: 80, count: 3 },
    ])
  })

  it('ClientIP session affinity: each client address sticks to one backend', async () => {
    await affinityScenario('iptables')
  })

  it('the check itself fails when the kernel does not do what the trace says', async () => {
    await selfCheckScenario('iptables')
  })

  it('hairpin: a pod calling its own service is masqueraded when it lands on itself', async () => {
    await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] }, [], [
      { from: A.name, fromIP: A.ip, to: VIP, port: 80, udpPort: 80 },
    ])
  })

  it('IPv6: ClusterIP from a pod and from outside, NodePort from outside, through ip6tables', async () => {
    await ipv6Scenario('iptables')
  })
})
