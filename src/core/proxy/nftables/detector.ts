/**
 * @module proxy/nftables/detector
 * The local-traffic detector's nftables matches (pkg/proxy/util/localdetector.go IfLocalNFT /
 * IfNotLocalNFT): `ip saddr CIDR`, `iifname BRIDGE`, `iifname PREFIX*`.
 */
import type { LocalDetector } from '../../model/cluster.ts'
import { formatCIDR, parseCIDRSloppy } from '../../net/ip.ts'
import type { NftStatement } from './ir.ts'

export interface DetectorStatements {
  readonly ifLocal: readonly NftStatement[]
  readonly ifNotLocal: readonly NftStatement[]
}

/**
 * The detector's statements, or undefined for the no-op detector (IsImplemented() == false).
 * A CIDR detector prints the network form; an unparsable CIDR means no detector, as upstream.
 */
export function detectorStatements(d: LocalDetector, family: 'IPv4' | 'IPv6'): DetectorStatements | undefined {
  switch (d.mode) {
    case 'NoOp':
      return undefined
    case 'ClusterCIDR':
    case 'NodeCIDR': {
      const c = parseCIDRSloppy(d.cidr.trim())
      if (c === undefined || c.family !== family) return undefined
      const text = formatCIDR(c)
      return {
        ifLocal: [{ kind: 'addr', dir: 'saddr', negate: false, value: { kind: 'literal', text } }],
        ifNotLocal: [{ kind: 'addr', dir: 'saddr', negate: true, value: { kind: 'literal', text } }],
      }
    }
    case 'BridgeInterface':
      return { ifLocal: [{ kind: 'iifname', negate: false, name: d.interface }], ifNotLocal: [{ kind: 'iifname', negate: true, name: d.interface }] }
    case 'InterfaceNamePrefix':
      return { ifLocal: [{ kind: 'iifname', negate: false, name: `${d.prefix}*` }], ifNotLocal: [{ kind: 'iifname', negate: true, name: `${d.prefix}*` }] }
  }
}
