/**
 * @module parse/fields
 * Typed reads of untrusted plain values, with kubectl-style issues. Each typed view (service.ts,
 * pod.ts, ...) reads the fields it needs through a {@link Fields}; a wrong type, a value out of
 * range or an unsupported enum value records an error issue at the field's source line and marks
 * the object as failed, so the caller can leave it out of the plan.
 *
 * JSON `null` reads as "not set" everywhere, as Go's encoding/json does for pointer, slice and map
 * fields (and as the zero value for scalars).
 */
import { issue } from '../issues.ts'
import type { Issue, IssueCode, ObjectRef, SourceSpan } from '../issues.ts'

/** A plain object as parsed from YAML/JSON. */
export type Rec = Readonly<Record<string, unknown>>

/** True for a plain mapping (not an array, not null). */
export function isRec(v: unknown): v is Rec {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Own property of a parsed mapping; never reads inherited members like `constructor`. */
export function own(rec: Rec | undefined, key: string): unknown {
  return rec !== undefined && Object.hasOwn(rec, key) ? rec[key] : undefined
}

/**
 * A field path not yet written out: `base` + `.key` or `[index]`. Typed views read every field of
 * every object through a path, but need its text only when they raise an issue, so building
 * `${path}[${i}].conditions` for each of 100k endpoints was pure garbage (bench kubectl-10kx10
 * profile); the text is made by {@link pathText} on the error path only.
 */
export class At {
  constructor(
    readonly base: Path,
    readonly key: string | number,
  ) {}

  toString(): string {
    return pathText(this)
  }
}

/** A field path: its text, or an {@link At} that makes the same text on demand. */
export type Path = string | At

/** The text of a path: `spec.ports[0].port`. */
export function pathText(p: Path): string {
  if (typeof p === 'string') return p
  const base = pathText(p.base)
  return typeof p.key === 'number' ? `${base}[${p.key}]` : join(base, p.key)
}

/** Joins a field path and a key: `spec` + `ports` → `spec.ports`. */
export function join(base: Path, key: string): string {
  const b = pathText(base)
  return b === '' ? key : `${b}.${key}`
}

/** Renders a value for a message like Go's `%#v` would, but short: strings quoted, objects elided. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 77)}...` : v)
  if (Array.isArray(v)) return '[...]'
  if (typeof v === 'object' && v !== null) return '{...}'
  return String(v)
}

/** Copies only the keys whose value is defined, so absent fields stay absent rather than `undefined`. */
export function defined<T extends object>(o: T): T {
  // A plain loop: entries/filter/fromEntries allocated three arrays per object, and this runs for
  // every parsed endpoint and port (bench cluster-10kx10 profile: 2.8% of a plan).
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k]
    if (v !== undefined) out[k] = v
  }
  return out as T
}

/** Inclusive integer range. */
export interface Range {
  readonly min: number
  readonly max: number
}

/** TCP/UDP/SCTP port numbers. */
export const PORT_RANGE: Range = { min: 1, max: 65535 }
/** Port numbers where 0 means "not set" (nodePort, healthCheckNodePort). */
export const OPTIONAL_PORT_RANGE: Range = { min: 0, max: 65535 }
/**
 * What a Go `int32` field decodes: anything outside is a decoding error (`json: cannot unmarshal
 * number ... of type int32`) before validation runs; anything inside reaches ValidateService.
 */
export const INT32_RANGE: Range = { min: -2147483648, max: 2147483647 }

/** Field reader for one object; collects issues and remembers whether any was an error. */
export class Fields {
  /** False once any error was recorded: the object should be left out. */
  ok = true

  /**
   * When true, an unsupported enum value is kept as written instead of failing the object: set for
   * proposed Services, whose values the apiserver emulation validates with kube-apiserver's own
   * messages (`The Service "x" is invalid: spec.ports[0].protocol: Unsupported value: ...`).
   * Typed views also widen number ranges to what the Go type decodes (see INT32_RANGE) then.
   */
  deferEnums = false

  /**
   * @param subject how messages name the object, e.g. `Service "web" in namespace "default"`
   * @param locate field path → source position
   */
  constructor(
    readonly subject: string,
    private readonly ref: ObjectRef | undefined,
    private readonly locate: (path: string) => SourceSpan,
    private readonly issues: Issue[],
  ) {}

  /** Records an error at `path`; `detail` follows kubectl's `<path>: <detail>` wording. */
  fail(code: IssueCode, path: Path, detail: string): void {
    this.ok = false
    const text = pathText(path)
    this.issues.push(
      issue(code, 'error', `${this.subject}: ${text}: ${detail}`, {
        ...(this.ref ? { ref: this.ref } : {}),
        path: text,
        source: this.locate(text),
      }),
    )
  }

  /** Records a warning at `path`; the object is kept. */
  warn(code: IssueCode, path: Path, detail: string): void {
    const text = pathText(path)
    this.issues.push(
      issue(code, 'warning', `${this.subject}: ${text}: ${detail}`, {
        ...(this.ref ? { ref: this.ref } : {}),
        path: text,
        source: this.locate(text),
      }),
    )
  }

  invalid(path: Path, value: unknown, why: string): void {
    this.fail('manifest/invalid-field', path, `Invalid value: ${show(value)}: ${why}`)
  }

  required(path: Path): void {
    this.fail('manifest/missing-field', path, 'Required value')
  }

  unsupported(path: Path, value: unknown, allowed: readonly string[]): void {
    const list = allowed.filter((a) => a !== '').map((a) => JSON.stringify(a))
    this.fail('manifest/unsupported-value', path, `Unsupported value: ${show(value)}: supported values: ${list.join(', ')}`)
  }

  /** A string field; undefined when absent or null. */
  str(rec: Rec | undefined, base: Path, key: string): string | undefined {
    const v = own(rec, key)
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string') return v
    this.invalid(join(base, key), v, 'must be a string')
    return undefined
  }

  /** An integer field, optionally range-checked. */
  int(rec: Rec | undefined, base: Path, key: string, range?: Range): number | undefined {
    const v = own(rec, key)
    if (v === undefined || v === null) return undefined
    if (typeof v === 'number' && Number.isInteger(v) && (!range || (v >= range.min && v <= range.max))) return v
    return this.intValue(v, join(base, key), range)
  }

  /** Checks an integer value found at `path`. */
  intValue(v: unknown, path: Path, range?: Range): number | undefined {
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      this.invalid(path, v, 'must be an integer')
      return undefined
    }
    if (range && (v < range.min || v > range.max)) {
      this.invalid(path, v, `must be between ${range.min} and ${range.max}, inclusive`)
      return undefined
    }
    return v
  }

  /** A boolean field. */
  bool(rec: Rec | undefined, base: Path, key: string): boolean | undefined {
    const v = own(rec, key)
    if (v === undefined || v === null) return undefined
    if (typeof v === 'boolean') return v
    this.invalid(join(base, key), v, 'must be a boolean')
    return undefined
  }

  /** A nested object field. */
  obj(rec: Rec | undefined, base: Path, key: string): Rec | undefined {
    const v = own(rec, key)
    if (v === undefined || v === null) return undefined
    if (isRec(v)) return v
    this.invalid(join(base, key), v, 'must be an object')
    return undefined
  }

  /** A list field. */
  list(rec: Rec | undefined, base: Path, key: string): readonly unknown[] | undefined {
    const v = own(rec, key)
    if (v === undefined || v === null) return undefined
    if (Array.isArray(v)) return v
    this.invalid(join(base, key), v, 'must be a list')
    return undefined
  }

  /** Items of a list of objects, each with its path; non-object items are errors and skipped. */
  objects(rec: Rec | undefined, base: Path, key: string): { readonly item: Rec; readonly path: At }[] {
    const list = this.list(rec, base, key)
    if (list === undefined || list.length === 0) return []
    const path = new At(base, key)
    const out: { item: Rec; path: At }[] = []
    for (let i = 0; i < list.length; i++) {
      const item = list[i]
      if (isRec(item)) out.push({ item, path: new At(path, i) })
      else this.invalid(new At(path, i), item, 'must be an object')
    }
    return out
  }

  /** A list of strings. */
  strList(rec: Rec | undefined, base: Path, key: string): string[] | undefined {
    const list = this.list(rec, base, key)
    if (!list) return undefined
    const out: string[] = []
    for (let i = 0; i < list.length; i++) {
      const v = list[i]
      if (typeof v === 'string') out.push(v)
      else this.invalid(new At(new At(base, key), i), v, 'must be a string')
    }
    return out
  }

  /** A `map[string]string` (labels, selector, annotations). Values must be strings, as in the API. */
  strMap(rec: Rec | undefined, base: Path, key: string): Record<string, string> | undefined {
    const m = this.obj(rec, base, key)
    if (!m) return undefined
    const out: Record<string, string> = {}
    for (const k of Object.keys(m)) {
      const v = m[k]
      if (typeof v !== 'string') this.invalid(`${join(base, key)}[${k}]`, v, 'must be a string')
      // An own property even for `__proto__` (which plain assignment would turn into a prototype
      // change), as Object.fromEntries defined it; one object instead of an entries array.
      else if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true })
      else out[k] = v
    }
    return out
  }

  /** A string enum; `''` is accepted only when listed in `allowed`. */
  enumOf<T extends string>(rec: Rec | undefined, base: Path, key: string, allowed: readonly T[]): T | undefined {
    const v = this.str(rec, base, key)
    if (v === undefined) return undefined
    if ((allowed as readonly string[]).includes(v) || this.deferEnums) return v as T
    this.unsupported(join(base, key), v, allowed)
    return undefined
  }

  /** An IntOrString (targetPort): an integer in `range`, or a string. */
  intOrString(rec: Rec | undefined, base: Path, key: string, range: Range): number | string | undefined {
    const v = own(rec, key)
    if (v === undefined || v === null) return undefined
    if (typeof v === 'string') return v
    if (typeof v === 'number') return this.intValue(v, join(base, key), range)
    this.invalid(join(base, key), v, 'must be an integer or a string')
    return undefined
  }
}
