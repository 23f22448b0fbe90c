/**
 * The per-port endpoint namer (names.ts endpointNamer, which builds the port's part of the hashed
 * name once) against servicePortEndpointChainNameBase; and writeServicePort's naming of the
 * cluster and local endpoint lists (the reachable list's names reused when a list is that array,
 * a map otherwise): every numgen and affinity target of every policy chain is the endpoint chain
 * of the endpoint at that position of the port's cluster or local list.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildNftablesRuleset } from '../../../../src/core/proxy/nftables/build.ts'
import { endpointNamer, servicePortEndpointChainNameBase, servicePortNames } from '../../../../src/core/proxy/nftables/names.ts'
import { nftProfileFor } from '../../../../src/core/proxy/nftables/version.ts'
import { buildProxyState } from '../../../../src/core/proxy/state.ts'
import { arbConfig, arbService, arbSlice, cluster, proxyConfig } from '../random-cluster.ts'

describe('nftables endpoint names', () => {
  it('endpointNamer names like servicePortEndpointChainNameBase', () => {
    const info = { namespace: 'ns-000', name: 'svc-00000', protocol: 'TCP', portName: 'http' } as Parameters<typeof endpointNamer>[0]
    const ep = (ip: string, port: number) => ({ ip, port }) as Parameters<ReturnType<typeof endpointNamer>>[0]
    // Pinned from the bench's backends case (the name kube-proxy gives this endpoint).
    expect(endpointNamer(info)(ep('100.64.0.2', 8080)).chain).toBe('endpoint-W7V3234H-ns-000/svc-00000/tcp/http__100.64.0.2/8080')
    for (const [ip, port] of [['10.0.0.1', 80], ['fd00::1:2', 443], ['::1', 1]] as const) {
      const base = servicePortEndpointChainNameBase(info, ep(ip, port))
      expect(endpointNamer(info)(ep(ip, port))).toEqual({ chain: `endpoint-${base}`, affinitySet: `affinity-${base}` })
    }
  })

  it('policy chains dispatch to the chains of their own endpoint lists', () => {
    fc.assert(
      fc.property(fc.array(arbService, { maxLength: 5 }), fc.array(arbSlice, { maxLength: 5 }), arbConfig, (ss, ls, c) => {
        const cfg = proxyConfig(c)
        const now = cluster(ss, ls)
        const state = buildProxyState(now.services, now.slices, cfg)
        const rs = buildNftablesRuleset(state, cfg, nftProfileFor('1.34'))
        const chains = new Map(rs.chains.map((ch) => [ch.name, ch]))
        for (const plan of state.servicePorts) {
          const names = servicePortNames(plan.info)
          const namer = endpointNamer(plan.info)
          for (const [chain, list] of [[names.clusterPolicyChain, plan.categorized.clusterEndpoints], [names.localPolicyChain, plan.categorized.localEndpoints]] as const) {
            const numgen = chains.get(chain)?.rules.flatMap((r) => r.statements).find((st) => st.kind === 'numgen')
            if (numgen === undefined || numgen.kind !== 'numgen') continue
            expect(numgen.chains).toEqual(list.map((ep) => namer(ep).chain))
            for (const target of numgen.chains) expect(chains.has(target)).toBe(true)
          }
        }
      }),
      { numRuns: 300, seed: 17 },
    )
  })
})
