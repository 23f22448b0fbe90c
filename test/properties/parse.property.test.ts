/**
 * Property tests for the parse stage: whatever the text, parseSources never throws, is
 * deterministic, and every issue and every located path points inside the file.
 */
import fc from 'fast-check'
import { dump } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import type { Staged } from '../../src/core/issues.ts'
import type { Inventory } from '../../src/core/model/inventory.ts'
import { parseSources } from '../../src/core/parse/index.ts'

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: "front"}
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
  - {name: dns, port: 53, protocol: UDP}
  externalTrafficPolicy: Local
status:
  loadBalancer:
    ingress: [{ip: 1.2.3.4}]
`

const SLICE = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: web-x
  labels:
    kubernetes.io/service-name: web
addressType: IPv4
endpoints:
- addresses: ["10.0.0.1"]
  conditions: {ready: true, serving: yes}
  nodeName: n1
  hints: {forZones: [{name: z}]}
ports:
- name: ""
  port: 8080
  protocol: TCP
`

const SEED = `${SERVICE}---\n${SLICE}---\nkind: List\napiVersion: v1\nitems: [{apiVersion: v1, kind: Pod, metadata: {name: p}, status: {podIP: 1.1.1.1}}]\n`

/** Characters that matter to YAML's grammar, plus some that do not. */
const YAML_CHARS = [...':-[]{},&*!|>\'"#%@`? \t\n\r0123456789aZ.\\~/', '\u0000', '\uFEFF', 'é']

const stable = (r: Staged<Inventory>): string => JSON.stringify(r)

function checkResult(text: string, path: string, r: Staged<Inventory>): void {
  const lineCount = text.split('\n').length
  for (const i of r.issues) {
    expect(typeof i.message).toBe('string')
    if (i.source) {
      expect(i.source.file).toBe(path)
      expect(i.source.line).toBeGreaterThanOrEqual(1)
      expect(i.source.line).toBeLessThanOrEqual(lineCount)
    }
  }
  const inv = r.value
  for (const o of [...inv.services, ...inv.endpointSlices, ...inv.nodes, ...inv.pods, ...inv.others]) {
    for (const p of ['spec.ports[1].nodePort', 'metadata.labels.app', 'endpoints[0].addresses[0]', 'x[9].y', '', '[', 'a..b']) {
      const s = o.locate(p)
      expect(s.file).toBe(path)
      expect(s.line).toBeGreaterThanOrEqual(1)
      expect(s.line).toBeLessThanOrEqual(lineCount)
    }
  }
}

function parseTwice(text: string, path = 'm.yaml'): void {
  const files = [{ path, text, origin: 'proposed' as const }]
  const a = parseSources(files)
  const b = parseSources(files)
  expect(stable(a)).toBe(stable(b))
  checkResult(text, path, a)
}

/** A text edit: replace, insert or delete a short run at a position (as a fraction of the length). */
const edit = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  del: fc.integer({ min: 0, max: 3 }),
  ins: fc.array(fc.constantFrom(...YAML_CHARS), { maxLength: 4 }).map((cs) => cs.join('')),
})

function applyEdits(text: string, edits: readonly { at: number; del: number; ins: string }[]): string {
  let t = text
  for (const e of edits) {
    const i = Math.min(t.length, Math.floor(e.at * t.length))
    t = t.slice(0, i) + e.ins + t.slice(i + e.del)
  }
  return t
}

/** Sets a value at a random path inside a parsed object (creating containers on the way). */
function setAt(obj: unknown, keys: readonly (string | number)[], value: unknown): unknown {
  if (keys.length === 0) return value
  const [k, ...rest] = keys as [string | number, ...(string | number)[]]
  if (typeof k === 'number') {
    const arr = Array.isArray(obj) ? [...obj] : []
    arr[Math.min(k, arr.length)] = setAt(arr[k], rest, value)
    return arr
  }
  const rec = typeof obj === 'object' && obj !== null && !Array.isArray(obj) ? { ...(obj as Record<string, unknown>) } : {}
  rec[k] = setAt(rec[k], rest, value)
  return rec
}

const FIELD_KEYS = ['spec', 'ports', 'port', 'nodePort', 'targetPort', 'protocol', 'metadata', 'name', 'namespace', 'labels',
  'selector', 'type', 'status', 'loadBalancer', 'ingress', 'endpoints', 'addresses', 'conditions', 'ready', 'addressType',
  'apiVersion', 'kind', 'items', 'hints', 'forZones', 'clusterIPs', 'ipFamilies', 'sessionAffinityConfig', 'clientIP']

describe('parseSources properties', () => {
  it('never throws and is deterministic on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('a.yaml', 'a.json', 'stdin'), (text, path) => {
        parseTwice(text, path)
      }),
      { numRuns: 200 },
    )
  })

  it('never throws and is deterministic on character-mutated manifests', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        parseTwice(applyEdits(SEED, edits))
      }),
      { numRuns: 250 },
    )
  })

  it('never throws on field-mutated manifests, in YAML and JSON', () => {
    const base = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' }, spec: { ports: [{ port: 80 }] } },
      { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's' }, addressType: 'IPv4', endpoints: [], ports: [] },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ ports: [{ containerPort: 1 }] }] } },
      { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' },
      { apiVersion: 'kube-whatif.dev/v1alpha1', kind: 'ClusterProfile' },
      { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' } },
    ]
    const pathArb = fc.array(fc.oneof(fc.constantFrom(...FIELD_KEYS), fc.integer({ min: 0, max: 2 })), { minLength: 1, maxLength: 5 })
    fc.assert(
      fc.property(
        fc.constantFrom(...base),
        fc.array(fc.tuple(pathArb, fc.jsonValue({ maxDepth: 3 })), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        (obj, sets, asJson) => {
          let doc: unknown = obj
          for (const [keys, value] of sets) doc = setAt(doc, keys, value)
          const text = asJson ? JSON.stringify(doc, null, 2) : dump(doc)
          parseTwice(text, asJson ? 'm.json' : 'm.yaml')
        },
      ),
      { numRuns: 250 },
    )
  })

  it('reads an unmutated seed without issues', () => {
    const r = parseSources([{ path: 'm.yaml', text: SEED, origin: 'proposed' }])
    expect(r.issues).toEqual([])
    expect([r.value.services.length, r.value.endpointSlices.length, r.value.pods.length]).toEqual([1, 1, 1])
  })
})
