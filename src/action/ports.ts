/**
 * @module action/ports
 * The Action's I/O seams (docs/architecture.md, "Adapters"): `run()` talks to GitHub, the runner and the
 * file system only through these interfaces, so unit tests pass in-memory fakes and the real
 * adapters stay small.
 */
/** An existing PR comment as the Action needs it. */
export interface StoredComment {
  readonly id: number
  readonly body: string
  /** The author's login, e.g. `github-actions[bot]`. */
  readonly author: string
}

/** Thrown by a CommentStore when the token may not write (fork PRs: 403 "Resource not accessible"). */
export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError'
}

/**
 * Thrown by a CommentStore when the API could not be reached or kept refusing (network failure,
 * 5xx or a rate limit still hit after the retries): the comment could not be written.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError'
}

/** The comments of one pull request. */
export interface CommentStore {
  /** Every comment on the PR, oldest first (all pages). */
  list(): Promise<readonly StoredComment[]>
  /** The login the token acts as, when it can be found. */
  viewer(): Promise<string | undefined>
  /** Creates a comment and returns its id. May throw ForbiddenError. */
  create(body: string): Promise<number>
  /** Replaces a comment's body. May throw ForbiddenError. */
  update(id: number, body: string): Promise<void>
}

/** Properties of a file annotation (the subset of @actions/core AnnotationProperties we use). */
export interface AnnotationPlace {
  readonly title?: string
  readonly file?: string
  readonly startLine?: number
  readonly startColumn?: number
}

/** The runner: inputs, outputs, job summary, log and annotations. */
export interface ActionIO {
  getInput(name: string): string
  setOutput(name: string, value: string): void
  /** Appends Markdown to the job summary. */
  writeSummary(markdown: string): Promise<void>
  annotate(level: 'error' | 'warning' | 'notice', message: string, place: AnnotationPlace): void
  info(message: string): void
  /** A notice annotation without a file (e.g. "read-only token"). */
  notice(message: string): void
  warning(message: string): void
  setFailed(message: string): void
  /** Writes a file under the runner's temp directory and returns its path. */
  writeTempFile(name: string, content: string): Promise<string>
}

/** The pull request (or push) the run is about. */
export interface RunContext {
  /** PR number when the event is a pull request. */
  readonly pullRequest?: number
  readonly baseSha?: string
  readonly headSha?: string
  /** `owner/repo`. */
  readonly repository?: string
  /** Link to this workflow run, for the comment footer. */
  readonly runUrl?: string
  /** `GITHUB_EVENT_NAME`, e.g. `pull_request`, `pull_request_target`. */
  readonly eventName?: string
}

/**
 * A file the globs matched: its text, or why it was not read (not UTF-8/UTF-16 text, over the
 * size cap), which the run reports and skips instead of planning mangled text.
 */
export type ManifestFile = { readonly path: string; readonly text: string } | { readonly path: string; readonly unreadable: string }

/** Reads manifests: the working tree for head and cluster files, git objects for the base side. */
export interface ManifestSource {
  /** Files of the working tree matching the include globs and none of the excludes, sorted by path. */
  workingTree(include: readonly string[], exclude: readonly string[]): Promise<readonly ManifestFile[]>
  /** Files of commit `ref` matching the globs, read with `git ls-tree` + `git cat-file` (no checkout), sorted by path. */
  atCommit(ref: string, include: readonly string[], exclude: readonly string[]): Promise<readonly ManifestFile[]>
  /** Short form of a commit for display, or the ref itself when unknown. */
  shortSha(ref: string): Promise<string>
  /** True when commit `ref` is in the clone (its objects can be read). */
  hasCommit(ref: string): Promise<boolean>
}

/** Everything `run()` needs. */
export interface Ports {
  readonly io: ActionIO
  readonly context: RunContext
  readonly manifests: ManifestSource
  /** Undefined when there is no pull request or no token. */
  readonly comments?: CommentStore
  /** The tool version for the footer. */
  readonly version: string
}
