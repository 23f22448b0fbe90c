// Integration tests: the production bundle running in real workerd (Miniflare), every route and
// every error status, the body limit, CORS and the token.
import { afterAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { EXAMPLES } from '../src/examples.ts'
import { GZIP_BUDGET_BYTES } from '../../scripts/build-worker.mjs'
import { postJson, postYaml, startWorker } from './helpers/harness.ts'
import type { Harness } from './helpers/harness.ts'

const plain = await startWorker()
const guarded = await startWorker({ API_TOKEN: 'test-token', MAX_BODY_BYTES: '2048' })
const ready = 'mf' in plain && 'mf' in guarded
const w = plain as Harness
const g = guarded as Harness
afterAll(async () => {
  if ('mf' in plain) await plain.dispose()
  if ('mf' in guarded) await guarded.dispose()
})

const example = (id: string) => EXAMPLES.find((e) => e.id === id)!
const mongo = example('clusterip-nodeport')

interface Problem {
  type: string
  title: string
  status: number
  detail: string
  issues?: { code: string; severity: string; message: string; source?: { file: string; line: number; column: number } }[]
  errors?: { pointer: string; detail: string }[]
}

async function problem(res: Response, status: number): Promise<Problem> {
  const text = await res.text()
  expect(res.status, text).toBe(status)
  expect(res.headers.get('content-type')).toBe('application/problem+json')
  const body = JSON.parse(text) as Problem
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\//), title: expect.any(String), detail: expect.any(String) })
  return body
}

describe.skipIf(!ready)('worker in workerd', () => {
  it('bundle stays under the gzip budget', () => {
    console.log(`worker bundle: ${w.bundle.bytes} bytes, ${w.bundle.gzipBytes} gzipped`)
    expect(w.bundle.gzipBytes).toBeLessThan(GZIP_BUDGET_BYTES)
  })

  it('bundle renames no function at run time (wrangler.jsonc keep_names: false)', () => {
    // esbuild's keep-names helper, `(e,t)=>X(e,"name",{value:t,configurable:!0})`, called for every
    // function and class made while a request runs: ~4% of a /v1/plan request's CPU in workerd.
    expect(readFileSync(w.bundle.path, 'utf8')).not.toMatch(/"name",\{value:[\w$]+,configurable:!0\}/)
  })

  describe('GET routes', () => {
    it('/ is the playground: its script and stylesheet are same-origin files, no inline code', async () => {
      const res = await w.fetch('/')
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/html/)
      const html = await res.text()
      expect(html).toContain('<label for="manifests">')
      // The playground offers every modelled Kubernetes version (sent as options.kubernetesVersion).
      expect(html).toContain('<option value="1.31">1.31</option></select>')
      // Nothing from another origin, and no inline script or style the CSP would have to allow.
      expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=["']?(https?:)?\/\//)
      expect(html).toContain('<script src="/playground.js"></script>')
      expect(html).toContain('<link rel="stylesheet" href="/playground.css">')
      const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1])
      expect(inlineScripts).toEqual([' type="application/json" id="examples-data"'])
      expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i)
      for (const e of EXAMPLES) expect(html).toContain(e.title)
    })
    it.each([
      ['/', /^text\/html/],
      ['/playground.js', /^text\/javascript/],
      ['/playground.css', /^text\/css/],
    ])('%s carries the hardened headers', async (path, type) => {
      const res = await w.fetch(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(type)
      const csp = res.headers.get('content-security-policy') ?? ''
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]))
      expect(directives).toMatchObject({
        'default-src': "'none'",
        'script-src': "'self'",
        'style-src': "'self'",
        'connect-src': "'self'",
        'frame-ancestors': "'none'",
        'base-uri': "'none'",
        'form-action': "'none'",
      })
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toContain('unsafe-eval')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect((await res.text()).length).toBeGreaterThan(100)
    })
    it('/healthz and /openapi.json', async () => {
      expect(await (await w.fetch('/healthz')).json()).toMatchObject({ status: 'ok' })
      const doc = (await (await w.fetch('/openapi.json')).json()) as { openapi: string; servers: { url: string }[] }
      expect(doc.openapi).toBe('3.1.0')
      expect(doc.servers[0]!.url).toBe('http://localhost')
    })
  })

  describe('POST /v1/plan', () => {
    it('plans a JSON body and answers the CLI JSON document', async () => {
      const res = await w.fetch('/v1/plan', postJson({ manifests: mongo.manifests, cluster: mongo.cluster }))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('application/json')
      const plan = (await res.json()) as { schemaVersion: number; node: string; services: { name: string; clusterIPs: string[]; ports: { nodePort: number }[] }[]; iptablesRestore: string }
      expect(plan.schemaVersion).toBeGreaterThanOrEqual(1)
      expect(plan.node).toBe('node-1')
      const web = plan.services.find((s) => s.name === 'web')!
      expect(web.clusterIPs).toEqual(['10.96.0.20'])
      // Not requested: the apiserver emulation previews one from the NodePort range.
      expect(web.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000)
      expect(web.ports[0]!.nodePort).toBeLessThanOrEqual(32767)
      expect(plan.iptablesRestore).toMatch(/^:KUBE-SVC-[A-Z2-7]{16} /m)
    })

    it('plans in nftables mode (options.proxyMode, ?format=nft) and refuses a format of the other mode', async () => {
      const res = await w.fetch('/v1/plan', postJson({ manifests: mongo.manifests, cluster: mongo.cluster, options: { proxyMode: 'nftables' } }))
      const plan = (await res.json()) as { proxyMode: string; nftables: string; iptablesRestore: string | null }
      expect(plan.proxyMode).toBe('nftables')
      expect(plan.iptablesRestore).toBeNull()
      expect(plan.nftables).toMatch(/^add table ip kube-proxy /)
      const nft = await w.fetch('/v1/plan?format=nft', postJson({ manifests: mongo.manifests, cluster: mongo.cluster }))
      expect(nft.status).toBe(200)
      expect(await nft.text()).toBe(plan.nftables)
      const list = await w.fetch('/v1/plan?format=nft-list', postJson({ manifests: mongo.manifests, cluster: mongo.cluster }))
      expect(await list.text()).toMatch(/^table ip kube-proxy \{\n/)
      const clash = await w.fetch('/v1/plan?format=iptables-restore', postJson({ manifests: mongo.manifests, cluster: mongo.cluster, options: { proxyMode: 'nftables' } }))
      expect((await problem(clash, 400)).errors?.[0]?.pointer).toBe('/options/proxyMode')
      const bad = await w.fetch('/v1/plan', postJson({ manifests: mongo.manifests, options: { proxyMode: 'ipvs' } }))
      expect((await problem(bad, 400)).errors?.[0]?.pointer).toBe('/options/proxyMode')
      const migration = await w.fetch('/v1/diff', postJson({ base: mongo.manifests, head: mongo.manifests, cluster: mongo.cluster, options: { baseProxyMode: 'iptables', headProxyMode: 'nftables' } }))
      const d = (await migration.json()) as { migration: { difference: string }[] }
      expect(d.migration.map((m) => m.difference)).toContain('localhost NodePorts')
    })

    it('takes a raw YAML body', async () => {
      const res = await w.fetch('/v1/plan', postYaml(mongo.manifests + '---\n' + mongo.cluster))
      expect(res.status).toBe(200)
      const plan = (await res.json()) as { services: { name: string }[] }
      expect(plan.services.map((s) => s.name).sort()).toEqual(['meu-service', 'web'])
    })

    it('takes Kubernetes objects as JSON and names them manifests[i].json', async () => {
      const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'default' }, spec: { clusterIP: '10.96.0.77', ports: [{ port: 'eighty' }] } }
      const ok = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'b', namespace: 'default' }, spec: { clusterIP: '10.96.0.78', ports: [{ port: 80 }] } }
      const res = await w.fetch('/v1/plan', postJson({ manifests: [ok, svc] }))
      expect(res.status).toBe(200)
      const plan = (await res.json()) as { services: { name: string }[]; issues: Problem['issues'] }
      expect(plan.services.map((s) => s.name)).toContain('b')
      const bad = plan.issues!.find((i) => i.severity === 'error')!
      expect(bad.source!.file).toBe('manifests[1].json')
      expect(bad.source!.line).toBeGreaterThan(1)
    })

    it.each([
      ['text', /^text\/plain/, /meu-service/],
      ['iptables-restore', /^text\/plain/, /^\*nat$/m],
      ['iptables-save', /^text\/plain/, /^-A KUBE-SERVICES /m],
      ['iptables-list', /^text\/plain/, /^Chain KUBE-SERVICES /m],
      ['markdown', /^text\/markdown/, /^### kube-whatif plan · node `node-1` · IPv4\n[\s\S]*^```text\n[\s\S]*:KUBE-SVC-/m],
    ])('?format=%s returns text', async (format, type, content) => {
      const res = await w.fetch(`/v1/plan?format=${format}`, postJson({ manifests: mongo.manifests, cluster: mongo.cluster }))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(type)
      expect(await res.text()).toMatch(content)
    })

    it('shows a headless Service\'s endpoints and DNS records in JSON and markdown', async () => {
      const kv = [
        'apiVersion: v1\nkind: Service\nmetadata: {name: kv, namespace: data}\nspec:\n  clusterIP: None\n  selector: {app: kv}\n  ports: [{port: 2380}]',
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: kv, namespace: data}\nspec:\n  serviceName: kv\n  replicas: 2\n  selector: {matchLabels: {app: kv}}\n  template:\n    metadata: {labels: {app: kv}}\n    spec: {containers: [{name: kv, image: kv}]}',
      ].join('\n---\n')
      const json = (await (await w.fetch('/v1/plan', postJson({ manifests: kv }))).json()) as { services: { endpoints: unknown[]; dns?: { name: string }[] }[] }
      expect(json.services[0]!.endpoints).toHaveLength(2)
      expect(json.services[0]!.dns!.map((r) => r.name)).toEqual(['kv.data.svc.cluster.local', 'kv-0.kv.data.svc.cluster.local', 'kv-1.kv.data.svc.cluster.local'])
      const md = await (await w.fetch('/v1/plan?format=markdown', postJson({ manifests: kv }))).text()
      expect(md).toMatch(/^  DNS\n    kv\.data\.svc\.cluster\.local  A  10\.244\.\d+\.\d+, 10\.244\.\d+\.\d+\n    kv-0\.kv\.data\.svc\.cluster\.local  A /m)
    })

    it('200 with issues when some objects are invalid', async () => {
      const text = mongo.manifests + '---\napiVersion: v1\nkind: Service\nmetadata: {name: broken, namespace: x}\nspec:\n  ports:\n  - port: 99999\n'
      const res = await w.fetch('/v1/plan', postJson({ manifests: text, cluster: mongo.cluster }))
      expect(res.status).toBe(200)
      const plan = (await res.json()) as { services: { name: string }[]; issues: NonNullable<Problem['issues']> }
      expect(plan.services.map((s) => s.name)).toContain('web')
      expect(plan.issues.some((i) => i.severity === 'error' && i.source?.file === 'manifests.yaml')).toBe(true)
    })
  })

  describe('errors', () => {
    it('200, not 400, for malformed YAML: the rest is planned and the issues carry line numbers (as the CLI, exit 1)', async () => {
      const res = await w.fetch('/v1/plan', postYaml('apiVersion: v1\nkind: Service\nmetadata:\n  name: [oops\n'))
      expect(res.status).toBe(200)
      const plan = (await res.json()) as { issues: NonNullable<Problem['issues']> }
      expect(plan.issues.some((i) => i.code.startsWith('yaml/') && i.source?.file === 'manifests.yaml' && typeof i.source.line === 'number')).toBe(true)
    })
    it('400 malformed JSON body and wrong shapes, with JSON pointers', async () => {
      await problem(await w.fetch('/v1/plan', { ...postJson({}), body: '{' }), 400)
      const shape = await problem(await w.fetch('/v1/plan', postJson({ manifest: 'x', options: { ipFamily: 'IPv5', kubernetesVersion: '1.30' } })), 400)
      expect(shape.errors!.map((e) => e.pointer).sort()).toEqual(['/manifest', '/options/ipFamily', '/options/kubernetesVersion'])
      expect(shape.errors!.find((e) => e.pointer === '/options/kubernetesVersion')?.detail).toBe('Kubernetes version not modelled (supported: 1.31, 1.32, 1.33, 1.34, 1.35)')
      await problem(await w.fetch('/v1/plan', postJson([1, 2])), 400)
      await problem(await w.fetch('/v1/trace', postJson({ manifests: mongo.manifests, probe: { from: '10.0.0.1' } })), 400)
    })
    it('200 with limit issues for YAML alias bombs, excessive depth and too many documents (413 is only the body cap)', async () => {
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
      for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill('*' + String.fromCharCode(96 + i)).join(',')}]`)
      const limited = async (text: string): Promise<NonNullable<Problem['issues']>> => {
        const res = await w.fetch('/v1/plan', postYaml(text))
        expect(res.status).toBe(200)
        return ((await res.json()) as { issues: NonNullable<Problem['issues']> }).issues
      }
      expect((await limited(bomb.join('\n') + '\n')).some((i) => i.code.startsWith('limit/'))).toBe(true)
      const deep = 'a: ' + '['.repeat(200) + ']'.repeat(200) + '\n'
      expect((await limited(deep)).some((i) => i.code.startsWith('limit/') || i.code.startsWith('yaml/'))).toBe(true)
      expect((await limited('---\nkind: ConfigMap\n'.repeat(10_001))).some((i) => i.code.startsWith('limit/'))).toBe(true)
      // Objects sent as JSON are converted to text first: a too-deep one is a malformed request.
      let nested: unknown = {}
      for (let i = 0; i < 500; i++) nested = { n: nested }
      const json = await problem(await w.fetch('/v1/plan', postJson({ manifests: [nested] })), 400)
      expect(json.errors![0]!.pointer).toBe('/manifests/0')
    })
    it('413 over the default 1 MiB body limit, also without Content-Length', async () => {
      const big = '#'.repeat(1024 * 1024 + 1)
      const declared = await problem(await w.fetch('/v1/plan', postYaml(big)), 413)
      expect(declared.detail).toContain('1048576')
      const chunk = new TextEncoder().encode('#'.repeat(64 * 1024))
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 17; i++) c.enqueue(chunk)
          c.close()
        },
      })
      await problem(await w.fetch('/v1/plan', { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: stream, duplex: 'half' } as RequestInit), 413)
    })
    it('415 unsupported content type', async () => {
      await problem(await w.fetch('/v1/plan', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' }), 415)
      await problem(await w.fetch('/v1/diff', postYaml('a: 1')), 415)
    })
    it('405 with Allow, 404 for unknown routes', async () => {
      const res = await w.fetch('/v1/plan')
      await problem(res, 405)
      expect(res.headers.get('allow')).toBe('POST, OPTIONS')
      await problem(await w.fetch('/v1/nope', { method: 'POST' }), 404)
    })
    it('422 only when there is no input at all (the CLI prints no plan)', async () => {
      const empty = await problem(await w.fetch('/v1/plan', postJson({ manifests: '' })), 422)
      expect(empty.type).toMatch(/cannot-plan$/)
      await problem(await w.fetch('/v1/plan', postYaml('  \n')), 422)
      await problem(await w.fetch('/v1/diff', postJson({ base: '', head: '' })), 422)
    })
    it('200 with the plan and its issues where the CLI prints a plan and exits 1 (one refused Service, no Service)', async () => {
      for (const text of [
        'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 0}]\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  clusterIP: 10.33.9.4\n  ports: [{port: 80}]\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
        '# only a comment\n',
      ]) {
        const res = await w.fetch('/v1/plan', postYaml(text))
        expect(res.status, text).toBe(200)
        const plan = (await res.json()) as { services: unknown[]; iptablesRestore: string; issues: NonNullable<Problem['issues']> }
        expect(plan.services).toEqual([])
        expect(plan.iptablesRestore).toContain('*nat')
        if (text.includes('kind: Service')) expect(plan.issues.some((i) => i.severity === 'error' && i.source?.line !== undefined)).toBe(true)
      }
    })
  })

  describe('POST /v1/trace and /v1/diff', () => {
    it('traces a probe through the LoadBalancer example', async () => {
      const lb = example('lb-local')
      const res = await w.fetch('/v1/trace', postJson({ manifests: lb.manifests, cluster: lb.cluster, probe: lb.probe }))
      const text = await res.text()
      expect(res.status, text).toBe(200)
      const trace = JSON.parse(text) as { output: string; outcomes: { probability: number }[] }
      expect(typeof trace.output).toBe('string')
      expect(trace.outcomes.reduce((s, o) => s + o.probability, 0)).toBeCloseTo(1, 9)
      const textRes = await w.fetch('/v1/trace?format=text', postJson({ manifests: lb.manifests, cluster: lb.cluster, probes: [lb.probe] }))
      expect(textRes.status).toBe(200)
      expect(textRes.headers.get('content-type')).toMatch(/^text\/plain/)
    })
    it('diffs base and head in json, text and markdown', async () => {
      const d = example('expose-web')
      const body = { base: d.base, head: d.head, cluster: d.cluster }
      const json = await w.fetch('/v1/diff', postJson(body))
      const text = await json.text()
      expect(json.status, text).toBe(200)
      expect(text).toContain('web')
      const md = await w.fetch('/v1/diff?format=markdown', postJson(body))
      expect(md.status).toBe(200)
      expect(md.headers.get('content-type')).toMatch(/^text\/markdown/)
      expect(await md.text()).toMatch(/<!-- kube-whatif/)
    })
  })

  describe('token, limit and CORS bindings', () => {
    const auth = { authorization: 'Bearer test-token' }
    it('401 without the token on API routes; open routes stay open', async () => {
      const res = await g.fetch('/v1/plan', postJson({ manifests: mongo.manifests }))
      await problem(res, 401)
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
      await problem(await g.fetch('/v1/trace', postJson({}, { authorization: 'Bearer nope' })), 401)
      for (const p of ['/', '/healthz', '/openapi.json']) expect((await g.fetch(p)).status).toBe(200)
    })
    it('accepts the token', async () => {
      const small = 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: d}\nspec:\n  clusterIP: 10.96.0.9\n  ports: [{port: 80}]\n'
      const res = await g.fetch('/v1/plan', postYaml(small, auth))
      expect(res.status).toBe(200)
    })
    it('MAX_BODY_BYTES binding lowers the limit', async () => {
      const body = await problem(await g.fetch('/v1/plan', postYaml('#'.repeat(2049), auth)), 413)
      expect(body.detail).toContain('2048')
    })
    it('answers CORS preflight and sets Allow-Origin on answers and problems', async () => {
      const pre = await g.fetch('/v1/plan', { method: 'OPTIONS', headers: { origin: 'https://tool.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } })
      expect(pre.status).toBe(204)
      expect(pre.headers.get('access-control-allow-origin')).toBe('*')
      expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
      const denied = await g.fetch('/v1/plan', postJson({}, { origin: 'https://tool.example' }))
      expect(denied.status).toBe(401)
      expect(denied.headers.get('access-control-allow-origin')).toBe('*')
    })
  })
})
