/**
 * @module cluster/node-addresses
 * Which of a Node's addresses kube-proxy uses: its primary IP per family and the full list.
 */
import type { Node } from '../model/k8s.ts'
import { formatIP, parseIPSloppy, type Family } from '../net/ip.ts'

/** Address types in the order kube-proxy prefers them (k8s.io/component-helpers GetNodeHostIPs). */
const PREFERENCE = ['InternalIP', 'ExternalIP']

/**
 * The node's IP of `family`: its first InternalIP of that family, else ExternalIP, else the
 * first address of that family of any type. Canonical text, undefined when there is none.
 */
export function nodeIPOfFamily(node: Node | undefined, family: Family): string | undefined {
  if (node === undefined) return undefined
  const ofFamily = node.addresses
    .map((a) => ({ type: a.type, ip: parseIPSloppy(a.address) }))
    .filter((a) => a.ip?.family === family)
  for (const type of PREFERENCE) {
    const hit = ofFamily.find((a) => a.type === type)
    if (hit?.ip) return formatIP(hit.ip)
  }
  const first = ofFamily[0]?.ip
  return first ? formatIP(first) : undefined
}

/** Every IP address of the node (both families), canonical, de-duplicated, in listed order. */
export function nodeIPsOf(node: Node | undefined): string[] {
  const out: string[] = []
  for (const a of node?.addresses ?? []) {
    const ip = parseIPSloppy(a.address)
    if (ip === undefined) continue
    const text = formatIP(ip)
    if (!out.includes(text)) out.push(text)
  }
  return out
}
