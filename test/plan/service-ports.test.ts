/**
 * plan/service-ports.ts: each endpoint's share of internal and external traffic, with the
 * membership sets built only for forwarded traffic and shared when both kinds of traffic enter
 * the same list. Compared with the definition (1/n for a member of the list the traffic enters,
 * when it is forwarded; 0 otherwise) on random clusters with Local policies and node-local endpoints.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planServicePorts } from '../../src/core/plan/service-ports.ts'
import { buildProxyState } from '../../src/core/proxy/state.ts'
import { arbConfig, arbService, arbSlice, cluster, proxyConfig } from '../core/proxy/random-cluster.ts'

describe('planServicePorts', () => {
  it('gives every endpoint the share of the list its traffic enters (random clusters, Local policies)', () => {
    let local = 0
    let forwarded = 0
    fc.assert(
      fc.property(fc.array(arbService, { maxLength: 5 }), fc.array(arbSlice, { minLength: 2, maxLength: 10 }), arbConfig, (ss, ls, c) => {
        const cfg = proxyConfig(c)
        const now = cluster(ss, ls)
        const state = buildProxyState(now.services, now.slices, cfg)
        const planned = planServicePorts(state, 'test-node')
        state.servicePorts.forEach((sp, i) => {
          const p = planned[i]
          if (p === undefined) throw new Error('missing port')
          const { info, categorized } = sp
          if (info.internalPolicyLocal || info.externalPolicyLocal) local++
          const internalSet = info.internalPolicyLocal ? categorized.localEndpoints : categorized.clusterEndpoints
          const externalSet = info.externalPolicyLocal ? categorized.localEndpoints : categorized.clusterEndpoints
          const share = (set: typeof internalSet, on: boolean, endpoint: string): number => (on && set.some((e) => e.endpoint === endpoint) ? 1 / set.length : 0)
          p.endpoints.forEach((e, k) => {
            const ep = sp.endpoints[k]
            if (ep === undefined) throw new Error('missing endpoint')
            expect(e.internalProbability).toBe(share(internalSet, p.internal.verdict === 'forward', ep.endpoint))
            if (p.external !== undefined) expect(e.externalProbability).toBe(share(externalSet, p.external.verdict === 'forward', ep.endpoint))
            else expect('externalProbability' in e).toBe(false)
            if (e.internalProbability > 0) forwarded++
          })
        })
      }),
      { numRuns: 1500, seed: 16 },
    )
    expect(local).toBeGreaterThan(100)
    expect(forwarded).toBeGreaterThan(100)
  })
})
