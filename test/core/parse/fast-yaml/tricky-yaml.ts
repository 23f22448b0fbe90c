/**
 * A seeded generator of block YAML meant to trip a hand-written reader: random nesting of
 * mappings and sequences in every block layout (indented and zero-indented sequences, compact
 * `- key: v` and `- - x` items, values on the next line), scalars drawn from YAML 1.1 / go-yaml
 * edge cases in plain and quoted styles, block scalars with every chomping mode, indentation
 * indicators and trailing blank lines, comments and blank lines everywhere, document markers,
 * CRLF line ends and a BOM. `mutate` then damages a text at random so the give-up paths run too.
 */

import { rng } from '../../../helpers/seeded-rng.ts'

const PLAIN = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'Yes', 'NO', 'On', 'OFF', '~', 'null', 'Null', 'NULL', 'true', 'TRUE', 'False',
  '0x1F', '0X1f', '0o17', '0O17', '017', '08', '0800', '8e1', '1e2', '.5', '5.', '-.inf', '+.INF', '.NaN', '.nan', '1_000',
  '+1', '-1', '-0', '0', '+0', '-0.0', '12:30', '190:20:30.15', '2024-01-01', '2024-01-01T00:00:00Z', '0b1010', '0B11',
  '9223372036854775807', '9223372036854775808', '18446744073709551616', '1e400', '0x', '0o', '_1', '1__0', '3.14_15',
  'http://example.com:8080/x', 'a:b', 'a#b', 'a -b', '-x', '?x', 'foo bar', 'TCP', 'UDP', 'ClusterIP', 'x[0]', 'a,b', 'é',
  'a{b}', 'k=v', '10.96.0.1', 'fd00::1', '::1', '<<x', '=', '-', '.', '..', ':9411', ':x:', '::', '...x', '---x', '%x', 'a%', "it's", 'say "hi"',
]
const QUOTED = [
  "'quoted'", "'it''s'", "''", "'a: b'", "'a #b'", "'  padded  '", "'yes'", "'08'", '"esc\\u00e9\\n"', '"tab\\there"',
  '"\\x41\\U0001F600"', '"quote \\" inside"', '"back\\\\slash"', '""', '"a: b # c"', '"\\0\\a\\b\\e\\f\\r\\v\\ \\/\\N\\_\\L\\P"',
  '"12:30"', '"null"', "'#not a comment'", '"\\ud83d\\ude00"',
]
const KEYS = [
  'items', 'items', 'name', 'app.kubernetes.io/name', 'example.com/key', 'a:b', 'port', 'targetPort', 'x.y.z', 'k-1', 'k_2', 'K', '"quoted key"',
  "'single'", '"a: b"', 'yes', '1', '08', '0x10', '~', 'null', '1.5', 'on', 'with space', '-dash', 'a#b', 'ünï', '"é"', ':k', '-k',
]

/** Options of one generated text. */
interface Style {
  readonly step: number
  readonly zeroSeq: boolean
  readonly comments: number
  readonly blanks: number
}

/** A tricky text; with `list`, every document is a `kind: List` whose `items` holds the random nodes. */
export function trickyYaml(seed: number, list = false): string {
  const r = rng(seed)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T
  const style: Style = { step: 1 + Math.floor(r() * 4), zeroSeq: r() < 0.5, comments: r() * 0.3, blanks: r() * 0.2 }
  const out: string[] = []
  const extra = (indent: number): void => {
    if (r() < style.blanks) out.push(r() < 0.5 ? '' : ' '.repeat(Math.floor(r() * 6)))
    if (r() < style.comments) out.push(`${' '.repeat(Math.floor(r() * (indent + 3)))}# comment: ${pick(PLAIN)}`)
  }
  const flow = (depth: number): string => {
    const n = Math.floor(r() * 4)
    const sp = r() < 0.3 ? ' ' : ''
    const parts: string[] = []
    const isSeq = r() < 0.5
    for (let i = 0; i < n; i++) {
      const v = depth < 2 && r() < 0.25 ? flow(depth + 1) : r() < 0.6 ? pick(PLAIN) : pick(QUOTED)
      parts.push(isSeq ? v : `${pick(KEYS)}: ${v}`)
    }
    const body = parts.join(r() < 0.8 ? ', ' : ',')
    return isSeq ? `[${sp}${body}${sp}]` : `{${sp}${body}${sp}}`
  }
  const scalar = (): string => {
    const x = r()
    if (x < 0.55) return pick(PLAIN)
    if (x < 0.8) return pick(QUOTED)
    if (x < 0.9) return flow(0)
    return r() < 0.5 ? '{}' : '[]'
  }
  const tail = (): string => (r() < style.comments ? ` # ${pick(PLAIN)}` : '') + (r() < 0.05 ? '  ' : '')
  const blockScalar = (indent: number): string[] => {
    const chomp = pick(['', '-', '+'])
    const explicit = r() < 0.3 ? 1 + Math.floor(r() * 3) : 0
    const head = `${r() < 0.5 ? '|' : '>'}${explicit && r() < 0.5 ? explicit : ''}${chomp}${explicit && !`${chomp}`.length ? explicit : ''}`
    const body = explicit ? indent + explicit : indent + style.step
    const lines: string[] = []
    const n = 1 + Math.floor(r() * 4)
    for (let i = 0; i < n; i++) {
      const extraIndent = r() < 0.2 ? ' '.repeat(1 + Math.floor(r() * 2)) : ''
      lines.push(' '.repeat(body) + extraIndent + pick([...PLAIN, 'text with: colon', '# not a comment', 'x  ']))
      if (r() < 0.25) lines.push(r() < 0.5 ? '' : ' '.repeat(Math.floor(r() * (body + 2))))
    }
    for (let i = Math.floor(r() * 3); i > 0; i--) lines.push('')
    return [head + tail(), ...lines]
  }
  // Emits a node as the value after `prefix` (a `key:` or `-` at column `indent`).
  const node = (prefix: string, indent: number, depth: number, inSeq: boolean): void => {
    const x = r()
    const pad = ' '.repeat(indent)
    if (depth > 4 || x < 0.38) {
      out.push(`${pad}${prefix} ${scalar()}${tail()}`)
    } else if (x < 0.45) {
      // A scalar folded over lines, as go-yaml prints long strings: plain, or quoted.
      const q = pick(['', '', '"', "'"])
      const words = [pick(PLAIN), ...Array.from({ length: 1 + Math.floor(r() * 3) }, () => pick([...PLAIN, 'word', 'esc\\', 'x\\n', 'a"b']))]
      const lines = words.map((w, i) => (i === 0 ? `${pad}${prefix} ${q}${w}` : `${' '.repeat(indent + (r() < 0.9 ? 1 + Math.floor(r() * 3) : 0))}${w}`))
      if (r() < 0.3) lines.splice(1 + Math.floor(r() * (lines.length - 1)), 0, r() < 0.5 ? '' : ' '.repeat(Math.floor(r() * 4)))
      if (q === '"' && r() < 0.3) lines[0] += '\\'
      lines[lines.length - 1] += q + tail()
      out.push(...lines)
    } else if (x < 0.55) {
      const [head, ...rest] = blockScalar(indent)
      out.push(`${pad}${prefix} ${head}`)
      out.push(...rest)
    } else if (x < 0.62) {
      out.push(`${pad}${prefix}${tail()}`) // empty value
    } else if (x < 0.82) {
      // A mapping: on the next lines, or compact after `- `.
      if (inSeq && r() < 0.6) mapping(indent + 2, depth + 1, `${pad}- `)
      else {
        out.push(`${pad}${prefix}${tail()}`)
        mapping(indent + style.step, depth + 1, undefined)
      }
    } else {
      if (inSeq && r() < 0.3) sequence(indent + 2, depth + 1, `${pad}- `)
      else {
        out.push(`${pad}${prefix}${tail()}`)
        sequence(!inSeq && style.zeroSeq ? indent : indent + style.step, depth + 1, undefined)
      }
    }
  }
  const mapping = (indent: number, depth: number, compact: string | undefined): void => {
    const n = 1 + Math.floor(r() * 4)
    const used = new Set<string>()
    for (let i = 0; i < n; i++) {
      let key = pick(KEYS)
      if (used.has(key) && r() < 0.9) continue
      used.add(key)
      if (r() < 0.05) key += ' '
      const at = out.length
      node(`${key}:`, indent, depth, false)
      if (i === 0 && compact !== undefined) out[at] = compact + (out[at] ?? '').slice(indent)
      extra(indent)
    }
  }
  const sequence = (indent: number, depth: number, compact: string | undefined): void => {
    const n = 1 + Math.floor(r() * 4)
    for (let i = 0; i < n; i++) {
      const at = out.length
      node('-', indent, depth, true)
      if (i === 0 && compact !== undefined) out[at] = compact + (out[at] ?? '').slice(indent)
      extra(indent)
    }
  }
  const docs = 1 + Math.floor(r() * 3)
  for (let d = 0; d < docs; d++) {
    if (d > 0 || r() < 0.3) out.push(r() < 0.2 ? '--- # doc' : '---')
    extra(0)
    const kind = r()
    if (list) {
      out.push('kind: List')
      if (r() < 0.3) out.push(`items: ${r() < 0.5 ? '[]' : flow(0)}`)
      else {
        out.push('items:')
        sequence(r() < 0.5 ? 0 : style.step, 2, undefined)
      }
      if (r() < 0.3) out.push('metadata: {}')
    } else if (kind < 0.6) mapping(0, 1, undefined)
    else if (kind < 0.85) sequence(0, 1, undefined)
    else if (kind < 0.95) out.push(scalar())
    if (r() < 0.15) out.push('...')
  }
  let text = out.join('\n') + (r() < 0.8 ? '\n' : '')
  if (r() < 0.15) text = text.replace(/\n/g, '\r\n')
  if (r() < 0.1) text = '\uFEFF' + text
  return text
}

const DAMAGE = ['\t', '&a ', '*a', '!!str ', '<<: ', '? ', ': ', ' #', '#', '"', "'", '\\', '- ', '{', '[a]', '\r', '\n', '  ', '---\n', '%YAML 1.1\n', '|', '\u0085', '\u0007']

/** Damages `text` at a few random places. */
export function mutate(text: string, seed: number): string {
  const r = rng(seed ^ 0x5bd1e995)
  let t = text
  for (let n = 1 + Math.floor(r() * 3); n > 0; n--) {
    const at = Math.floor(r() * (t.length + 1))
    const x = r()
    if (x < 0.4) t = t.slice(0, at) + (DAMAGE[Math.floor(r() * DAMAGE.length)] ?? '') + t.slice(at)
    else if (x < 0.7) t = t.slice(0, at) + t.slice(at + 1 + Math.floor(r() * 3))
    else t = t.slice(0, at) + ' ' + t.slice(at)
  }
  return t
}
