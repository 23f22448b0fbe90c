/**
 * Opt-in timing check (timing assertions are flaky on shared CI runners):
 *   PARSE_PERF=1 npx vitest run test/core/parse/perf.test.ts
 * Parsing 10 000 Services must take well under 2× js-yaml's plain loadAll of the same text.
 */
import { loadAll, YAML11_SCHEMA } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { parseSources } from '../../../src/core/parse/index.ts'

function services(n: number): string {
  const docs: string[] = []
  for (let i = 0; i < n; i++)
    docs.push(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: svc-${i}`,
        `  namespace: ns-${i % 50}`,
        `  labels: {app.kubernetes.io/name: svc-${i}, team: t${i % 7}}`,
        'spec:',
        '  type: NodePort',
        `  selector: {app: svc-${i}}`,
        '  ports:',
        '  - {name: http, port: 80, targetPort: http, protocol: TCP}',
        '  - {name: https, port: 443, targetPort: 8443}',
        '  externalTrafficPolicy: Cluster',
        '',
      ].join('\n'),
    )
  return docs.join('---\n')
}

/** Best CPU time of `runs` runs, in ms: CPU time and the minimum are the least disturbed by other load. */
function best(f: () => void, runs = 5): number {
  let min = Infinity
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage()
    f()
    const d = process.cpuUsage(start)
    min = Math.min(min, (d.user + d.system) / 1000)
  }
  return min
}

describe.runIf(process.env['PARSE_PERF'] === '1')('parse performance', () => {
  it('parses 10k Services in under 2× plain loadAll time', { timeout: 180_000 }, () => {
    const text = services(10_000)
    const files = [{ path: 'big.yaml', text, origin: 'proposed' as const }]
    loadAll(text, { schema: YAML11_SCHEMA })
    expect(parseSources(files).value.services).toHaveLength(10_000)
    const plain = best(() => loadAll(text, { schema: YAML11_SCHEMA }))
    const ours = best(() => parseSources(files))
    console.log(`loadAll ${plain.toFixed(0)} ms, parseSources ${ours.toFixed(0)} ms, ratio ${(ours / plain).toFixed(2)}`)
    expect(ours / plain).toBeLessThan(2)
  })
})
