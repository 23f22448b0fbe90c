/**
 * @module report/marker
 * The hidden, versioned marker that opens every PR comment. The Action finds its previous comment
 * by this marker (and the author), never by heading text: tools that matched on headings broke when
 * the heading changed (pulumi/actions#633), and tfcmt embeds metadata the same way. It is the
 * first line so that no truncation can ever cut it off.
 */

/** Marker version; bump when the comment layout changes incompatibly. */
export const MARKER_VERSION = 'v1'

const PREFIX = `<!-- kube-whatif:${MARKER_VERSION} `

/**
 * Encodes a target key so it cannot end the HTML comment (`-->`) or break the `key=value` form.
 * Percent-encoding keeps it readable for plain names like `prod` or `ci/plan`.
 */
function encodeTarget(target: string): string {
  return encodeURIComponent(target).replace(/[!'()*~-]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/**
 * The marker line for a target, e.g. `<!-- kube-whatif:v1 target=prod -->`. An empty target
 * (the default) is written as `target=` so one repository can still hold one comment per key.
 */
export function commentMarker(target: string): string {
  return `${PREFIX}target=${encodeTarget(target)} -->`
}

/**
 * Reads the marker at the very start of a comment body. Returns the target it names, or
 * `undefined` when the body does not start with a kube-whatif marker of this version.
 */
export function parseMarker(body: string): { readonly target: string } | undefined {
  if (!body.startsWith(PREFIX)) return undefined
  const end = body.indexOf(' -->', PREFIX.length)
  if (end < 0) return undefined
  const m = /^target=([^\s]*)$/.exec(body.slice(PREFIX.length, end))
  if (!m) return undefined
  try {
    return { target: decodeURIComponent(m[1] as string) }
  } catch {
    return undefined
  }
}

/** True when `body` is a kube-whatif comment for `target`. */
export function hasMarker(body: string, target: string): boolean {
  return parseMarker(body)?.target === target
}
