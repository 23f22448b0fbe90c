/**
 * Kernel suite, nftables: the transaction `plan -o nft` prints is what real `nft -f` (nftables
 * 1.0.6) loads, and `nft list table` then prints exactly `plan -o nft-list`. Each load happens in
 * its own `unshare -n` network namespace.
 *
 * Sources, discovered by listing: every nftables conformance case (and its after-delete step) and
 * its fixture `expected.nft`; every iptables conformance input planned in nftables mode (IPv4 and
 * IPv6 proxiers, load balancers, affinity, terminating endpoints …); every example in both
 * families; and seeded random rulesets built from every IR piece the nftables backend has.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, it, vi } from 'vitest'
import type { NftElement, NftRule, NftRuleset, NftSet, NftStatement } from '../../src/core/proxy/nftables/ir.ts'
import { sortNftTransaction } from '../../src/core/proxy/nftables/normalize.ts'
import { printNftList } from '../../src/core/proxy/nftables/print-list.ts'
import { printNftTransaction } from '../../src/core/proxy/nftables/print-transaction.ts'
import { caseFactsFile, CONFORMANCE_DIR, listProxierCases, readCaseConfig } from '../helpers/case-facts.ts'
import { listNftCases, NFT_CASES_DIR, nftCaseArgs, readNftCaseConfig } from '../helpers/nft-case-facts.ts'
import { runCli } from '../helpers/run-cli.ts'
import { describeKernel, nftKernelEnv } from './helpers/env.ts'
import { verifyNft } from './helpers/nft-load.ts'

vi.setConfig({ testTimeout: 90_000 })

const ROOT = join(import.meta.dirname, '..', '..')

/** `plan … -o nft` and `-o nft-list` of one invocation. */
async function planNft(argv: readonly string[]): Promise<{ nft: string; list: string }> {
  const out = async (format: string): Promise<string> => {
    const r = await runCli(['plan', ...argv, '--proxy-mode', 'nftables', '-o', format])
    expect(r.code, `${argv.join(' ')} -o ${format}: ${r.stderr}`).toBeLessThanOrEqual(1)
    expect(r.stdout).not.toBe('')
    return r.stdout
  }
  return { nft: await out('nft'), list: await out('nft-list') }
}

const nftSteps = listNftCases().flatMap((c) => ['', 'after-endpointslice-delete'].filter((s) => existsSync(join(NFT_CASES_DIR, c, s, 'input.yaml'))).map((s) => [c, s] as const))
const withExpected = listNftCases().filter((c) => existsSync(join(NFT_CASES_DIR, c, 'expected.nft')))
const iptablesCases = listProxierCases()
const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(ROOT, 'examples', d.name)).some((f) => /\.(ya?ml|json)$/.test(f)))
  .map((d) => d.name)
  .sort()

describeKernel(
  'kernel: nft loads our transaction and lists exactly -o nft-list',
  () => {
    it('finds the inputs to check', () => {
      expect(nftSteps.length).toBeGreaterThanOrEqual(9)
      expect(withExpected.length).toBeGreaterThanOrEqual(1)
      expect(examples.length).toBeGreaterThanOrEqual(3)
    })

    it.each(nftSteps)('nftables case %s %s', async (name, step) => {
      const table = readNftCaseConfig(name).ipFamily === 'IPv6' ? 'ip6 kube-proxy' : 'ip kube-proxy'
      const { nft, list } = await planNft(nftCaseArgs(name, step))
      expect(verifyNft(nft, list, table)).toEqual([])
    })

    it.each(withExpected)('fixture %s/expected.nft lists as our -o nft-list', async (name) => {
      const table = readNftCaseConfig(name).ipFamily === 'IPv6' ? 'ip6 kube-proxy' : 'ip kube-proxy'
      const { nft, list } = await planNft(nftCaseArgs(name))
      // The fixture is upstream's Go literal, in no loadable order: put it in our transaction's
      // order (table, chains as we declare them, sets, maps, rules, elements) so the kernel
      // creates the objects in the same order and the listings can be compared byte for byte.
      const rank: Record<string, number> = { table: 0, chain: 1, set: 2, map: 3, rule: 4, element: 5 }
      const chainOrder = new Map(nft.split('\n').filter((l) => l.startsWith('add chain ')).map((l, i) => [l.split(' ')[4] ?? '', i]))
      const lines = sortNftTransaction(readFileSync(join(NFT_CASES_DIR, name, 'expected.nft'), 'utf8')).split('\n')
      const key = (l: string): number => (l.startsWith('add chain ') ? (chainOrder.get(l.split(' ')[4] ?? '') ?? -1) : 0)
      const ordered = lines.map((l, i) => ({ l, i, r: rank[l.split(' ')[1] ?? ''] ?? 9 })).sort((a, b) => a.r - b.r || key(a.l) - key(b.l) || a.i - b.i)
      expect(verifyNft(`${ordered.map((x) => x.l).join('\n')}\n`, list, table)).toEqual([])
    })

    it.each(iptablesCases)('iptables-mode case input %s, planned in nftables mode', async (name) => {
      const family = readCaseConfig(name).ipFamily
      const argv = ['--cluster', join(CONFORMANCE_DIR, name, 'input.yaml'), '--cluster', caseFactsFile(name), ...(family === 'IPv6' ? ['--ip-family', 'IPv6'] : [])]
      const { nft, list } = await planNft(argv)
      expect(verifyNft(nft, list, family === 'IPv6' ? 'ip6 kube-proxy' : 'ip kube-proxy')).toEqual([])
    })

    it.each(examples.flatMap((e) => (['IPv4', 'IPv6'] as const).map((f) => [e, f] as const)))('example %s %s', async (name, family) => {
      const { nft, list } = await planNft([join(ROOT, 'examples', name), '--ip-family', family])
      expect(verifyNft(nft, list, family === 'IPv6' ? 'ip6 kube-proxy' : 'ip kube-proxy')).toEqual([])
    })

    it.each(examples)('example %s at Kubernetes 1.33 (the base-chain layout before PR #132456)', async (name) => {
      const { nft, list } = await planNft([join(ROOT, 'examples', name), '--kubernetes-version', '1.33'])
      expect(nft).toContain('add chain ip kube-proxy filter-output-post-dnat { type filter hook output priority -90 ; }')
      expect(verifyNft(nft, list)).toEqual([])
    })

    it.each(SEEDS.flatMap((s) => (['IPv4', 'IPv6'] as const).map((f) => [f, s] as const)))('random ruleset %s seed %i', (family, seed) => {
      const rs = randomRuleset(family, seed)
      expect(verifyNft(printNftTransaction(rs), printNftList(rs), `${rs.family} kube-proxy`)).toEqual([])
    })

    it('the check itself fails on a wrong listing', () => {
      const rs = randomRuleset('IPv4', 1)
      const wrong = printNftList(rs).replace('\tchain ', '\tchain x')
      expect(verifyNft(printNftTransaction(rs), wrong)).not.toEqual([])
    })
  },
  nftKernelEnv,
)

// ---- seeded random rulesets from every IR piece ------------------------------------------------

const envSeed = Number(process.env['KUBE_WHATIF_FUZZ_SEED'] ?? '')
const SEEDS = Number.isFinite(envSeed) && envSeed > 0 ? [envSeed] : [1, 2, 3, 7, 11]

const octet = fc.integer({ min: 0, max: 255 })
const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'))
const hextet = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16))
const v6raw = fc.array(fc.oneof({ arbitrary: fc.constant('0'), weight: 2 }, { arbitrary: hextet, weight: 1 }), { minLength: 8, maxLength: 8 })

function canonicalV6(groups: readonly string[]): string {
  // Go / inet_ntop form: longest run (≥2) of zero groups becomes `::`, first one on ties.
  let best = -1
  let bestLen = 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === '0') j++
    if (j - i > bestLen && j - i >= 2) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  if (best < 0) return groups.join(':')
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`
}

function randomRuleset(family: 'IPv4' | 'IPv6', seed: number): NftRuleset {
  const v6 = family === 'IPv6'
  const ip = v6 ? v6raw.map(canonicalV6) : v4
  const cidr = fc.tuple(ip, fc.integer({ min: 8, max: v6 ? 128 : 32 })).map(([a, p]) => network(a, p, v6))
  const addr = v6 ? 'ipv6_addr' : 'ipv4_addr'
  const proto = fc.constantFrom('tcp' as const, 'udp' as const, 'sctp' as const)
  const port = fc.integer({ min: 1, max: 65535 })
  const chains = ['c-a', 'c-b/x__1.2.3.4/80', 'c-c']
  const target = fc.constantFrom(...chains)
  const stmt: fc.Arbitrary<NftStatement> = fc.oneof(
    fc.constant<NftStatement>({ kind: 'ctStateNew' }),
    fc.record({ dir: fc.constantFrom('saddr' as const, 'daddr' as const), negate: fc.boolean(), text: fc.oneof(ip, cidr) }).map((r): NftStatement => ({ kind: 'addr', dir: r.dir, negate: r.negate, value: { kind: 'literal', text: r.text } })),
    fc.record({ dir: fc.constantFrom('saddr' as const, 'daddr' as const), negate: fc.boolean(), items: fc.uniqueArray(fc.oneof(ip, cidr), { minLength: 1, maxLength: 5 }), sep: fc.constantFrom(',' as const, ' , ' as const) }).map((r): NftStatement => ({ kind: 'addr', dir: r.dir, negate: r.negate, value: { kind: 'anon', items: r.items, sep: r.sep } })),
    fc.record({ dir: fc.constantFrom('saddr' as const, 'daddr' as const), negate: fc.boolean() }).map((r): NftStatement => ({ kind: 'addr', ...r, value: { kind: 'set', name: 'cluster-ips' } })),
    fc.constantFrom('saddr' as const, 'daddr' as const).map((dir): NftStatement => ({ kind: 'fibLocal', dir })),
    fc.record({ negate: fc.boolean(), name: fc.constantFrom('cni0', 'veth*', 'br-1') }).map((r): NftStatement => ({ kind: 'iifname', ...r })),
    fc.record({ protocol: proto, port }).map((r): NftStatement => ({ kind: 'dport', ...r })),
  )
  const finalStmt: fc.Arbitrary<NftStatement[]> = fc.oneof(
    fc.constantFrom<NftStatement[]>([{ kind: 'vmap', key: 'daddr.proto.port', map: 'service-ips' }], [{ kind: 'vmap', key: 'proto.port', map: 'service-nodeports' }], [{ kind: 'drop' }], [{ kind: 'reject' }], [{ kind: 'return' }], [{ kind: 'masquerade' }], [{ kind: 'update', set: 'affinity-x' }]),
    fc.record({ kind: fc.constantFrom('jump' as const, 'goto' as const), chain: target }).map((s): NftStatement[] => [s]),
    fc.array(target, { minLength: 1, maxLength: 4 }).map((cs): NftStatement[] => [{ kind: 'numgen', chains: cs }]),
    fc.record({ op: fc.constantFrom('or' as const, 'xor' as const), value: fc.integer({ min: 1, max: 0x7fffffff }) }).map((r): NftStatement[] => [{ kind: 'setMark', ...r }]),
    fc.integer({ min: 1, max: 0x7fffffff }).map((value): NftStatement[] => [{ kind: 'markClear', value }, { kind: 'return' }]),
    fc.record({ protocol: proto, ip, port }).map((r): NftStatement[] => [{ kind: 'dnat', ...r }]),
  )
  const rule: fc.Arbitrary<NftRule> = fc
    .record({ pre: fc.array(stmt, { maxLength: 3 }), fin: finalStmt, comment: fc.option(fc.stringMatching(/^[a-z0-9/:. -]{1,30}$/), { nil: undefined }) })
    .map((r) => {
      // One transport protocol per rule: a second `dport` or a DNAT of another protocol conflicts.
      const dnat = r.fin.some((x) => x.kind === 'dnat')
      const pre = r.pre.filter((x, i) => x.kind !== 'dport' || (!dnat && r.pre.findIndex((y) => y.kind === 'dport') === i))
      return { statements: [...pre, ...r.fin], ...(r.comment !== undefined ? { comment: r.comment } : {}) }
    })
  const hookChain = fc.record({ hook: fc.constantFrom('prerouting' as const, 'input' as const, 'forward' as const, 'output' as const, 'postrouting' as const), priority: fc.integer({ min: -320, max: 320 }), type: fc.constant('filter' as const) })
  const shape = fc.record({
    rules: fc.array(fc.tuple(fc.nat(chains.length), rule), { minLength: 10, maxLength: 25 }),
    hooks: fc.array(hookChain, { minLength: 1, maxLength: 3 }),
    clusterIPs: fc.uniqueArray(ip, { maxLength: 7 }),
    svcIPs: fc.uniqueArray(fc.tuple(ip, proto, port, fc.option(target, { nil: undefined })), { maxLength: 8, selector: ([a, p, n]) => `${a} ${p} ${n}` }),
    nodePorts: fc.uniqueArray(fc.tuple(proto, port, fc.option(fc.stringMatching(/^[a-z0-9/:]{1,20}$/), { nil: undefined })), { maxLength: 20, selector: ([p, n]) => `${p} ${n}` }),
    timeout: fc.integer({ min: 1, max: 400000 }),
  })
  const s = fc.sample(shape, { seed, numRuns: 1 })[0]
  if (s === undefined) throw new Error('no sample')
  const hookNames = s.hooks.map((_, i) => `base-${i}`)
  const sets: NftSet[] = [
    { kind: 'set', name: 'affinity-x', keyType: [addr], flags: ['dynamic', 'timeout'], timeoutSeconds: s.timeout },
    { kind: 'set', name: 'cluster-ips', keyType: [addr], comment: 'Active ClusterIPs' },
    { kind: 'map', name: 'service-ips', keyType: [addr, 'inet_proto', 'inet_service'], valueType: 'verdict', comment: 'ClusterIP, ExternalIP and LoadBalancer IP traffic' },
    { kind: 'map', name: 'service-nodeports', keyType: ['inet_proto', 'inet_service'], valueType: 'verdict' },
  ]
  const elements: NftElement[] = [
    ...s.clusterIPs.map((a) => ({ container: 'cluster-ips', key: [a] })),
    ...s.svcIPs.map(([a, p, n, t]) => ({ container: 'service-ips', key: [a, p, String(n)], value: t === undefined ? 'drop' : `goto ${t}` })),
    ...s.nodePorts.map(([p, n, c]) => ({ container: 'service-nodeports', key: [p, String(n)], value: 'goto c-a', ...(c !== undefined ? { comment: c } : {}) })),
  ]
  const all = [...chains, ...hookNames]
  return {
    backend: 'nftables',
    ipFamily: family,
    node: 'fuzz',
    family: v6 ? 'ip6' : 'ip',
    table: 'kube-proxy',
    tableComment: 'rules for kube-proxy',
    chains: all.map((name, i) => {
      const h = i >= chains.length ? s.hooks[i - chains.length] : undefined
      // Base chains only jump to the regular ones (no loops through hooks).
      // Base chains stay empty: the kernel checks statements against the hooks that reach them
      // (reject, fib, nat), and the printer's base-chain part is the hook and priority.
      const rules = s.rules.filter(([c]) => c === i).map(([, r]) => r)
      return { name, ...(h !== undefined ? { hook: h } : {}), ...(i === 1 ? { comment: 'a chain' } : {}), rules: h !== undefined ? [] : noLoops(name, rules) }
    }),
    sets,
    elements,
  }
}

/** Keeps a regular chain from jumping to itself or to a chain before it (nft refuses loops). */
function noLoops(name: string, rules: readonly NftRule[]): NftRule[] {
  const order = ['c-a', 'c-b/x__1.2.3.4/80', 'c-c']
  const me = order.indexOf(name)
  const ok = (c: string): boolean => order.indexOf(c) > me
  return rules.filter((r) => r.statements.every((s) => (s.kind === 'jump' || s.kind === 'goto' ? ok(s.chain) : s.kind === 'numgen' ? s.chains.every(ok) : s.kind === 'vmap' ? me < 0 : true)))
}

/** Network form of `ip/prefix` (kube-proxy always writes CIDRs that way). */
function network(ipText: string, prefix: number, v6: boolean): string {
  const bits = v6 ? 128 : 32
  let value = 0n
  if (v6) {
    const [head = '', tail = ''] = ipText.split('::')
    const h = head === '' ? [] : head.split(':')
    const t = tail === '' ? [] : tail.split(':')
    const groups = ipText.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : ipText.split(':')
    for (const g of groups) value = (value << 16n) | BigInt(Number.parseInt(g, 16))
  } else for (const o of ipText.split('.')) value = (value << 8n) | BigInt(Number(o))
  const mask = ((1n << BigInt(bits)) - 1n) ^ ((1n << BigInt(bits - prefix)) - 1n)
  const net = value & mask
  if (!v6) return `${[24n, 16n, 8n, 0n].map((s) => Number((net >> s) & 255n)).join('.')}/${prefix}`
  const groups = Array.from({ length: 8 }, (_, i) => Number((net >> BigInt(16 * (7 - i))) & 0xffffn).toString(16))
  return `${canonicalV6(groups)}/${prefix}`
}
