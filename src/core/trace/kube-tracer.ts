/**
 * @module trace/kube-tracer
 * kube-proxy's own unit-test packet tracer, reproduced exactly over the rule IR (mirrors pkg/proxy/iptables/proxier_test.go `iptablesTracer` / `tracePacket`). Its answer is the
 * `output`/`masq` summary the conformance flows assert, so its quirks are kept on purpose:
 * node-originated traffic also enters through nat PREROUTING, the DNAT "rewrite" keeps the text
 * before the first `:` (bogus for `[v6]:port`), conntrack/mark/recent checks never match, and the
 * four filter chains are walked directly rather than from INPUT/FORWARD/OUTPUT.
 */
import type { Rule, Table, TableName } from '../proxy/iptables/ir.ts'
import { cidrContains, parseCIDRSloppy, parseIPSloppy } from '../net/ip.ts'
import type { Flow, RuleRef } from './types.ts'

/** The upstream tracer's answer. */
export interface UpstreamTraceResult {
  /** `outputs.join(", ")`: DNAT destinations in rule order, or ACCEPT/DROP/REJECT, or `""`. */
  readonly output: string
  /** Some matched rule jumped to KUBE-MARK-MASQ. */
  readonly masq: boolean
  /** Every matched rule with a target, in match order (upstream `tracer.matches`). */
  readonly matched: readonly RuleRef[]
}

/** The filter chains upstream walks after nat PREROUTING, in this order, each to completion. */
export const FILTER_CHAINS = ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL'] as const

/** Upstream's `addrTypeNotMatched`: what a non-LOCAL address is compared as. */
const NOT_LOCAL = 'not-matched'

/** Lower-cases the protocol and applies the runner's default (`""` → `tcp`). */
export function normaliseProtocol(protocol: string): string {
  const p = protocol.toLowerCase()
  return p === '' ? 'tcp' : p
}

/**
 * mirrors iptablesTracer.addressMatches: CIDR containment when the rule value has a `/`, else
 * net.IP.Equal; `!` inverts. An unparsable packet address (the IPv6 DNAT quirk gives `"[fd00"`) is
 * Go's nil IP: it is contained in nothing and equal to nothing, so only a negated test matches.
 */
function addressMatches(ipText: string, value: string, negate: boolean): boolean {
  const ip = parseIPSloppy(ipText)
  let match = false
  if (ip !== undefined) {
    if (value.includes('/')) {
      const cidr = parseCIDRSloppy(value)
      match = cidr !== undefined && cidrContains(cidr, ip)
    } else {
      const other = parseIPSloppy(value)
      match = other !== undefined && other.family === ip.family && other.value === ip.value
    }
  }
  return negate ? !match : match
}

interface TracerState {
  readonly tables: ReadonlyMap<TableName, Table>
  readonly localIPs: ReadonlySet<string>
  readonly sourceIP: string
  readonly protocol: string
  destIP: string
  readonly destPort: string
  readonly outputs: string[]
  readonly matched: RuleRef[]
  masq: boolean
}

/** mirrors iptablesTracer.ruleMatches: every present condition must hold. */
function ruleMatches(st: TracerState, rule: Rule): boolean {
  for (const m of rule.matches) {
    switch (m.kind) {
      case 'address': {
        const ip = m.dir === 'src' ? st.sourceIP : st.destIP
        if (!addressMatches(ip, m.value, m.negate)) return false
        break
      }
      case 'addrtype': {
        const ip = m.dir === 'src' ? st.sourceIP : st.destIP
        const type = st.localIPs.has(ip) ? 'LOCAL' : NOT_LOCAL
        if ((type === m.type) === m.negate) return false
        break
      }
      case 'protocol':
        if (m.protocol !== st.protocol) return false
        break
      case 'dport':
        // Upstream compares the port as a string; a number compare is the same for decimal text.
        if ((String(m.port) === st.destPort) === m.negate) return false
        break
      case 'recent':
        // `--rcheck` needs history the tracer does not have; `--set` is ignored.
        if (m.op === 'rcheck') return false
        break
      case 'mark':
      case 'conntrack':
        return false
      default:
        // comment, statistic, nfacct, interface (-i), raw: assumed to match, as upstream does.
        break
    }
  }
  return true
}

function hasProbability(rule: Rule): boolean {
  return rule.matches.some((m) => m.kind === 'statistic')
}

/** mirrors iptablesTracer.runChain; returns true when the chain ended on a terminal rule. */
function runChain(st: TracerState, tableName: TableName, chainName: string, depth: number): boolean {
  // A jump cycle cannot come from kube-proxy; a user-supplied ruleset could hold one. The kernel
  // rejects loops at load time (ELOOP), so stopping here loses nothing real.
  if (depth > 64) return false
  const chain = st.tables.get(tableName)?.chains.find((c) => c.name === chainName)
  if (chain === undefined) return false
  for (const [index, rule] of chain.rules.entries()) {
    const target = rule.target
    if (target === undefined) continue
    if (!ruleMatches(st, rule)) continue
    st.matched.push({ table: tableName, chain: chainName, index })
    switch (target.kind) {
      case 'verdict':
        if (target.verdict === 'RETURN') break // upstream looks up a chain named RETURN: missing → go on
        st.outputs.push(target.verdict)
        return true
      case 'dnat':
        st.outputs.push(target.to)
        return true
      case 'jump': {
        if (target.chain === 'KUBE-MARK-MASQ') {
          st.masq = true
          break
        }
        const terminated = runChain(st, tableName, target.chain, depth + 1)
        if (terminated && !hasProbability(rule)) return true
        break
      }
      default:
        // MARK, MASQUERADE and unknown targets name no chain: upstream's lookup fails → go on.
        break
    }
  }
  return false
}

/**
 * Traces one flow exactly as kube-proxy's unit tests do (proxier_test.go `tracePacket`).
 *
 * @param tables The ruleset including the built-in chains holding the jump rules (at least nat
 *   PREROUTING → KUBE-SERVICES); see {@link withJumpRules}.
 * @param flow The packet; `protocol` `""` means tcp.
 * @param localIPs The node's addresses; `127.0.0.1` and `::1` are added, as upstream does. They
 *   are compared as strings, not parsed, like upstream's `sets.Set[string]`.
 * @example
 *   traceLikeUpstream(tables, { sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, protocol: '' }, ['192.168.0.2'])
 *   // → { output: '10.180.0.1:80', masq: false, matched: [...] }
 */
export function traceLikeUpstream(
  tables: readonly Table[],
  flow: Flow,
  localIPs: readonly string[],
): UpstreamTraceResult {
  const st: TracerState = {
    tables: new Map(tables.map((t) => [t.name, t])),
    localIPs: new Set(['127.0.0.1', '::1', ...localIPs]),
    sourceIP: flow.sourceIP,
    protocol: normaliseProtocol(flow.protocol),
    destIP: flow.destIP,
    destPort: String(flow.destPort),
    outputs: [],
    matched: [],
    masq: false,
  }
  runChain(st, 'nat', 'PREROUTING', 0)
  const first = st.outputs[0]
  // Upstream: destIP = strings.Split(outputs[0], ":")[0] (models DNAT; wrong for IPv6 on purpose).
  if (first !== undefined) st.destIP = first.split(':')[0] ?? ''
  for (const chain of FILTER_CHAINS) runChain(st, 'filter', chain, 0)
  return { output: st.outputs.join(', '), masq: st.masq, matched: st.matched }
}
