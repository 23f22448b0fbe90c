/**
 * Kernel suite: names cannot inject rules (issue 12, finding 6). A `--cluster` Service whose name,
 * port name or EndpointSlice label holds `"`, newlines, `*` and `COMMIT` once came out verbatim in
 * `-o iptables-restore`, and real iptables-restore installed the extra DNAT rules it spelled.
 *
 * Two layers are checked against real iptables in a throw-away network namespace:
 * - the CLI refuses such objects even on the `--cluster` side (no apiserver ever stored them),
 *   prints only the valid Service's rules in every format, and what iptables loads from our
 *   restore and save output holds exactly those rules and no injected address;
 * - the printers themselves, given rule comments full of quotes, backslashes, newlines, `*` and
 *   `COMMIT` (as if a name had slipped past validation), keep each one inside its rule: the
 *   restore and save texts load with exactly as many rules as the IR has.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it, vi } from 'vitest'
import type { Rule, Ruleset } from '../../src/core/proxy/iptables/ir.ts'
import { JUMP_RULES } from '../../src/core/proxy/iptables/jump-chains.ts'
import { printList } from '../../src/core/proxy/iptables/print-list.ts'
import { printRestore } from '../../src/core/proxy/iptables/print-restore.ts'
import { printSave } from '../../src/core/proxy/iptables/print-save.ts'
import { runCli } from '../helpers/run-cli.ts'
import { describeKernel } from './helpers/env.ts'
import { loadAndDump } from './helpers/load.ts'

vi.setConfig({ testTimeout: 90_000 })

/** A payload that, if it escaped its comment, would add a DNAT to 6.6.6.6 and a new table section. */
const PAYLOAD = 'x"\n-A KUBE-SERVICES -j DNAT --to-destination 6.6.6.6:80\nCOMMIT\n*filter\n-A KUBE-FORWARD -j ACCEPT\n#"'
const HOSTILE = [PAYLOAD, 'a"b', 'back\\slash" -j DROP', '*nat', 'COMMIT', 'two  spaces\ttab', "quote'single", '"', '\\', '']

const q = (s: string): string => JSON.stringify(s)

/** `--cluster` objects: one valid Service with an endpoint, and hostile ones of every kind. */
function hostileCluster(): string {
  const docs = [
    `apiVersion: v1
kind: Service
metadata: {name: good, namespace: default}
spec: {clusterIP: 10.96.0.10, ports: [{name: http, port: 80, protocol: TCP}]}`,
    `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: good-abc, namespace: default, labels: {kubernetes.io/service-name: good}}
addressType: IPv4
ports: [{name: http, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.0.5], conditions: {ready: true}, nodeName: node-1}]`,
    // Hostile Service name.
    `apiVersion: v1
kind: Service
metadata: {name: ${q(PAYLOAD)}, namespace: default}
spec: {clusterIP: 10.96.0.11, ports: [{name: http, port: 80, protocol: TCP}]}`,
    // Hostile port name on an otherwise valid Service.
    `apiVersion: v1
kind: Service
metadata: {name: porty, namespace: default}
spec: {clusterIP: 10.96.0.12, ports: [{name: ${q(PAYLOAD)}, port: 80, protocol: TCP}, {name: ok, port: 81, protocol: TCP}]}`,
    `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: porty-abc, namespace: default, labels: {kubernetes.io/service-name: porty}}
addressType: IPv4
ports: [{name: ${q(PAYLOAD)}, port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.0.6], conditions: {ready: true}}]`,
    // Hostile namespace.
    `apiVersion: v1
kind: Service
metadata: {name: nsy, namespace: ${q('ns"\nCOMMIT')}}
spec: {clusterIP: 10.96.0.13, ports: [{port: 80, protocol: TCP}]}`,
    // EndpointSlice whose Service label is hostile.
    `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: lab-abc, namespace: default, labels: {kubernetes.io/service-name: ${q(PAYLOAD)}}}
addressType: IPv4
ports: [{port: 8080, protocol: TCP}]
endpoints: [{addresses: [10.244.0.7], conditions: {ready: true}}]`,
    `apiVersion: v1
kind: Node
metadata: {name: node-1}
spec: {podCIDRs: [10.244.0.0/24]}
status: {addresses: [{type: InternalIP, address: 192.168.0.2}]}`,
  ]
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-inject-'))
  const path = join(dir, 'cluster.yaml')
  writeFileSync(path, `${docs.join('\n---\n')}\n`)
  return path
}

const ruleLines = (save: string): string[] => save.split('\n').filter((l) => l.startsWith('-A '))

describeKernel('hostile names cannot inject iptables rules', () => {
  it('refuses names no apiserver stores, even on the --cluster side, and what iptables loads holds only the valid rules', async () => {
    const cluster = hostileCluster()
    const restore = await runCli(['plan', '--cluster', cluster, '-o', 'iptables-restore'])
    expect(restore.code).toBe(1)
    // Each hostile object is refused with an issue naming the field.
    expect(restore.stderr).toMatch(/metadata\.name: Invalid value/)
    expect(restore.stderr).toMatch(/spec\.ports\[0\]\.name: Invalid value/)
    expect(restore.stderr).toMatch(/metadata\.namespace: Invalid value/)
    expect(restore.stderr).toMatch(/kubernetes\.io\/service-name/)
    expect(restore.stdout).not.toContain('6.6.6.6')
    expect(restore.stdout).toContain('default/good:http')
    for (const format of ['iptables-save', 'iptables-list', 'text', 'json']) {
      const r = await runCli(['plan', '--cluster', cluster, '-o', format])
      // Text and JSON quote the refused values in their issues; no format lets them start a line.
      if (format.startsWith('iptables')) expect(r.stdout, format).not.toContain('6.6.6.6')
      expect(r.stdout.split('\n').filter((l) => /^\s*COMMIT\s*$/.test(l)).length, format).toBe(format === 'iptables-save' ? 2 : 0)
      expect(r.stdout, format).not.toMatch(/^-A KUBE-SERVICES -j DNAT/m)
      // The refusal of stored objects is an assumption the plan states.
      if (format === 'json' || format === 'text') expect(r.stdout, format).toContain('was never accepted by any kube-apiserver version')
    }
    const dump = loadAndDump(restore.stdout, { family: 'IPv4', jumpRules: JUMP_RULES })
    expect(dump.setupError).toBeUndefined()
    expect(dump.restoreStatus, dump.restoreStderr).toBe(0)
    expect(dump.save).not.toContain('6.6.6.6')
    // Exactly one DNAT: the valid Service's only endpoint.
    expect(ruleLines(dump.save).filter((l) => l.includes('-j DNAT'))).toEqual([expect.stringContaining('--to-destination 10.244.0.5:8080')])
    const save = await runCli(['plan', '--cluster', cluster, '-o', 'iptables-save'])
    const fromSave = loadAndDump(save.stdout.split('\n').filter((l) => !/^-A (PREROUTING|OUTPUT|POSTROUTING|INPUT|FORWARD) /.test(l)).join('\n'), { family: 'IPv4', jumpRules: JUMP_RULES })
    expect(fromSave.restoreStatus, fromSave.restoreStderr).toBe(0)
    expect(ruleLines(fromSave.save).length).toBe(ruleLines(dump.save).length)
  })

  it('every printer keeps a hostile comment inside its one rule: iptables loads exactly the rules of the IR', () => {
    const rules: Rule[] = HOSTILE.map((text, i) => ({
      matches: [{ kind: 'comment', text }, { kind: 'address', dir: 'dst', value: `10.96.1.${i + 1}/32`, negate: false }],
      target: { kind: 'verdict', verdict: 'ACCEPT' },
    }))
    const ruleset: Ruleset = {
      backend: 'iptables',
      family: 'IPv4',
      node: 'n1',
      tables: [{ name: 'filter', chains: [{ name: 'KUBE-TEST', rules }] }],
    }
    const restore = printRestore(ruleset)
    // One line per rule plus *filter, the chain declaration and COMMIT.
    expect(restore.split('\n').filter((l) => l !== '')).toHaveLength(rules.length + 3)
    const fromRestore = loadAndDump(restore, { family: 'IPv4', jumpRules: [], nfacct: false })
    expect(fromRestore.restoreStatus, fromRestore.restoreStderr).toBe(0)
    const loaded = ruleLines(fromRestore.save)
    expect(loaded).toHaveLength(rules.length)
    // The payload's text is still there, inside its comment: nothing it spells became a rule or chain.
    expect(loaded.every((l) => l.startsWith('-A KUBE-TEST ') && l.endsWith(' -j ACCEPT'))).toBe(true)
    expect(fromRestore.save).not.toMatch(/^(:KUBE-FORWARD|:KUBE-SERVICES|-A KUBE-SERVICES)/m)
    // The destinations are the IR's, in order: no rule was split, merged or added.
    expect(loaded.map((l) => /-d (\S+)/.exec(l)?.[1])).toEqual(rules.map((_, i) => `10.96.1.${i + 1}/32`))

    const save = printSave(ruleset, { jumpRules: [] })
    const fromSave = loadAndDump(save, { family: 'IPv4', jumpRules: [], nfacct: false })
    expect(fromSave.restoreStatus, fromSave.restoreStderr).toBe(0)
    expect(ruleLines(fromSave.save)).toEqual(loaded)

    const list = printList(ruleset, { jumpRules: [] })
    // `iptables -L` prints one line per rule after the chain header and column titles.
    expect(list.split('\n').filter((l) => l.startsWith('ACCEPT'))).toHaveLength(rules.length)
    expect(list).not.toMatch(/^-A /m)
  })
})
