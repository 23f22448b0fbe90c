/**
 * @module apiserver/validate/field-errors
 * Field errors and their text, mirroring k8s.io/apimachinery/pkg/util/validation/field/errors.go
 * (`Error.ErrorBody`) and kubectl's rendering of a 422 Invalid status (cmdutil.CheckErr). The
 * exact strings are the contract: users paste them into search engines.
 */

/** field.ErrorType, as printed by `ErrorType.String()`. */
export type FieldErrorType = 'Invalid' | 'NotSupported' | 'Duplicate' | 'Required' | 'Forbidden' | 'Internal'

/** One field error: path plus the body `ErrorBody()` would print. */
export interface FieldError {
  readonly type: FieldErrorType
  readonly field: string
  readonly body: string
}

const TYPE_TEXT: Record<FieldErrorType, string> = {
  Invalid: 'Invalid value',
  NotSupported: 'Unsupported value',
  Duplicate: 'Duplicate value',
  Required: 'Required value',
  Forbidden: 'Forbidden',
  Internal: 'Internal error',
}

/**
 * Go `%q` for a string. JSON escaping matches for printable ASCII; control characters differ
 * (`\x01` in Go vs `\u0001` in JSON), so those are rewritten.
 */
export function goQuote(s: string): string {
  return JSON.stringify(s).replace(/\\u00([0-1][0-9a-f])/g, (_m, h: string) => {
    if (h === '07') return '\\a'
    if (h === '08') return '\\b'
    if (h === '0b') return '\\v'
    if (h === '0c') return '\\f'
    return `\\x${h}`
  })
}

/** Go `%#v` of a `[]string` (nil renders `[]string(nil)`). */
export function goStringSlice(v: readonly string[] | undefined, typeName = 'string'): string {
  if (v === undefined) return `[]${typeName}(nil)`
  return `[]${typeName}{${v.map(goQuote).join(', ')}}`
}

/** Go `%#v` of a `[]core.IPFamily`. */
export function goFamilies(v: readonly string[] | undefined): string {
  return goStringSlice(v, 'core.IPFamily')
}

/** A value as ErrorBody renders it: strings quoted (%q), numbers and booleans plain. */
export type RenderedValue = string

/** Renders a Go string value (`"abc"`); named string types print the same way via `%#v`. */
export const str = (s: string): RenderedValue => goQuote(s)
/** Renders a Go integer value. */
export const num = (n: number): RenderedValue => String(n)
/** Renders a nil pointer. */
export const nil: RenderedValue = 'null'

/** field.Invalid(path, value, detail). */
export function invalid(field: string, value: RenderedValue, detail: string): FieldError {
  return { type: 'Invalid', field, body: `${TYPE_TEXT.Invalid}: ${value}${detail ? `: ${detail}` : ''}` }
}

/** field.NotSupported(path, value, supported): values quoted, in the given (sorted) order. */
export function notSupported(field: string, value: RenderedValue, supported: readonly string[]): FieldError {
  const list = supported.map(goQuote).join(', ')
  return { type: 'NotSupported', field, body: `${TYPE_TEXT.NotSupported}: ${value}: supported values: ${list}` }
}

/** field.Duplicate(path, value). */
export function duplicate(field: string, value: RenderedValue): FieldError {
  return { type: 'Duplicate', field, body: `${TYPE_TEXT.Duplicate}: ${value}` }
}

/** field.Required(path, detail). */
export function required(field: string, detail = ''): FieldError {
  return { type: 'Required', field, body: detail ? `${TYPE_TEXT.Required}: ${detail}` : TYPE_TEXT.Required }
}

/** field.Forbidden(path, detail). */
export function forbidden(field: string, detail: string): FieldError {
  return { type: 'Forbidden', field, body: `${TYPE_TEXT.Forbidden}: ${detail}` }
}

/** `<path>: <body>`, as field.Error.Error() prints it. */
export function fieldErrorText(e: FieldError): string {
  return `${e.field}: ${e.body}`
}

/** Drops errors whose text repeats an earlier one (ToAggregate de-duplicates messages). */
export function dedupe(errs: readonly FieldError[]): FieldError[] {
  const seen = new Set<string>()
  return errs.filter((e) => {
    const k = fieldErrorText(e)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/**
 * kubectl's text for a 422 Invalid object (a Service unless `kind` says otherwise): one cause inline, several as `* ` bullets after a
 * trailing space (cmd/util/helpers.go StandardErrorMessage / MultipleErrors).
 */
export function kubectlInvalid(name: string, errs: readonly FieldError[], kind = 'Service'): string {
  const head = `The ${kind} ${goQuote(name)} is invalid: `
  const list = dedupe(errs)
  if (list.length === 1) return head + fieldErrorText(list[0] as FieldError)
  return head + '\n' + list.map((e) => `* ${fieldErrorText(e)}`).join('\n')
}

/**
 * kubectl's text for a 500 InternalError (e.g. range exhaustion). The "error when creating" frame
 * is kubectl's (cmd/apply); marked UNVERIFIED in the spec for exact wording.
 */
export function kubectlInternal(file: string, detail: string, verb: 'creating' | 'applying' = 'creating'): string {
  return `Error from server (InternalError): error when ${verb} ${goQuote(file)}: Internal error occurred: ${detail}`
}
