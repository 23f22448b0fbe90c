/**
 * @module proxy/nftables/ir
 * kube-proxy's nftables ruleset as data, in knftables' shape (sigs.k8s.io/knftables objects.go):
 * one table, chains (base chains with type/hook/priority), sets, maps and their elements. Rules
 * are lists of structured statements rather than strings, so one printer produces the `nft -f`
 * transaction (`Fake.Dump` form), another the `nft list table` listing, and the tracer evaluates
 * the very same statements.
 */
import type { IPFamily } from '../../model/k8s.ts'

/** `ip` for IPv4, `ip6` for IPv6 (knftables.IPv4Family / IPv6Family). */
export type NftFamily = 'ip' | 'ip6'

/** The value an address is compared with. */
export type NftAddrValue =
  /** An IP or CIDR literal, exactly as kube-proxy writes it. */
  | { readonly kind: 'literal'; readonly text: string }
  /** `@name`: a named set. */
  | { readonly kind: 'set'; readonly name: string }
  /** `{ a<sep>b }`: an anonymous set; `sep` is how kube-proxy joined the items. */
  | { readonly kind: 'anon'; readonly items: readonly string[]; readonly sep: ',' | ' , ' }

/** The key of a verdict-map lookup. */
export type NftLookupKey = 'daddr.proto.port' | 'proto.port'

/** One statement (expression or action) of a rule, in the order kube-proxy writes them. */
export type NftStatement =
  /** `ct state new`. */
  | { readonly kind: 'ctStateNew' }
  /** `ip saddr X` / `ip daddr != X` (`ip6` for IPv6). */
  | { readonly kind: 'addr'; readonly dir: 'saddr' | 'daddr'; readonly negate: boolean; readonly value: NftAddrValue }
  /** `fib saddr type local` / `fib daddr type local`. */
  | { readonly kind: 'fibLocal'; readonly dir: 'saddr' | 'daddr' }
  /** `iifname X` / `iifname != X` (X may end in `*`). */
  | { readonly kind: 'iifname'; readonly negate: boolean; readonly name: string }
  /** `tcp dport N` (the masquerade-rule form before PR #131492). */
  | { readonly kind: 'dport'; readonly protocol: 'tcp' | 'udp' | 'sctp'; readonly port: number }
  /** `ip daddr . meta l4proto . th dport vmap @MAP` / `meta l4proto . th dport vmap @MAP`. */
  | { readonly kind: 'vmap'; readonly key: NftLookupKey; readonly map: string }
  /** `numgen random mod N vmap { 0 : goto A , 1 : goto B }`. */
  | { readonly kind: 'numgen'; readonly chains: readonly string[] }
  /** `mark set mark or V` / `mark set mark xor V`. */
  | { readonly kind: 'setMark'; readonly op: 'or' | 'xor'; readonly value: number }
  /** `mark and V == 0`. */
  | { readonly kind: 'markClear'; readonly value: number }
  /** `update @SET { ip saddr }`. */
  | { readonly kind: 'update'; readonly set: string }
  /** `meta l4proto P dnat to IP:PORT`. */
  | { readonly kind: 'dnat'; readonly protocol: 'tcp' | 'udp' | 'sctp'; readonly ip: string; readonly port: number }
  /** `masquerade fully-random`. */
  | { readonly kind: 'masquerade' }
  /** `jump C` / `goto C`. */
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  /** `drop` / `reject` / `return`. */
  | { readonly kind: 'drop' | 'reject' | 'return' }

export interface NftRule {
  readonly statements: readonly NftStatement[]
  readonly comment?: string
  /** The `ns/name:port` this rule belongs to, when any (reports, diffs). Not printed. */
  readonly servicePortName?: string
}

/** A base chain's hook (knftables BaseChainType / BaseChainHook / priority). */
export interface NftHook {
  readonly type: 'filter' | 'nat'
  readonly hook: 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting'
  /** Numeric priority, as knftables prints it after ParsePriority. */
  readonly priority: number
}

export interface NftChain {
  readonly name: string
  readonly hook?: NftHook
  readonly comment?: string
  readonly rules: readonly NftRule[]
}

/** A set or a verdict map. */
export interface NftSet {
  readonly kind: 'set' | 'map'
  readonly name: string
  /** The `type` words, e.g. `['ipv4_addr', 'inet_proto', 'inet_service']` (joined with ` . `). */
  readonly keyType: readonly string[]
  /** Maps only: `verdict`. */
  readonly valueType?: 'verdict'
  readonly flags?: readonly string[]
  readonly timeoutSeconds?: number
  readonly comment?: string
}

/** A set or map element (`add element`); `value` is the verdict text for maps. */
export interface NftElement {
  readonly container: string
  readonly key: readonly string[]
  readonly comment?: string
  readonly value?: string
  /** The `ns/name:port` this element belongs to, when any (reports, diffs). Not printed. */
  readonly servicePortName?: string
}

/** The full-sync transaction kube-proxy sends for one node and one family. */
export interface NftRuleset {
  readonly backend: 'nftables'
  readonly ipFamily: IPFamily
  readonly node: string
  readonly family: NftFamily
  readonly table: string
  readonly tableComment: string
  /** Chains in the order they were first added (static ones first, then per service port). */
  readonly chains: readonly NftChain[]
  /** Sets and maps in the order they were added. */
  readonly sets: readonly NftSet[]
  /** Elements in insertion order; a key appears once per container (Fake: add replaces). */
  readonly elements: readonly NftElement[]
}
