/**
 * schemas/*.schema.json (JSON Schema 2020-12, published in the npm package) against what the CLI
 * prints: `plan -o json` for every example (both families), `diff -o json` for every diff
 * scenario, `trace -o json` for probes to every service port of every example, single and list.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv2020 from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'

const root = join(import.meta.dirname, '..', '..')
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true })
const load = (name: string) => ajv.compile(JSON.parse(readFileSync(join(root, 'schemas', `${name}.schema.json`), 'utf8')) as object)
const schemas = { plan: load('plan'), diff: load('diff'), trace: load('trace') }

function check(kind: keyof typeof schemas, text: string): unknown {
  const doc = JSON.parse(text) as unknown
  const validate = schemas[kind]
  const ok = validate(doc)
  expect(ok ? [] : validate.errors).toEqual([])
  return doc
}

const examples = readdirSync(join(root, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `examples/${d.name}`)
const scenarios = readdirSync(join(root, 'test/fixtures/scenarios'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => `test/fixtures/scenarios/${d.name}`)

describe('schemas/plan.schema.json', () => {
  it.each(examples)('validates plan -o json of %s (IPv4 and IPv6)', async (dir) => {
    for (const family of ['IPv4', 'IPv6']) check('plan', (await runCli(['plan', dir, '--ip-family', family, '-o', 'json'])).stdout)
  })

  it.each(examples)('validates plan -o json of %s in nftables mode (--proxy-mode nftables)', async (dir) => {
    const doc = check('plan', (await runCli(['plan', dir, '--proxy-mode', 'nftables', '-o', 'json'])).stdout) as Record<string, unknown>
    expect(doc.proxyMode).toBe('nftables')
    expect(doc.iptablesRestore).toBeNull()
    expect(typeof doc.nftables).toBe('string')
  })

  it('rejects a plan missing a required field or with a wrong enum (the schema can fail)', async () => {
    const doc = check('plan', (await runCli(['plan', 'examples/meu-namespace', '-o', 'json'])).stdout) as Record<string, unknown>
    expect(schemas.plan({ ...doc, iptablesRestore: undefined })).toBe(false)
    expect(schemas.plan({ ...doc, ipFamily: 'IPv5' })).toBe(false)
  })
})

describe('schemas/diff.schema.json', () => {
  it.each(scenarios)('validates diff -o json of %s', async (dir) => {
    const probes = readdirSync(join(root, dir)).includes('probes.yaml') ? ['--probes', `${dir}/probes.yaml`] : []
    check('diff', (await runCli(['diff', '--base', `${dir}/base`, '--head', `${dir}/head`, '--cluster', `${dir}/cluster`, ...probes, '-o', 'json'])).stdout)
  })
})

describe('schemas/diff.schema.json, proxy modes', () => {
  it.each(scenarios)('validates diff -o json of %s in nftables mode and as an iptables -> nftables migration', async (dir) => {
    const sides = ['--base', `${dir}/base`, '--head', `${dir}/head`, '--cluster', `${dir}/cluster`]
    check('diff', (await runCli(['diff', ...sides, '--proxy-mode', 'nftables', '-o', 'json'])).stdout)
    const migration = check('diff', (await runCli(['diff', ...sides, '--base-proxy-mode', 'iptables', '--head-proxy-mode', 'nftables', '-o', 'json'])).stdout) as Record<string, unknown>
    expect(migration.proxyMode).toEqual({ base: 'iptables', head: 'nftables' })
  })
})

describe('schemas/trace.schema.json', () => {
  it.each(examples)('validates trace -o json of %s (each service port, single and as a probes list)', async (dir) => {
    const plan = JSON.parse((await runCli(['plan', dir, '-o', 'json'])).stdout) as {
      servicePorts: { clusterIP: string; port: number; protocol: string; endpoints: { ip: string }[] }[]
    }
    const probes = plan.servicePorts.map((p) => ({ from: p.endpoints[0]?.ip ?? '203.0.113.7', to: `${p.clusterIP}:${p.port}`, protocol: p.protocol.toLowerCase() }))
    expect(probes.length).toBeGreaterThan(0)
    for (const p of probes) {
      const one = await runCli(['trace', dir, '--from', p.from, '--to', p.to, '--protocol', p.protocol, '-o', 'json'])
      expect(one.stderr).not.toMatch(/error/)
      check('trace', one.stdout)
    }
    const list = await runCli(['trace', dir, '--probes', '-', '-o', 'json'], { stdinText: JSON.stringify(probes) })
    expect(list.stderr).not.toMatch(/error/)
    expect((check('trace', list.stdout) as unknown[]).length).toBe(probes.length)
    const nft = await runCli(['trace', dir, '--proxy-mode', 'nftables', '--probes', '-', '-o', 'json'], { stdinText: JSON.stringify(probes) })
    expect(nft.stderr).not.toMatch(/error/)
    expect((check('trace', nft.stdout) as unknown[]).length).toBe(probes.length)
  })
})
