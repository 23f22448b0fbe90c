/**
 * @module clip
 * The `maxValueBytes` work limit: one value (an issue message quoting a name, a note quoting a
 * rule) may take at most that many UTF-8 bytes in any output. Without it an 8 MB name in an
 * invalid Service came out four times, 33.5 MB of report; with it the value is cut and says so.
 */
import { issue as makeIssue, type Issue } from './issues.ts'

/** The marker that replaces the cut part: ` …[N more bytes]`. */
export function clipMarker(rest: number): string {
  return ` …[${rest} more bytes]`
}

/**
 * `text` when it fits in `maxBytes` UTF-8 bytes; otherwise its longest prefix that fits (never
 * splitting a character or surrogate pair), followed by {@link clipMarker} with the bytes left out.
 */
export function clipValue(text: string, maxBytes: number): string {
  // Cheap exits: every UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return text
  let bytes = 0
  let cut = -1
  let keptBytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let size = c < 0x80 ? 1 : c < 0x800 ? 2 : 3
    let units = 1
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        size = 4
        units = 2
      }
    }
    if (cut < 0 && bytes + size > maxBytes) {
      cut = i
      keptBytes = bytes
    }
    bytes += size
    i += units - 1
  }
  if (cut < 0) return text
  return text.slice(0, cut) + clipMarker(bytes - keptBytes)
}

/** An issue with its message, path and object names clipped to `maxBytes` each. */
export function clipIssue(i: Issue, maxBytes: number): Issue {
  const message = clipValue(i.message, maxBytes)
  const path = i.path === undefined ? undefined : clipValue(i.path, maxBytes)
  const ref = i.ref === undefined ? undefined : { kind: clipValue(i.ref.kind, maxBytes), namespace: clipValue(i.ref.namespace, maxBytes), name: clipValue(i.ref.name, maxBytes) }
  if (message === i.message && path === i.path && (ref === undefined || (ref.kind === i.ref?.kind && ref.namespace === i.ref.namespace && ref.name === i.ref.name))) return i
  return makeIssue(i.code, i.severity, message, {
    ...(ref !== undefined ? { ref } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(i.source !== undefined ? { source: i.source } : {}),
  })
}
