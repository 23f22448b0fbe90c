/**
 * @module proxy/nftables/writer
 * Collects one sync's objects with knftables.Fake semantics: `add` of an existing chain or set is
 * a no-op (the first declaration wins), `add element` with an existing key replaces that element,
 * and rules append to their chain in order.
 */
import type { IPFamily } from '../../model/k8s.ts'
import type { NftChain, NftElement, NftFamily, NftHook, NftRule, NftRuleset, NftSet, NftStatement } from './ir.ts'

interface MutableChain {
  readonly name: string
  readonly hook?: NftHook
  readonly comment?: string
  readonly rules: NftRule[]
}

/** What a rule carries besides its statements (not printed, except the comment). */
export interface RuleExtra {
  readonly comment?: string
  readonly servicePortName?: string
}

const NO_EXTRA: RuleExtra = {}

/**
 * What the builders write to: {@link NftWriter} keeps the objects as IR (trace, diff, `nft list`),
 * text-writer.ts NftTextWriter prints rules as they are written (`-o nft`, no IR kept).
 */
export interface NftSink {
  /** ensureChain: declares a chain once (later declarations keep the first one's properties). */
  chain(name: string, opts?: { hook?: NftHook; comment?: string }): void
  /** `add rule`: appends to `chain` (declared first if needed). */
  rule(chain: string, statements: readonly NftStatement[], extra?: RuleExtra): void
  /** `add set` / `add map` (the first one of a name wins). */
  set(s: NftSet): void
  /** `add element`: a key already present in the container is replaced in place. */
  element(e: NftElement): void
  /**
   * The builder's hint that the chains declared so far get no more rules (the end of one service
   * port). It changes no object: a printing sink may print those chains' rules early.
   */
  endServicePort(): void
  /**
   * One endpoint's chain as writeServicePort writes it (ensureChain, then the hairpin
   * masquerade, the affinity update when `affinitySet` is given, and the DNAT): the same writes
   * as {@link writeEndpointChain} makes through `chain` and `rule`. A printing sink prints the
   * three lines without building their statements (one chain per endpoint: the most frequent
   * writes of a sync).
   */
  endpointChain(e: EndpointChainWrite): void
}

/** What {@link NftSink.endpointChain} writes (writeServiceToEndpointRules' per-endpoint chain). */
export interface EndpointChainWrite {
  readonly chain: string
  readonly ip: string
  readonly port: number
  readonly protocol: 'tcp' | 'udp' | 'sctp'
  /** The endpoint's affinity set when the port has session affinity. */
  readonly affinitySet: string | undefined
  readonly tag: RuleExtra
}

/** `jump mark-for-masquerade`, shared by every rule that ends with it. */
const JUMP_MARK_MASQ: NftStatement = { kind: 'jump', chain: 'mark-for-masquerade' }

/**
 * The endpoint chain through `chain` and `rule` (proxier.go, the `for _, ep := range
 * allLocallyReachableEndpoints` loop of syncProxyRules): what NftWriter keeps as IR.
 */
export function writeEndpointChain(w: Pick<NftSink, 'chain' | 'rule'>, e: EndpointChainWrite): void {
  w.chain(e.chain)
  w.rule(e.chain, [{ kind: 'addr', dir: 'saddr', negate: false, value: { kind: 'literal', text: e.ip } }, JUMP_MARK_MASQ], e.tag)
  if (e.affinitySet !== undefined) w.rule(e.chain, [{ kind: 'update', set: e.affinitySet }], e.tag)
  w.rule(e.chain, [{ kind: 'dnat', protocol: e.protocol, ip: e.ip, port: e.port }], e.tag)
}

export class NftWriter implements NftSink {
  private readonly chains = new Map<string, MutableChain>()
  private readonly sets = new Map<string, NftSet>()
  private readonly elements = new Map<string, NftElement>()

  /** ensureChain: declares a chain once (later declarations keep the first one's properties). */
  chain(name: string, opts: { hook?: NftHook; comment?: string } = {}): void {
    if (this.chains.has(name)) return
    this.chains.set(name, { name, rules: [], ...(opts.hook ? { hook: opts.hook } : {}), ...(opts.comment !== undefined ? { comment: opts.comment } : {}) })
  }

  /** `add rule`: appends to `chain` (declared first if needed). */
  rule(chain: string, statements: readonly NftStatement[], extra: RuleExtra = NO_EXTRA): void {
    let c = this.chains.get(chain)
    if (c === undefined) {
      c = { name: chain, rules: [] }
      this.chains.set(chain, c)
    }
    // `{ statements, ...extra }` written out: one rule per endpoint and policy, and a spread of
    // objects of two shapes took V8's generic copy each time.
    const r: { statements: readonly NftStatement[]; servicePortName?: string; comment?: string } = { statements }
    if ('servicePortName' in extra) r.servicePortName = extra.servicePortName as string
    if ('comment' in extra) r.comment = extra.comment as string
    c.rules.push(r)
  }

  /** `add set` / `add map`. */
  set(s: NftSet): void {
    if (!this.sets.has(s.name)) this.sets.set(s.name, s)
  }

  /** `add element`: a key already present in the container is replaced in place. */
  element(e: NftElement): void {
    this.elements.set(elementKey(e), e)
  }

  /** Nothing to do: the IR is read as a whole. */
  endServicePort(): void {}

  endpointChain(e: EndpointChainWrite): void {
    writeEndpointChain(this, e)
  }

  finish(ipFamily: IPFamily, node: string, table: string, tableComment: string): NftRuleset {
    const family: NftFamily = ipFamily === 'IPv6' ? 'ip6' : 'ip'
    return {
      backend: 'nftables',
      ipFamily,
      node,
      family,
      table,
      tableComment,
      chains: [...this.chains.values()] as NftChain[],
      sets: [...this.sets.values()],
      elements: [...this.elements.values()],
    }
  }
}

/** The identity of an element in its set or map (Fake: same container and key). */
export function elementKey(e: NftElement): string {
  return `${e.container}\u0000${e.key.join(' . ')}`
}
