// `plan -o mermaid|dot|svg`, `trace -o mermaid|dot|svg` and the diagrams of `diff -o markdown`,
// through the CLI: one subgraph per service port or probe, every endpoint and DROP/REJECT end
// named, hostile names escaped, same input → same bytes.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/run-cli.ts'

const root = join(import.meta.dirname, '..', '..')
const multi = join(root, 'examples', 'multi-node')
const planArgs = [join(multi, 'api-loadbalancer.yaml'), join(multi, 'ingress-nodeport.yaml'), '--cluster', join(multi, 'cluster.yaml')]

interface PlanJson {
  servicePorts: { spn: string; endpoints: { endpoint: string; internalProbability: number; externalProbability?: number }[] }[]
}

const NASTY = 'web "quoted" [x] {y} #1 <b>bold</b> & %%{init: {}}%% | ; \\ end'

function probesFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-diagram-'))
  const path = join(dir, 'probes.yaml')
  writeFileSync(
    path,
    `- name: ${JSON.stringify(NASTY)}\n  from: 10.244.1.99\n  to: 10.96.0.60:80\n- name: refused LB\n  from: 198.51.100.7\n  to: 198.51.100.10:80\n`,
  )
  return path
}

describe('plan -o mermaid', () => {
  it('draws one subgraph per service port naming every endpoint, and the source-range DROP', async () => {
    const json = JSON.parse((await runCli(['plan', ...planArgs, '-o', 'json'])).stdout) as PlanJson
    const r = await runCli(['plan', ...planArgs, '-o', 'mermaid'])
    expect(r.code).toBe(0)
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true)
    expect(r.stdout.match(/^ {2}subgraph /gm)?.length).toBe(json.servicePorts.length)
    for (const sp of json.servicePorts) for (const e of sp.endpoints) expect(r.stdout).toContain(`("${e.endpoint}<br/>`)
    // LB traffic from outside 203.0.113.0/24 is dropped by KUBE-PROXY-FIREWALL; NodePort traffic is masqueraded.
    expect(r.stdout).toMatch(/\["KUBE-PROXY-FIREWALL<br\/>filter table"\]/)
    expect(r.stdout).toMatch(/\{\{"DROP"\}\}/)
    expect(r.stdout).toMatch(/"KUBE-EXT-[A-Z2-7]{16}<br\/>\+ KUBE-MARK-MASQ"/)
    expect(r.stdout).toContain('SNAT from NodePort, LB')
    // Node-local and remote endpoints are told apart, odds are on the arrows.
    expect(r.stdout).toContain('worker-1 #40;local#41;')
    expect(r.stdout).toContain('-->|"1/3"|')
    // The traffic sources are stated (the assumption behind the picture).
    expect(r.stdout).toMatch(/^%% Diagrams trace one new connection per way in: from a pod at 10\.244\.255\.254/m)
  })

  it('prints the same bytes twice, with node ids in order of appearance', async () => {
    const a = await runCli(['plan', ...planArgs, '-o', 'mermaid'])
    const b = await runCli(['plan', ...planArgs, '-o', 'mermaid'])
    expect(a.stdout).toBe(b.stdout)
    const ids = [...a.stdout.matchAll(/^ {4}(d\d+n\d+)[[({]/gm)].map((m) => m[1])
    expect(ids.slice(0, 3)).toEqual(['d0n0', 'd0n1', 'd0n2'])
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('shows the REJECT end of a Service without endpoints and the DROP of externalTrafficPolicy Local', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-diagram-'))
    const svc = join(dir, 'svc.yaml')
    writeFileSync(
      svc,
      [
        'apiVersion: v1\nkind: Service\nmetadata: {name: empty, namespace: default}\nspec: {clusterIP: 10.96.0.77, selector: {app: nothing}, ports: [{port: 80}]}',
        'apiVersion: v1\nkind: Service\nmetadata: {name: far, namespace: default}\nspec:\n  type: NodePort\n  clusterIP: 10.96.0.78\n  externalTrafficPolicy: Local\n  selector: {app: far}\n  ports: [{port: 80, nodePort: 30078}]',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: far-1, namespace: default, labels: {app: far}}\nspec: {nodeName: worker-3, containers: [{name: c, image: x}]}\nstatus: {phase: Running, podIP: 10.244.3.7, conditions: [{type: Ready, status: "True"}]}',
      ].join('\n---\n'),
    )
    const r = await runCli(['plan', svc, '--cluster', join(multi, 'cluster.yaml'), '-o', 'mermaid'])
    const empty = r.stdout.slice(r.stdout.indexOf('subgraph d0'), r.stdout.indexOf('subgraph d1'))
    expect(empty).toContain('{{"REJECT"}}')
    const far = r.stdout.slice(r.stdout.indexOf('subgraph d1'))
    expect(far).toContain('NodePort 192.168.10.11:30078')
    expect(far).toContain('{{"DROP"}}')
    expect(far).toContain('("10.244.3.7:80<br/>worker-3') // reached from pods (cluster-wide), not from outside
  })
})

describe('trace -o mermaid|dot|svg', () => {
  it('draws one subgraph per probe, escaping hostile probe names', async () => {
    const r = await runCli(['trace', ...planArgs, '--probes', probesFile(), '-o', 'mermaid'])
    expect(r.code).toBe(0)
    expect(r.stdout.match(/^ {2}subgraph /gm)?.length).toBe(2)
    const title = /^ {2}subgraph t0\[("[^\n]*")\]$/m.exec(r.stdout)?.[1] ?? ''
    // Only the delimiting quotes are left; nothing can close the label, open HTML or a directive.
    expect(title.slice(1, -1).replace(/#\d+;/g, '')).not.toMatch(/["<>[\]{}|;#\\]/)
    expect(title).toContain('#34;quoted#34;')
    expect(r.stdout).not.toContain('<b>')
    expect(r.stdout).not.toMatch(/%%\{/)
    const refused = r.stdout.slice(r.stdout.indexOf('subgraph t1'))
    expect(refused).toContain('{{"DROP"}}')
  })

  it('-o dot escapes quotes and backslashes; -o svg is XML with no script', async () => {
    const dot = await runCli(['trace', ...planArgs, '--probes', probesFile(), '-o', 'dot'])
    expect(dot.stdout.startsWith('digraph kube_whatif {')).toBe(true)
    expect(dot.stdout).toContain('\\"quoted\\"')
    expect(dot.stdout).toContain('\\\\ end')
    const svg = await runCli(['trace', ...planArgs, '--probes', probesFile(), '-o', 'svg'])
    expect(svg.stdout.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true)
    expect(svg.stdout).not.toMatch(/<script|<b>|\son\w+=/i)
    expect(svg.stdout).toContain('&#60;b&#62;bold')
  })
})

describe('diff -o markdown', () => {
  const scen = join(root, 'test', 'fixtures', 'scenarios', 'lb-exposure')
  const args = ['diff', '--base', join(scen, 'base'), '--head', join(scen, 'head'), '--cluster', join(scen, 'cluster'), '-o', 'markdown']

  it('holds a mermaid block per changed service port, changed arrows highlighted', async () => {
    const r = await runCli(args)
    const blocks = [...r.stdout.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '')
    expect(blocks.length).toBe(1)
    expect(blocks[0]).toMatch(/subgraph b0\["before: public\/api:https 443\/TCP"\]/)
    expect(blocks[0]).toMatch(/subgraph a0\["after: public\/api:https 443\/TCP"\]/)
    expect(blocks[0]).toMatch(/linkStyle [\d,]+ stroke:#1a7f37/)
    expect(blocks[0]).toMatch(/linkStyle [\d,]+ stroke:#cf222e/)
    // The source-range DROP exists before and is gone after.
    expect(blocks[0]).toMatch(/b0n\d+\{\{"DROP"\}\}/)
    expect(blocks[0]).not.toMatch(/a0n\d+\{\{"DROP"\}\}/)
  })
})
