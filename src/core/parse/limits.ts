/**
 * @module parse/limits
 * Resource limits for untrusted manifest input. Manifests come from pull requests, so the parser
 * must refuse hostile input (alias bombs, deep nesting, huge files) with a clear issue instead of
 * hanging or running out of memory — js-yaml's own safety notes (safety.md in the js-yaml repository) recommend the same.
 */

/** Per-file limits applied by {@link parseSources}. */
export interface ParseLimits {
  /** Maximum UTF-8 size of one file, in bytes. Larger files are skipped whole. */
  readonly maxBytes: number
  /** Maximum YAML documents plus `List` items in one file; the rest of the file is ignored. */
  readonly maxDocuments: number
  /**
   * Maximum alias uses per document, counted AFTER expansion: an alias to a node that itself holds
   * aliases counts them all again. This is what stops a "billion laughs" bomb, whose literal alias
   * count is small (9 levels × 10) but whose expansion is 10^9 nodes.
   */
  readonly maxAliases: number
  /** Maximum nesting depth of collections in one document, including nesting reached through aliases. */
  readonly maxDepth: number
}

/**
 * Defaults: 8 MiB per file, 10 000 documents per file, 100 expanded aliases per document,
 * depth 64. Real Kubernetes manifests nest about 12 deep (a Deployment's pod template volumes) and
 * generated ones (Helm, kustomize) use no aliases at all, so these leave ample room.
 */
export const DEFAULT_LIMITS: ParseLimits = Object.freeze({
  maxBytes: 8 * 1024 * 1024,
  maxDocuments: 10_000,
  maxAliases: 100,
  maxDepth: 64,
})

/** Merges user overrides onto the defaults, ignoring values that are not non-negative integers. */
export function resolveLimits(overrides: Partial<ParseLimits> = {}): ParseLimits {
  const pick = (key: keyof ParseLimits): number => {
    const v = overrides[key]
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : DEFAULT_LIMITS[key]
  }
  return {
    maxBytes: pick('maxBytes'),
    maxDocuments: pick('maxDocuments'),
    maxAliases: pick('maxAliases'),
    maxDepth: pick('maxDepth'),
  }
}

/**
 * UTF-8 length of a JS string without allocating an encoded copy (TextEncoder would double the
 * memory of an 8 MiB file). Lone surrogates count as 3 bytes, like TextEncoder's U+FFFD.
 */
export function utf8Length(text: string): number {
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4
        i++
      } else bytes += 3
    } else bytes += 3
  }
  return bytes
}
