/**
 * @module parse/go-yaml-numbers
 * Plain-scalar number resolution exactly as go-yaml v2 does it (resolve.go `resolve`, the copy
 * vendored by sigs.k8s.io/yaml that kubectl and kube-apiserver use). It is neither YAML 1.1 nor
 * 1.2, and it matters for ports:
 * - integers go through Go's `strconv.ParseInt(s, 0, 64)` after every `_` is removed, so `0x50`,
 *   `0X50`, `0o120`, `0O120`, `0b1010`, `0B1010` and `0120` (octal) are numbers;
 * - what is not an integer but matches `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
 *   is a float: `0800` and `08` (not octal) are 800 and 8, `8e1` and `1e2` are 80 and 100 —
 *   JSON then carries them as integers, so `port: 08` is port 8 for kubectl;
 * - sexagesimal forms (`1:20`) are not numbers at all (strings).
 * js-yaml's YAML 1.1 tags read `0800`, `8e1`, `0O17` or `0X1F` as strings, which would turn a
 * numeric targetPort into a port *name*.
 */

// Module-level patterns: a regex literal inside a function makes a new RegExp object on every
// call, and these run for every plain scalar that starts like a number (each pod IP, each timestamp).
const HEX_DIGITS = /^[0-9a-fA-F]*$/
const DEC_DIGITS = /^[0-9]*$/
const OCT_DIGITS = /^[0-7]*$/
const BIN_DIGITS = /^[01]*$/
const NUMBER_START = /[-+0-9]/

/** Removes Go's digit separators; no new string when there are none. */
function withoutUnderscores(s: string): string {
  return s.includes('_') ? s.replace(/_/g, '') : s
}

/** Go strconv.ParseInt / ParseUint with base 0 on an underscore-free string; undefined on error. */
export function goParseIntBase0(s: string): bigint | undefined {
  if (s === '') return undefined
  let neg = false
  let body = s
  if (body[0] === '+' || body[0] === '-') {
    neg = body[0] === '-'
    body = body.slice(1)
  }
  if (body === '') return undefined
  let base = 10
  if (body[0] === '0') {
    const p = (body[1] ?? '').toLowerCase()
    if (body.length >= 3 && p === 'b') base = 2
    else if (body.length >= 3 && p === 'o') base = 8
    else if (body.length >= 3 && p === 'x') base = 16
    else base = 8
    body = base === 8 && p !== 'o' ? body.slice(1) : body.slice(2)
  }
  const digits = base === 16 ? HEX_DIGITS : base === 10 ? DEC_DIGITS : base === 8 ? OCT_DIGITS : BIN_DIGITS
  if (!digits.test(body)) return undefined
  // "0" alone is base 8 with no digits left: Go returns 0.
  if (body === '' && !(base === 8 && s.replace(/^[-+]/, '') === '0')) return undefined
  let v = 0n
  const b = BigInt(base)
  for (const ch of body) v = v * b + BigInt(parseInt(ch, 16))
  // ParseInt: int64; ParseUint (tried next by go-yaml, no sign allowed): uint64.
  if (neg) return v <= 2n ** 63n ? -v : undefined
  if (v < 2n ** 63n) return v
  const signed = s[0] === '+'
  return !signed && v < 2n ** 64n ? v : undefined
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/

const SPECIAL_FLOATS: ReadonlyMap<string, number> = new Map([
  ...['.nan', '.NaN', '.NAN'].map((k): [string, number] => [k, Number.NaN]),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((k): [string, number] => [k, Number.POSITIVE_INFINITY]),
  ...['-.inf', '-.Inf', '-.INF'].map((k): [string, number] => [k, Number.NEGATIVE_INFINITY]),
])

/** The integer go-yaml v2 resolves a plain scalar to, or undefined when it is not an int. */
export function goYamlInt(source: string): number | undefined {
  const c = source[0]
  if (c === undefined || !NUMBER_START.test(c)) return undefined
  const v = goParseIntBase0(withoutUnderscores(source))
  return v === undefined ? undefined : Number(v)
}

/** The float go-yaml v2 resolves a plain scalar to (when it is not an int), or undefined. */
export function goYamlFloat(source: string): number | undefined {
  const special = SPECIAL_FLOATS.get(source)
  if (special !== undefined) return special
  const c = source[0]
  if (c === '.') {
    // Hint '.': strconv.ParseFloat on the text as written.
    return DOT_FLOAT.test(source) ? Number(source) : undefined
  }
  if (c === undefined || !NUMBER_START.test(c)) return undefined
  const plain = withoutUnderscores(source)
  if (!YAML_STYLE_FLOAT.test(plain)) return undefined
  const v = Number(plain)
  // ParseFloat fails on overflow (±Inf with ErrRange); go-yaml then keeps the string.
  return Number.isFinite(v) ? v : undefined
}
