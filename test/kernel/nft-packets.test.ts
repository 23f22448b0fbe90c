/**
 * Kernel suite, nftables mode: real packets go where the trace says. Same namespaces, echo
 * servers and checks as packets.test.ts, but the node gets kube-whatif's `plan -o nft`
 * transaction loaded with real `nft -f` (the KubeProxyConfiguration says `mode: nftables`), and
 * each probe is held to `trace -o json` of the same packet: every DNAT destination answers and
 * no other, masquerade or the client's own address as predicted, timeouts for DROP and refusals
 * for REJECT, including the outcomes only nftables mode has (a ClusterIP's undefined port is
 * rejected, an unallocated address of the service CIDR is dropped).
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { describeKernel, nftKernelEnv } from './helpers/env.ts'
import { expectKernelMatchesTrace, planScenario, TARGET_PORT, type Backend, type ServiceSpec } from './helpers/scenario.ts'
import { CLIENT_IPS, IPV4, IPV6, NODE_IP, removeStale, Topology, type Addressing } from './helpers/topology.ts'

vi.setConfig({ testTimeout: 120_000 })

const N = 40
const OK_TIMEOUT_MS = 2000
const DROP_TIMEOUT_MS = 1200
const CLIENT = IPV4.clientIPs[0] ?? ''
const VIP = '10.96.0.10'

interface Probe {
  readonly from: string
  readonly fromIP: string
  readonly to: string
  readonly port: number
  readonly udpPort: number
  readonly count?: number
  readonly timeoutMs?: number
}

async function runScenario(svc: ServiceSpec, extraPods: readonly Backend[], probes: readonly Probe[], net: Addressing = IPV4): Promise<void> {
  const planned = await planScenario(svc, net, 'nftables')
  const topo = new Topology(net)
  try {
    topo.build([...svc.endpoints, ...extraPods])
    topo.loadNft(planned.payload)
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
      const svc: ServiceSpec = { type: 'ClusterIP', clusterIP: VIP, sessionAffinity: 'ClientIP', endpoints: [A, B, C] }
      const planned = await planScenario(svc, IPV4, 'nftables')
      const topo = new Topology()
      try {
        topo.build(svc.endpoints)
        topo.loadNft(planned.payload)
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
    })

    it('the check itself fails when the kernel does not do what the trace says', async () => {
      const loaded = await planScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] }, IPV4, 'nftables')
      const wrong = await planScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A] }, IPV4, 'nftables')
      const topo = new Topology()
      try {
        topo.build([A, B, SENDER])
        topo.loadNft(loaded.payload)
        await topo.startServers([A, B], TARGET_PORT)
        const results = topo.client_(topo.pods.get(SENDER.name) ?? '', 'tcp', VIP, 80, N, OK_TIMEOUT_MS)
        const wrongTrace = await wrong.trace(SENDER.ip, VIP, 80, 'tcp')
        expect(() => expectKernelMatchesTrace(wrongTrace, results, SENDER.ip)).toThrow(/backends that answered/)
        expectKernelMatchesTrace(await loaded.trace(SENDER.ip, VIP, 80, 'tcp'), results, SENDER.ip)
      } finally {
        topo.destroy()
        loaded.cleanup()
        wrong.cleanup()
      }
    })

    it('hairpin: a pod calling its own service is masqueraded when it lands on itself', async () => {
      await runScenario({ type: 'ClusterIP', clusterIP: VIP, endpoints: [A, B] }, [], [{ from: A.name, fromIP: A.ip, to: VIP, port: 80, udpPort: 80 }])
    })

    it('IPv6: ClusterIP from a pod and from outside, NodePort from outside, through the ip6 kube-proxy table', async () => {
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
  },
  nftKernelEnv,
)
