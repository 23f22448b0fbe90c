/**
 * The fuzz suite's corpus and mutations (see pipeline.fuzz.test.ts). A failing case replays with
 * `mutate(CORPUS[file].text, choices)` from the counterexample fast-check prints.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) return yamlFiles(path)
      return /\.ya?ml$/.test(name) ? [path] : []
    })
}

/** The corpus: every manifest of the examples and test fixtures (found by listing, never by name). */
export const CORPUS = [...yamlFiles(join(ROOT, 'examples')), ...yamlFiles(join(ROOT, 'test', 'fixtures'))]
  .map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }))
  .filter((f) => f.text.length < 200_000)

const HOSTILE_STRINGS = [
  '"\n-A KUBE-SERVICES -j DNAT --to-destination 6.6.6.6:80\nCOMMIT\n*nat\n',
  'a"b\\c',
  '* COMMIT',
  'https://evil.example/x www.evil.example',
  '`` <script>alert(1)</script> [x](http://e) @everyone',
  'x'.repeat(5_000),
  '',
  '\u0000\u202e',
  'Bad_Name.',
]
const HOSTILE_NUMBERS = ['2147483647', '-1', '0', '99999999999999999999', '1.5', '1e9', '65536', '0x10', '.inf', 'null']

/** Largest mutated input (characters). */
const MAX_INPUT_CHARS = 400_000

/** A mutation: a function of the text and a few random choices. */
type Mutation = (text: string, pick: (n: number) => number) => string

const lines = (t: string) => t.split('\n')
const pickIndex = (t: string, re: RegExp, pick: (n: number) => number): RegExpExecArray | undefined => {
  const all = [...t.matchAll(new RegExp(re.source, 'g'))]
  return all.length === 0 ? undefined : (all[pick(all.length)] as RegExpExecArray)
}

const MUTATIONS: readonly Mutation[] = [
  // A number (replicas, port, nodePort, parallelism, ...) becomes huge, negative or odd.
  (t, pick) => {
    const m = pickIndex(t, /(:\s*)(\d+)\b/, pick)
    if (m?.index === undefined) return t
    const start = m.index + (m[1] as string).length
    return t.slice(0, start) + (HOSTILE_NUMBERS[pick(HOSTILE_NUMBERS.length)] as string) + t.slice(start + (m[2] as string).length)
  },
  // A scalar after `name:` (or any key) becomes a hostile string, JSON-quoted so it stays one scalar.
  (t, pick) => {
    const m = pickIndex(t, /((?:name|namespace|app|kubernetes\.io\/service-name|nodeName|clusterIP|targetPort):\s*)([^\s,{}[\]#]+)/, pick)
    if (m?.index === undefined) return t
    const start = m.index + (m[1] as string).length
    return t.slice(0, start) + JSON.stringify(HOSTILE_STRINGS[pick(HOSTILE_STRINGS.length)]) + t.slice(start + (m[2] as string).length)
  },
  // A list item is repeated many times (ports, endpoints, containers).
  (t, pick) => {
    const ls = lines(t)
    const items = ls.map((l, i) => [l, i] as const).filter(([l]) => /^\s*- /.test(l))
    const chosen = items.length === 0 ? undefined : items[pick(items.length)]
    if (chosen === undefined) return t
    const [line, i] = chosen
    return [...ls.slice(0, i + 1), ...Array.from({ length: 1 + pick(300) }, () => line), ...ls.slice(i + 1)].join('\n')
  },
  // The whole stream is repeated (duplicate objects).
  (t, pick) => Array.from({ length: 2 + pick(20) }, () => t).join('\n---\n'),
  // A line is deleted or duplicated.
  (t, pick) => {
    const ls = lines(t)
    const i = pick(ls.length)
    return pick(2) === 0 ? [...ls.slice(0, i), ...ls.slice(i + 1)].join('\n') : [...ls.slice(0, i + 1), ls[i] ?? '', ...ls.slice(i + 1)].join('\n')
  },
  // A raw character is inserted anywhere.
  (t, pick) => {
    const chars = ':-[]{}&*!|>\'"#%@`? \t\n0aZ.\\'
    const i = pick(t.length + 1)
    return t.slice(0, i) + chars[pick(chars.length)] + t.slice(i)
  },
]

/** Applies 1–4 mutations chosen by `choices` (fast-check shrinks these numbers). */
export function mutate(text: string, choices: readonly number[]): string {
  let i = 0
  const pick = (n: number): number => (n <= 0 ? 0 : (choices[i++ % choices.length] as number) % n)
  let out = text
  const count = 1 + pick(4)
  // Repetitions compound (an item ×300 in a stream ×20); keep inputs to what a request or a
  // read file can hold, so a run measures the planner rather than the generator.
  for (let k = 0; k < count; k++) out = (MUTATIONS[pick(MUTATIONS.length)] as Mutation)(out, pick).slice(0, MAX_INPUT_CHARS)
  return out
}

