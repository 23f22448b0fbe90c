/**
 * Small constructors for the IR pieces kube-proxy's rules are made of, so the builders read like
 * the argument lists in pkg/proxy/iptables/proxier.go.
 */
import type { LocalDetector } from '../../model/cluster.ts'
import { formatCIDR, parseCIDRSloppy } from '../../net/ip.ts'
import type { Match, Target } from './ir.ts'

/** `-m comment --comment TEXT`. */
export const comment = (text: string): Match => ({ kind: 'comment', text })
/**
 * `-m P -p P`, one object per protocol: the IR is never mutated (frozen, so a write would throw),
 * and a payload writes this match in ≈ 1.1 rules per endpoint (an object each was ≈ 10% of a
 * 1k-Service ruleset's objects).
 */
const PROTO: Readonly<Record<'tcp' | 'udp' | 'sctp', Match>> = {
  tcp: Object.freeze({ kind: 'protocol', protocol: 'tcp', module: true }),
  udp: Object.freeze({ kind: 'protocol', protocol: 'udp', module: true }),
  sctp: Object.freeze({ kind: 'protocol', protocol: 'sctp', module: true }),
}
export const proto = (protocol: 'tcp' | 'udp' | 'sctp'): Match => PROTO[protocol]
/** `-d X`. */
export const dst = (value: string, negate = false): Match => ({ kind: 'address', dir: 'dst', value, negate })
/** `-s X`. */
export const src = (value: string, negate = false): Match => ({ kind: 'address', dir: 'src', value, negate })
/** `--dport N`. */
export const dport = (port: number): Match => ({ kind: 'dport', port, negate: false })
/** `-m addrtype --src-type LOCAL` / `--dst-type LOCAL`. */
export const addrtypeLocal = (dir: 'src' | 'dst'): Match => ({ kind: 'addrtype', dir, type: 'LOCAL', negate: false })
/** `-m nfacct --nfacct-name NAME`. */
export const nfacct = (name: string): Match => ({ kind: 'nfacct', name })

/** `-j CHAIN`. */
export const jump = (chain: string): Target => ({ kind: 'jump', chain })
/** `-j KUBE-MARK-MASQ`, one (frozen) object: every SEP chain's first rule jumps there. */
export const JUMP_MARK_MASQ: Target = Object.freeze(jump('KUBE-MARK-MASQ'))
/** `-j ACCEPT|DROP|REJECT|RETURN`. */
export const verdict = (v: 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN'): Target => ({ kind: 'verdict', verdict: v })

/** nfacct counter names (pkg/proxy/metrics). */
export const CT_STATE_INVALID_DROPPED_PKTS = 'ct_state_invalid_dropped_pkts'
export const LOCALHOST_NPS_ACCEPTED_PKTS = 'localhost_nps_accepted_pkts'

/** The two argument lists of a local-traffic detector (pkg/proxy/util/localdetector.go). */
export interface DetectorArgs {
  /** IfLocal(): `-s cidr`, `-i br`, `-i pfx+`. */
  readonly ifLocal: readonly Match[]
  /** IfNotLocal(): `! -s cidr`, `! -i br`, `! -i pfx+`. */
  readonly ifNotLocal: readonly Match[]
}

/**
 * The detector's matches, or undefined for the no-op detector (IsImplemented() == false).
 * CIDR detectors print the network form (NewDetectLocalByCIDR re-formats the parsed CIDR);
 * an unparsable CIDR makes kube-proxy fall back to no detector, and so do we.
 */
export function detectorArgs(d: LocalDetector): DetectorArgs | undefined {
  switch (d.mode) {
    case 'NoOp':
      return undefined
    case 'ClusterCIDR':
    case 'NodeCIDR': {
      const c = parseCIDRSloppy(d.cidr.trim())
      if (c === undefined) return undefined
      const cidr = formatCIDR(c)
      return { ifLocal: [src(cidr)], ifNotLocal: [src(cidr, true)] }
    }
    case 'BridgeInterface':
      return {
        ifLocal: [{ kind: 'interface', dir: 'in', name: d.interface, negate: false }],
        ifNotLocal: [{ kind: 'interface', dir: 'in', name: d.interface, negate: true }],
      }
    case 'InterfaceNamePrefix':
      return {
        ifLocal: [{ kind: 'interface', dir: 'in', name: `${d.prefix}+`, negate: false }],
        ifNotLocal: [{ kind: 'interface', dir: 'in', name: `${d.prefix}+`, negate: true }],
      }
  }
}
