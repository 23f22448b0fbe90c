/**
 * Kernel suite, part 1: the rules we print are the rules iptables loads, and our iptables-save /
 * iptables -L forms are what the installed iptables prints, byte for byte. Runs as root in CI
 * (scripts/ci-apt.sh installs iptables, nfacct, iproute2); each load happens in its own
 * `unshare -n` network namespace.
 *
 * Sources: every conformance fixture with an expected.iptables; our CLI's output
 * (`plan -o iptables-restore|iptables-save|iptables-list`) for every conformance input and every
 * example (IPv4 and IPv6); the captured 1.8.9 feature payloads. Cases are discovered by listing
 * directories, never by name.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'
import type { IPFamily } from '../../src/core/model/k8s.ts'
import { JUMP_RULES } from '../../src/core/proxy/iptables/jump-chains.ts'
import { parseRestore } from '../../src/core/proxy/iptables/parse.ts'
import { printList } from '../../src/core/proxy/iptables/print-list.ts'
import { printSave } from '../../src/core/proxy/iptables/print-save.ts'
import { caseFactsFile, CONFORMANCE_DIR, listProxierCases, readCaseConfig } from '../helpers/case-facts.ts'
import { runCli } from '../helpers/run-cli.ts'
import { describeKernel } from './helpers/env.ts'
import { verifyAgainstKernel, type Expectation } from './helpers/verify.ts'

// Namespaces, real iptables and bounded timeouts: slower than unit tests, especially on a busy CI box.
vi.setConfig({ testTimeout: 90_000 })

const ROOT = join(import.meta.dirname, '..', '..')
const CAPTURED = join(import.meta.dirname, 'captured-1.8.9')

/** Our three outputs for one CLI invocation. */
async function planOutputs(argv: readonly string[], family: IPFamily): Promise<Expectation> {
  const out = async (format: string): Promise<string> => {
    const r = await runCli([...argv, '-o', format])
    expect(r.code, `${argv.join(' ')} -o ${format}: ${r.stderr}`).toBeLessThanOrEqual(1)
    expect(r.stdout).not.toBe('')
    return r.stdout
  }
  return { payload: await out('iptables-restore'), save: await out('iptables-save'), list: await out('iptables-list'), family, jumpRules: JUMP_RULES }
}

/** Expectation for a fixture payload, printed from the parsed IR. */
function fromPayload(payload: string, family?: IPFamily): Expectation {
  const parsed = parseRestore(payload, family === undefined ? {} : { family })
  expect(parsed.issues).toEqual([])
  const rs = parsed.value
  return { payload, family: rs.family, jumpRules: JUMP_RULES, save: printSave(rs, { jumpRules: JUMP_RULES }), list: printList(rs, { jumpRules: JUMP_RULES }) }
}

const fixtureCases = readdirSync(CONFORMANCE_DIR).filter((d) => existsSync(join(CONFORMANCE_DIR, d, 'expected.iptables')))
const proxierCases = listProxierCases()
const examples = readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(ROOT, 'examples', d.name)).some((f) => /\.(ya?ml|json)$/.test(f)))
  .map((d) => d.name)
  .sort()

describeKernel('kernel: iptables accepts our payload and prints exactly our save/list forms', (env) => {
  it('finds the rulesets to check', () => {
    expect(fixtureCases.length).toBeGreaterThanOrEqual(2)
    expect(proxierCases.length).toBeGreaterThanOrEqual(10)
    expect(examples.length).toBeGreaterThanOrEqual(1)
  })

  it.each(fixtureCases)('fixture %s/expected.iptables', (name) => {
    const { problems, dump } = verifyAgainstKernel(fromPayload(readFileSync(join(CONFORMANCE_DIR, name, 'expected.iptables'), 'utf8')))
    expect(problems).toEqual([])
    // The committed real outputs were made by iptables 1.8.9; on that version they must still hold.
    if (env.version.startsWith('iptables v1.8.9 ')) {
      expect(dump.save).toBe(readFileSync(join(CONFORMANCE_DIR, name, 'real-iptables-save.txt'), 'utf8'))
      expect(dump.list).toBe(readFileSync(join(CONFORMANCE_DIR, name, 'real-iptables-list.txt'), 'utf8'))
    }
  })

  it.each(proxierCases)('CLI plan of conformance input %s', async (name) => {
    const config = readCaseConfig(name)
    const argv = ['plan', '--cluster', join(CONFORMANCE_DIR, name, 'input.yaml'), '--cluster', caseFactsFile(name)]
    if (config.ipFamily === 'IPv6') argv.push('--ip-family', 'IPv6')
    const { problems } = verifyAgainstKernel(await planOutputs(argv, config.ipFamily))
    expect(problems).toEqual([])
  })

  it.each(examples.flatMap((e) => (['IPv4', 'IPv6'] as const).map((f) => [e, f] as const)))('CLI plan of examples/%s (%s)', async (example, family) => {
    const argv = ['plan', join(ROOT, 'examples', example), '--ip-family', family]
    const { problems } = verifyAgainstKernel(await planOutputs(argv, family))
    expect(problems).toEqual([])
  })

  it.each(['ipv4', 'ipv6'])('captured feature payload (%s)', (v) => {
    const payload = readFileSync(join(CAPTURED, `features-${v}.iptables`), 'utf8')
    const e = fromPayload(payload)
    const { problems, dump } = verifyAgainstKernel({ ...e, jumpRules: JUMP_RULES })
    expect(problems).toEqual([])
    if (env.version.startsWith('iptables v1.8.9 ')) {
      // Captured without jump rules; with them only the built-in chains differ, so compare those files too.
      const bare = verifyAgainstKernel({ ...fromPayload(payload), jumpRules: [], save: readFileSync(join(CAPTURED, `features-${v}.save.txt`), 'utf8'), list: readFileSync(join(CAPTURED, `features-${v}.list.txt`), 'utf8') })
      expect(bare.problems).toEqual([])
    }
    expect(dump.save).not.toBe('')
  })
})

describeKernel('kernel: the suite catches a wrong rule', () => {
  const payload = (): string => readFileSync(join(CONFORMANCE_DIR, fixtureCases[0] ?? '', 'expected.iptables'), 'utf8')

  it('a mutated rule in our save form is reported', () => {
    const e = fromPayload(payload())
    const wrong = e.save.replace(/--dport (\d+)/, (_m, p: string) => `--dport ${Number(p) + 1}`)
    expect(wrong).not.toBe(e.save)
    const { problems } = verifyAgainstKernel({ ...e, save: wrong })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^iptables-save differs at line \d+/)
  })

  it('a mutated rule in our listing is reported', () => {
    const e = fromPayload(payload())
    const wrong = e.list.replace('/* ', '/*  ')
    const { problems } = verifyAgainstKernel({ ...e, list: wrong })
    expect(problems).toEqual([expect.stringMatching(/^iptables -L differs at line \d+/)])
  })

  it('a corrupted payload is rejected by iptables-restore', () => {
    const e = fromPayload(payload())
    const corrupted = e.payload.replace('-j KUBE-MARK-MASQ', '-j KUBE-NO-SUCH-CHAIN')
    const { problems } = verifyAgainstKernel({ ...e, payload: corrupted })
    expect(problems).toEqual([expect.stringMatching(/^iptables-restore rejected the payload/)])
  })

  it('a rule iptables loads differently than we print is reported (wrong payload, right expectation)', () => {
    const e = fromPayload(payload())
    // Load a payload whose one rule differs from the one our expectation was printed from.
    const changed = e.payload.replace(/--dport (\d+)/, (_m, p: string) => `--dport ${Number(p) + 1}`)
    const { problems } = verifyAgainstKernel({ ...e, payload: changed })
    expect(problems.length).toBe(2)
  })
})
