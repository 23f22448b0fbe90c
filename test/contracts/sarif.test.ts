/**
 * `plan -o sarif` and `diff -o sarif` through the CLI, validated against the OASIS SARIF 2.1.0
 * schema, with every located issue as a result at file:line:column and rule ids = issue codes.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'

const root = join(import.meta.dirname, '..', '..')
const schema = JSON.parse(readFileSync(join(root, 'test/fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8')) as object
// The schema's `language` pattern is not valid with the u flag; it was written for non-unicode regexps.
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
addFormats(ajv)
const validate = ajv.compile(schema)

interface SarifLog {
  version: string
  runs: {
    tool: { driver: { name: string; version?: string; rules: { id: string }[] } }
    invocations: { toolExecutionNotifications: { descriptor: { id: string }; message: { text: string } }[] }[]
    results: {
      ruleId: string
      ruleIndex: number
      level: string
      message: { text: string }
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn?: number } } }[]
      properties?: Record<string, string>
    }[]
  }[]
}

function valid(text: string): SarifLog {
  const log = JSON.parse(text) as SarifLog
  const ok = validate(log)
  expect(ok ? [] : validate.errors).toEqual([])
  return log
}

const BAD = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: NodePort
  ports:
  - port: 80
    nodePort: 80
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec:
  selector: {app: api}
  ports: [{port: 8080}]
`

describe('plan -o sarif', () => {
  it('is a valid SARIF 2.1.0 log with one located result per issue', async () => {
    const r = await runCli(['plan', 'bad.yaml', '-o', 'sarif'], { readFile: async () => BAD, stat: async () => 'file' })
    expect(r.code).toBe(1)
    const log = valid(r.stdout)
    const [run] = log.runs
    expect(log.version).toBe('2.1.0')
    expect(run?.tool.driver.name).toBe('kube-whatif')
    expect(run?.tool.driver.version).toMatch(/^\d+\.\d+\.\d+/)
    const results = run?.results ?? []
    expect(results.map((x) => [x.ruleId, x.level, x.locations[0]?.physicalLocation.artifactLocation.uri, x.locations[0]?.physicalLocation.region.startLine])).toEqual([
      ['alloc/node-port-out-of-range', 'error', 'bad.yaml', 8],
      ['endpoints/selector-matches-nothing', 'warning', 'bad.yaml', 14],
    ])
    expect(results[0]?.message.text).toMatch(/nodePort: Invalid value: 80/)
    expect(results[0]?.locations[0]?.physicalLocation.region.startColumn).toBeGreaterThanOrEqual(1)
    // rule ids are the issue codes, and each result points at its rule
    for (const x of results) expect(run?.tool.driver.rules[x.ruleIndex]?.id).toBe(x.ruleId)
  })

  it('puts issues without a file (cluster-wide) in the tool notifications, and is byte-stable', async () => {
    const kubeProxy = 'apiVersion: kubeproxy.config.k8s.io/v1alpha1\nkind: KubeProxyConfiguration\nmode: ipvs\n'
    const io = { readFile: async (p: string) => (p === 'kp.yaml' ? kubeProxy : BAD), stat: async () => 'file' as const }
    const a = await runCli(['plan', 'bad.yaml', '--cluster', 'kp.yaml', '-o', 'sarif'], io)
    const b = await runCli(['plan', 'bad.yaml', '--cluster', 'kp.yaml', '-o', 'sarif'], io)
    expect(a.stdout).toBe(b.stdout)
    const log = valid(a.stdout)
    const notes = log.runs[0]?.invocations[0]?.toolExecutionNotifications ?? []
    expect(notes.map((n) => n.descriptor.id)).toEqual(['cluster/proxy-mode'])
    expect(log.runs[0]?.results.map((x) => x.ruleId)).toEqual(['alloc/node-port-out-of-range', 'endpoints/selector-matches-nothing'])
  })

  it('is valid for every example', async () => {
    for (const ex of ['meu-namespace', 'multi-node', 'workloads']) valid((await runCli(['plan', `examples/${ex}`, '-o', 'sarif'])).stdout)
  })
})

describe('diff -o sarif', () => {
  it('is a valid SARIF 2.1.0 log of the findings, with the side kept', async () => {
    const dir = 'test/fixtures/scenarios'
    for (const scenario of ['shop-pr', 'invalid-input', 'lb-exposure', 'deleted-shared-pods', 'range-nearly-full', 'no-changes']) {
      const s = `${dir}/${scenario}`
      const r = await runCli(['diff', '--base', `${s}/base`, '--head', `${s}/head`, '--cluster', `${s}/cluster`, '-o', 'sarif'])
      const json = JSON.parse((await runCli(['diff', '--base', `${s}/base`, '--head', `${s}/head`, '--cluster', `${s}/cluster`, '-o', 'json'])).stdout) as {
        findings: { code: string; source?: unknown; side: string; severity: string }[]
      }
      const log = valid(r.stdout)
      const results = log.runs[0]?.results ?? []
      const located = json.findings.filter((f) => f.source !== undefined)
      expect(results.map((x) => [x.ruleId, x.properties?.side, x.level])).toEqual(
        located.map((f) => [f.code, f.side, f.severity === 'notice' ? 'note' : f.severity]),
      )
    }
  })
})
