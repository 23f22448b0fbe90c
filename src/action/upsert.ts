/**
 * @module action/upsert
 * One sticky comment per pull request and target: find the previous comment by the hidden marker
 * AND the token's own login (marocchino/sticky-pull-request-comment checks `viewer.login`;
 * matching on heading text broke pulumi/actions#633, and "my last comment" clobbers other bots),
 * update it in place (keeps its edit history), skip the write when the body is unchanged, else
 * create one. A 403 on the write is a read-only token (fork PRs), reported, never fatal.
 */
import { hasMarker } from '#core'
import { ForbiddenError, type CommentStore, type StoredComment } from './ports.ts'

/** What happened to the comment. */
export type UpsertResult =
  | { readonly kind: 'created'; readonly id: number }
  | { readonly kind: 'updated'; readonly id: number }
  | { readonly kind: 'unchanged'; readonly id: number }
  /** Nothing to do: no previous comment and `createIfMissing` is false. */
  | { readonly kind: 'skipped' }
  | { readonly kind: 'forbidden'; readonly message: string; readonly id?: number }

/** Logins compare without the `[bot]` suffix: GraphQL `viewer.login` omits it, REST keeps it. */
export function sameAuthor(a: string, b: string): boolean {
  const norm = (s: string): string => s.replace(/\[bot\]$/, '').toLowerCase()
  return norm(a) === norm(b)
}

/** The newest of our comments for `target`, if any. */
export function findPrevious(comments: readonly StoredComment[], target: string, viewer: string | undefined): StoredComment | undefined {
  const ours = comments.filter(
    (c) => hasMarker(c.body, target) && (viewer === undefined ? c.author.endsWith('[bot]') : sameAuthor(c.author, viewer)),
  )
  return ours.sort((x, y) => x.id - y.id)[ours.length - 1]
}

const normalise = (s: string): string => s.replace(/\r\n/g, '\n').trimEnd()

/** Options of {@link upsertComment}. */
export interface UpsertOptions {
  /** Create a comment when there is none yet (false for `comment: on-change` without changes). */
  readonly createIfMissing: boolean
  /**
   * Maps a body to what must be equal for the write to be skipped, e.g. with the per-run link
   * blanked: every workflow run has a new run ID, so comparing raw bodies would rewrite an
   * unchanged plan on every run (marocchino's `commentsEqual` compares the rendered text).
   */
  readonly canonical?: (body: string) => string
}

/**
 * Creates or updates the sticky comment. A 403 while reading or writing comments (read-only or
 * comment-less token) is a `forbidden` result; other errors propagate.
 */
export async function upsertComment(store: CommentStore, body: string, target: string, options: UpsertOptions): Promise<UpsertResult> {
  const canonical = options.canonical ?? ((b: string): string => b)
  let previous: StoredComment | undefined
  try {
    const [comments, viewer] = await Promise.all([store.list(), store.viewer()])
    previous = findPrevious(comments, target, viewer)
    if (previous) {
      if (normalise(canonical(previous.body)) === normalise(canonical(body))) return { kind: 'unchanged', id: previous.id }
      await store.update(previous.id, body)
      return { kind: 'updated', id: previous.id }
    }
    if (!options.createIfMissing) return { kind: 'skipped' }
    return { kind: 'created', id: await store.create(body) }
  } catch (e) {
    if (e instanceof ForbiddenError) return { kind: 'forbidden', message: e.message, ...(previous ? { id: previous.id } : {}) }
    throw e
  }
}
