/**
 * @module proxy/iptables/ir
 * Rules as data (knftables' lesson): the builder produces these, printers turn them into the
 * restore form kube-proxy writes, the form `iptables-save` prints back, and the `iptables -L`
 * listing; the tracer walks them directly. A rule's `matches` keep the order kube-proxy writes
 * its arguments in, because the restore form is compared byte-for-byte and iptables-save keeps
 * the relative order of `-m` matches.
 */
import type { IPFamily } from '../../model/k8s.ts'

export type TableName = 'filter' | 'nat' | 'mangle'

/** One match, in kube-proxy's argument order. */
export type Match =
  /** `-m comment --comment TEXT` (quoted when TEXT has a space or is empty). */
  | { readonly kind: 'comment'; readonly text: string }
  /** `-m P -p P` (kube-proxy always writes both). */
  | { readonly kind: 'protocol'; readonly protocol: 'tcp' | 'udp' | 'sctp'; readonly module: boolean }
  /** `-s X` / `! -s X` / `-d X` / `! -d X`: an IP or CIDR exactly as written. */
  | { readonly kind: 'address'; readonly dir: 'src' | 'dst'; readonly value: string; readonly negate: boolean }
  /** `--dport N` (part of the preceding protocol module). */
  | { readonly kind: 'dport'; readonly port: number; readonly negate: boolean }
  /** `-m addrtype --src-type LOCAL` / `--dst-type LOCAL`. */
  | { readonly kind: 'addrtype'; readonly dir: 'src' | 'dst'; readonly type: string; readonly negate: boolean }
  /** `-m conntrack --ctstate A,B` / `-m conntrack ! --ctstate A,B`. */
  | { readonly kind: 'conntrack'; readonly states: readonly string[]; readonly negate: boolean }
  /** `-m mark --mark V/M` / `-m mark ! --mark V/M`. */
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly negate: boolean }
  /** `-m statistic --mode random --probability P`; `probability` is the text kube-proxy wrote. */
  | { readonly kind: 'statistic'; readonly probability: string }
  /** `-m recent --name N --set` or `-m recent --name N --rcheck --seconds T --reap`. */
  | { readonly kind: 'recent'; readonly name: string; readonly op: 'set' | 'rcheck'; readonly seconds?: number; readonly reap?: boolean }
  /** `-m nfacct --nfacct-name NAME`. */
  | { readonly kind: 'nfacct'; readonly name: string }
  /** `-i IF` / `! -i IF` (IF may end in `+`). */
  | { readonly kind: 'interface'; readonly dir: 'in' | 'out'; readonly name: string; readonly negate: boolean }
  /** Anything the parser did not understand, kept verbatim (tokens joined by spaces). */
  | { readonly kind: 'raw'; readonly text: string }

export type Target =
  | { readonly kind: 'jump'; readonly chain: string }
  | { readonly kind: 'verdict'; readonly verdict: 'ACCEPT' | 'DROP' | 'REJECT' | 'RETURN' }
  | { readonly kind: 'dnat'; readonly to: string }
  | { readonly kind: 'mark'; readonly op: 'or' | 'xor'; readonly value: number }
  | { readonly kind: 'masquerade'; readonly randomFully: boolean }
  | { readonly kind: 'raw'; readonly text: string }

export interface Rule {
  readonly matches: readonly Match[]
  /** Absent for the comment-only last rule of a KUBE-FW chain. */
  readonly target?: Target
  /** The `ns/name:port` this rule belongs to, when any (reports, diffs). Not printed. */
  readonly servicePortName?: string
}

export interface Chain {
  readonly name: string
  readonly rules: readonly Rule[]
}

/** Points at one rule of a table: `chains[name].rules[index]`. */
export interface RuleRef {
  readonly chain: string
  readonly index: number
}

export interface Table {
  readonly name: TableName
  /** Chains in declaration order (as kube-proxy writes them in the payload). */
  readonly chains: readonly Chain[]
  /**
   * The order kube-proxy writes the rules in the payload (they interleave across chains, e.g.
   * a service's KUBE-SERVICES rule, then its KUBE-SVC rules, then the next service's). Absent:
   * chain by chain in declaration order. Every rule appears exactly once when present.
   */
  readonly writeOrder?: readonly RuleRef[]
  /**
   * Chains the payload deletes (`-X CHAIN`), each also declared in `chains` (empty: the
   * declaration flushes it first). `at` is the index in `writeOrder` the `-X` line is printed
   * before (`writeOrder.length`: after every rule). Only a sync from a known node state has any.
   */
  readonly deletions?: readonly ChainDeletion[]
}

/** One `-X CHAIN` line of a payload and where it is written among the rules. */
export interface ChainDeletion {
  readonly chain: string
  readonly at: number
}

/** A full-sync payload for one node and one family: the `iptables-restore` input. */
export interface Ruleset {
  readonly backend: 'iptables'
  readonly family: IPFamily
  readonly node: string
  readonly tables: readonly Table[]
}

/** A rule hooked from a built-in chain (proxier.go `iptablesJumpChains`); installed outside the restore payload. */
export interface JumpRule {
  readonly table: TableName
  readonly from: string
  readonly to: string
  readonly extraArgs: readonly Match[]
  readonly comment: string
}
