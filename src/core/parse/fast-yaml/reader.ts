/**
 * @module parse/fast-yaml/reader
 * A hand-written reader for the block YAML that manifests and `kubectl get -o yaml` exports are
 * made of: block mappings and sequences (compact `- key: v` items, zero-indented sequences under a
 * key), plain and quoted scalars (multi-line ones folded as js-yaml folds them), literal and folded
 * block scalars, comments, `---` / `...` markers and flow collections written on one line. It
 * yields exactly the values js-yaml's `parseEvents` + `constructFromEvents` give with
 * K8S_YAML_SCHEMA, and the offsets documents.ts needs (each document's root offset as guard.ts
 * `eventOffset` gives it, List item offsets as list-items.ts `nodeOffset` gives them), in less
 * than half of js-yaml's time and without an event array.
 *
 * It never reports errors: anything it does not fully understand — anchors, aliases, tags, merge
 * keys, directives, tabs, duplicate keys, multi-line flow collections, explicit or complex keys,
 * odd indentation — makes {@link readFastYaml} return undefined and
 * the js-yaml path reads the file unchanged (and owns every message). Scalars are decoded by
 * js-yaml's own `getScalarValue` and plain scalars resolved by the schema's own implicit-tag
 * resolution (Schema `resolveImplicitScalarTag`, the function js-yaml's `constructScalar` calls),
 * so only the structure is re-implemented here.
 *
 * This module is the entry and the stream level (js-yaml readDocument's loop over `---` / `...`);
 * the parts live beside it: chars.ts (character codes, the give-up signal), cursor.ts (the state
 * and line moves), block.ts (mappings and sequences), keys.ts, line-scalar.ts, plain.ts,
 * quoted.ts, block-scalar.ts, flow.ts, scalar-event.ts and resolve.ts.
 */
import { GIVE_UP, GiveUp, NOT_PLAIN_ASCII, UNSUPPORTED_CHARS } from './chars.ts'
import { Cursor } from './cursor.ts'
import { rootNode } from './block.ts'

// Character codes, module-local on purpose (see chars.ts).
const DASH = 45

/** One document as the fast reader read it. */
export interface FastDocument {
  /** The constructed value (null for an empty document). */
  readonly value: unknown
  /** Offset of the root node as guard.ts `eventOffset` gives it, -1 for an empty document. */
  readonly rootOffset: number
  /** Offsets of the root mapping's `items` sequence entries (list-items.ts `listItemOffsets`), when it has one. */
  readonly items: readonly number[] | undefined
}

/** Reads the documents of the whole text. */
function readDocuments(r: Cursor): FastDocument[] {
  const t = r.text
  const out: FastDocument[] = []
  r.pos = t.charCodeAt(0) === 0xfeff ? 1 : 0
  let open = false
  let hasRoot = false
  let root: unknown = null
  let rootOffset = -1
  let items: number[] | undefined
  const finish = (): void => {
    out.push({ value: hasRoot ? root : null, rootOffset: hasRoot ? rootOffset : -1, items })
    open = false
    hasRoot = false
    root = null
    rootOffset = -1
    items = undefined
  }
  r.seekContent()
  while (r.pos < t.length) {
    const p = r.pos
    if (r.indent < 0) {
      // A document marker line: `---` opens a document (closing an open one), `...` closes.
      const dash = r.code(p) === DASH
      if (open) finish()
      if (dash) open = true
      r.endLine(p + 3)
      continue
    }
    if (r.indent === 0 && r.code(p) === 37 /* % directive */) throw GIVE_UP
    if (hasRoot) throw GIVE_UP // a second root node: a js-yaml error
    open = true
    const list: number[] = []
    const value = rootNode(r, list)
    hasRoot = true
    root = value
    rootOffset = r.offset
    items = r.rootItems ? list : undefined
    if (r.indent >= 0) throw GIVE_UP // content after the root node
  }
  if (open) finish()
  return out
}

/**
 * Reads every document of `text` when it stays inside the subset this reader knows; undefined
 * otherwise (the caller then runs the js-yaml path).
 */
export function readFastYaml(text: string, maxDepth: number): FastDocument[] | undefined {
  // Most manifests are printable ASCII with LF line ends: one cheap scan; the rest get the full check.
  if (NOT_PLAIN_ASCII.test(text) && UNSUPPORTED_CHARS.test(text)) return undefined
  try {
    return readDocuments(new Cursor(text, maxDepth))
  } catch (e) {
    if (e instanceof GiveUp) return undefined
    // A RangeError from very deep recursion, or a bug: js-yaml reads the file instead.
    return undefined
  }
}
