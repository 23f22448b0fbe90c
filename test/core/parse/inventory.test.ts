import { describe, expect, it } from 'vitest'
import { parseSources } from '../../../src/core/parse/index.ts'
import { lines, parseText, where } from './helpers.ts'

const svc = (name: string, ns?: string) =>
  lines('apiVersion: v1', 'kind: Service', ns ? `metadata: {name: ${name}, namespace: ${ns}}` : `metadata: {name: ${name}}`)

describe('inventory assembly', () => {
  it('unwraps kind: List and typed *List wrappers, items inheriting the list type', () => {
    const r = parseText(
      lines(
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- {apiVersion: v1, kind: Service, metadata: {name: a}}',
        '- apiVersion: v1',
        '  kind: ServiceList',
        '  items:',
        '  - metadata: {name: b, namespace: x}',
        '  - {kind: Pod, apiVersion: v1, metadata: {name: p}}',
        '- {apiVersion: apps/v1, kind: Deployment, metadata: {name: d}}',
      ),
    )
    expect(r.issues).toEqual([])
    expect(r.value.services.map((s) => [s.ref.namespace, s.ref.name, s.source.line])).toEqual([
      ['default', 'a', 4],
      ['x', 'b', 8],
    ])
    expect(r.value.services[1]!.raw['kind']).toBe('Service')
    expect(r.value.pods.map((p) => p.ref.name)).toEqual(['p'])
    expect(r.value.others.map((o) => [o.kind, o.apiVersion, o.ref.name])).toEqual([['Deployment', 'apps/v1', 'd']])
  })

  it('reports List items that are not objects or have no kind, by index and line', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: List', 'items:', '- null', '- {metadata: {name: x}}', '- {apiVersion: v1, kind: Node, metadata: {name: node-n}}'))
    expect(r.value.nodes.map((n) => n.ref.name)).toEqual(['node-n'])
    expect(r.issues.map((i) => [i.code, i.severity, i.source?.line, i.message])).toEqual([
      ['manifest/invalid-document', 'error', 4, 'm.yaml: List item 0 is null, not an object; it is ignored'],
      ['manifest/missing-type', 'warning', 5, 'm.yaml: List item 1 has no apiVersion and kind; it is skipped'],
    ])
  })

  it('keeps every other kind without error, namespaced by default', () => {
    const r = parseText(
      lines('apiVersion: apps/v1', 'kind: StatefulSet', 'metadata: {name: db}', 'spec: {replicas: 3}') +
        '---\n' +
        lines('apiVersion: v1', 'kind: Namespace', 'metadata: {name: shop}') +
        '---\n' +
        lines('apiVersion: example.com/v1', 'kind: Service', 'metadata: {name: crd}'),
    )
    expect(r.issues).toEqual([])
    expect(r.value.others.map((o) => o.ref)).toEqual([
      { kind: 'StatefulSet', namespace: 'default', name: 'db' },
      { kind: 'Namespace', namespace: '', name: 'shop' },
      { kind: 'Service', namespace: 'default', name: 'crd' },
    ])
    expect(r.value.services).toEqual([])
  })

  it('skips nameless other objects with a warning (e.g. a Kustomization)', () => {
    const r = parseText(lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources: [a.yaml]'))
    expect(r.value.others).toEqual([])
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['manifest/missing-field', 'warning']])
  })

  it('warns about unsupported versions of known kinds and keeps them as other objects', () => {
    const r = parseText(lines('apiVersion: discovery.k8s.io/v1beta1', 'kind: EndpointSlice', 'metadata: {name: old}'))
    expect(r.value.endpointSlices).toEqual([])
    expect(r.value.others.map((o) => o.ref.name)).toEqual(['old'])
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['manifest/unsupported-version', 'warning']])
  })

  it('lets a differing later definition on the same side replace the earlier one, in its place, with a warning naming both', () => {
    const r = parseSources([
      { path: 'a.yaml', text: svc('web').replace('kind: Service', 'kind: Service\nspec: {type: NodePort}'), origin: 'proposed' },
      { path: 'b.yaml', text: '\n' + svc('web'), origin: 'proposed' },
      { path: 'c.yaml', text: svc('web'), origin: 'existing' },
      { path: 'd.yaml', text: svc('web', 'other'), origin: 'proposed' },
    ])
    expect(r.value.services.map((s) => [s.source.file, s.origin])).toEqual([
      ['b.yaml', 'proposed'],
      ['c.yaml', 'existing'],
      ['d.yaml', 'proposed'],
    ])
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({
      code: 'manifest/duplicate',
      severity: 'warning',
      path: 'metadata.name',
      source: { file: 'b.yaml', line: 4 },
      ref: { kind: 'Service', namespace: 'default', name: 'web' },
    })
    expect(r.issues[0]!.message).toBe(
      'Service "web" in namespace "default": defined again on the proposed side (also at a.yaml:1:1), differently; kubectl apply applies files in sorted path order and documents in order, so this later definition wins over the one at a.yaml:1:1',
    )
  })

  it('does not count an invalid first definition as a duplicate', () => {
    const bad = lines('apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec: {type: 1}')
    const r = parseText([bad, svc('web')].join('---\n'))
    expect(r.value.services).toHaveLength(1)
    expect(where(r.issues)).toEqual(['manifest/invalid-field@4'])
  })

  it('gives identical results for identical input', () => {
    const files = [{ path: 'x.yaml', text: [svc('a'), svc('b', 'n')].join('---\n'), origin: 'proposed' as const }]
    expect(JSON.stringify(parseSources(files))).toBe(JSON.stringify(parseSources(files)))
  })

  it('reports the origin of each object', () => {
    const r = parseText(svc('a'), 'c.yaml', { origin: 'existing' })
    expect(r.value.services[0]!.origin).toBe('existing')
  })
})
