/**
 * The nftables transaction printed straight from the builders' writes (`printNftablesTransaction`,
 * NftTextWriter: the `-o nft` path, no IR) is byte for byte the IR printed
 * (`printNftTransaction(buildNftablesRuleset(…))`), over random clusters, configurations and both
 * version profiles; and the plan's lazy ruleset prints and reads like an eager one.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildNftablesRuleset, printNftablesTransaction } from '../../../../src/core/proxy/nftables/build.ts'
import { lazyNftablesRuleset } from '../../../../src/core/proxy/nftables/lazy-ruleset.ts'
import { printNftTransaction } from '../../../../src/core/proxy/nftables/print-transaction.ts'
import { nftProfileFor } from '../../../../src/core/proxy/nftables/version.ts'
import { buildProxyState } from '../../../../src/core/proxy/state.ts'
import { arbConfig, arbService, arbSlice, cluster, proxyConfig } from '../random-cluster.ts'

describe('nft transaction without the IR', () => {
  it('is byte for byte the IR printed', () => {
    fc.assert(
      fc.property(fc.array(arbService, { maxLength: 5 }), fc.array(arbSlice, { maxLength: 5 }), arbConfig, fc.constantFrom('1.33', '1.34'), (ss, ls, c, version) => {
        const cfg = proxyConfig(c)
        const profile = nftProfileFor(version)
        const now = cluster(ss, ls)
        const state = buildProxyState(now.services, now.slices, cfg)
        expect(printNftablesTransaction(state, cfg, profile)).toBe(printNftTransaction(buildNftablesRuleset(state, cfg, profile)))
      }),
      { numRuns: 300, seed: 11 },
    )
  })

  it('a lazy ruleset prints and reads like an eager one, whichever comes first', () => {
    const now = cluster(
      [
        { name: 'a', type: 'LoadBalancer', etp: 'Local', itp: undefined, affinity: true, externalIPs: ['192.168.99.1'], lbIPs: ['1.2.3.4'], ranges: ['203.0.113.0/25'], ports: [{ name: 'p', protocol: 'TCP' }] },
        { name: 'b', type: 'NodePort', etp: undefined, itp: undefined, affinity: false, externalIPs: [], lbIPs: [], ranges: [], ports: [{ name: 'q', protocol: 'UDP' }] },
      ],
      [{ svc: 'a', ports: [{ name: 'p', protocol: 'TCP', port: 8080 }], endpoints: [{ ip: '10.1.0.1', node: 'test-node', ready: undefined }, { ip: '10.1.0.2', node: 'other', ready: undefined }] }],
    )
    const cfg = proxyConfig({ masqueradeAll: false, localDetector: { mode: 'ClusterCIDR', clusterCIDR: '10.0.0.0/8' }, localhostNodePorts: true, nfacct: false })
    const profile = nftProfileFor('1.34')
    const state = buildProxyState(now.services, now.slices, cfg)
    const eager = buildNftablesRuleset(state, cfg, profile)
    const text = printNftTransaction(eager)
    expect(text).toContain('add element ip kube-proxy no-endpoint-nodeports')

    const printedFirst = lazyNftablesRuleset(state, cfg, profile)
    expect(printNftTransaction(printedFirst)).toBe(text)
    expect(printedFirst.chains).toEqual(eager.chains)
    expect(printNftTransaction(printedFirst)).toBe(text)

    const readFirst = lazyNftablesRuleset(state, cfg, profile)
    expect(readFirst.elements).toEqual(eager.elements)
    expect(readFirst.sets).toEqual(eager.sets)
    expect(readFirst.chains).toBe(readFirst.chains)
    expect(printNftTransaction(readFirst)).toBe(text)
    expect({ ...readFirst }).toEqual(eager)

    const short = printNftTransaction(lazyNftablesRuleset(state, cfg, profile), { markStyle: 'short' })
    expect(short).toBe(printNftTransaction(eager, { markStyle: 'short' }))
    expect(short).not.toBe(text)
  })
})
