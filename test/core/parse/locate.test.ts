import { describe, expect, it } from 'vitest'
import { parsePath } from '../../../src/core/parse/locate.ts'
import { lines, parseText } from './helpers.ts'

const text = lines(
  'apiVersion: v1', //                                1
  'kind: Service', //                                 2
  'metadata:', //                                     3
  '  name: web', //                                   4
  '  labels:', //                                     5
  '    app.kubernetes.io/name: web', //               6
  'spec:', //                                         7
  '  ports:', //                                      8
  '  - name: a', //                                   9
  '    port: 80', //                                  10
  '  - name: b', //                                   11
  '    port: 81', //                                  12
  '    nodePort: 30001', //                           13
  '  selector: {app: web, "tier": front}', //         14
)

describe('parsePath', () => {
  it('splits keys, indexes and bracketed keys', () => {
    expect(parsePath('spec.ports[1].nodePort').map((s) => s.index ?? s.key)).toEqual(['spec', 'ports', 1, 'nodePort'])
    expect(parsePath('metadata.labels[app.kubernetes.io/name]').map((s) => s.key)).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ])
  })
})

describe('locate', () => {
  const svc = parseText(text).value.services[0]!
  it('finds the line of a field path', () => {
    expect(svc.locate('spec.ports[1].nodePort')).toEqual({ file: 'm.yaml', line: 13, column: 5 })
    expect(svc.locate('spec.ports[0].port').line).toBe(10)
    expect(svc.locate('spec.ports[1]').line).toBe(11)
    expect(svc.locate('spec.selector.tier').line).toBe(14)
  })
  it('finds dotted map keys with either notation', () => {
    expect(svc.locate('metadata.labels[app.kubernetes.io/name]').line).toBe(6)
    expect(svc.locate('metadata.labels.app.kubernetes.io/name').line).toBe(6)
  })
  it('falls back to the nearest existing ancestor', () => {
    expect(svc.locate('spec.ports[1].targetPort').line).toBe(11)
    expect(svc.locate('spec.ports[7].port').line).toBe(8)
    expect(svc.locate('spec.clusterIP').line).toBe(7)
    expect(svc.locate('status.loadBalancer').line).toBe(1)
  })
  it('gives the document start as source', () => {
    const two = parseText('# lead\n---\n' + text.replace('name: web', 'name: w2') + '---\n\n' + text).value.services
    expect(two.map((s) => s.source.line)).toEqual([3, 19])
    expect(two[1]!.locate('spec.ports[1].nodePort').line).toBe(18 + 13)
  })
  it('follows aliases and merge keys to where the value is written', () => {
    const y = lines(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: m}',
      'spec:',
      '  ports:',
      '  - &p',
      '    name: a',
      '    port: 80',
      '  - <<: *p',
      '    name: b',
    )
    const s = parseText(y).value.services[0]!
    expect(s.spec.ports.map((p) => [p.name, p.port])).toEqual([
      ['a', 80],
      ['b', 80],
    ])
    expect(s.locate('spec.ports[1].name').line).toBe(10)
    expect(s.locate('spec.ports[1].port').line).toBe(8)
  })
  it('locates List items relative to the item', () => {
    const list = lines(
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Service',
      '  metadata: {name: a}',
      '  spec:',
      '    ports:',
      '    - port: 80',
    )
    const s = parseText(list).value.services[0]!
    expect(s.source).toEqual({ file: 'm.yaml', line: 4, column: 3 })
    expect(s.locate('spec.ports[0].port').line).toBe(9)
  })
})
