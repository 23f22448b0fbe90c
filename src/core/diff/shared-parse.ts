/**
 * @module diff/shared-parse
 * The head side's parse, reusing the base side's: in a pull request nearly every YAML document of
 * the head is the base's text again (bench diff-1kx10: 99% of documents), so only the documents
 * whose text changed are parsed; the others are the base's objects with their source lines moved
 * by the lines inserted or removed above them. Works at the `parseSources` call boundary (it
 * calls `parseSources` and reads only its result), not inside the parser.
 *
 * The result must be what `parseSources(head)` returns, so every case whose equality is not
 * evident falls back to that full parse:
 * - any issue from the base parse or from the parse of the changed documents (issues carry
 *   messages with positions and depend on document order and budgets);
 * - a file that is not `*.yaml`/`*.yml`, a `...` or `%` line at column 0 (document end markers and
 *   directives change how documents are cut), or a file near the byte or document budget;
 * - the same object defined twice on one side (the duplicate rules look across documents);
 * - a KubeProxyConfiguration or ClusterProfile in a changed or dropped document (the last one
 *   given wins, and the inventory keeps no position to tell which that was).
 * Documents are cut at column-0 `---` lines: YAML forbids such a line inside any scalar
 * (c-forbidden), so each piece is a document of its own, parsed the same whatever surrounds it.
 */
import type { Issue, SourceSpan, Staged } from '../issues.ts'
import { shiftSpan } from '../deferred-span.ts'
import type { Inventory, SourceFile } from '../model/inventory.ts'
import type { Parsed } from '../model/k8s.ts'
import { parseSources, type ParseLimits } from '../parse/index.ts'
import { resolveLimits, utf8Length } from '../parse/limits.ts'
import { measuredBytes } from '../parse/measured-bytes.ts'
import type { BaseOf } from '../apiserver/service/reuse.ts'

/** One document's text in a file: `[start, end)` offsets and the line it starts on (1-based). */
interface Piece {
  readonly start: number
  readonly end: number
  readonly line: number
}

/** The lists of an {@link Inventory} holding parsed objects, in the inventory's key order. */
const LISTS = ['services', 'endpointSlices', 'nodes', 'pods', 'others', 'serviceCIDRs'] as const
type ListKey = (typeof LISTS)[number]

/** Kinds of which the inventory keeps only the last one given, without a source position. */
const SINGLE_KINDS = /KubeProxyConfiguration|ClusterProfile/

/**
 * Cuts YAML text at column-0 `---` lines; `undefined` when a line could start a directive or end
 * a document (`%`, `...`), where cutting at `---` alone would not be exact.
 */
function pieces(text: string): Piece[] | undefined {
  // A lone CR is a YAML line break too; lines are counted by LF here, so such text is not cut.
  // (`indexOf` first: a memchr-like scan, where the look-ahead regex walked 3 MB per side.)
  if (text.indexOf('\r') !== -1 && /\r(?!\n)/.test(text)) return undefined
  const out: Piece[] = []
  let start = 0
  let startLine = 1
  let line = 1
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i)
    if (c === 0x25 /* % */) return undefined
    if ((c === 0x2d /* - */ || c === 0x2e) /* . */ && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
      const next = text.charCodeAt(i + 3)
      if (Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d) {
        if (c === 0x2e) return undefined
        if (i > start) out.push({ start, end: i, line: startLine })
        start = i
        startLine = line
      }
    }
    const nl = text.indexOf('\n', i)
    if (nl === -1) break
    i = nl + 1
    line++
  }
  out.push({ start, end: text.length, line: startLine })
  return out
}

/** One document's text in a file before its line is known: `[start, end)` offsets. */
interface Cut {
  readonly start: number
  readonly end: number
}

/**
 * The end of the piece {@link pieces} cuts at `start` (a line start where a piece begins): the
 * next column-0 `---` line after it, or the end of the text; -1 when a line on the way could
 * start a directive or end a document. The same walk over line starts as {@link pieces}.
 */
function pieceEnd(text: string, start: number): number {
  for (let i = start; i < text.length; ) {
    const c = text.charCodeAt(i)
    if (c === 0x25 /* % */) return -1
    if ((c === 0x2d /* - */ || c === 0x2e) /* . */ && text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c) {
      const next = text.charCodeAt(i + 3)
      if (Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d) {
        if (c === 0x2e) return -1
        if (i > start) return i
      }
    }
    const nl = text.indexOf('\n', i)
    if (nl === -1) break
    i = nl + 1
  }
  return text.length
}

/** A column-0 `---` line starts at `i` (a line start): where {@link pieces} cuts. */
function cutAt(text: string, i: number): boolean {
  if (text.charCodeAt(i) !== 0x2d || text.charCodeAt(i + 1) !== 0x2d || text.charCodeAt(i + 2) !== 0x2d) return false
  const next = text.charCodeAt(i + 3)
  return Number.isNaN(next) || next === 0x20 || next === 0x09 || next === 0x0a || next === 0x0d
}

/**
 * The head's cuts (what {@link pieces} would cut, without lines) and the base piece each is
 * taken from ({@link matchPiece}), or undefined where {@link pieces} gives undefined.
 *
 * The base piece expected next is tried first as it stands: when the head holds its text at the
 * piece's start, followed by a cut or the end, that text is the head's next piece (no line inside
 * it is a cut, a `%` or a `...` line: the base's own cut found none, and a line start inside it
 * follows the same characters), and the one {@link matchPiece} would match first. Only the head's
 * other pieces are walked line by line (the walk over all 160k lines of a 1k-Service file, twice,
 * was most of the shared parse).
 */
function cutHead(text: string, baseText: string, bps: readonly Piece[]): { cs: Cut[]; from: number[] } | undefined {
  // A lone CR is a YAML line break too; lines are counted by LF here, so such text is not cut.
  if (text.indexOf('\r') !== -1 && /\r(?!\n)/.test(text)) return undefined
  // (Slices compared with `===`, a flat comparison; `startsWith` at an offset compared code unit by code unit, 5× slower.)
  const cs: Cut[] = []
  const from: number[] = []
  let next = 0
  let o = 0
  do {
    const q = bps[next]
    // (An empty piece is the whole of an empty text: never one to take in the middle.)
    if (q !== undefined && q.end > q.start) {
      const e = o + (q.end - q.start)
      if (e <= text.length && (e === text.length || (text.charCodeAt(e - 1) === 0x0a && cutAt(text, e))) && text.slice(o, e) === baseText.slice(q.start, q.end)) {
        cs.push({ start: o, end: e })
        from.push(next)
        next++
        o = e
        continue
      }
    }
    const e = pieceEnd(text, o)
    if (e < 0) return undefined
    const p = { start: o, end: e }
    const hit = matchPiece(baseText, bps, text, p, next)
    cs.push(p)
    from.push(hit)
    if (hit >= 0) next = hit + 1
    o = e
  } while (o < text.length)
  return { cs, from }
}

/** With {@link pieces} of the base: how many line breaks the base's piece `k` holds. */
function breaksOf(text: string, ps: readonly Piece[], k: number): number {
  const p = ps[k] as Piece
  const next = ps[k + 1]
  return next !== undefined ? next.line - p.line : lineBreaks(text, p.start, p.end)
}

/** Cuts with the line each starts on: a piece taken from the base holds as many line breaks as that base piece. */
function withLines(text: string, cs: readonly Cut[], from: readonly number[], baseText: string, bps: readonly Piece[]): Piece[] {
  const out: Piece[] = []
  let line = 1
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as Cut
    out.push({ start: c.start, end: c.end, line })
    const k = from[i] as number
    line += k >= 0 ? breaksOf(baseText, bps, k) : lineBreaks(text, c.start, c.end)
  }
  return out
}

/** Any code unit above 0x7F (the regex engine's scan, not a loop in JS). */
const NON_ASCII = /[^\x00-\x7f]/

/**
 * Whether the parser refuses the head file `f` for its size: its UTF-8 length (`utf8Length`, as
 * the parser measures it) over `max`. Found from the base file's length where the base's parse
 * measured it (parse/measured-bytes.ts) and the head takes each base piece once at most: the head's
 * length is the base's, less the base pieces it does not take, plus its own other pieces (pieces
 * end at a line break, so no character spans two). Else the head's text is measured (an ASCII
 * text by the regex engine's scan, its length then in code units).
 */
function overBytes(f: SourceFile, max: number, base: SourceFile | undefined, bps: readonly Piece[], cs: readonly Cut[], from: readonly number[]): boolean {
  const text = f.text
  if (text.length > max) return true
  if (text.length * 3 <= max) return false
  const baseBytes = base === undefined ? undefined : measuredBytes(base)
  if (base !== undefined && baseBytes !== undefined) {
    const taken = new Set<number>()
    let bytes = baseBytes
    let once = true
    for (let i = 0; i < cs.length && once; i++) {
      const k = from[i] as number
      const c = cs[i] as Cut
      if (k < 0) bytes += utf8Length(text.slice(c.start, c.end))
      else if (taken.has(k)) once = false
      else taken.add(k)
    }
    if (once) {
      for (let k = 0; k < bps.length; k++) if (!taken.has(k)) bytes -= utf8Length(base.text.slice((bps[k] as Piece).start, (bps[k] as Piece).end))
      return bytes > max
    }
  }
  return NON_ASCII.test(text) && utf8Length(text) > max
}

/** How many line breaks `text[start, end)` holds, counted with `indexOf`. */
function lineBreaks(text: string, start: number, end: number): number {
  let n = 0
  for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) n++
  return n
}

/** The piece holding `line` (pieces sorted by line). */
function pieceAt(ps: readonly Piece[], line: number): number {
  let lo = 0
  let hi = ps.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1
    if ((ps[mid] as Piece).line <= line) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** How many base pieces before and after the expected one a head piece is compared with. */
const WINDOW = 8

/**
 * A base piece with the same text as the head piece `p` (its index), or -1 when none is found.
 * A pull request changes, adds or drops documents in place, so a head piece is compared with the
 * base pieces near `next`, the one after the last match, only: two slices compared directly
 * (lengths first), where a Map keyed by every piece's text hashed all of both texts (≈ 3 MB per
 * side at 1k Services). Exact whichever base piece of that text is taken: a piece parses the same
 * wherever it stands (module comment), and a base without issues holds no object twice, so two
 * base pieces of one text hold no object. A document moved further than {@link WINDOW} pieces is
 * only parsed again, as a changed one is.
 */
function matchPiece(baseText: string, bps: readonly Piece[], headText: string, p: Cut, next: number): number {
  const length = p.end - p.start
  let body: string | undefined
  // `next`, then after it, then before it.
  for (let d = 0; d <= 2 * WINDOW; d++) {
    const k = d <= WINDOW ? next + d : next - (d - WINDOW)
    const q = bps[k]
    if (q === undefined || q.end - q.start !== length) continue
    body ??= headText.slice(p.start, p.end)
    if (baseText.slice(q.start, q.end) === body) return k
  }
  return -1
}

/** Objects of one piece, per inventory list, in list order. */
type PieceObjects = Map<ListKey, Parsed[]>

/** Files' objects grouped by path and piece index. */
function byPiece(inv: Inventory, piecesOf: ReadonlyMap<string, readonly Piece[]>): Map<string, PieceObjects[]> | undefined {
  const out = new Map<string, PieceObjects[]>()
  for (const key of LISTS) {
    for (const obj of inv[key] as readonly Parsed[]) {
      const ps = piecesOf.get(obj.source.file)
      if (ps === undefined) return undefined
      let slots = out.get(obj.source.file)
      if (slots === undefined) out.set(obj.source.file, (slots = ps.map(() => new Map())))
      const slot = slots[pieceAt(ps, obj.source.line)] as PieceObjects
      const list = slot.get(key)
      if (list === undefined) slot.set(key, [obj])
      else list.push(obj)
    }
  }
  return out
}

/** Each moved copy's base object and the shift of its positions (what {@link BaseOf} answers). */
type Moves = Map<Parsed, { readonly base: Parsed; readonly shift: (s: SourceSpan) => SourceSpan }>

/** A span moved `delta` lines down its file (one function per run of documents moved alike). */
function shifter(delta: number): (s: SourceSpan) => SourceSpan {
  // shiftSpan keeps a deferred span deferred (deferred-span.ts).
  return (s) => shiftSpan(s, delta)
}

/** `obj` as read further down the same file, by the `shift` of its positions (noted in `moves` when given). */
function moved<T extends Parsed>(obj: T, shift: (s: SourceSpan) => SourceSpan, moves: Moves | undefined): T {
  const locate = obj.locate
  const out = { ...obj, source: shift(obj.source), locate: (path: string) => shift(locate(path)) }
  moves?.set(out, { base: obj, shift })
  return out
}

/** The key under which the parser's duplicate rules look across documents (origin, group/kind, namespace, name). */
function duplicateKey(obj: Parsed): string {
  // Kinds of other versions go to `others`.
  const apiVersion = typeof obj.raw['apiVersion'] === 'string' ? obj.raw['apiVersion'] : ''
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : ''
  return [obj.origin, group, obj.ref.kind, obj.ref.namespace, obj.ref.name].join('\u0000')
}

/** The changed documents' objects' {@link duplicateKey}s; undefined when two of them share one. */
function freshKeys(inv: Inventory): Set<string> | undefined {
  const keys = new Set<string>()
  for (const key of LISTS) {
    for (const obj of inv[key] as readonly Parsed[]) {
      const k = duplicateKey(obj)
      if (keys.has(k)) return undefined
      keys.add(k)
    }
  }
  return keys
}

/**
 * Whether a changed object has the key of a base object taken: base keys are distinct, so a
 * changed key that a base object of a piece not taken holds (the edited document's base version,
 * nearly always) is held by no base object taken. The keys of the pieces not taken are built
 * (few); those of every object taken only when some changed key is not among them (a document
 * added, or renamed), once.
 */
function freshMeetsTaken(fresh: ReadonlySet<string>, baseObjects: ReadonlyMap<string, PieceObjects[]>, takenOf: ReadonlyMap<string, Uint8Array>): boolean {
  if (fresh.size === 0) return false
  // (A flag per base piece: only the pieces asked about are read, not every piece's Map.)
  const keysWhere = (taken: boolean): Set<string> => {
    const out = new Set<string>()
    for (const [path, slots] of baseObjects) {
      const t = takenOf.get(path)
      for (let k = 0; k < slots.length; k++) {
        if ((t !== undefined && t[k] === 1) !== taken) continue
        for (const list of (slots[k] as PieceObjects).values()) for (const obj of list) out.add(duplicateKey(obj))
      }
    }
    return out
  }
  const notTaken = keysWhere(false)
  let takenKeys: Set<string> | undefined
  for (const k of fresh) {
    if (notTaken.has(k)) continue
    takenKeys ??= keysWhere(true)
    if (takenKeys.has(k)) return true
  }
  return false
}

/**
 * `parseSources(head, limits)`, given `base = parseSources(baseFiles, limits)`: documents of the
 * head whose text is a document of the base file at the same path (found near where it stands there,
 * {@link matchPiece}) are taken from `base`.
 */
export function parseHeadSharing(
  baseFiles: readonly SourceFile[],
  base: Staged<Inventory>,
  head: readonly SourceFile[],
  limits: Partial<ParseLimits> = {},
): Staged<Inventory> {
  return parseHeadTracked(baseFiles, base, head, limits).parsed
}

/**
 * {@link parseHeadSharing}, also telling which head objects are copies of base objects moved down
 * or up their file (a head object that is a base object as it is, is that object).
 */
export function parseHeadTracked(
  baseFiles: readonly SourceFile[],
  base: Staged<Inventory>,
  head: readonly SourceFile[],
  limits: Partial<ParseLimits> = {},
): { readonly parsed: Staged<Inventory>; readonly baseOf: BaseOf } {
  const moves: Moves = new Map()
  const parsed = sharedParse(baseFiles, base, head, limits, moves)
  return parsed === undefined ? { parsed: parseSources(head, limits), baseOf: () => undefined } : { parsed, baseOf: (obj) => moves.get(obj) }
}

function sharedParse(
  baseFiles: readonly SourceFile[],
  base: Staged<Inventory>,
  head: readonly SourceFile[],
  limits: Partial<ParseLimits>,
  moves: Moves,
): Staged<Inventory> | undefined {
  if (base.issues.length > 0) return undefined
  const resolved = resolveLimits(limits)
  const yaml = (f: SourceFile): boolean => /\.ya?ml$/i.test(f.path)
  const baseByPath = new Map<string, SourceFile>()
  for (const f of baseFiles) {
    // Two files at one path: which one an object came from is not told by its position.
    if (baseByPath.has(f.path) || !yaml(f)) return undefined
    baseByPath.set(f.path, f)
  }
  const basePieces = new Map<string, readonly Piece[]>()
  for (const f of baseFiles) {
    const ps = pieces(f.text)
    if (ps === undefined) return undefined
    basePieces.set(f.path, ps)
  }
  const baseObjects = byPiece(base.value, basePieces)
  if (baseObjects === undefined) return undefined

  // Per head file: its pieces, each reused from a base piece (index) or parsed again (-1).
  // `compact`: each piece as placed in the text parsed for the changed documents.
  const plans: { file: SourceFile; ps: readonly Piece[]; from: number[]; compact: Piece[] }[] = []
  const seenPaths = new Set<string>()
  const masked: SourceFile[] = []
  for (const f of head) {
    // (Over the budget in code units already: refused before any cut; the bytes once cut, below.)
    if (!yaml(f) || seenPaths.has(f.path) || f.text.length > resolved.maxBytes) return undefined
    seenPaths.add(f.path)
    const b = baseByPath.get(f.path)
    const bps = basePieces.get(f.path)
    // A file the base does not hold at this path (or on the other side): every piece parsed again.
    const [baseText, matchable] = b !== undefined && bps !== undefined && b.origin === f.origin ? [b.text, bps] : ['', []]
    const cut = cutHead(f.text, baseText, matchable)
    if (cut === undefined) return undefined
    const { from } = cut
    if (overBytes(f, resolved.maxBytes, matchable.length > 0 ? b : undefined, matchable, cut.cs, from)) return undefined
    const ps = withLines(f.text, cut.cs, from, baseText, matchable)
    const objects = b === undefined ? [] : (baseObjects.get(f.path) ?? [])
    let reused = 0
    for (let i = 0; i < from.length; i++) {
      const k = from[i] as number
      if (k >= 0) for (const list of (objects[k] ?? new Map<ListKey, Parsed[]>()).values()) reused += list.length
    }
    // Each document start or List item takes one unit of the file's budget: stay well below it.
    if (2 * ps.length + reused >= resolved.maxDocuments) return undefined
    // The changed documents as they are: a reused one keeps its `---` and one line break only (an
    // empty document), so a `|+` block scalar before it still ends where it did. Its other line
    // breaks are dropped (the parser would walk every line of the reused documents, 159k blank
    // lines at 1k Services): the changed documents' objects are moved down by as many lines.
    const compact: Piece[] = []
    const parts: string[] = []
    let last = 0
    let dropped = 0
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i] as Piece
      compact.push({ start: p.start, end: p.end, line: p.line - dropped })
      if ((from[i] as number) < 0) continue
      // One `---` per run of reused documents is enough: only the document before the run must end.
      const open = f.text.startsWith('---', p.start) && (i === 0 || (from[i - 1] as number) < 0)
      // Pieces are contiguous and the next one starts a line: the line breaks are the lines between.
      const next = ps[i + 1]
      const breaks = next !== undefined ? next.line - p.line : lineBreaks(f.text, p.start, p.end)
      parts.push(f.text.slice(last, p.start), open ? '---' : '', breaks > 0 ? '\n' : '')
      dropped += breaks > 0 ? breaks - 1 : 0
      last = p.end
    }
    parts.push(f.text.slice(last))
    plans.push({ file: f, ps, from, compact })
    masked.push({ ...f, text: parts.join('') })
  }
  // The single kinds (the last one given wins): none in a changed document, and every base
  // document holding one is reused exactly once, at its own path.
  for (const plan of plans) {
    for (let i = 0; i < plan.ps.length; i++) {
      const k = plan.from[i] as number
      const p = plan.ps[i] as Piece
      if (k < 0 && SINGLE_KINDS.test(plan.file.text.slice(p.start, p.end))) return undefined
    }
  }
  for (const plan of plans) {
    const counts = new Map<number, number>()
    for (const k of plan.from) if (k >= 0) counts.set(k, (counts.get(k) ?? 0) + 1)
    const b = baseByPath.get(plan.file.path)
    for (const [k, n] of counts) {
      const p = basePieces.get(plan.file.path)?.[k]
      if (n > 1 && b !== undefined && p !== undefined && SINGLE_KINDS.test(b.text.slice(p.start, p.end))) return undefined
    }
  }
  for (const f of baseFiles) {
    const plan = plans.find((p) => p.file.path === f.path && p.file.origin === f.origin)
    const used = new Set(plan?.from ?? [])
    const ps = basePieces.get(f.path) ?? []
    for (let i = 0; i < ps.length; i++) if (!used.has(i) && SINGLE_KINDS.test(f.text.slice((ps[i] as Piece).start, (ps[i] as Piece).end))) return undefined
  }

  const changed = parseSources(masked, limits)
  if (changed.issues.length > 0) return undefined
  const headPieces = new Map(plans.map((p) => [p.file.path, p.compact] as const))
  const changedObjects = byPiece(changed.value, headPieces)
  if (changedObjects === undefined) return undefined

  // Two objects of one key (the parser's duplicate rules look across documents): the base's
  // objects have distinct keys and so have the changed documents' (neither parse had an issue, and
  // the parser reports every key given again), so only a base piece taken twice, or a changed
  // object with the key of a base object taken, makes two ({@link freshMeetsTaken}).
  const fresh = freshKeys(changed.value)
  if (fresh === undefined) return undefined
  // The base pieces each head file takes (a piece with objects taken twice gives two of one key).
  const takenOf = new Map<string, Uint8Array>()
  const lists: Record<ListKey, Parsed[]> = { services: [], endpointSlices: [], nodes: [], pods: [], others: [], serviceCIDRs: [] }
  let shiftDelta = 0
  let shift = shifter(0)
  for (const plan of plans) {
    const path = plan.file.path
    const bps = basePieces.get(path) ?? []
    const fromBase = baseObjects.get(path) ?? []
    const fromHead = changedObjects.get(path) ?? []
    const taken = new Uint8Array(bps.length)
    takenOf.set(path, taken)
    for (let i = 0; i < plan.ps.length; i++) {
      const k = plan.from[i] as number
      const slot = k >= 0 ? fromBase[k] : fromHead[i]
      if (slot === undefined) continue
      if (k >= 0 && slot.size > 0) {
        if (taken[k] === 1) return undefined
        taken[k] = 1
      }
      const line = (plan.ps[i] as Piece).line
      // A base object is noted as the copy it is; a changed document's object only moves to its line.
      const delta = line - (k >= 0 ? (bps[k] as Piece).line : (plan.compact[i] as Piece).line)
      if (delta !== shiftDelta) {
        shiftDelta = delta
        shift = shifter(delta)
      }
      for (const key of LISTS) {
        for (const obj of slot.get(key) ?? []) lists[key].push(delta === 0 ? obj : moved(obj, shift, k >= 0 ? moves : undefined))
      }
    }
  }
  if (freshMeetsTaken(fresh, baseObjects, takenOf)) return undefined
  // Every list holds the Parsed objects of its kind, taken from inventories of the same shape.
  const typed = <K extends ListKey>(k: K): Inventory[K] => lists[k] as unknown as Inventory[K]
  const inventory: Inventory = {
    services: typed('services'),
    endpointSlices: typed('endpointSlices'),
    nodes: typed('nodes'),
    pods: typed('pods'),
    others: typed('others'),
    serviceCIDRs: typed('serviceCIDRs'),
    ...(base.value.kubeProxyConfiguration ? { kubeProxyConfiguration: base.value.kubeProxyConfiguration } : {}),
    ...(base.value.clusterProfile ? { clusterProfile: base.value.clusterProfile } : {}),
  }
  const issues: Issue[] = []
  return { value: inventory, issues }
}
