// Issue 12 in real workerd: no request can take the isolate down or hold it for long. Each test
// is one finding from the hostile-request run: a ~420-byte Deployment with replicas 2147483647
// once killed workerd after ~90 s (and /healthz blocked meanwhile); a Service with 35,000 ports
// crashed on a spread into push; a trace of a Service with 5,000 endpoints overflowed the stack.
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../src/app.ts'
import { corePlanner } from '../src/planner.ts'
import { readBody } from '../src/request.ts'
import { HttpError } from '../src/errors.ts'
import { postJson, postYaml, startWorker } from './helpers/harness.ts'
import type { Harness } from './helpers/harness.ts'

const started = await startWorker()
const ready = 'mf' in started
const w = started as Harness
afterAll(async () => {
  if ('mf' in started) await started.dispose()
})

vi.setConfig({ testTimeout: 60_000 })

const BOMB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: default}
spec:
  replicas: 2147483647
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: big, namespace: default}
spec: {selector: {app: big}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: default}
spec: {ports: [{port: 81}]}
`

interface PlanJson {
  services: { name: string }[]
  issues: { code: string; severity: string; source?: { line: number }; path?: string }[]
}

describe.skipIf(!ready)('hostile requests in workerd', () => {
  it('replicas: 2147483647 is a limit/replicas issue at its line, the rest planned, answered 200 quickly while /healthz stays up', async () => {
    const t0 = performance.now()
    const [res, health] = await Promise.all([w.fetch('/v1/plan', postYaml(BOMB)), w.fetch('/healthz')])
    expect(health.status).toBe(200)
    const text = await res.text()
    expect(res.status, text).toBe(200)
    expect(performance.now() - t0).toBeLessThan(10_000)
    const plan = JSON.parse(text) as PlanJson
    expect(plan.services.map((s) => s.name)).toEqual(['big', 'other'])
    expect(plan.issues).toContainEqual(expect.objectContaining({ code: 'limit/replicas', severity: 'error', path: 'spec.replicas', source: expect.objectContaining({ line: 5 }) }))
    // The Worker's limits are fixed: the same Deployment at 20,000 replicas is still refused.
    const smaller = await w.fetch('/v1/plan', postYaml(BOMB.replace('2147483647', '20000')))
    expect(((await smaller.json()) as PlanJson).issues.map((i) => i.code)).toContain('limit/replicas')
  })

  it('a Service with more ports than the limit is a limit/service-ports issue, the rest planned', async () => {
    const ports = Array.from({ length: 2_000 }, (_, i) => `  - {name: p${i}, port: ${(i % 60000) + 1}}`).join('\n')
    const yaml = `apiVersion: v1\nkind: Service\nmetadata: {name: wide, namespace: default}\nspec:\n  ports:\n${ports}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ok, namespace: default}\nspec: {ports: [{port: 80}]}\n`
    const res = await w.fetch('/v1/plan', postYaml(yaml))
    const text = await res.text()
    expect(res.status, text.slice(0, 500)).toBe(200)
    const plan = JSON.parse(text) as PlanJson
    expect(plan.services.map((s) => s.name)).toEqual(['ok'])
    expect(plan.issues.map((i) => i.code)).toContain('limit/service-ports')
  })

  it('traces a Service with 5,000 endpoints (iterative walker): one outcome each, Σ = 1', async () => {
    const eps = Array.from({ length: 5_000 }, (_, i) => `  - {addresses: [10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}], conditions: {ready: true}}`).join('\n')
    const cluster = `apiVersion: v1\nkind: Service\nmetadata: {name: many, namespace: default}\nspec: {clusterIP: 10.96.0.50, ports: [{port: 80, protocol: TCP}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: many-1, namespace: default, labels: {kubernetes.io/service-name: many}}\naddressType: IPv4\nports: [{name: '', port: 8080, protocol: TCP}]\nendpoints:\n${eps}\n`
    const res = await w.fetch('/v1/trace', postJson({ cluster, probe: { from: '10.0.0.2', to: '10.96.0.50:80' } }))
    const text = await res.text()
    expect(res.status, text.slice(0, 500)).toBe(200)
    const trace = JSON.parse(text) as { outcomes: { fraction: string; probability: number }[] }
    expect(trace.outcomes).toHaveLength(5_000)
    // kube-proxy rounds each 1/(n-i) to ten decimals; the exact products still sum to 1.
    expect(trace.outcomes.reduce((n, o) => n + o.probability, 0)).toBeCloseTo(1, 9)
    expect(trace.outcomes[0]?.fraction).toBe('1/5000')
  })
})

describe('client disconnects', () => {
  const aborted = (): Request =>
    new Request('http://x/v1/plan', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(new TextEncoder().encode('{"manifests": "'))
        },
        pull(c) {
          c.error(new TypeError('Network connection lost.'))
        },
      }),
      duplex: 'half',
    } as RequestInit)

  it('a body that stops mid-way is a request-aborted problem, not an unhandled error', async () => {
    await expect(readBody(aborted(), { limit: 1 << 20, allowYaml: true })).rejects.toSatisfy((e) => e instanceof HttpError && e.kind === 'request-aborted')
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const res = await createApp(corePlanner).fetch(aborted(), {})
      expect(res.status).toBe(400)
      expect(logged).not.toHaveBeenCalled()
    } finally {
      logged.mockRestore()
    }
  })
})
