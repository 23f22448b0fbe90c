/**
 * The kube-proxy nftables conformance cases (test/fixtures/conformance/kube-proxy-nftables, see
 * its README): their config.json (upstream's NewFakeProxier settings) as the cluster facts a user
 * would give kube-whatif (a Node, a KubeProxyConfiguration in nftables mode, a ClusterProfile).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Where the nftables cases live. */
export const NFT_CASES_DIR = join(import.meta.dirname, '..', 'fixtures', 'conformance', 'kube-proxy-nftables')

/** The config.json fields of an nftables case. */
export interface NftCaseConfig {
  readonly ipFamily: 'IPv4' | 'IPv6'
  readonly nodeName: string
  readonly nodeIP: string
  readonly networkInterfaces?: readonly { readonly name: string; readonly addrs: readonly string[] }[]
  readonly nodePortAddresses: readonly string[] | null
  readonly localDetector: { readonly mode: string; readonly podCIDR?: string; readonly interface?: string; readonly prefix?: string }
  readonly serviceCIDRs?: string
  readonly masqueradeAll: boolean
  readonly masqueradeMark: string
  readonly tracerNodeIPs?: readonly string[]
}

/** Every case directory with a config.json. */
export function listNftCases(): string[] {
  return readdirSync(NFT_CASES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(NFT_CASES_DIR, d.name, 'config.json')))
    .map((d) => d.name)
    .sort()
}

export function readNftCaseConfig(name: string): NftCaseConfig {
  return JSON.parse(readFileSync(join(NFT_CASES_DIR, name, 'config.json'), 'utf8')) as NftCaseConfig
}

const q = (s: string): string => JSON.stringify(s)

/** The node's addresses: nodeIP first, then every non-loopback interface address and tracer IP. */
function nodeAddresses(c: NftCaseConfig): string[] {
  const out = [c.nodeIP]
  const add = (ip: string): void => {
    if (!out.includes(ip) && !ip.startsWith('127.') && ip !== '::1') out.push(ip)
  }
  for (const i of c.networkInterfaces ?? []) for (const a of i.addrs) add(a.split('/')[0] ?? a)
  for (const ip of c.tracerNodeIPs ?? []) add(ip)
  return out
}

/** The cluster facts YAML of a case (Node, KubeProxyConfiguration in nftables mode, ClusterProfile). */
export function nftCaseFactsYaml(name: string, c: NftCaseConfig): string {
  const bit = Math.log2(Number.parseInt(c.masqueradeMark, 16))
  if (!Number.isInteger(bit)) throw new Error(`${name}: masqueradeMark ${c.masqueradeMark} is not a single bit`)
  const d = c.localDetector
  const detector =
    d.mode === 'BridgeInterface'
      ? ['detectLocalMode: BridgeInterface', 'detectLocal:', `  bridgeInterface: ${q(d.interface ?? '')}`]
      : d.mode === 'InterfaceNamePrefix'
        ? ['detectLocalMode: InterfaceNamePrefix', 'detectLocal:', `  interfaceNamePrefix: ${q(d.prefix ?? '')}`]
        : ['detectLocalMode: ClusterCIDR', `clusterCIDR: ${q(d.mode === 'ClusterCIDR' || d.mode === 'NodeCIDR' ? (d.podCIDR ?? '') : '')}`]
  const lines = [
    `# Cluster facts for nftables conformance case ${name}, generated from its config.json.`,
    'apiVersion: v1',
    'kind: Node',
    'metadata:',
    `  name: ${q(c.nodeName)}`,
    'status:',
    '  addresses:',
    ...nodeAddresses(c).flatMap((ip) => ['  - type: InternalIP', `    address: ${q(ip)}`]),
    '---',
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'kind: KubeProxyConfiguration',
    'mode: nftables',
    `hostnameOverride: ${q(c.nodeName)}`,
    ...detector,
    'nftables:',
    `  masqueradeAll: ${c.masqueradeAll}`,
    `  masqueradeBit: ${bit}`,
    ...(c.nodePortAddresses === null ? [] : ['nodePortAddresses:', ...c.nodePortAddresses.map((a) => `- ${q(a)}`)]),
    '---',
    'apiVersion: kube-whatif.dev/v1alpha1',
    'kind: ClusterProfile',
    'metadata:',
    `  name: ${q(name)}`,
    `node: ${q(c.nodeName)}`,
    `serviceClusterIPRange: ${q(c.serviceCIDRs ?? (c.ipFamily === 'IPv6' ? 'fd00:10:96::/112' : '172.30.0.0/16'))}`,
  ]
  return `${lines.join('\n')}\n`
}

let tmp: string | undefined

/** `--cluster <input> --cluster <facts>` (+ `--ip-family IPv6`) for a case or one of its sync steps. */
export function nftCaseArgs(name: string, step = ''): string[] {
  const c = readNftCaseConfig(name)
  tmp ??= mkdtempSync(join(tmpdir(), 'kube-whatif-nft-case-'))
  const facts = join(tmp, `${name}.yaml`)
  writeFileSync(facts, nftCaseFactsYaml(name, c))
  const family = c.ipFamily === 'IPv6' ? ['--ip-family', 'IPv6'] : []
  return ['--cluster', join(NFT_CASES_DIR, name, step, 'input.yaml'), '--cluster', facts, ...family]
}

