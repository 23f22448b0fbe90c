/**
 * A tiny block-style YAML emitter for the synthetic manifests (plain objects of strings, numbers,
 * booleans, arrays and maps). It writes what `kubectl get -o yaml` writes — block maps and
 * sequences, plain scalars where safe — and is much faster than js-yaml's `dump`, which keeps the
 * generator out of the benchmark's time budget. Not a general YAML serialiser.
 */

/** Words YAML 1.1 would read as booleans or null when plain. */
const RESERVED = /^(?:y|n|yes|no|on|off|true|false|null|~)$/i

/** A string that may be written plain: starts with a letter, no YAML indicators, not reserved. */
function plainString(s: string): boolean {
  if (/^[A-Za-z][\w./-]*(?: [\w./-]+)*$/.test(s)) return !RESERVED.test(s)
  // A uid such as 9e3779b1-9e37-...: digits first, but neither a number nor a timestamp.
  return /^\d[\w-]*$/.test(s) && /[A-Za-z]/.test(s) && s.includes('-') && !/^\d{4}-\d/.test(s)
}

/** An IPv4 address or CIDR: plain is safe (two or more dots are never a number). */
function ipLike(s: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+(?:\/\d+)?$/.test(s)
}

function scalar(v: unknown): string {
  if (typeof v === 'string') return plainString(v) || ipLike(v) ? v : JSON.stringify(v)
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (v === null) return 'null'
  throw new Error(`yaml-emit: unsupported value ${String(v)}`)
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function emitMap(obj: Record<string, unknown>, indent: string, out: string[], firstPrefix: string | undefined): void {
  let first = true
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent
    first = false
    if (Array.isArray(v)) {
      if (v.length === 0) out.push(`${lead}${k}: []`)
      else {
        out.push(`${lead}${k}:`)
        emitSeq(v, indent, out)
      }
    } else if (isMap(v)) {
      if (Object.keys(v).length === 0) out.push(`${lead}${k}: {}`)
      else {
        out.push(`${lead}${k}:`)
        emitMap(v, indent + '  ', out, undefined)
      }
    } else if (typeof v === 'string' && v.endsWith('\n') && !/\n\s|\s\n/.test(v)) {
      // A multi-line string (kubectl's last-applied-configuration JSON ends with a newline) is a
      // literal block, as go-yaml prints it.
      out.push(`${lead}${k}: |`)
      for (const line of v.slice(0, -1).split('\n')) out.push(`${indent}  ${line}`)
    } else out.push(`${lead}${k}: ${scalar(v)}`)
  }
}

/** Sequences are written kubectl-style: `- ` at the parent's indentation. */
function emitSeq(arr: readonly unknown[], indent: string, out: string[]): void {
  for (const item of arr) {
    if (isMap(item)) emitMap(item, indent + '  ', out, `${indent}- `)
    else if (Array.isArray(item)) throw new Error('yaml-emit: nested sequences are not used by the generator')
    else out.push(`${indent}- ${scalar(item)}`)
  }
}

/** One YAML document (no `---`), ending with a newline. */
export function toYaml(obj: Record<string, unknown>): string {
  const out: string[] = []
  emitMap(obj, '', out, undefined)
  return out.join('\n') + '\n'
}
