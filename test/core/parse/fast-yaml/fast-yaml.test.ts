/**
 * The fast block-YAML reader against the js-yaml path (differential.ts): wherever the fast reader
 * answers, its values (deep, key order, Object.is numbers), document count, root offsets and List
 * item offsets must be js-yaml's; where it gives up, parseSources must read the file through
 * js-yaml exactly as before. Corpora: every YAML file of the repository's fixtures and examples,
 * the bench generators, and a seeded generator of tricky YAML (plus damaged copies of it).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { generate } from '../../../../bench/generate.ts'
import { kubectlExport } from '../../../../bench/kubectl-export.ts'
import { prYaml } from '../../../../bench/worker-pr.ts'
import { readFastYaml } from '../../../../src/core/parse/fast-yaml/reader.ts'
import { parseSources } from '../../../../src/core/parse/index.ts'
import { compareDocuments, viaJsYaml } from './differential.ts'
import { mutate, trickyYaml } from './tricky-yaml.ts'

const root = join(import.meta.dirname, '../../../..')

function yamlFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p))
    else if (/\.ya?ml$/.test(name)) out.push(p)
  }
  return out
}

/** Asserts the fast reader agrees with js-yaml on `text`; returns whether it answered. */
function agrees(text: string, label: string): boolean {
  const fast = readFastYaml(text, 64)
  if (!fast) return false
  const diff = compareDocuments(fast, viaJsYaml(text))
  expect(diff, `${label}: ${diff}\n${JSON.stringify(text.slice(0, 2000))}`).toBeUndefined()
  return true
}

describe('fast YAML reader = js-yaml path', () => {
  it('on every YAML file of test/fixtures and examples (and reads the real manifests)', () => {
    const files = [...yamlFiles(join(root, 'test/fixtures')), ...yamlFiles(join(root, 'examples'))]
    expect(files.length).toBeGreaterThan(100)
    let read = 0
    let real = 0
    for (const f of files) {
      if (agrees(readFileSync(f, 'utf8'), f)) {
        read++
        if (f.includes('real-manifests')) real++
      }
    }
    // Not a correctness condition, but a test that never runs the fast reader proves nothing.
    expect(read).toBeGreaterThan(files.length * 0.8)
    expect(real).toBeGreaterThan(10)
  })

  it('on the bench generators (cluster, workloads, mix, PR body, kubectl export lean and full)', () => {
    const texts: [string, string][] = []
    for (const mix of [false, true])
      for (const shape of ['slices', 'workloads'] as const)
        for (const f of generate({ services: 40, endpoints: 3, shape, mix, format: 'yaml', origin: 'proposed', changed: mix }))
          texts.push([`${shape}/${mix}/${f.path}`, f.text])
    texts.push(['pr', prYaml()])
    texts.push(['kubectl-lean', kubectlExport(60, 4, false).text])
    texts.push(['kubectl-full', kubectlExport(60, 4, true).text])
    for (const [label, text] of texts) expect(agrees(text, label), `${label} read by the fast reader`).toBe(true)
  })

  it('on 3000 seeded tricky texts, damaged copies of them, and 1000 tricky Lists (item offsets)', () => {
    let read = 0
    let jsYamlReads = 0
    let damagedRead = 0
    for (let seed = 1; seed <= 3000; seed++) {
      const text = trickyYaml(seed)
      if (!(viaJsYaml(text) instanceof Error)) jsYamlReads++
      if (agrees(text, `seed ${seed}`)) read++
      if (agrees(mutate(text, seed), `damaged seed ${seed}`)) damagedRead++
    }
    let lists = 0
    for (let seed = 1; seed <= 1000; seed++) {
      const text = trickyYaml(seed, true)
      if (agrees(text, `list seed ${seed}`) && readFastYaml(text, 64)?.some((d) => d.items && d.items.length > 0)) lists++
    }
    expect(lists).toBeGreaterThan(300)
    // The generator must mostly stay inside the subset, or it would test little.
    expect(read).toBeGreaterThan(jsYamlReads * 0.8)
    expect(damagedRead).toBeGreaterThan(300)
  })

  it('reads the edge cases the issue lists exactly as js-yaml does', () => {
    const cases = [
      'a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: ~\nh: null\ni: Null\nj: NULL\nk: true\nl: TRUE\n',
      'a: 0x1F\nb: 0o17\nc: 017\nd: 08\ne: 8e1\nf: .5\ng: -.inf\nh: .NaN\ni: 1_000\nj: +1\nk: 12:30\nl: 2024-01-01\nm: -0\n',
      "a: 'quoted'\nb: \"esc\\u00e9\\n\"\nc: 'it''s'\nd: 'x: y #z'\ne: x #z\n",
      'app.kubernetes.io/name: x\nexample.com/a:b: c\n"k: q": 1\n',
      'a: |\n  x\n\n\nb: |-\n  x\n\nc: |+\n  x\n\n\nd: >\n  a\n  b\n\n  c\ne: >-\n  a\n   b\n  c\n\n',
      'a: |2\n   x\n  y\nb:\n- |1\n  x\n',
      'a: |\nb: |-\n\nc: >+\n\n  \nd: 1\n',
      'a: b\n  c\n\n  d\ne: "x\n  y \\\n  z"\nf: \'p\n\n  q\'\ng:\n  h\n  i\n- x\n  y\n'.replace('- x\n  y\n', ''),
      'a: :9411\n:b: [:c]\n',
      'a: 1\r\nb:\r\n- x\r\n- |\r\n  y\r\n\r\n',
      '\uFEFFa: 1\n',
      '# c\n---\na: 1\n...\n---\n--- # x\n- 1\n...\n# tail\n',
      'kind: List\nitems:\n- a: 1\n-\n- "x"\n- - 1\n- {}\n',
      'kind: List\nitems: []\n',
      'kind: List\nitems: # c\n  [a, {b: 1}]\nx: 1\n',
      'kind: List\nitems:\n  - a\n  -\n    b: 1\nx: 1\n',
      'a:\n- 1\n- b: 2\n  c:\n  - 3\nd: {}\ne: []\nf:\ng: # c\n  h: 1\n',
      'a: {name: x, n: [1, "2", \'3\', {b: yes}], u: http://x:80/y}\nkind: List\nitems: [{a: 1}, b, [c]]\n',
      // The reader's key and value caches (same length, first and last character; same text as key and value).
      'axb: ayb\nayb: axb\n1: 1\ntrue: true\n~: ~\nx: yes\n---\n08: 08\n0x1: 0x1\naxb: 1\nayb: azb\nazb: true\n1x1: 1_1\n',
      '- 1: on\n  on: 1\n  off: null\n- 1: on\n  on: 1\n  off: null\n- n: N\n  m: n\n',
    ]
    for (const text of cases) expect(agrees(text, text), `read: ${JSON.stringify(text)}`).toBe(true)
  })

  it('gives up on what it does not know, and never on a file js-yaml refuses', () => {
    const refused = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'base: &b {x: 1}\nc:\n  <<: *b\n',
      '%YAML 1.1\n---\na: 1\n',
      'a:\tb\n',
      'a: 1\na: 2\n',
      '? a\n: 1\n',
      'a: [1,\n  2]\n',
      'a: [b: 1]\n',
      'a: {b: }\n',
      'a: [1, ]\n',
      'a: [x, -]\n',
      '{a: 1}: x\n',
      'a: x\n  - y\n',
      'a: "x\ny"\n',
      ' ---\n',
      'a: b: c\n',
      'a: 1\n b: 2\n',
      '- a\nb: 1\n',
      'a: "\\q"\n',
      'a: x\u0007\n',
      'a: x\ry\n',
      'a: x\u0085y\n',
      'a: x\u2028y\n',
      '__proto__: 1\n',
      'a:\n  - 1\n  b: 2\n',
      'a: |\n  \n   \n x\n',
    ]
    for (const text of refused) expect(readFastYaml(text, 64), JSON.stringify(text)).toBeUndefined()
  })

  it('gives up near maxDepth, so js-yaml reports the limit as before', () => {
    let deep = ''
    for (let i = 0; i < 70; i++) deep += `${' '.repeat(i)}k:\n`
    deep += `${' '.repeat(70)}v: 1\n`
    expect(readFastYaml(deep, 64)).toBeUndefined()
    const r = parseSources([{ path: 'deep.yaml', text: deep, origin: 'proposed' }])
    expect(r.issues.map((i) => i.code)).toContain('limit/depth')
    expect(readFastYaml('a:\n  b:\n    c: 1\n', 64)).toBeDefined()
    expect(readFastYaml('a:\n  b:\n    c: 1\n', 4)).toBeUndefined()
  })
})
