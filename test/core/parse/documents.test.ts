import { describe, expect, it } from 'vitest'
import { lines, parseText, where } from './helpers.ts'

const svc = (name: string, extra = '') =>
  lines('apiVersion: v1', 'kind: Service', `metadata: {name: ${name}}`, 'spec:', '  ports: [{port: 80}]' + extra)

describe('YAML documents', () => {
  it('reads every document of a multi-document file, skipping empty ones', () => {
    const r = parseText(['', svc('a'), '# only a comment\n', svc('b'), ''].join('---\n'))
    expect(r.value.services.map((s) => s.ref.name)).toEqual(['a', 'b'])
    expect(r.issues).toEqual([])
  })

  it('keeps the documents before and after a syntax error and reports its line', () => {
    const text = [svc('a'), lines('apiVersion: v1', 'kind: Service', 'metadata:', '  name: bad', ' oops: [1'), svc('c')].join('---\n')
    const r = parseText(text)
    expect(r.value.services.map((s) => s.ref.name)).toEqual(['a', 'c'])
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ code: 'yaml/syntax', severity: 'error', source: { file: 'm.yaml' } })
    expect(r.issues[0]!.source!.line).toBeGreaterThanOrEqual(10)
    expect(r.issues[0]!.source!.line).toBeLessThanOrEqual(11)
    expect(r.issues[0]!.message).toMatch(/^error parsing m\.yaml: yaml: line \d+: /)
    // positions still work in the documents read on the recovery path
    expect(r.value.services[1]!.source.line).toBe(13)
    expect(r.value.services[1]!.locate('spec.ports[0].port').line).toBe(17)
  })

  it('reports duplicate mapping keys as a syntax error of that document only', () => {
    const r = parseText([svc('a'), lines('apiVersion: v1', 'kind: Service', 'kind: Pod')].join('---\n'))
    expect(r.value.services).toHaveLength(1)
    expect(where(r.issues)).toEqual(['yaml/syntax@9'])
  })

  it('reads YAML 1.1 booleans the way Kubernetes does', () => {
    const r = parseText(
      lines(
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: a}',
        'spec:',
        '  publishNotReadyAddresses: yes',
        '  allocateLoadBalancerNodePorts: off',
        '  ports: [{port: 80}]',
      ),
    )
    expect(r.value.services[0]!.spec.publishNotReadyAddresses).toBe(true)
    expect(r.value.services[0]!.spec.allocateLoadBalancerNodePorts).toBe(false)
  })

  it('rejects a YAML 1.1 boolean where a string is required, like kubectl', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: a}', 'spec:', '  selector: {enabled: on}'))
    expect(r.value.services).toEqual([])
    expect(r.issues[0]!.message).toBe(
      'Service "a" in namespace "default": spec.selector[enabled]: Invalid value: true: must be a string',
    )
    expect(r.issues[0]!.source!.line).toBe(5)
  })

  it('reads bare y/n as booleans (YAML 1.1, as go-yaml v2 does), so `name: n` is not a name', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: Node', 'metadata: {name: n}'))
    expect(r.value.nodes).toEqual([])
    expect(r.issues[0]!.message).toBe('Node "": metadata.name: Invalid value: false: must be a string')
  })

  it('keeps timestamps and colon-separated numbers as strings (go-yaml v2, not YAML 1.1 sexagesimal)', () => {
    const r = parseText(
      lines(
        'apiVersion: v1',
        'kind: Pod',
        'metadata:',
        '  name: p',
        '  deletionTimestamp: 2024-01-01T00:00:00Z',
        '  annotations: {at: 12:30, octal: "0755"}',
      ),
    )
    const pod = r.value.pods[0]!
    expect(pod.metadata.deletionTimestamp).toBe('2024-01-01T00:00:00Z')
    expect(pod.metadata.annotations).toEqual({ at: '12:30', octal: '0755' })
    expect(pod.terminating).toBe(true)
  })

  it('reads YAML 1.1 octal and hex integers as numbers', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: a}', 'spec:', '  ports: [{port: 0x50, targetPort: 010}]'))
    expect(r.value.services[0]!.spec.ports[0]).toMatchObject({ port: 80, targetPort: 8 })
  })

  it('reads numbers the way go-yaml v2 does: 08 and 0800 are decimal floats, 8e1 is 80, Go prefixes in any case', () => {
    const r = parseText(
      lines(
        'apiVersion: v1',
        'kind: Service',
        'metadata: {name: a}',
        'spec:',
        '  ports:',
        '  - {name: a, port: 0800, targetPort: 08}',
        '  - {name: b, port: 8e1, targetPort: 0X1F}',
        '  - {name: c, port: 0o120, targetPort: 0B1010}',
        '  - {name: d, port: 1_000, targetPort: 1:20}',
      ),
    )
    expect(r.issues).toEqual([])
    expect(r.value.services[0]!.spec.ports.map((p) => [p.port, p.targetPort])).toEqual([
      [800, 8],
      [80, 31],
      [80, 10],
      [1000, '1:20'],
    ])
  })

  it('warns about documents without apiVersion or kind and skips them', () => {
    const r = parseText(lines('name: chart', 'version: 1.0.0') + '---\n' + lines('kind: Service', 'metadata: {name: x}'))
    expect(r.value.services).toEqual([])
    expect(r.issues.map((i) => [i.code, i.severity, i.source?.line])).toEqual([
      ['manifest/missing-type', 'warning', 1],
      ['manifest/missing-type', 'warning', 4],
    ])
    expect(r.issues[1]!.message).toContain('no apiVersion')
  })

  it('reports a document that is not a mapping', () => {
    const r = parseText('just text\n---\n- a\n- b\n')
    expect(where(r.issues)).toEqual(['manifest/invalid-document@1', 'manifest/invalid-document@3'])
    expect(r.issues.every((i) => i.severity === 'error')).toBe(true)
  })

  it('never throws on garbage', () => {
    for (const t of ['\u0000\u0001', '{{{{', ': : :', '- - - -\n  - x', '!!binary ~~~', '&a [*a]', '*nope', '"\\x"']) {
      expect(() => parseText(t)).not.toThrow()
    }
  })

  it('rejects an alias to a node that contains it, which would make a cyclic object', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data: &x {self: *x}'))
    expect(r.value.others).toEqual([])
    expect(where(r.issues)).toEqual(['yaml/recursive-alias@4'])
  })
})

describe('JSON input', () => {
  const json = JSON.stringify(
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' }, spec: { ports: [{ port: 80 }, { port: 'x' }] } },
    null,
    '\t',
  )

  it('reads JSON files and locates fields in them (tab indentation included)', () => {
    const r = parseText(json, 'svc.json')
    expect(r.value.services).toEqual([])
    expect(r.issues).toHaveLength(1)
    const at = json.split('\n').findIndex((l) => l.includes('"x"')) + 1
    expect(r.issues[0]).toMatchObject({ path: 'spec.ports[1].port', source: { file: 'svc.json', line: at } })
  })

  it('reads concatenated JSON values', () => {
    const a = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a' } })
    const b = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'b' } })
    const r = parseText(`${a}\n${b}\n`, 'two.json')
    expect(r.value.services.map((s) => [s.ref.name, s.source.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ])
  })

  it('reports JSON syntax errors with JSON wording and a line', () => {
    const r = parseText('{\n  "apiVersion": "v1",\n  "kind": "Service",\n}\n', 'bad.json')
    expect(r.value.services).toEqual([])
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ code: 'yaml/syntax', severity: 'error' })
    expect(r.issues[0]!.message).toMatch(/^error parsing bad\.json: invalid JSON at line 4: /)
    expect(r.issues[0]!.source!.line).toBe(4)
  })

  it('treats an extension-less stream starting with { as JSON', () => {
    const r = parseText('{"apiVersion":"v1","kind":"Node","metadata":{"name":"n"}}', '-')
    expect(r.value.nodes.map((n) => n.ref.name)).toEqual(['n'])
  })
})
