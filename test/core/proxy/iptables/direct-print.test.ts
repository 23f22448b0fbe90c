/**
 * The two ways a plan's restore text is printed give the same bytes: straight from the builders'
 * writes (`printIptablesRestore`, RestoreTextWriter: the `-o iptables-restore` path, no IR) and
 * from the IR (`printRestore(buildIptablesRuleset(…))`), over random clusters, kube-proxy
 * configurations and previous node states (whose stale chains produce `-X` lines); and the plan's
 * lazy ruleset prints and reads the same as an eagerly built one whichever is asked first.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildIptablesRuleset, printIptablesRestore } from '../../../../src/core/proxy/iptables/build.ts'
import { readCurrentRules } from '../../../../src/core/proxy/iptables/current-rules.ts'
import { lazyIptablesRuleset } from '../../../../src/core/proxy/iptables/lazy-ruleset.ts'
import { printRestore } from '../../../../src/core/proxy/iptables/print-restore.ts'
import { buildProxyState } from '../../../../src/core/proxy/state.ts'
import { arbConfig, arbService, arbSlice, cluster, proxyConfig } from '../random-cluster.ts'

describe('restore text without the IR', () => {
  it('is byte for byte the IR printed, with and without a previous node state', () => {
    fc.assert(
      fc.property(
        fc.array(arbService, { maxLength: 5 }),
        fc.array(arbSlice, { maxLength: 5 }),
        fc.array(arbService, { maxLength: 5 }),
        fc.array(arbSlice, { maxLength: 5 }),
        arbConfig,
        (ss, ls, prevSs, prevLs, c) => {
          const cfg = proxyConfig(c)
          const now = cluster(ss, ls)
          const state = buildProxyState(now.services, now.slices, cfg)
          expect(printIptablesRestore(state, cfg)).toBe(printRestore(buildIptablesRuleset(state, cfg)))
          // A node that ran a sync of another cluster: its service chains this sync does not write are deleted.
          const prev = cluster(prevSs, prevLs)
          const prevText = printRestore(buildIptablesRuleset(buildProxyState(prev.services, prev.slices, cfg), cfg))
          const current = readCurrentRules(prevText, 'current.rules', 'IPv4').value
          expect(current).toBeDefined()
          const viaIR = printRestore(buildIptablesRuleset(state, cfg, current))
          expect(printIptablesRestore(state, cfg, current)).toBe(viaIR)
        },
      ),
      { numRuns: 300, seed: 7 },
    )
  })

  it('a lazy ruleset prints and reads like an eager one, whichever comes first', () => {
    const now = cluster(
      [{ name: 'a', type: 'LoadBalancer', etp: 'Local', itp: undefined, affinity: true, externalIPs: ['192.168.99.1'], lbIPs: ['1.2.3.4'], ranges: ['203.0.113.0/25'], ports: [{ name: 'p', protocol: 'TCP' }] }],
      [{ svc: 'a', ports: [{ name: 'p', protocol: 'TCP', port: 8080 }], endpoints: [{ ip: '10.1.0.1', node: 'test-node', ready: undefined }, { ip: '10.1.0.2', node: 'other', ready: undefined }] }],
    )
    const cfg = proxyConfig({ masqueradeAll: false, localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' }, localhostNodePorts: true, nfacct: false })
    const state = buildProxyState(now.services, now.slices, cfg)
    const eager = buildIptablesRuleset(state, cfg)
    const text = printRestore(eager)
    expect(text).toContain('KUBE-SEP-')

    const printedFirst = lazyIptablesRuleset(state, cfg)
    expect(printRestore(printedFirst)).toBe(text)
    expect(printedFirst.tables).toEqual(eager.tables)
    expect(printRestore(printedFirst)).toBe(text)

    const readFirst = lazyIptablesRuleset(state, cfg)
    expect(readFirst.tables).toEqual(eager.tables)
    expect(readFirst.tables).toBe(readFirst.tables)
    expect(printRestore(readFirst)).toBe(text)
    expect({ ...readFirst }).toEqual(eager)

    // The unit-test fake's mark style is printed from the IR.
    const short = printRestore(lazyIptablesRuleset(state, cfg), { markStyle: 'short' })
    expect(short).toBe(printRestore(eager, { markStyle: 'short' }))
    expect(short).not.toBe(text)
  })
})
