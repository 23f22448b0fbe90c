/**
 * @module trace/nftables/kube-tracer
 * kube-proxy's own nftables unit-test packet tracer, reproduced over the IR (mirrors
 * pkg/proxy/nftables helpers_test.go `nftablesTracer` / `tracePacket` / `runChain`). Its answer
 * is the `output`/`masq` summary the conformance flows assert, so its view is kept on purpose:
 * node-originated traffic enters through prerouting like any other packet, only the prerouting
 * filter chain, `nat-prerouting`, `filter-forward` and `filter-input` are walked, `ct state new`
 * always holds, every `numgen` branch is followed, and a positive anonymous set needs every
 * member to contain the address.
 */
import { cidrContains, parseCIDRSloppy, parseIPSloppy } from '../../net/ip.ts'
import type { NftAddrValue, NftStatement } from '../../proxy/nftables/ir.ts'
import { normaliseProtocol } from '../kube-tracer.ts'
import type { Flow } from '../types.ts'
import type { NftIndex, NftRuleRef } from './ruleset-index.ts'

/** The upstream tracer's answer. */
export interface NftUpstreamResult {
  /** `outputs.join(", ")`: DNAT destinations, or DROP/REJECT, or `""`. */
  readonly output: string
  /** Some matched rule did `jump mark-for-masquerade`. */
  readonly masq: boolean
  /** Every matched rule, in match order. */
  readonly matched: readonly NftRuleRef[]
}

interface State {
  readonly idx: NftIndex
  readonly nodeIPs: ReadonlySet<string>
  readonly sourceIP: string
  readonly protocol: string
  destIP: string
  readonly destPort: string
  readonly outputs: string[]
  readonly matched: NftRuleRef[]
  masq: boolean
}

/** IP or CIDR containment (net.IP.Equal / IPNet.Contains). */
export function addressIn(ipText: string, value: string): boolean {
  const ip = parseIPSloppy(ipText)
  if (ip === undefined) return false
  if (value.includes('/')) {
    const c = parseCIDRSloppy(value)
    return c !== undefined && cidrContains(c, ip)
  }
  const o = parseIPSloppy(value)
  return o !== undefined && o.family === ip.family && o.value === ip.value
}

/** Upstream's address fragments: named set by string equality, anonymous set (quirk), literal. */
function addrMatches(st: State, ip: string, value: NftAddrValue, negate: boolean): boolean {
  switch (value.kind) {
    case 'set':
      // Only `daddr @set` is a recognised fragment; the affinity sets (`saddr @…`) start empty.
      return (st.idx.contents.get(value.name)?.has(ip) ?? false) !== negate
    case 'anon':
      return negate ? !value.items.some((i) => addressIn(ip, i)) : value.items.every((i) => addressIn(ip, i))
    case 'literal':
      return addressIn(ip, value.text) !== negate
  }
}

/** The verdict text of a vmap element as statements (`goto X`, `drop`). */
export function verdictStatements(value: string): NftStatement[] {
  const [word, chain] = value.split(' ')
  if ((word === 'goto' || word === 'jump') && chain !== undefined) return [{ kind: word, chain }]
  if (word === 'drop' || word === 'reject' || word === 'return') return [{ kind: word }]
  return []
}

/** Runs statements; true when the packet was terminated. `'nomatch'` ends the rule. */
function runStatements(st: State, stmts: readonly NftStatement[], depth: number): boolean | 'nomatch' | 'return' {
  for (const s of stmts) {
    switch (s.kind) {
      case 'ctStateNew':
      case 'update':
      case 'setMark':
        break
      case 'addr':
        if (!addrMatches(st, s.dir === 'saddr' ? st.sourceIP : st.destIP, s.value, s.negate)) return 'nomatch'
        break
      case 'fibLocal':
        if (!st.nodeIPs.has(s.dir === 'saddr' ? st.sourceIP : st.destIP)) return 'nomatch'
        break
      case 'iifname':
        // The tracer has no interfaces: an interface match never holds.
        if (!s.negate) return 'nomatch'
        break
      case 'dport':
        if (s.protocol !== st.protocol || String(s.port) !== st.destPort) return 'nomatch'
        break
      case 'markClear':
        return 'nomatch'
      case 'vmap': {
        const key = s.key === 'daddr.proto.port' ? `${st.destIP} . ${st.protocol} . ${st.destPort}` : `${st.protocol} . ${st.destPort}`
        const value = st.idx.contents.get(s.map)?.get(key)
        if (value === undefined) return 'nomatch'
        return runStatements(st, verdictStatements(value), depth)
      }
      case 'jump':
      case 'goto': {
        if (s.kind === 'jump' && s.chain === 'mark-for-masquerade') {
          st.masq = true
          break
        }
        if (runChain(st, s.chain, depth + 1)) return true
        if (s.kind === 'goto') return 'return'
        break
      }
      case 'drop':
      case 'reject':
        st.outputs.push(s.kind.toUpperCase())
        return true
      case 'return':
        return 'return'
      case 'dnat':
        st.outputs.push(s.ip.includes(':') ? `[${s.ip}]:${s.port}` : `${s.ip}:${s.port}`)
        return true
      case 'numgen':
        for (const chain of s.chains) runChain(st, chain, depth + 1)
        return true
      case 'masquerade':
        return true
    }
  }
  return false
}

/** runChain: true when the chain ended on a terminal statement. */
function runChain(st: State, name: string, depth: number): boolean {
  // A chain loop cannot load (nft refuses it); stop rather than recurse forever.
  if (depth > 64) return false
  const chain = st.idx.chains.get(name)
  if (chain === undefined) return false
  for (const [index, rule] of chain.rules.entries()) {
    const before = st.matched.length
    st.matched.push({ chain: name, index })
    const r = runStatements(st, rule.statements, depth)
    if (r === 'nomatch') {
      // Only rules that matched are kept (the nested ones a vmap hit ran stay).
      if (st.matched.length === before + 1) st.matched.pop()
      continue
    }
    if (r === true) return true
    if (r === 'return') return false
  }
  return false
}

/**
 * Traces one flow exactly as kube-proxy's nftables unit tests do.
 *
 * @param nodeIPs the node's addresses for `fib … type local` (no loopback added, as upstream)
 * @example
 * traceNftLikeUpstream(idx, { sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, protocol: 'tcp' }, ['192.168.0.2'])
 */
export function traceNftLikeUpstream(idx: NftIndex, flow: Flow, nodeIPs: readonly string[]): NftUpstreamResult {
  const st: State = {
    idx,
    nodeIPs: new Set(nodeIPs),
    sourceIP: flow.sourceIP,
    protocol: normaliseProtocol(flow.protocol),
    destIP: flow.destIP,
    destPort: String(flow.destPort),
    outputs: [],
    matched: [],
    masq: false,
  }
  const done = (): NftUpstreamResult => ({ output: st.outputs.join(', '), masq: st.masq, matched: st.matched })
  // The prerouting filter chain of the layout the ruleset uses.
  const pre = idx.chains.has('filter-prerouting-pre-dnat') ? 'filter-prerouting-pre-dnat' : 'filter-prerouting'
  if (runChain(st, pre, 0)) return done()
  runChain(st, 'nat-prerouting', 0)
  const first = st.outputs[0]
  if (first !== undefined) {
    // net.SplitHostPort: `[v6]:port` and `v4:port`.
    const v6 = /^\[([^\]]+)\]:\d+$/.exec(first)
    st.destIP = v6 !== null ? (v6[1] ?? '') : (first.split(':')[0] ?? '')
  }
  if (runChain(st, 'filter-forward', 0)) return done()
  runChain(st, 'filter-input', 0)
  return done()
}
