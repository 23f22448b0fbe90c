/**
 * @module parse/node
 * Typed view of a v1 Node: name, labels (zone), pod CIDRs and addresses — what kube-proxy's node
 * handling and the cluster stage read. `spec.podCIDRs` wins over the older single `spec.podCIDR`,
 * as in the API (podCIDRs[0] must equal podCIDR when both are set).
 */
import type { Issue } from '../issues.ts'
import type { Node, NodeAddress } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { parsedOf, startObject } from './object.ts'

/**
 * Reads a v1 Node.
 * @returns the Node, or undefined when a field had the wrong type
 */
export function parseNode(env: Envelope, issues: Issue[]): Node | undefined {
  const start = startObject(env, issues)
  const { f } = start
  const spec = f.obj(env.raw, '', 'spec')
  const podCIDR = f.str(spec, 'spec', 'podCIDR')
  const podCIDRs = f.strList(spec, 'spec', 'podCIDRs')
  const status = f.obj(env.raw, '', 'status')
  const addresses: NodeAddress[] = []
  for (const { item, path } of f.objects(status, 'status', 'addresses')) {
    const type = f.str(item, path, 'type')
    const address = f.str(item, path, 'address')
    if (type === undefined) f.required(`${path}.type`)
    else if (address === undefined) f.required(`${path}.address`)
    // Keys in sorted order: the JSON report prints them with V8's own stringify (report/native-json.ts).
    else addresses.push({ address, type })
  }
  if (!f.ok) return undefined
  return {
    ...parsedOf(env, start),
    kind: 'Node',
    podCIDRs: podCIDRs && podCIDRs.length > 0 ? podCIDRs : podCIDR ? [podCIDR] : [],
    addresses,
  }
}
