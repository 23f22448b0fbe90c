/**
 * Kernel suite: a full sync on a node that already has rules (`--current-rules`). The node's
 * state is what real iptables holds after the base's payload (read back with iptables-save, with
 * `[packets:bytes]` counters as `iptables-save -c` writes them); the head is planned from that
 * state, its payload applied with `iptables-restore --noflush` over it, and real iptables-save
 * must then print exactly our `plan -o iptables-save --current-rules` and, when the state held
 * only kube-proxy's chains, exactly the fresh plan's state: the stale KUBE-SVC/SVL/EXT/FW/SEP
 * chains are gone. Scenarios are discovered by listing folders, never by name.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it, vi } from 'vitest'
import type { IPFamily } from '../../src/core/model/k8s.ts'
import { JUMP_RULES } from '../../src/core/proxy/iptables/jump-chains.ts'
import { caseFactsFile, CONFORMANCE_DIR, listProxierCases, readCaseConfig } from '../helpers/case-facts.ts'
import { runCli } from '../helpers/run-cli.ts'
import { describeKernel } from './helpers/env.ts'
import { loadAndDump, syncOverState } from './helpers/load.ts'
import { firstDifference } from './helpers/verify.ts'

vi.setConfig({ testTimeout: 90_000 })

const ROOT = join(import.meta.dirname, '..', '..')
const SCENARIOS = join(ROOT, 'test/fixtures/scenarios')
const tmp = mkdtempSync(join(tmpdir(), 'kube-whatif-current-rules-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

async function cli(argv: readonly string[]): Promise<string> {
  const r = await runCli(argv)
  expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBeLessThanOrEqual(1)
  expect(r.stderr).not.toMatch(/current-rules|proxy\/iptables-parse/)
  return r.stdout
}

/** `[packets:bytes]` on every rule, as `iptables-save -c` prints a node that carried traffic. */
function withCounters(save: string): string {
  let n = 0
  return save.replace(/^-A /gm, () => `[${(n += 3)}:${n * 60}] -A `)
}

interface Case {
  readonly name: string
  readonly family: IPFamily
  /** plan arguments (inputs only) of the base and of the head. */
  readonly base: readonly string[]
  readonly head: readonly string[]
}

const scenarioCases: Case[] = readdirSync(SCENARIOS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
  .map((name) => {
    const dir = join(SCENARIOS, name)
    return { name: `scenario ${name}`, family: 'IPv4' as const, base: ['--cluster', join(dir, 'cluster'), join(dir, 'base')], head: ['--cluster', join(dir, 'cluster'), join(dir, 'head')] }
  })

const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(ROOT, 'examples', d.name)).some((f) => /\.(ya?ml|json)$/.test(f)))
  .map((d) => d.name)
  .sort()
const empty = join(tmp, 'empty.yaml')
writeFileSync(empty, '')
// Every Service removed: every service chain goes stale. The examples are IPv4 clusters; the
// conformance inputs bring IPv6 (ip6tables) too, with their own cluster facts.
const removalCases: Case[] = [
  ...examples.map((e) => ({ name: `examples/${e} removed`, family: 'IPv4' as const, base: [join(ROOT, 'examples', e)], head: [empty] })),
  ...listProxierCases().map((name) => {
    const facts = ['--cluster', caseFactsFile(name)]
    return { name: `conformance ${name} removed`, family: readCaseConfig(name).ipFamily, base: [...facts, '--cluster', join(CONFORMANCE_DIR, name, 'input.yaml')], head: [...facts, empty] }
  }),
]

/** Real iptables after the base's payload on a fresh node: the node's state before the head. */
async function nodeStateAfterBase(c: Case, fam: string[]): Promise<string> {
  const payload = await cli(['plan', ...c.base, ...fam, '-o', 'iptables-restore'])
  const dump = loadAndDump(payload, { family: c.family, jumpRules: JUMP_RULES })
  expect(dump.setupError).toBeUndefined()
  expect(dump.restoreStatus, dump.restoreStderr).toBe(0)
  return dump.save
}

describeKernel('kernel: a full sync over the node\'s current rules deletes the stale chains', () => {
  it('finds cases with stale chains', () => {
    expect(scenarioCases.length).toBeGreaterThanOrEqual(3)
    expect(removalCases.length).toBeGreaterThanOrEqual(10)
    expect(removalCases.some((c) => c.family === 'IPv6')).toBe(true)
  })

  it.each([...scenarioCases, ...removalCases].map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const fam = ['--ip-family', c.family]
    const state = withCounters(await nodeStateAfterBase(c, fam))
    const stateFile = join(tmp, `${c.name.replace(/\W+/g, '-')}.save`)
    writeFileSync(stateFile, state)

    const payload = await cli(['plan', ...c.head, ...fam, '--current-rules', stateFile, '-o', 'iptables-restore'])
    const ourAfter = await cli(['plan', ...c.head, ...fam, '--current-rules', stateFile, '-o', 'iptables-save'])
    const fresh = await cli(['plan', ...c.head, ...fam, '-o', 'iptables-save'])

    const real = syncOverState(state, payload, c.family)
    expect(real.setupError).toBeUndefined()
    expect(real.stateStatus).toBe(0)
    expect(real.restoreStatus, real.restoreStderr).toBe(0)
    // The state really was loaded (with its counters) before the payload.
    expect(real.before).toMatch(/^\[\d+:\d+\] -A /m)
    expect(real.after, firstDifference(ourAfter, real.after)).toBe(ourAfter)
    expect(real.after, firstDifference(fresh, real.after)).toBe(fresh)

    // Each stale service chain of the state is declared and deleted, nothing else.
    const stateChains = new Set([...state.matchAll(/^:(KUBE-(?:SVC|SVL|EXT|FW|SEP)-\S+) /gm)].map((m) => m[1]))
    const freshChains = new Set([...fresh.matchAll(/^:(KUBE-(?:SVC|SVL|EXT|FW|SEP)-\S+) /gm)].map((m) => m[1]))
    const stale = [...stateChains].filter((ch) => !freshChains.has(ch)).sort()
    expect([...payload.matchAll(/^-X (\S+)$/gm)].map((m) => m[1])).toEqual(stale)
    if (c.name.includes('removed')) expect(stale).toEqual([...stateChains].sort())
  })

  it('keeps chains that are not kube-proxy\'s service chains, as the kernel does', async () => {
    const c = removalCases[0] as Case
    const fam = ['--ip-family', c.family]
    const state = (await nodeStateAfterBase(c, fam))
      .replace(/^\*nat\n/m, '*nat\n:MY-CHAIN - [0:0]\n:KUBE-SEP-STALEAAAAAAAAAAA - [0:0]\n')
      .replace(/^(COMMIT\n)/m, '-A PREROUTING -p udp --dport 9 -j MY-CHAIN\n-A MY-CHAIN -j RETURN\n-A KUBE-SEP-STALEAAAAAAAAAAA -j RETURN\n$1')
    const stateFile = join(tmp, 'foreign.save')
    writeFileSync(stateFile, state)
    const payload = await cli(['plan', ...c.head, ...fam, '--current-rules', stateFile, '-o', 'iptables-restore'])
    expect(payload).toMatch(/^-X KUBE-SEP-STALEAAAAAAAAAAA$/m)
    expect(payload).not.toMatch(/MY-CHAIN/)
    const ourAfter = await cli(['plan', ...c.head, ...fam, '--current-rules', stateFile, '-o', 'iptables-save'])
    const real = syncOverState(state, payload, c.family)
    expect(real.restoreStatus, real.restoreStderr).toBe(0)
    expect(real.after, firstDifference(ourAfter, real.after)).toBe(ourAfter)
    expect(real.after).toMatch(/^-A MY-CHAIN -j RETURN$/m)
    expect(real.after).not.toMatch(/KUBE-SEP-STALE/)
  })

  it('a chain the sync keeps that still jumps to a stale chain makes the kernel refuse the payload, as the plan reports', async () => {
    const c = removalCases[0] as Case
    const fam = ['--ip-family', c.family]
    const base = await nodeStateAfterBase(c, fam)
    const stale = /^:(KUBE-SVC-\S+) /m.exec(base)?.[1] as string
    const state = base.replace(/^\*nat\n/m, '*nat\n:MY-CHAIN - [0:0]\n').replace(/^(COMMIT\n)/m, `-A MY-CHAIN -j ${stale}\n$1`)
    const stateFile = join(tmp, 'in-use.save')
    writeFileSync(stateFile, state)
    const r = await runCli(['plan', ...c.head, ...fam, '--current-rules', stateFile, '-o', 'iptables-restore'])
    expect(r.stderr).toContain(`still jumps to the stale ${stale}`)
    const real = syncOverState(state, r.stdout, c.family)
    expect(real.stateStatus).toBe(0)
    expect(real.restoreStatus).not.toBe(0)
    expect(real.restoreStderr).toMatch(/busy/i)
  })

  it('catches a sync that forgets the stale chains (the fresh payload leaves them behind)', async () => {
    const c = removalCases[0] as Case
    const fam = ['--ip-family', c.family]
    const state = await nodeStateAfterBase(c, fam)
    const freshPayload = await cli(['plan', ...c.head, ...fam, '-o', 'iptables-restore'])
    const fresh = await cli(['plan', ...c.head, ...fam, '-o', 'iptables-save'])
    const real = syncOverState(state, freshPayload, c.family)
    expect(real.restoreStatus, real.restoreStderr).toBe(0)
    expect(real.after).not.toBe(fresh)
    expect(real.after).toMatch(/^:KUBE-SVC-/m)
  })
})
