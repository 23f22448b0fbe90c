import { describe, expect, it } from 'vitest'
import { lines, parseText, where } from './helpers.ts'

const svc = (name: string) => lines('apiVersion: v1', 'kind: Service', `metadata: {name: ${name}}`)

describe('limits', () => {
  it('refuses a billion-laughs alias bomb quickly, without losing other documents', () => {
    const bomb = ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: lol}', 'data:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i)
      const cur = String.fromCharCode(97 + i)
      bomb.push(`  ${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(',')}]`)
    }
    const start = performance.now()
    const r = parseText([svc('before'), lines(...bomb), svc('after')].join('---\n'))
    expect(performance.now() - start).toBeLessThan(2000)
    expect(r.value.services.map((s) => s.ref.name)).toEqual(['before', 'after'])
    expect(r.value.others).toEqual([])
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ code: 'limit/aliases', severity: 'error' })
    expect(r.issues[0]!.message).toContain('m.yaml')
    expect(r.issues[0]!.source!.line).toBeGreaterThan(8)
    // JSON of the result stays small: nothing of the bomb was kept
    expect(JSON.stringify(r).length).toBeLessThan(5000)
  })

  it('allows a few ordinary aliases', () => {
    const r = parseText(lines('apiVersion: v1', 'kind: Service', 'metadata: {name: a, labels: &l {app: a}}', 'spec: {selector: *l}'))
    expect(r.value.services[0]!.spec.selector).toEqual({ app: 'a' })
    expect(parseText(lines('a: &x 1', 'b: *x'), 'm.yaml', { limits: { maxAliases: 0 } }).issues[0]!.code).toBe('limit/aliases')
  })

  it('refuses 200-deep nesting with a limit issue', () => {
    const deep = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d}\ndata: ' + '['.repeat(200) + ']'.repeat(200) + '\n'
    const r = parseText(deep + '---\n' + svc('ok'))
    expect(where(r.issues)).toEqual(['limit/depth@4'])
    expect(r.issues[0]!.message).toContain('64')
    expect(r.value.services).toHaveLength(1)
  })

  it('refuses deep nesting reached through aliases', () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n)
    const r = parseText(`a: &a ${nest(40)}\nb: ${'['.repeat(30)}*a${']'.repeat(30)}\n`)
    expect(r.issues.map((i) => i.code)).toEqual(['limit/depth'])
  })

  it('refuses deep JSON', () => {
    const r = parseText('{"a":' + '['.repeat(100) + ']'.repeat(100) + '}', 'deep.json')
    expect(r.issues.map((i) => i.code)).toEqual(['limit/depth'])
  })

  it('stops after maxDocuments documents with one issue naming the file', () => {
    const text = Array.from({ length: 8 }, (_, i) => svc(`s${i}`)).join('---\n')
    const r = parseText(text, 'many.yaml', { limits: { maxDocuments: 5 } })
    expect(r.value.services).toHaveLength(5)
    expect(r.issues).toHaveLength(1)
    expect(r.issues[0]).toMatchObject({ code: 'limit/documents', severity: 'error' })
    expect(r.issues[0]!.message).toContain('many.yaml')
    expect(r.issues[0]!.source!.line).toBe(21) // the sixth document
  })

  it('counts List items against maxDocuments', () => {
    const items = Array.from({ length: 10 }, (_, i) => `- {apiVersion: v1, kind: Node, metadata: {name: n${i}}}`)
    const r = parseText(lines('apiVersion: v1', 'kind: List', 'items:', ...items), 'l.yaml', { limits: { maxDocuments: 4 } })
    expect(r.value.nodes).toHaveLength(3)
    expect(r.issues.map((i) => i.code)).toEqual(['limit/documents'])
  })

  it('skips a file over maxBytes, counting UTF-8 bytes', () => {
    const r = parseText(svc('é'.repeat(40)), 'big.yaml', { limits: { maxBytes: 80 } })
    expect(r.value.services).toEqual([])
    expect(r.issues).toEqual([
      expect.objectContaining({ code: 'limit/bytes', severity: 'error', source: { file: 'big.yaml', line: 1, column: 1 } }),
    ])
    expect(r.issues[0]!.message).toContain('big.yaml')
    expect(parseText(svc('e'.repeat(40)), 'small.yaml', { limits: { maxBytes: 120 } }).issues).toEqual([])
  })
})
