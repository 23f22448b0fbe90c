/**
 * Kernel suite, part 2: real packets go where the trace says. For each scenario the test builds
 * namespaces (node, external client, backend pods), loads kube-whatif's rules for node worker-1
 * into the node namespace, starts TCP+UDP echo servers in the pods, sends bounded numbers of
 * connections, and holds the kernel to kube-whatif's trace of the same packet: which backends
 * answered (every DNAT destination of the trace and no other), the source address they saw
 * (masquerade or not), and timeouts for DROP / refusals for REJECT. All traffic stays inside the
 * namespaces the test made; every namespace is deleted in a finally block.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { describeKernel } from './helpers/env.ts'
import { expectKernelMatchesTrace, planScenario, TARGET_PORT, type Backend, type ServiceSpec } from './helpers/scenario.ts'
import { CLIENT_IPS, IPV4, IPV6, NODE_IP, removeStale, Topology, type Addressing, type ClientResult } from './helpers/topology.ts'

// Namespaces, real iptables and bounded timeouts: slower than unit tests, especially on a busy CI box.
vi.setConfig({ testTimeout: 120_000 })

/** Connections per protocol and probe: with ≤3 equally likely backends, missing one has odds < 1e-6. */
const N = 40
const OK_TIMEOUT_MS = 2000
/** Per attempt where the trace predicts DROP (the attempt must time out). */
const DROP_TIMEOUT_MS = 1200

const CLIENT = IPV4.clientIPs[0] ?? ''
const VIP = '10.96.0.10'

interface Probe {
  /** `client` or a pod name. */
  readonly from: string
  readonly fromIP: string
  readonly to: string
  /** Port for TCP; UDP uses the same service port, or nodePort + 1 for NodePorts. */
  readonly port: number
  readonly udpPort: number
  readonly count?: number
  readonly timeoutMs?: number
}

/**
 * Runs one scenario: topology, rules, servers, then each probe over TCP and UDP, checked against
 * the trace. `extraPods` are pods that only send (not endpoints).
 */
async function runScenario(svc: ServiceSpec, extraPods: readonly Backend[], probes: readonly Probe[], net: Addressing = IPV4): Promise<void> {
  const planned = await planScenario(svc, net)
  const topo = new Topology(net)
  try {
    const pods = [...svc.endpoints, ...extraPods]
    topo.build(pods)
    topo.loadRules(planned.jumpCommands, planned.payload)
    if (svc.endpoints.length > 0) await topo.startServers(svc.endpoints, TARGET_PORT)
    for (const p of probes) {
      const ns = p.from === 'client' ? topo.client : topo.pods.get(p.from)
      if (ns === undefined) throw new Error(`no namespace for ${p.from}`)
      for (const proto of ['tcp', 'udp'] as const) {
        const port = proto === 'tcp' ? p.port : p.udpPort
        const trace = await planned.trace(p.fromIP, p.to, port, proto)
        const results = topo.client_(ns, proto, p.to, port, p.count ?? N, p.timeoutMs ?? OK_TIMEOUT_MS, p.from === 'client' ? p.fromIP : undefined)
        expectKernelMatchesTrace(trace, results, p.fromIP, net)
      }
    }
  } finally {
    topo.destroy()
    planned.cleanup()
  }
}

const pod = (name: string, ip: string, nodeName: 'worker-1' | 'worker-2' = 'worker-1'): Backend => ({ name, ip, nodeName })
const A = pod('pod-a', '10.244.1.10')
const B = pod('pod-b', '10.244.1.11')
const C = pod('pod-c', '10.244.1.12')
const SENDER = pod('sender', '10.244.1.50')
const REMOTE = pod('remote', '10.244.2.20', 'worker-2')

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
    const svc: ServiceSpec = { type: 'ClusterIP', clusterIP: VIP, sessionAffinity: 'ClientIP', endpoints: [A, B, C] }
    const planned = await planScenario(svc)
    const topo = new Topology()
    try {
      topo.build(svc.endpoints)
      topo.loadRules(planned.jumpCommands, planned.payload)
      await topo.startServers(svc.endpoints, TARGET_PORT)
      for (const proto of ['tcp', 'udp'] as const) {
        const trace = await planned.trace(CLIENT, VIP, 80, proto)
        expect(trace.affinity?.timeoutSeconds).toBe(10800)
        const allowed = new Set(trace.outcomes.map((o) => o.dnat))
        const chosen = new Set<string>()
        for (const ip of CLIENT_IPS) {
          const results: ClientResult[] = topo.client_(topo.client, proto, VIP, 80, 12, OK_TIMEOUT_MS, ip)
          const backends = new Set(results.map((r) => (r.ok ? r.backend : `error:${r.error}`)))
          expect(backends.size, `${proto} from ${ip}: one backend for every connection`).toBe(1)
          const [b] = backends
          expect(allowed.has(b), `${b} is one the trace lists`).toBe(true)
          chosen.add(b ?? '')
        }
        expect(chosen.size).toBeGreaterThanOrEqual(1)
      }
    } finally {
      topo.destroy()
      planned.cleanup()
    }
  })

  it('the check itself fails when the kernel does not do what the trace says', async () => {
    // Rules for endpoints A and B in the kernel, but the trace of a plan with only A.
    const loaded = await planScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] })
    const wrong = await planScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A] })
    const wrongTrace = await wrong.trace(SENDER.ip, VIP, 80, 'tcp')
    const topo = new Topology()
    try {
      topo.build([A, B, SENDER])
      topo.loadRules(loaded.jumpCommands, loaded.payload)
      await topo.startServers([A, B], TARGET_PORT)
      const results = topo.client_(topo.pods.get(SENDER.name) ?? '', 'tcp', VIP, 80, N, OK_TIMEOUT_MS)
      expect(() => expectKernelMatchesTrace(wrongTrace, results, SENDER.ip)).toThrow(/backends that answered/)
      // …and passes against the right trace.
      expectKernelMatchesTrace(await loaded.trace(SENDER.ip, VIP, 80, 'tcp'), results, SENDER.ip)
    } finally {
      topo.destroy()
      loaded.cleanup()
      wrong.cleanup()
    }
  })

  it('hairpin: a pod calling its own service is masqueraded when it lands on itself', async () => {
    await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] }, [], [
      { from: A.name, fromIP: A.ip, to: VIP, port: 80, udpPort: 80 },
    ])
  })

  it('IPv6: ClusterIP from a pod and from outside, NodePort from outside, through ip6tables', async () => {
    const v6pod = (name: string, ip: string): Backend => ({ name, ip, nodeName: 'worker-1' })
    const [client] = IPV6.clientIPs
    const sender = v6pod('sender6', 'fd00:244:1::50')
    await runScenario(
      { type: 'NodePort', clusterIP: 'fd00:96::10', nodePort: 30110, endpoints: [v6pod('pod6-a', 'fd00:244:1::10'), v6pod('pod6-b', 'fd00:244:1::11')] },
      [sender],
      [
        { from: sender.name, fromIP: sender.ip, to: 'fd00:96::10', port: 80, udpPort: 80 },
        { from: 'client', fromIP: client ?? '', to: 'fd00:96::10', port: 80, udpPort: 80 },
        { from: 'client', fromIP: client ?? '', to: IPV6.nodeIP, port: 30110, udpPort: 30111 },
      ],
      IPV6,
    )
  })
})
