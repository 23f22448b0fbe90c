/**
 * @module issues
 * User-input problems are data, not exceptions (valibot's issue model): every stage returns a
 * best-effort value plus the issues it found, and the next stage plans whatever is left.
 */

/** How serious an issue is. `error` means an object was left out of the plan. */
export type Severity = 'error' | 'warning' | 'info'

/**
 * Issue codes, namespaced by the stage that raises them. Keep `docs/issues.md` in step.
 * The template-literal form lets each stage own its codes while the prefix stays closed.
 */
export type IssueCode =
  | `yaml/${string}`
  | `manifest/${string}`
  | `cluster/${string}`
  | `service/${string}`
  | `alloc/${string}`
  | `endpoints/${string}`
  | `proxy/${string}`
  | `trace/${string}`
  | `diff/${string}`
  | `limit/${string}`

/** Where in the user's input something is: file path and 1-based line/column. */
export interface SourceSpan {
  readonly file: string
  readonly line: number
  readonly column: number
}

/** A reference to a Kubernetes object. `namespace` is `''` for cluster-scoped kinds. */
export interface ObjectRef {
  readonly kind: string
  readonly namespace: string
  readonly name: string
}

/** One problem found in the input (or, with severity `info`, a fact worth telling). */
export interface Issue {
  readonly code: IssueCode
  readonly severity: Severity
  /** One sentence; for apiserver rejections the exact kubectl-style text. */
  readonly message: string
  readonly ref?: ObjectRef
  /** Kubernetes field path, e.g. `spec.ports[1].nodePort`. */
  readonly path?: string
  readonly source?: SourceSpan
}

/**
 * `span` with its keys in sorted order (column, file, line), for the JSON report's native
 * stringify (report/native-json.ts). The spans themselves keep the order they are built in
 * (file, line, column): the Worker prints trace issues, sources included, with plain
 * `JSON.stringify`, and those bytes stay as they are.
 */
export function sortedSpan(span: SourceSpan): SourceSpan {
  return { column: span.column, file: span.file, line: span.line }
}

/** A stage result: a best-effort value and every issue found while computing it. */
export interface Staged<T> {
  readonly value: T
  readonly issues: readonly Issue[]
}

/** Builds an issue; a small helper so call sites stay one line. */
export function issue(
  code: IssueCode,
  severity: Severity,
  message: string,
  where: { ref?: ObjectRef; path?: string; source?: SourceSpan } = {},
): Issue {
  return { code, severity, message, ...where }
}

/** True when any issue is an error. */
export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error')
}

/** Formats a reference as `ns/name` (or `name` when cluster-scoped). */
export function refString(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name
}
