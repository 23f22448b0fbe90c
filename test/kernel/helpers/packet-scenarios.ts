/**
 * The real-packet scenarios both kube-proxy modes are held to (packets.test.ts for iptables,
 * nft-packets.test.ts for nftables): namespaces, echo servers and bounded probes, each probe
 * checked against `trace -o json` of the same packet. Only how the node's rules are loaded
 * differs per mode (`iptables-restore` plus jump rules, or one `nft -f` transaction).
 */
import { expect } from 'vitest'
import { expectKernelMatchesTrace, planScenario, TARGET_PORT, type Backend, type Mode, type PlannedScenario, type ServiceSpec } from './scenario.ts'
import { CLIENT_IPS, IPV4, IPV6, Topology, type Addressing } from './topology.ts'

/** Connections per protocol and probe: with ≤3 equally likely backends, missing one has odds < 1e-6. */
export const N = 40
export const OK_TIMEOUT_MS = 2000
/** Per attempt where the trace predicts DROP (the attempt must time out). */
export const DROP_TIMEOUT_MS = 1200

export const CLIENT = IPV4.clientIPs[0] ?? ''
export const VIP = '10.96.0.10'

export const pod = (name: string, ip: string, nodeName: 'worker-1' | 'worker-2' = 'worker-1'): Backend => ({ name, ip, nodeName })
export const A = pod('pod-a', '10.244.1.10')
export const B = pod('pod-b', '10.244.1.11')
export const C = pod('pod-c', '10.244.1.12')
export const SENDER = pod('sender', '10.244.1.50')
export const REMOTE = pod('remote', '10.244.2.20', 'worker-2')

export interface Probe {
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

/** Loads a planned scenario's rules into the node namespace the way kube-proxy in `mode` would. */
function loadRules(topo: Topology, planned: PlannedScenario, mode: Mode): void {
  if (mode === 'nftables') topo.loadNft(planned.payload)
  else topo.loadRules(planned.jumpCommands, planned.payload)
}

/**
 * Runs one scenario: topology, rules, servers, then each probe over TCP and UDP, checked against
 * the trace. `extraPods` are pods that only send (not endpoints). Every namespace is deleted in
 * the finally block.
 */
export async function runScenario(mode: Mode, svc: ServiceSpec, extraPods: readonly Backend[], probes: readonly Probe[], net: Addressing = IPV4): Promise<void> {
  const planned = await planScenario(svc, net, mode)
  const topo = new Topology(net)
  try {
    topo.build([...svc.endpoints, ...extraPods])
    loadRules(topo, planned, mode)
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

/** ClientIP affinity: every client address sticks to one backend, one the trace lists. */
export async function affinityScenario(mode: Mode): Promise<void> {
  const svc: ServiceSpec = { type: 'ClusterIP', clusterIP: VIP, sessionAffinity: 'ClientIP', endpoints: [A, B, C] }
  const planned = await planScenario(svc, IPV4, mode)
  const topo = new Topology()
  try {
    topo.build(svc.endpoints)
    loadRules(topo, planned, mode)
    await topo.startServers(svc.endpoints, TARGET_PORT)
    for (const proto of ['tcp', 'udp'] as const) {
      const trace = await planned.trace(CLIENT, VIP, 80, proto)
      expect(trace.affinity?.timeoutSeconds).toBe(10800)
      const allowed = new Set(trace.outcomes.map((o) => o.dnat))
      for (const ip of CLIENT_IPS) {
        const results = topo.client_(topo.client, proto, VIP, 80, 12, OK_TIMEOUT_MS, ip)
        const backends = new Set(results.map((r) => (r.ok ? r.backend : `error:${r.error}`)))
        expect(backends.size, `${proto} from ${ip}: one backend for every connection`).toBe(1)
        const [b] = backends
        expect(allowed.has(b), `${b} is one the trace lists`).toBe(true)
      }
    }
  } finally {
    topo.destroy()
    planned.cleanup()
  }
}

/** The check itself fails when the kernel does not do what the trace says (rules for A and B, trace of a plan with A only). */
export async function selfCheckScenario(mode: Mode): Promise<void> {
  const loaded = await planScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] }, IPV4, mode)
  const wrong = await planScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A] }, IPV4, mode)
  const topo = new Topology()
  try {
    topo.build([A, B, SENDER])
    loadRules(topo, loaded, mode)
    await topo.startServers([A, B], TARGET_PORT)
    const results = topo.client_(topo.pods.get(SENDER.name) ?? '', 'tcp', VIP, 80, N, OK_TIMEOUT_MS)
    const wrongTrace = await wrong.trace(SENDER.ip, VIP, 80, 'tcp')
    expect(() => expectKernelMatchesTrace(wrongTrace, results, SENDER.ip)).toThrow(/backends that answered/)
    // …and passes against the right trace.
    expectKernelMatchesTrace(await loaded.trace(SENDER.ip, VIP, 80, 'tcp'), results, SENDER.ip)
  } finally {
    topo.destroy()
    loaded.cleanup()
    wrong.cleanup()
  }
}

/** IPv6: ClusterIP from a pod and from outside, NodePort from outside. */
export async function ipv6Scenario(mode: Mode): Promise<void> {
  const v6pod = (name: string, ip: string): Backend => ({ name, ip, nodeName: 'worker-1' })
  const [client] = IPV6.clientIPs
  const sender = v6pod('sender6', 'fd00:244:1::50')
  await runScenario(
    mode,
    { type: 'NodePort', clusterIP: 'fd00:96::10', nodePort: 30110, endpoints: [v6pod('pod6-a', 'fd00:244:1::10'), v6pod('pod6-b', 'fd00:244:1::11')] },
    [sender],
    [
      { from: sender.name, fromIP: sender.ip, to: 'fd00:96::10', port: 80, udpPort: 80 },
      { from: 'client', fromIP: client ?? '', to: 'fd00:96::10', port: 80, udpPort: 80 },
      { from: 'client', fromIP: client ?? '', to: IPV6.nodeIP, port: 30110, udpPort: 30111 },
    ],
    IPV6,
  )
}
