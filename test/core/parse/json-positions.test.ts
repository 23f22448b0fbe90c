/**
 * JSON documents are located by a character scan (json-positions.ts) instead of a YAML re-parse;
 * both must give the same position for every path, including the awkward ones.
 */
import { describe, expect, it } from 'vitest'
import { DocumentLocator } from '../../../src/core/parse/locate.ts'
import { LineIndex } from '../../../src/core/parse/lines.ts'
import { parseSources } from '../../../src/core/parse/index.ts'

/** Every field path of a JSON value, in the locate() syntax (dotted keys in brackets). */
function paths(v: unknown, prefix: string, out: string[]): string[] {
  out.push(prefix)
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, `${prefix}[${i}]`, out))
  else if (v !== null && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) paths(x, k.includes('.') ? `${prefix}[${k}]` : prefix === '' ? k : `${prefix}.${k}`, out)
  return out
}

const SAMPLES = [
  '{\n  "kind": "List",\n  "items": [\n    {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "x"}}},\n\t{"spec": {"ports": [{"port": 80}, {"port": 443}]}}\n  ]\n}',
  '{"a\\u0062": 1, "x": {"y": [[1, 2], {"z": "q\\"r\\\\"}], "e": {}, "f": []}, "a\\u0062": 2, "n": -1.5e3, "t": true, "u": "\u00e9\u{1F600}"}',
  '  [1, "two", {"three": 3, "four": null}]',
]

describe('JSON positions', () => {
  it.each(SAMPLES)('match the YAML-derived positions for every path: %#', (text) => {
    const start = text.search(/[[{]/)
    const lines = new LineIndex('f.json', text)
    const yaml = new DocumentLocator(lines, text.slice(start).replace(/\t/g, ' '), start, 0, 64)
    const json = new DocumentLocator(lines, text.slice(start), start, 0, 64, true)
    const all = [...paths(JSON.parse(text), '', []), 'missing', 'items[7].spec', 'x.y[9]']
    expect(all.length).toBeGreaterThan(5)
    for (const p of all) expect(json.locate(p), p).toEqual(yaml.locate(p))
  })

  it('puts List items of a JSON file at their own lines', () => {
    const text = '{"kind": "List", "apiVersion": "v1", "items": [\n  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}, "spec": {"ports": [{"port": "x"}]}},\n  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "b"}, "spec": {"ports": [{"port": 80}]}}\n]}\n'
    const r = parseSources([{ path: 'l.json', text, origin: 'proposed' }])
    expect(r.value.services.map((s) => [s.metadata.name, s.source.line])).toEqual([['b', 3]])
    const bad = r.issues.find((i) => i.severity === 'error')
    expect(bad?.source).toMatchObject({ file: 'l.json', line: 2 })
  })
})
