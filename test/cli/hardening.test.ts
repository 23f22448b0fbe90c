/**
 * Issue 12 through the CLI: one test per finding of the hostile-input run. Each input once crashed
 * (exit 70/134), ran for minutes, or produced a wrong or unbounded report; now every one ends in
 * bounded time with a `limit/*` issue (file:line, field path) or an exact answer.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { planFromSources } from '../../src/core/plan/plan.ts'
import type { PlannedEndpoint, PlannedServicePort, PlanResult } from '../../src/core/plan/types.ts'
import { renderPlanJson } from '../../src/core/report/json.ts'
import { renderPlanText } from '../../src/core/report/text.ts'
import { runCli } from '../helpers/run-cli.ts'

vi.setConfig({ testTimeout: 60_000 })

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kw-harden-'))
}

function file(dir: string, name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const deployment = (replicas: number | string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: big, namespace: default}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: big}}
  template:
    metadata: {labels: {app: big}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: big, namespace: default}
spec: {selector: {app: big}, ports: [{port: 80}]}
`

const servicePorts = (name: string, n: number) =>
  `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec:\n  type: NodePort\n  ports:\n${Array.from({ length: n }, (_, i) => `  - {name: p${i}, port: ${(i % 65535) + 1}, protocol: ${['TCP', 'UDP', 'SCTP'][Math.floor(i / 65535)]}}`).join('\n')}\n`

const elapsed = async <T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> => {
  const t0 = performance.now()
  const value = await fn()
  return { value, ms: performance.now() - t0 }
}

describe('finding 1: replicas are checked before pods are synthesised', () => {
  it('replicas: 2147483647 is a limit/replicas error at spec.replicas, and the Service is still planned', async () => {
    const d = tmp()
    const path = file(d, 'bomb.yaml', deployment(2147483647))
    const { value: r, ms } = await elapsed(() => runCli(['plan', path, '-o', 'json']))
    expect(ms).toBeLessThan(10_000)
    expect(r.code).toBe(1)
    const plan = JSON.parse(r.stdout) as { services: { name: string }[]; issues: { code: string; path?: string; source?: { line: number } }[] }
    expect(plan.services.map((s) => s.name)).toEqual(['big'])
    expect(plan.issues).toContainEqual(expect.objectContaining({ code: 'limit/replicas', path: 'spec.replicas', source: expect.objectContaining({ file: path, line: 5 }) }))
    expect(r.stderr).toMatch(new RegExp(`${path}:5: error: Deployment default/big asks for 2147483647 pods.*--max-replicas`))
  })

  it('--max-replicas raises the limit; --max-pods bounds the total over workloads', async () => {
    const d = tmp()
    const path = file(d, 'five.yaml', deployment(5))
    expect((await runCli(['plan', path, '--max-replicas', '4'])).stdout).toMatch(/limit\/replicas|asks for 5 pods/)
    const ok = await runCli(['plan', path, '--max-replicas', '5', '-o', 'json'])
    expect(ok.code).toBe(0)
    expect((JSON.parse(ok.stdout) as { servicePorts: { endpoints: unknown[] }[] }).servicePorts[0]?.endpoints).toHaveLength(5)
    const total = await runCli(['plan', path, '--max-pods', '3'])
    expect(total.code).toBe(1)
    expect(total.stdout).toMatch(/more than the limit of 3 in total \(raise it with --max-pods on the CLI\)/)
    const bad = await runCli(['plan', path, '--max-pods', 'lots'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/invalid value 'lots' for --max-pods: expected a positive integer/)
  })

  it('documents every limit option in plan --help', async () => {
    const help = (await runCli(['plan', '--help'])).stdout
    for (const opt of ['--max-replicas', '--max-pods', '--max-service-ports', '--max-service-endpoints', '--max-endpoints', '--max-trace-paths', '--max-value-bytes']) {
      expect(help).toContain(opt)
    }
  })
})

describe('finding 2: no crash from modest inputs', () => {
  it('a Service with 35,000 ports is a limit/service-ports error by default, and plans without a stack overflow when raised', async () => {
    const d = tmp()
    const path = file(d, 'wide.yaml', servicePorts('wide', 35_000))
    const r = await runCli(['plan', path])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/Service default\/wide has 35000 ports, more than the limit of 1000 per Service/)
    const raised = await runCli(['plan', path, '--max-service-ports', '40000', '-o', 'json'])
    expect(raised.stderr).not.toMatch(/Maximum call stack|internal error/)
    expect([0, 1]).toContain(raised.code)
    // Every one of the 35,000 field errors (NodePort range exhausted, …) or ports is reported, not a crash.
    expect(JSON.parse(raised.stdout)).toHaveProperty('services')
  })

  it('traces a Service with 5,000 endpoints: one outcome per endpoint, probabilities summing to 1', async () => {
    const d = tmp()
    const eps = Array.from({ length: 5_000 }, (_, i) => `  - {addresses: [10.1.${i >> 8}.${i & 255}], conditions: {ready: true}}`).join('\n')
    const path = file(
      d,
      'many.yaml',
      `apiVersion: v1\nkind: Service\nmetadata: {name: many, namespace: default}\nspec: {clusterIP: 10.96.0.50, ports: [{port: 80, protocol: TCP}]}\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: many-1, namespace: default, labels: {kubernetes.io/service-name: many}}\naddressType: IPv4\nports: [{name: '', port: 8080, protocol: TCP}]\nendpoints:\n${eps}\n`,
    )
    const r = await runCli(['trace', '--cluster', path, '--from', '10.0.0.2', '--to', '10.96.0.50:80', '-o', 'json'])
    expect(r.code, r.stderr).toBe(0)
    const t = JSON.parse(r.stdout) as { outcomes: { probability: number }[] }
    expect(t.outcomes).toHaveLength(5_000)
    expect(t.outcomes.reduce((n, o) => n + o.probability, 0)).toBeCloseTo(1, 9)
  })

  it('endpoints over the per-Service limit are a limit/endpoints error at the slice; the rest is planned', async () => {
    const d = tmp()
    const slice = (n: number, from: number) =>
      `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: big-${n}, namespace: default, labels: {kubernetes.io/service-name: big}}\naddressType: IPv4\nports: [{name: '', port: 8080, protocol: TCP}]\nendpoints:\n${Array.from({ length: 100 }, (_, i) => `  - {addresses: [10.2.${(from + i) >> 8}.${(from + i) & 255}]}`).join('\n')}\n`
    const path = file(
      d,
      'cluster.yaml',
      [
        'apiVersion: v1\nkind: Service\nmetadata: {name: big, namespace: default}\nspec: {clusterIP: 10.96.0.60, ports: [{port: 80, protocol: TCP}]}\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: small, namespace: default}\nspec: {clusterIP: 10.96.0.61, ports: [{port: 80, protocol: TCP}]}\n',
        ...Array.from({ length: 3 }, (_, n) => slice(n, n * 100)),
      ].join('---\n'),
    )
    const r = await runCli(['plan', '--cluster', path, '--max-service-endpoints', '250', '-o', 'json'])
    expect(r.code).toBe(1)
    const plan = JSON.parse(r.stdout) as { services: { name: string }[]; issues: { code: string; source?: { line: number } }[] }
    expect(plan.services.map((s) => s.name)).toEqual(['small'])
    expect(plan.issues).toContainEqual(expect.objectContaining({ code: 'limit/endpoints', source: expect.objectContaining({ file: path }) }))
    const total = await runCli(['plan', '--cluster', path, '--max-endpoints', '100'])
    expect(total.stdout).toMatch(/more than the limit of 100 in total/)
  })

  it('renders 130,000 endpoints as text and JSON without a spread or string-length crash', () => {
    const base = planFromSources({ files: [{ path: 'svc.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: default}\nspec: {clusterIP: 10.96.0.5, ports: [{port: 80}]}\n', origin: 'existing' }] }).value
    const port = base.servicePorts[0] as PlannedServicePort
    const endpoints: PlannedEndpoint[] = Array.from({ length: 130_000 }, (_, i) => ({
      ip: `10.3.${i >> 8}.${i & 255}`,
      port: 8080,
      endpoint: `10.3.${i >> 8}.${i & 255}:8080`,
      ready: true,
      serving: true,
      terminating: false,
      local: false,
      internalProbability: 1 / 130_000,
    }))
    const plan: PlanResult = { ...base, servicePorts: [{ ...port, endpoints }] }
    expect(renderPlanText({ value: plan, issues: [] }).length).toBeGreaterThan(130_000)
    expect(renderPlanJson({ value: plan, issues: [] }, '').length).toBeGreaterThan(130_000)
  })

  it('a --rules file of 22 chained -m statistic rules traces exactly and fast instead of enumerating 2^22 paths', async () => {
    const d = tmp()
    const rules = Array.from({ length: 22 }, (_, i) => `-A KUBE-SERVICES -m statistic --mode random --probability 0.5000000000 -j KUBE-MARK-${i}`)
    const chains = Array.from({ length: 22 }, (_, i) => `:KUBE-MARK-${i} - [0:0]`)
    const text = `*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n${chains.join('\n')}\n-A PREROUTING -j KUBE-SERVICES\n${rules.join('\n')}\n-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.0.9:8080\nCOMMIT\n`
    const path = file(d, 'rules.iptables', text)
    const { value: r, ms } = await elapsed(() => runCli(['trace', '--rules', path, '--node-ip', '192.168.0.2', '--from', '10.0.0.2', '--to', '10.96.0.1:80', '-o', 'json']))
    expect(ms).toBeLessThan(10_000)
    expect(r.code, r.stderr).toBe(0)
    const t = JSON.parse(r.stdout) as { output: string; outcomes: { fraction: string; dnat?: string }[] }
    expect(t.output).toBe('10.244.0.9:8080')
    expect(t.outcomes).toEqual([expect.objectContaining({ fraction: '1', dnat: '10.244.0.9:8080' })])
  })

  it('22 statistic rules that each set their own mark bit stop at --max-trace-paths with a limit/trace-paths issue', async () => {
    const d = tmp()
    const rules = Array.from({ length: 22 }, (_, i) => `-A KUBE-SERVICES -m statistic --mode random --probability 0.5000000000 -j MARK --or-mark 0x${(1 << i).toString(16)}`)
    const text = `*nat\n:PREROUTING ACCEPT [0:0]\n:KUBE-SERVICES - [0:0]\n-A PREROUTING -j KUBE-SERVICES\n${rules.join('\n')}\nCOMMIT\n`
    const path = file(d, 'rules.iptables', text)
    const probes = file(d, 'probes.yaml', '- {name: marks, from: 10.0.0.2, to: 10.96.0.1:80}\n')
    const { value: r, ms } = await elapsed(() => runCli(['trace', '--rules', path, '--node-ip', '192.168.0.2', '--probes', probes, '--max-trace-paths', '5000', '-o', 'json']))
    expect(ms).toBeLessThan(20_000)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`${probes}:1: error: Probe marks would take the traced outcomes above 5000.*--max-trace-paths`))
  })

  it('--max-trace-paths also bounds the nftables walker: 3 endpoints with a budget of 2 are not traced, with a budget of 3 they are', async () => {
    const ex = join(import.meta.dirname, '../../examples/multi-node')
    const args = ['trace', '--cluster', join(ex, 'cluster.yaml'), join(ex, 'api-loadbalancer.yaml'), join(ex, 'ingress-nodeport.yaml'), '--from', '10.244.2.99', '--to', '10.96.0.60:80', '--proxy-mode', 'nftables', '-o', 'json']
    const over = await runCli([...args, '--max-trace-paths', '2'])
    expect(over.code).toBe(1)
    expect(over.stderr).toMatch(/error: Probe 10\.244\.2\.99 → 10\.96\.0\.60:80 would take the traced outcomes above 2.*--max-trace-paths/)
    const within = await runCli([...args, '--max-trace-paths', '3'])
    expect(within.code).toBe(0)
    const trace = JSON.parse(within.stdout) as { outcomes: unknown[] }
    expect(trace.outcomes).toHaveLength(3)
  })
})

describe('finding 4: work on ports is linear', () => {
  it('one valid Service with 30,000 NodePort ports plans in bounded time when the limit is raised', async () => {
    const d = tmp()
    const profile = 'apiVersion: kube-whatif.dev/v1alpha1\nkind: ClusterProfile\nserviceNodePortRange: 20000-59999\n'
    const path = file(d, 'wide.yaml', servicePorts('wide', 30_000))
    const cluster = file(d, 'profile.yaml', profile)
    const { value: r, ms } = await elapsed(() => runCli(['plan', path, '--cluster', cluster, '--max-service-ports', '30000', '-o', 'json']))
    expect(r.stderr).not.toMatch(/internal error/)
    const plan = JSON.parse(r.stdout) as { services: { ports: unknown[] }[] }
    expect(plan.services[0]?.ports).toHaveLength(30_000)
    // Quadratic matching took ~9 s here; linear takes well under that even on a busy machine.
    expect(ms).toBeLessThan(30_000)
  })
})

describe('findings 5 and 9: bounded values in every report', () => {
  const longPort = 'a'.repeat(70_000)
  const head = (dir: string) => {
    mkdirSync(join(dir, 'head'))
    mkdirSync(join(dir, 'base'))
    file(join(dir, 'base'), 'empty.yaml', '')
    return file(
      join(dir, 'head'),
      'svc.yaml',
      `apiVersion: v1\nkind: Service\nmetadata: {name: long, namespace: default}\nspec:\n  ports:\n  - {name: ${longPort}, port: 80}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: Bad_Name, namespace: default}\nspec: {ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ok, namespace: default}\nspec: {ports: [{port: 80}], externalName: 'see https://evil.example/x and www.evil.example'}\n`,
    )
  }

  it('a 70,000-character port name keeps every error entry and the Services table in the PR comment', async () => {
    const d = tmp()
    head(d)
    const r = await runCli(['diff', '--base', join(d, 'base'), '--head', join(d, 'head'), '-o', 'markdown'])
    expect(r.stdout).toMatch(/\*\*Errors \(2\)\*\*/)
    const entries = r.stdout.split('\n').filter((l) => l.startsWith('> - '))
    expect(entries.filter((l) => l.includes('is invalid'))).toHaveLength(2)
    expect(entries.some((l) => l.includes('spec.ports\\[0\\].name') && l.includes('more bytes'))).toBe(true)
    expect(r.stdout).toMatch(/\| `\+` \| `default\/ok` \|/)
    expect(r.stdout.length).toBeLessThan(65_000)
  })

  it('a multi-megabyte name prints a bounded report (--max-value-bytes), in every format', async () => {
    const d = tmp()
    const name = 'n'.repeat(3 * 1024 * 1024)
    const path = file(d, 'huge.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: default}\nspec: {ports: [{port: 80}]}\n`)
    for (const format of ['text', 'json']) {
      const r = await runCli(['plan', path, '-o', format])
      expect(r.code).toBe(1)
      expect(r.stdout.length + r.stderr.length, format).toBeLessThan(64 * 1024)
      expect(r.stdout + r.stderr).toMatch(/…\[\d+ more bytes\]/)
    }
    const small = await runCli(['plan', path, '--max-value-bytes', '100'])
    expect(small.stdout.length).toBeLessThan(8 * 1024)
  })

  it('bare URLs in values are not links in the PR comment', async () => {
    const d = tmp()
    mkdirSync(join(d, 'head'))
    mkdirSync(join(d, 'base'))
    file(join(d, 'base'), 'empty.yaml', '')
    file(join(d, 'head'), 'svc.yaml', `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec: {type: ExternalName, externalName: 'https://evil.example/login www.evil.example'}\n`)
    const r = await runCli(['diff', '--base', join(d, 'base'), '--head', join(d, 'head'), '-o', 'markdown'])
    expect(r.stdout).toContain('evil.example')
    expect(r.stdout).not.toMatch(/https:\/\/evil|www\.evil/)
  })
})
