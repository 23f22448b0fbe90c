/**
 * Test hosts as network namespaces: one Kubernetes node, one external client, and backend "pods".
 * Pods are wired Calico-style: each pod has its own veth to the node, its address as a /32, and a
 * default route via the gateway address 10.244.1.1 that the node holds on every pod link. So all
 * pod traffic, even pod to pod, is routed through the node's netfilter (no bridge, no
 * br_netfilter needed). "Remote" pods (on another node in the manifests) are wired the same way;
 * the kernel does not care which node the manifests put them on.
 *
 * Every namespace is named `kwt<pid>-<n>-<role>`, so only namespaces this suite made are ever
 * deleted: `destroy()` in a finally block, and `removeStale()` for those of dead test processes.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { pathEnv } from './env.ts'

/** Addresses of the test network for one family. */
export interface Addressing {
  readonly family: 'IPv4' | 'IPv6'
  /** The node's address on the client link (its Node InternalIP). */
  readonly nodeIP: string
  /** The address the node holds on every pod link (the pods' default gateway). */
  readonly gateway: string
  /** The client's addresses (several, for session affinity). */
  readonly clientIPs: readonly string[]
  /** Prefix length of the client link. */
  readonly linkPrefix: number
  /** The Service CIDR (routed from the client via the node). */
  readonly serviceCIDR: string
}

export const IPV4: Addressing = {
  family: 'IPv4',
  nodeIP: '192.168.50.2',
  gateway: '10.244.1.1',
  clientIPs: ['192.168.50.10', '192.168.50.11', '192.168.50.12', '192.168.50.13'],
  linkPrefix: 24,
  serviceCIDR: '10.96.0.0/16',
}

export const IPV6: Addressing = {
  family: 'IPv6',
  nodeIP: 'fd00:50::2',
  gateway: 'fd00:244:1::1',
  clientIPs: ['fd00:50::10', 'fd00:50::11', 'fd00:50::12', 'fd00:50::13'],
  linkPrefix: 64,
  serviceCIDR: 'fd00:96::/112',
}

export const NODE_IP = IPV4.nodeIP
export const GATEWAY = IPV4.gateway
export const CLIENT_IPS = IPV4.clientIPs

const PREFIX = 'kwt'
let counter = 0

/** Runs a shell script (set -e) in the root namespace; throws with stderr on failure. */
export function sh(script: string, timeoutMs = 30_000): string {
  const r = spawnSync('sh', ['-ec', script], { encoding: 'utf8', env: pathEnv(), timeout: timeoutMs })
  if (r.status !== 0) throw new Error(`command failed (${r.status ?? r.signal}): ${script}\n${r.stderr}`)
  return r.stdout
}

/** Deletes `kwt<pid>-…` namespaces whose test process is gone (left by a killed run). */
export function removeStale(): void {
  const names = sh('ip netns list').split('\n').map((l) => l.split(' ')[0] ?? '')
  for (const n of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(n)
    if (!m) continue
    const pid = Number(m[1])
    let alive = true
    try {
      process.kill(pid, 0)
    } catch {
      alive = false
    }
    if (!alive) spawnSync('ip', ['netns', 'del', n], { env: pathEnv() })
  }
}

export interface PodSpec {
  /** Short name, also what the echo server answers with. */
  readonly name: string
  readonly ip: string
}

export class Topology {
  readonly id: string
  readonly node: string
  readonly client: string
  readonly pods = new Map<string, string>()
  private readonly created: string[] = []
  private readonly servers: ChildProcess[] = []

  constructor(readonly net: Addressing = IPV4) {
    this.id = `${PREFIX}${process.pid}-${++counter}`
    this.node = `${this.id}-node`
    this.client = `${this.id}-client`
  }

  private addNs(name: string): void {
    sh(`ip netns add ${name}`)
    this.created.push(name)
    sh(`ip -n ${name} link set lo up`)
  }

  /**
   * Builds node, client and pods. The client holds every client address and routes the Service
   * CIDR via the node; the node routes each pod's /32 (/128) to that pod's veth.
   */
  build(pods: readonly PodSpec[]): void {
    this.addNs(this.node)
    this.addNs(this.client)
    const N = this.node
    const C = this.client
    const { nodeIP, gateway, clientIPs, linkPrefix, serviceCIDR } = this.net
    const v6 = this.net.family === 'IPv6'
    const ip = v6 ? 'ip -6' : 'ip'
    const host = v6 ? 128 : 32
    // nodad: IPv6 addresses are usable at once (no duplicate address detection wait).
    const nodad = v6 ? ' nodad' : ''
    // icmp ratelimit 0: REJECT answers every attempt (the per-peer ICMP limit would turn some
    // refusals into timeouts).
    sh(
      `ip netns exec ${N} sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 net.ipv4.conf.all.rp_filter=0 ` +
        'net.ipv4.conf.default.rp_filter=0 net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0',
    )
    sh(`ip -n ${N} link add eth0 type veth peer name eth0 netns ${C}
        ${ip} -n ${N} addr add ${nodeIP}/${linkPrefix} dev eth0${nodad}
        ip -n ${N} link set eth0 up
        ${clientIPs.map((a) => `${ip} -n ${C} addr add ${a}/${linkPrefix} dev eth0${nodad}`).join('\n')}
        ip -n ${C} link set eth0 up
        ${ip} -n ${C} route add ${serviceCIDR} via ${nodeIP}
        ${ip} -n ${N} route add default via ${clientIPs[clientIPs.length - 1]} dev eth0`)
    // The node needs a default route like a real node: without one, a packet to a VIP with no
    // DNAT fails routing (ICMP net unreachable) before filter FORWARD can REJECT it. It points at
    // the client namespace, which does not forward, so nothing leaves the test's namespaces.
    pods.forEach((p, i) => {
      const P = `${this.id}-pod${i}`
      this.addNs(P)
      this.pods.set(p.name, P)
      sh(`ip -n ${N} link add vp${i} type veth peer name eth0 netns ${P}
          ${ip} -n ${N} addr add ${gateway}/${host} dev vp${i}${nodad}
          ip -n ${N} link set vp${i} up
          ${ip} -n ${N} route add ${p.ip}/${host} dev vp${i}
          ${ip} -n ${P} addr add ${p.ip}/${host} dev eth0${nodad}
          ip -n ${P} link set eth0 up
          ${ip} -n ${P} route add ${gateway} dev eth0
          ${ip} -n ${P} route add default via ${gateway} dev eth0`)
    })
  }

  /** Loads kube-proxy's start-up state into the node: nfacct objects, jump rules, the payload. */
  loadRules(jumpRuleCommands: readonly string[], payload: string): void {
    const r = spawnSync(
      'ip',
      ['netns', 'exec', this.node, 'sh', '-ec', ['nfacct add ct_state_invalid_dropped_pkts', 'nfacct add localhost_nps_accepted_pkts', ...jumpRuleCommands, `${this.net.family === 'IPv6' ? 'ip6tables' : 'iptables'}-restore --noflush`].join('\n')],
      { input: payload, encoding: 'utf8', env: pathEnv(), timeout: 30_000 },
    )
    if (r.status !== 0) throw new Error(`loading rules failed: ${r.stderr}`)
  }

  /** Loads kube-proxy's nftables transaction (`plan -o nft`) into the node with `nft -f`. */
  loadNft(payload: string): void {
    const r = spawnSync('ip', ['netns', 'exec', this.node, 'nft', '-f', '-'], { input: payload, encoding: 'utf8', env: pathEnv(), timeout: 30_000 })
    if (r.status !== 0) throw new Error(`loading the nft transaction failed: ${r.stderr}`)
  }

  /** Starts the echo server of every pod (TCP and UDP on `port`) and waits until they listen. */
  async startServers(pods: readonly PodSpec[], port: number): Promise<void> {
    const server = join(import.meta.dirname, 'echo-server.mjs')
    await Promise.all(
      pods.map(
        (p) =>
          new Promise<void>((resolve, reject) => {
            const ns = this.pods.get(p.name)
            if (ns === undefined) return reject(new Error(`no pod ${p.name}`))
            const child = spawn('ip', ['netns', 'exec', ns, process.execPath, server, p.name, p.ip, String(port)], { env: pathEnv(), stdio: ['pipe', 'pipe', 'pipe'] })
            this.servers.push(child)
            let out = ''
            let err = ''
            const timer = setTimeout(() => reject(new Error(`server ${p.name} did not start: ${err}`)), 15_000)
            child.stdout?.on('data', (d: Buffer) => {
              out += d.toString()
              if (out.includes('ready')) {
                clearTimeout(timer)
                resolve()
              }
            })
            child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
            child.on('exit', (code) => {
              clearTimeout(timer)
              if (!out.includes('ready')) reject(new Error(`server ${p.name} exited ${code}: ${err}`))
            })
          }),
      ),
    )
  }

  /** Runs the echo client in namespace `ns`; returns its per-attempt results. */
  client_(ns: string, proto: 'tcp' | 'udp', dest: string, port: number, count: number, timeoutMs: number, source?: string): ClientResult[] {
    const client = join(import.meta.dirname, 'echo-client.mjs')
    const argv = ['netns', 'exec', ns, process.execPath, client, proto, dest, String(port), String(count), String(timeoutMs), ...(source ? [source] : [])]
    const r = spawnSync('ip', argv, { encoding: 'utf8', env: pathEnv(), timeout: count * timeoutMs + 20_000 })
    if (r.status !== 0) throw new Error(`client failed (${r.status ?? r.signal}): ${r.stderr}`)
    return JSON.parse(r.stdout) as ClientResult[]
  }

  /** Stops the servers and deletes every namespace this topology made (veths go with them). */
  destroy(): void {
    for (const s of this.servers) s.kill('SIGTERM')
    for (const ns of this.created.reverse()) spawnSync('ip', ['netns', 'del', ns], { env: pathEnv() })
    this.created.length = 0
  }
}

export type ClientResult =
  | { readonly ok: true; readonly name: string; readonly backend: string; readonly peer: string }
  | { readonly ok: false; readonly error: string }
