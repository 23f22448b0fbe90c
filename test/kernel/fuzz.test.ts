/**
 * Kernel suite, part 3: random rules built from every IR piece kube-proxy uses (addresses with any
 * prefix and stray host bits, negations, tcp/udp/sctp ports, addrtype, conntrack states in any
 * order, marks, probabilities, recent, nfacct, interfaces, every target), printed by the renderer's
 * printRestore, loaded into real iptables, and compared with our save and list forms. This covers
 * forms the two conformance fixtures never show. Seeds are fixed so runs are reproducible; set
 * KUBE_WHATIF_FUZZ_SEED to try another.
 */
import fc from 'fast-check'
import { expect, it, vi } from 'vitest'
import type { IPFamily } from '../../src/core/model/k8s.ts'
import type { Chain, Match, Rule, Ruleset, Target } from '../../src/core/proxy/iptables/ir.ts'
import { JUMP_RULES } from '../../src/core/proxy/iptables/jump-chains.ts'
import { printList } from '../../src/core/proxy/iptables/print-list.ts'
import { printRestore } from '../../src/core/proxy/iptables/print-restore.ts'
import { printSave } from '../../src/core/proxy/iptables/print-save.ts'
import { describeKernel } from './helpers/env.ts'
import { verifyAgainstKernel } from './helpers/verify.ts'

// Namespaces, real iptables and bounded timeouts: slower than unit tests, especially on a busy CI box.
vi.setConfig({ testTimeout: 90_000 })

const octet = fc.integer({ min: 0, max: 255 })
const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'))
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16))
// Mostly zero groups so `::` compression and its tie rules get exercised.
const v6 = fc
  .array(fc.oneof({ arbitrary: fc.constant('0'), weight: 2 }, { arbitrary: hextet, weight: 1 }), { minLength: 8, maxLength: 8 })
  .map((g) => g.join(':'))

function address(family: IPFamily): fc.Arbitrary<Match> {
  const bits = family === 'IPv4' ? 32 : 128
  return fc
    .record({
      dir: fc.constantFrom('src' as const, 'dst' as const),
      ip: family === 'IPv4' ? v4 : v6,
      prefix: fc.option(fc.integer({ min: 1, max: bits }), { nil: undefined }),
      negate: fc.boolean(),
    })
    .map(({ dir, ip, prefix, negate }) => ({ kind: 'address', dir, value: prefix === undefined ? ip : `${ip}/${prefix}`, negate }))
}

/** Comment text kube-proxy could write: names, IPs, ports, arrows, spaces. */
const commentText = fc.stringMatching(/^[a-z0-9/:. >_-]{0,40}$/)
const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT']

// xt_addrtype refuses BROADCAST for IPv6 (no such thing there).
const otherMatch = (family: IPFamily): fc.Arbitrary<Match> => fc.oneof(
  commentText.map((text): Match => ({ kind: 'comment', text })),
  fc.record({ dir: fc.constantFrom('src' as const, 'dst' as const), type: fc.constantFrom(...(family === 'IPv4' ? ['LOCAL', 'UNICAST', 'BROADCAST', 'MULTICAST'] : ['LOCAL', 'UNICAST', 'MULTICAST'])), negate: fc.boolean() }).map((m): Match => ({ kind: 'addrtype', ...m })),
  fc.record({ states: fc.shuffledSubarray(CT_STATES, { minLength: 1 }), negate: fc.boolean() }).map((m): Match => ({ kind: 'conntrack', ...m })),
  fc.record({ value: fc.integer({ min: 0, max: 0xffffffff }), mask: fc.integer({ min: 0, max: 0xffffffff }), negate: fc.boolean() }).map((m): Match => ({ kind: 'mark', ...m })),
  fc.oneof(fc.integer({ min: 2, max: 5000 }).map((n) => (1 / n).toFixed(10)), fc.double({ min: 0, max: 1, noNaN: true }).map((p) => p.toFixed(10))).map((probability): Match => ({ kind: 'statistic', probability })),
  fc.record({ name: fc.stringMatching(/^KUBE-SEP-[A-Z0-9]{16}$/), seconds: fc.integer({ min: 1, max: 86400 }), reap: fc.boolean() }).map((m): Match => ({ kind: 'recent', name: m.name, op: 'rcheck', seconds: m.seconds, ...(m.reap ? { reap: true } : {}) })),
  fc.stringMatching(/^KUBE-SEP-[A-Z0-9]{16}$/).map((name): Match => ({ kind: 'recent', name, op: 'set' })),
  fc.constantFrom('ct_state_invalid_dropped_pkts', 'localhost_nps_accepted_pkts').map((name): Match => ({ kind: 'nfacct', name })),
)

function rule(family: IPFamily, table: 'filter' | 'nat', chains: readonly string[]): fc.Arbitrary<Rule> {
  const proto = fc.option(fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const), { nil: undefined })
  const iface = fc.option(
    fc.record({ dir: fc.constantFrom('in' as const, 'out' as const), name: fc.constantFrom('eth0', 'cni0', 'veth+', 'kube-bridge'), negate: fc.boolean() }).map((m): Match => ({ kind: 'interface', ...m })),
    { nil: undefined },
  )
  const endpoint = family === 'IPv4' ? v4.map((ip) => ip) : v6
  return fc
    .record({
      proto,
      port: fc.option(fc.record({ port: fc.integer({ min: 1, max: 65535 }), negate: fc.boolean() }), { nil: undefined }),
      addrs: fc.uniqueArray(address(family), { maxLength: 2, selector: (m) => (m.kind === 'address' ? m.dir : '') }),
      iface,
      others: fc.array(otherMatch(family), { maxLength: 3 }),
      comment: fc.option(commentText, { nil: undefined }),
      targetPick: fc.nat(99),
      dnatIP: endpoint,
      dnatPort: fc.integer({ min: 1, max: 65535 }),
      mark: fc.integer({ min: 1, max: 0xffffffff }),
      jumpTo: fc.constantFrom(...chains),
    })
    .map((r): Rule => {
      const matches: Match[] = []
      if (r.comment !== undefined) matches.push({ kind: 'comment', text: r.comment })
      if (r.proto !== undefined) matches.push({ kind: 'protocol', protocol: r.proto, module: true })
      matches.push(...r.addrs)
      if (r.proto !== undefined && r.port !== undefined) matches.push({ kind: 'dport', port: r.port.port, negate: r.port.negate })
      if (r.iface !== undefined) matches.push(r.iface)
      matches.push(...r.others)
      const targets: Target[] =
        table === 'filter'
          ? [{ kind: 'verdict', verdict: 'ACCEPT' }, { kind: 'verdict', verdict: 'DROP' }, { kind: 'verdict', verdict: 'REJECT' }, { kind: 'verdict', verdict: 'RETURN' }, { kind: 'jump', chain: r.jumpTo }]
          : [
              { kind: 'jump', chain: r.jumpTo },
              { kind: 'mark', op: 'or', value: r.mark },
              { kind: 'mark', op: 'xor', value: r.mark },
              { kind: 'masquerade', randomFully: r.targetPick % 2 === 0 },
              { kind: 'dnat', to: r.proto === undefined ? r.dnatIP : family === 'IPv4' ? `${r.dnatIP}:${r.dnatPort}` : `[${r.dnatIP}]:${r.dnatPort}` },
              { kind: 'verdict', verdict: 'RETURN' },
            ]
      const target = r.targetPick < 5 ? undefined : targets[r.targetPick % targets.length]
      return target === undefined ? { matches } : { matches, target }
    })
}

function ruleset(family: IPFamily, seed: number): Ruleset {
  const chainNames = (t: string): string[] => [1, 2, 3].map((i) => `FUZZ-${t}-${i}`)
  const table = (name: 'filter' | 'nat'): { name: 'filter' | 'nat'; chains: Chain[] } => {
    const names = chainNames(name)
    const rules = fc.sample(fc.array(rule(family, name, names), { minLength: 20, maxLength: 20 }), { seed: seed + (name === 'nat' ? 1 : 0), numRuns: 1 })[0] ?? []
    return { name, chains: names.map((n, i) => ({ name: n, rules: rules.filter((_r, j) => j % names.length === i) })) }
  }
  return { backend: 'iptables', family, node: 'fuzz', tables: [table('filter'), table('nat')] }
}

const envSeed = Number(process.env['KUBE_WHATIF_FUZZ_SEED'] ?? '')
const SEEDS = Number.isFinite(envSeed) && envSeed > 0 ? [envSeed] : [1, 2, 3, 4]

describeKernel('kernel: random rules print exactly as real iptables prints them', () => {
  it.each(SEEDS.flatMap((s) => (['IPv4', 'IPv6'] as const).map((f) => [f, s] as const)))('%s seed %i', (family, seed) => {
    const rs = ruleset(family, seed)
    const { problems } = verifyAgainstKernel({
      payload: printRestore(rs),
      family,
      jumpRules: JUMP_RULES,
      save: printSave(rs, { jumpRules: JUMP_RULES }),
      list: printList(rs, { jumpRules: JUMP_RULES }),
    })
    expect(problems).toEqual([])
  })
})
