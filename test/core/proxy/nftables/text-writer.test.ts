/**
 * NftTextWriter (the `-o nft` printer that seals chains at the builder's endServicePort hints)
 * against NftWriter + printNftTransaction (the IR printed) over random write sequences: rules to
 * any chain, new or old, sealed or open, hints anywhere (also too early, so rules arrive for
 * sealed chains and must be spliced in at their chain's place), chains declared by a rule,
 * redeclared chains, sets and replaced elements, endpoint chains (NftSink.endpointChain, which the
 * text writer prints without statement objects). Every sequence must print the same bytes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NftElement, NftSet, NftStatement } from '../../../../src/core/proxy/nftables/ir.ts'
import { printNftTransaction } from '../../../../src/core/proxy/nftables/print-transaction.ts'
import { NftTextWriter } from '../../../../src/core/proxy/nftables/text-writer.ts'
import { NftWriter, type NftSink } from '../../../../src/core/proxy/nftables/writer.ts'

type Op =
  | { readonly op: 'chain'; readonly name: string; readonly comment: boolean }
  | { readonly op: 'rule'; readonly chain: string; readonly target: string; readonly comment?: string }
  | { readonly op: 'end' }
  | { readonly op: 'set'; readonly name: string; readonly map: boolean }
  | { readonly op: 'element'; readonly container: string; readonly key: string; readonly value: string }
  | { readonly op: 'endpoint'; readonly chain: string; readonly ip: string; readonly port: number; readonly protocol: 'tcp' | 'udp' | 'sctp'; readonly affinitySet: string | undefined }

const chainName = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'service-X', 'endpoint-Y')
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('chain' as const), name: chainName, comment: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('rule' as const), chain: chainName, target: chainName, comment: fc.option(fc.constantFrom('x', 'a "quoted" one'), { nil: undefined }) }, { requiredKeys: ['op', 'chain', 'target'] }) },
  { weight: 2, arbitrary: fc.constant({ op: 'end' as const }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('set' as const), name: fc.constantFrom('s1', 's2', 'm1'), map: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('element' as const), container: fc.constantFrom('s1', 's2', 'm1'), key: fc.constantFrom('10.0.0.1', '10.0.0.2'), value: fc.constantFrom('drop', 'goto a') }) },
  // NftSink.endpointChain: printed straight by the text writer, through chain + rule statements
  // by NftWriter; to new chains, existing ones (open or sealed), IPv4 and IPv6, with and without affinity.
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('endpoint' as const),
      chain: chainName,
      ip: fc.oneof(fc.ipV4(), fc.ipV6(), fc.constantFrom('10.0.0.1', 'fd00::1', '::ffff:1.2.3.4')),
      port: fc.integer({ min: 1, max: 65535 }),
      protocol: fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const),
      affinitySet: fc.option(fc.constantFrom('affinity-A', 'affinity-B'), { nil: undefined }),
    }),
  },
)

function replay(w: NftSink, ops: readonly Op[]): void {
  for (const o of ops) {
    switch (o.op) {
      case 'chain':
        w.chain(o.name, o.comment ? { comment: `chain ${o.name}` } : {})
        break
      case 'rule': {
        const st: NftStatement[] = [{ kind: 'ctStateNew' }, { kind: 'jump', chain: o.target }]
        w.rule(o.chain, st, o.comment === undefined ? {} : { comment: o.comment })
        break
      }
      case 'end':
        w.endServicePort()
        break
      case 'endpoint':
        w.endpointChain({ chain: o.chain, ip: o.ip, port: o.port, protocol: o.protocol, affinitySet: o.affinitySet, tag: { servicePortName: 'ns/svc:p' } })
        break
      case 'set': {
        const s: NftSet = o.map ? { kind: 'map', name: o.name, keyType: ['ipv4_addr'], valueType: 'verdict' } : { kind: 'set', name: o.name, keyType: ['ipv4_addr'] }
        w.set(s)
        break
      }
      case 'element': {
        const e: NftElement = { container: o.container, key: [o.key], value: o.value }
        w.element(e)
        break
      }
    }
  }
}

function both(ops: readonly Op[], minLinesToSeal: number, family: 'ip' | 'ip6' = 'ip'): { text: string; ir: string } {
  const ir = new NftWriter()
  replay(ir, ops)
  const text = new NftTextWriter(family, 'kube-proxy', minLinesToSeal)
  replay(text, ops)
  return { text: text.finish('rules for kube-proxy'), ir: printNftTransaction(ir.finish(family === 'ip6' ? 'IPv6' : 'IPv4', 'n', 'kube-proxy', 'rules for kube-proxy')) }
}

describe('NftTextWriter sealing', () => {
  it('prints what the IR printer prints, whatever the hints', () => {
    fc.assert(
      fc.property(fc.array(arbOp, { maxLength: 60 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom('ip' as const, 'ip6' as const), (ops, min, family) => {
        const { text, ir } = both(ops, min, family)
        expect(text).toBe(ir)
      }),
      { numRuns: 2000, seed: 16 },
    )
  })

  it('splices a rule written to a sealed chain in at that chain', () => {
    const ops: Op[] = [
      { op: 'rule', chain: 'a', target: 'x' },
      { op: 'rule', chain: 'b', target: 'y' },
      { op: 'end' },
      { op: 'rule', chain: 'c', target: 'z' },
      { op: 'rule', chain: 'a', target: 'late' },
      { op: 'end' },
      { op: 'rule', chain: 'b', target: 'later' },
    ]
    const { text, ir } = both(ops, 0)
    expect(text).toBe(ir)
    const rules = text.split('\n').filter((l) => l.startsWith('add rule'))
    expect(rules).toEqual([
      'add rule ip kube-proxy a ct state new jump x',
      'add rule ip kube-proxy a ct state new jump late',
      'add rule ip kube-proxy b ct state new jump y',
      'add rule ip kube-proxy b ct state new jump later',
      'add rule ip kube-proxy c ct state new jump z',
    ])
  })

  it('prints an endpoint chain as its statements print (and a rule before it stays first)', () => {
    const ops: Op[] = [
      { op: 'rule', chain: 'endpoint-Y', target: 'x' },
      { op: 'end' },
      { op: 'endpoint', chain: 'endpoint-Y', ip: 'fd00::1', port: 8080, protocol: 'tcp', affinitySet: 'affinity-A' },
      { op: 'endpoint', chain: 'e', ip: '10.1.2.3', port: 53, protocol: 'udp', affinitySet: undefined },
    ]
    const { text, ir } = both(ops, 0, 'ip6')
    expect(text).toBe(ir)
    expect(text.split('\n').filter((l) => l.startsWith('add rule'))).toEqual([
      'add rule ip6 kube-proxy endpoint-Y ct state new jump x',
      'add rule ip6 kube-proxy endpoint-Y ip6 saddr fd00::1 jump mark-for-masquerade',
      'add rule ip6 kube-proxy endpoint-Y update @affinity-A { ip6 saddr }',
      'add rule ip6 kube-proxy endpoint-Y meta l4proto tcp dnat to [fd00::1]:8080',
      'add rule ip6 kube-proxy e ip6 saddr 10.1.2.3 jump mark-for-masquerade',
      'add rule ip6 kube-proxy e meta l4proto udp dnat to 10.1.2.3:53',
    ])
  })
})
