/** Issues whose source position is worked out on first read (issues.ts `issueLocatedLazily`). */
import { describe, expect, it } from 'vitest'
import { issue, issueLocatedLazily, type SourceSpan } from '../../src/core/issues.ts'
import { planFromSources } from '../../src/core/index.ts'

describe('issueLocatedLazily', () => {
  it('locates only when source is read, once, and reads as the eager issue does', () => {
    let calls = 0
    const span: SourceSpan = { file: 'a.yaml', line: 3, column: 5 }
    const ref = { kind: 'Service', namespace: 'default', name: 'web' }
    const lazy = issueLocatedLazily('alloc/x', 'info', 'm', { ref, path: 'spec.clusterIP' }, () => {
      calls++
      return span
    })
    expect(calls).toBe(0)
    const eager = issue('alloc/x', 'info', 'm', { ref, path: 'spec.clusterIP', source: span })
    expect(Object.keys(lazy)).toEqual(Object.keys(eager))
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(eager))
    expect({ ...lazy }).toEqual(eager)
    expect(lazy.source).toBe(span)
    expect(calls).toBe(1)
  })
})

describe('the static-band note of a pinned ClusterIP', () => {
  const text = [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: a}',
    'spec:',
    '  clusterIP: 10.96.5.5',
    '  ports: [{port: 80}]',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: b}',
    'spec:',
    '  clusterIP: 10.96.7.7',
    '  clusterIPs:',
    '  - 10.96.7.7',
    '  ports: [{port: 80}]',
    '',
  ].join('\n')
  it('points at the clusterIP / clusterIPs[0] value, as an eager locate did', () => {
    const r = planFromSources({ files: [{ path: 'svc.yaml', text, origin: 'proposed' }] })
    const notes = r.issues.filter((i) => i.code === 'alloc/static-ip-in-dynamic-band')
    expect(notes.map((n) => [n.ref?.name, n.path, n.source])).toEqual([
      ['a', 'spec.clusterIPs[0]', { file: 'svc.yaml', line: 5, column: 3 }],
      ['b', 'spec.clusterIPs[0]', { file: 'svc.yaml', line: 14, column: 5 }],
    ])
    const svcs = r.value.services
    expect(svcs.length).toBe(2)
  })
})
