/** Bad user input produces issues, never a crash; output stays deterministic. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { run, svc, workload } from './helpers.ts'

const value = fc.oneof(fc.string(), fc.integer({ min: -5, max: 70000 }), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }))
const spec = fc.record(
  {
    type: fc.oneof(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', ''), fc.string()),
    clusterIP: fc.oneof(fc.constantFrom('None', '10.96.0.5', 'fd00::5', ''), fc.string()),
    clusterIPs: fc.array(fc.oneof(fc.constantFrom('None', '10.96.0.6', 'fd00:10:96::6'), fc.string()), { maxLength: 3 }),
    ipFamilies: fc.array(fc.oneof(fc.constantFrom('IPv4', 'IPv6'), fc.string()), { maxLength: 3 }),
    ipFamilyPolicy: fc.oneof(fc.constantFrom('SingleStack', 'PreferDualStack', 'RequireDualStack'), fc.string()),
    selector: fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 2 }),
    ports: fc.array(
      fc.record({ name: value, port: value, protocol: value, targetPort: value, nodePort: fc.oneof(fc.integer({ min: 0, max: 40000 }), value) }, { requiredKeys: [] }),
      { maxLength: 3 },
    ),
    externalTrafficPolicy: value,
    healthCheckNodePort: value,
    sessionAffinity: value,
    allocateLoadBalancerNodePorts: value,
  },
  { requiredKeys: [] },
)

describe('robustness', () => {
  it('never throws on arbitrary Service specs and is deterministic', () => {
    fc.assert(
      fc.property(fc.array(spec, { maxLength: 4 }), fc.constantFrom('10.96.0.0/28', '10.96.0.0/16,fd00:10:96::/112', 'fd00::/120'), (specs, range) => {
        const services = specs.map((s, i) => svc({ metadata: { name: `s${i}` }, spec: s }))
        const a = run({ services }, { profile: { serviceClusterIPRange: range } })
        const b = run({ services }, { profile: { serviceClusterIPRange: range } })
        expect(JSON.stringify(b.value.allocations)).toBe(JSON.stringify(a.value.allocations))
        for (const r of a.value.ranges) expect(r.used + r.free).toBe(r.size)
      }),
      { numRuns: 300 },
    )
  })
  it('never throws on malformed workloads', () => {
    fc.assert(
      fc.property(fc.constantFrom('Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet'), fc.jsonValue(), (kind, spec) => {
        run({ others: [workload(kind, { metadata: { name: 'w' }, spec })] })
      }),
      { numRuns: 200 },
    )
  })
})
