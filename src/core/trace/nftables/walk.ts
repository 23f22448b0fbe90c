/**
 * @module trace/nftables/walk
 * Walks kube-proxy's nftables table with the kernel's semantics for the first packet of a new
 * connection: base chains run per hook in priority order; `jump` returns, `goto` does not;
 * verdict maps dispatch; `numgen random mod N` forks into N equally likely branches; `dnat` and
 * `masquerade` end their hook; the mark is tracked; dynamic affinity sets are empty for a first
 * connection (the trace says what happens later).
 */
import { parseIPSloppy, type ParsedIP } from '../../net/ip.ts'
import type { NftAddrValue, NftChain, NftStatement } from '../../proxy/nftables/ir.ts'
import { mul, rational, type Rational } from '../rational.ts'
import { addressIn, verdictStatements } from './kube-tracer.ts'
import type { NftIndex, NftRuleRef } from './ruleset-index.ts'

/** The packet on one branch. */
export interface NftPacket {
  readonly src: string
  readonly dst: string
  readonly dport: number
  readonly protocol: string
  readonly mark: number
  readonly dnat?: string
  readonly masquerade: boolean
  /** `jump mark-for-masquerade` ran on this branch. */
  readonly marked: boolean
  readonly prob: Rational
  readonly path: readonly NftRuleRef[]
}

/** How a chain walk ended: fell off / `return`, or a verdict. */
export type NftEnd = 'continue' | 'return' | 'accept' | 'drop' | 'reject' | 'dnat' | 'masquerade'

export interface NftBranch {
  readonly pkt: NftPacket
  readonly end: NftEnd
  readonly decidedBy?: NftRuleRef
}

export interface NftWalkContext {
  readonly idx: NftIndex
  readonly isLocal: (ip: ParsedIP) => boolean
  readonly notes: string[]
  /** Affinity timeout of a ClientIP set lookup passed over (first connection: the set is empty). */
  affinitySeconds?: number
}

const MAX_DEPTH = 64

function anonContains(ip: string, items: readonly string[]): boolean {
  return items.some((i) => addressIn(ip, i))
}

function addrMatches(ctx: NftWalkContext, ip: string, value: NftAddrValue, negate: boolean): boolean {
  switch (value.kind) {
    case 'set': {
      const set = ctx.idx.ruleset.sets.find((s) => s.name === value.name)
      if (set?.flags?.includes('dynamic')) {
        ctx.affinitySeconds = Math.max(ctx.affinitySeconds ?? 0, set.timeoutSeconds ?? 0)
        return negate
      }
      const members = ctx.idx.contents.get(value.name)
      if (members === undefined) return negate
      if (members.has(ip)) return !negate
      // Interval sets may hold CIDRs.
      for (const k of members.keys()) if (k.includes('/') && addressIn(ip, k)) return !negate
      return negate
    }
    case 'anon':
      return anonContains(ip, value.items) !== negate
    case 'literal':
      return addressIn(ip, value.text) !== negate
  }
}

function isLocalText(ctx: NftWalkContext, s: string): boolean {
  const ip = parseIPSloppy(s)
  return ip !== undefined && ctx.isLocal(ip)
}

/** Runs the statements of one rule from `start`; returns the branches. */
function runStatements(ctx: NftWalkContext, stmts: readonly NftStatement[], start: number, pkt: NftPacket, ref: NftRuleRef, depth: number): NftBranch[] | 'nomatch' {
  let p = pkt
  for (let i = start; i < stmts.length; i++) {
    const s = stmts[i] as NftStatement
    switch (s.kind) {
      case 'ctStateNew':
        break
      case 'addr':
        if (!addrMatches(ctx, s.dir === 'saddr' ? p.src : p.dst, s.value, s.negate)) return 'nomatch'
        break
      case 'fibLocal':
        if (!isLocalText(ctx, s.dir === 'saddr' ? p.src : p.dst)) return 'nomatch'
        break
      case 'iifname':
        ctx.notes.push(`${ref.chain} rule ${ref.index + 1}: iifname${s.negate ? ' !=' : ''} ${s.name} is not modelled (the trace has no interfaces); assumed to match`)
        break
      case 'dport':
        if (s.protocol !== p.protocol || s.port !== p.dport) return 'nomatch'
        break
      case 'markClear':
        if ((p.mark & s.value) >>> 0 !== 0) return 'nomatch'
        break
      case 'setMark':
        p = { ...p, mark: (s.op === 'or' ? p.mark | s.value : p.mark ^ s.value) >>> 0 }
        break
      case 'update':
        break
      case 'vmap': {
        const key = s.key === 'daddr.proto.port' ? `${p.dst} . ${p.protocol} . ${p.dport}` : `${p.protocol} . ${p.dport}`
        const value = ctx.idx.contents.get(s.map)?.get(key)
        if (value === undefined) return 'nomatch'
        return runStatements(ctx, verdictStatements(value), 0, p, ref, depth)
      }
      case 'numgen': {
        const n = s.chains.length
        const out: NftBranch[] = []
        for (const chain of s.chains) {
          const branch = { ...p, prob: mul(p.prob, rational(1n, BigInt(n))) }
          out.push(...callChain(ctx, chain, branch, ref, depth, 'goto'))
        }
        return out
      }
      case 'jump':
      case 'goto': {
        const pp = s.kind === 'jump' && s.chain === 'mark-for-masquerade' ? { ...p, marked: true } : p
        // A verdict ends the rule; after a jump, returning branches go on with the next rule.
        return callChain(ctx, s.chain, pp, ref, depth, s.kind)
      }
      case 'drop':
      case 'reject':
        return [{ pkt: p, end: s.kind, decidedBy: ref }]
      case 'return':
        return [{ pkt: p, end: 'return' }]
      case 'dnat': {
        const to = s.ip.includes(':') ? `[${s.ip}]:${s.port}` : `${s.ip}:${s.port}`
        return [{ pkt: { ...p, dst: s.ip, dport: s.port, dnat: to }, end: 'dnat', decidedBy: ref }]
      }
      case 'masquerade':
        return [{ pkt: { ...p, masquerade: true }, end: 'masquerade', decidedBy: ref }]
    }
  }
  return [{ pkt: p, end: 'continue' }]
}

/**
 * Calls a chain. `jump`: a branch that falls off the callee continues in the caller
 * (`continue`); `goto`: it returns from the caller too (`return`).
 */
function callChain(ctx: NftWalkContext, name: string, pkt: NftPacket, ref: NftRuleRef, depth: number, how: 'jump' | 'goto'): NftBranch[] {
  const chain = ctx.idx.chains.get(name)
  if (chain === undefined || depth >= MAX_DEPTH) {
    ctx.notes.push(`${ref.chain} rule ${ref.index + 1}: ${how} to ${name}, which ${chain === undefined ? 'the table does not hold' : 'nests too deep'}; not followed`)
    return [{ pkt, end: 'continue' }]
  }
  return walkRules(ctx, chain, 0, pkt, depth + 1).map((b) => (b.end === 'return' ? { ...b, end: how === 'jump' ? 'continue' : 'return' } : b))
}

/** Walks `chain` from rule `start`: every branch's ending (`return` = fell off or `return`). */
function walkRules(ctx: NftWalkContext, chain: NftChain, start: number, pkt: NftPacket, depth: number): NftBranch[] {
  for (let i = start; i < chain.rules.length; i++) {
    const rule = chain.rules[i]
    if (rule === undefined) continue
    const ref: NftRuleRef = { chain: chain.name, index: i }
    const r = runStatements(ctx, rule.statements, 0, { ...pkt, path: [...pkt.path, ref] }, ref, depth)
    if (r === 'nomatch') continue
    const out: NftBranch[] = []
    for (const b of r) {
      if (b.end === 'continue') out.push(...walkRules(ctx, chain, i + 1, b.pkt, depth))
      else out.push(b)
    }
    return out
  }
  return [{ pkt, end: 'return' }]
}

/** Walks one base chain (a hook's entry); falling off its end is its policy, accept. */
export function walkBaseChain(ctx: NftWalkContext, name: string, pkt: NftPacket): NftBranch[] {
  const chain = ctx.idx.chains.get(name)
  if (chain === undefined) return [{ pkt, end: 'accept' }]
  return walkRules(ctx, chain, 0, pkt, 0).map((b) => (b.end === 'return' || b.end === 'continue' ? { ...b, end: 'accept' } : b))
}
