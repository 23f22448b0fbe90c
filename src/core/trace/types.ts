/**
 * @module trace/types
 * Data the tracer produces: which rules a packet matched, every possible outcome with its
 * probability, and the summary in kube-proxy's own test-tracer vocabulary (`output`, `masq`).
 */
import type { TableName } from '../proxy/iptables/ir.ts'

/** A packet to trace. `protocol` is `tcp`/`udp`/`sctp` in any case; `''` means tcp (upstream runner). */
export interface Flow {
  readonly sourceIP: string
  readonly destIP: string
  readonly destPort: number
  readonly protocol: string
}

/** A rule in a ruleset: table, chain, 0-based position in that chain. */
export interface RuleRef {
  readonly table: TableName
  readonly chain: string
  readonly index: number
}

/**
 * The table a traced rule is in: an iptables table (`nat`, `filter`), or kube-proxy's nftables
 * table with its family (`ip kube-proxy`, `ip6 kube-proxy`).
 */
export type TraceTable = TableName | `${'ip' | 'ip6'} ${string}`

/**
 * A rule on a trace path, decorated for people: its text and where it is in the rendered text.
 * The same shape for both backends.
 */
export interface PathStep {
  readonly table: TraceTable
  readonly chain: string
  /** 0-based position of the rule in its chain. */
  readonly index: number
  /**
   * iptables: `-A CHAIN args…`, as iptables-restore input spells it; nftables: `add rule ip
   * kube-proxy CHAIN …`, as the `nft -f` transaction spells it.
   */
  readonly text: string
  /**
   * 1-based line of this rule in the `-o iptables-restore` / `-o nft` text of the ruleset (or in
   * the `--rules` file). Absent for the built-in-chain jump rules, which that payload never holds.
   */
  readonly line?: number
}

/** What finally happened to the packet on one branch. */
export type Verdict = 'DNAT' | 'ACCEPT' | 'DROP' | 'REJECT' | 'none'

/** One possible fate of the packet. Over a trace the probabilities sum to 1. */
export interface TraceOutcome {
  readonly probability: number
  /** The same probability as an exact fraction, e.g. `1/3`. */
  readonly fraction: string
  /**
   * `DNAT`: rewritten to `dnat` and delivered; `ACCEPT`/`DROP`/`REJECT`: a rule decided it;
   * `none`: no kube-proxy rule decided anything (the packet goes on unchanged).
   */
  readonly verdict: Verdict
  /** `--to-destination` of the DNAT rule on this branch, when any (also for a later DROP). */
  readonly dnat?: string
  /** The rule that gave the terminal verdict (DROP/REJECT/ACCEPT), when any. */
  readonly decidedBy?: PathStep
  /** The packet leaves with its source rewritten (nat POSTROUTING MASQUERADE was reached). */
  readonly masquerade: boolean
  /** The masquerade mark (KUBE-MARK-MASQ) was set on this branch. */
  readonly marked: boolean
  /** The DNAT destination is the sender itself: a pod calling its own service (always masqueraded). */
  readonly hairpin: boolean
  /** The netfilter hooks this branch went through, e.g. `nat PREROUTING`, `filter FORWARD`. */
  readonly hooks: readonly string[]
  /** Every rule that matched on this branch, in order, across all hooks walked. */
  readonly path: readonly PathStep[]
}

/** ClientIP session affinity seen on the way (`-m recent`). */
export interface AffinityNote {
  readonly timeoutSeconds: number
  readonly note: string
}

/** A user's probe before resolution: `from` may be `pod:NS/NAME`, `node:NAME` or an IP. */
export interface ProbeSpec {
  readonly name?: string
  readonly from: string
  /** `IP:PORT` or `[IPv6]:PORT`. */
  readonly to: string
  readonly protocol?: string
}

/** A resolved probe. */
export interface Probe {
  readonly name: string
  readonly from: string
  readonly to: string
  readonly sourceIP: string
  readonly destIP: string
  readonly destPort: number
  /** Lower-case protocol. */
  readonly protocol: 'tcp' | 'udp' | 'sctp'
  /** The node whose ruleset was walked. */
  readonly node: string
  /** The source is one of that node's own addresses: the kernel takes the OUTPUT path. */
  readonly local: boolean
}

/**
 * What a diagram reads of a trace (diagram/build.ts): the walked outcomes, without kube-proxy's
 * test-tracer view and the notes comparing the two ({@link Trace} is one too).
 */
export type TraceOutcomes = Pick<Trace, 'probe' | 'outcomes' | 'affinity' | 'limitReached'>

/** The full answer for one probe. */
export interface Trace {
  readonly probe: Probe
  /**
   * kube-proxy's test-tracer summary (proxier_test.go `tracePacket`): DNAT destinations in rule order joined with
   * `", "`, or the terminal verdicts, or `""`.
   */
  readonly output: string
  /** kube-proxy's test-tracer `masq`: some matched rule jumped to KUBE-MARK-MASQ. */
  readonly masquerade: boolean
  /** Every possible fate on the real kernel path, in rule order; Σ probability = 1. */
  readonly outcomes: readonly TraceOutcome[]
  /** The rules the upstream tracer matched, in order. */
  readonly upstreamPath: readonly PathStep[]
  /** The hooks walked on the real path, e.g. `nat PREROUTING`, `filter FORWARD`. */
  readonly hooks: readonly string[]
  readonly affinity?: AffinityNote
  /** Where the real path differs from the upstream tracer's view, and other facts worth telling. */
  readonly notes: readonly string[]
  /**
   * Set when the trace would have more distinct outcomes than the `maxTracePaths` work limit: the
   * rule whose fork broke it. The walk stopped there, so the outcomes are incomplete; `traceProbes`
   * turns such a trace into a `limit/trace-paths` issue instead of returning it.
   */
  readonly limitReached?: PathStep
}
