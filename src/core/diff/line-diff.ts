/**
 * @module diff/line-diff
 * A small line diff with no dependency: common prefix/suffix trimming, then patience anchoring on
 * lines unique to both sides (Bram Cohen's patience diff, as in `git diff --patience`), and Myers'
 * O(ND) algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) for the gaps between
 * anchors. Patience anchoring keeps rule files readable: each `-A` line is nearly always unique, so
 * hunks line up on whole rules instead of on repeated `COMMIT` or `:CHAIN - [0:0]` lines. The Myers
 * step is capped; past the cap a gap is reported as delete-all/insert-all, which is still a
 * correct (if not minimal) diff and keeps the cost bounded for rulesets with 100k lines.
 */

/** One line of an edit script: kept (`=`), removed from the old side (`-`) or added (`+`). */
export interface LineEdit {
  readonly op: '=' | '-' | '+'
  readonly line: string
}

/** {@link EditScript} operations. */
const KEEP = 0
const DEL = 1
const ADD = 2
const OP_CHAR = ['=', '-', '+'] as const

/**
 * An edit script as two parallel arrays of small integers instead of a {@link LineEdit} per line:
 * a rule payload has ≈ 40k lines per side, nearly all kept, and an object per kept line was a
 * large part of the diff's allocation. `ops[k]` is the operation, `at[k]` the line's index in
 * `a` (kept or removed) or in `b` (added).
 */
export interface EditScript {
  readonly a: readonly string[]
  readonly b: readonly string[]
  readonly ops: readonly number[]
  readonly at: readonly number[]
}

/** Largest edit distance the Myers step explores in one gap before giving up on minimality. */
const MYERS_MAX_D = 1000

/**
 * Computes an edit script turning `a` into `b`. Deterministic; ties resolve deletions before
 * insertions so the output reads like `diff -u`.
 */
export function diffLines(a: readonly string[], b: readonly string[]): LineEdit[] {
  const s = editScript(a, b)
  return s.ops.map((op, k) => ({ op: OP_CHAR[op] as LineEdit['op'], line: (op === ADD ? b : a)[s.at[k] as number] as string }))
}

/**
 * {@link diffLines} as an {@link EditScript}. The common prefix and suffix are compared as
 * strings; the lines between them are numbered (equal lines, equal numbers) and the algorithm
 * runs on the numbers: the same comparisons and the same unique-line counts as on the strings,
 * with arrays instead of a Map of strings per side and recursion level.
 */
export function editScript(a: readonly string[], b: readonly string[]): EditScript {
  const ops: number[] = []
  const at: number[] = []
  let lo = 0
  while (lo < a.length && lo < b.length && a[lo] === b[lo]) lo++
  let suffix = 0
  while (a.length - suffix > lo && b.length - suffix > lo && a[a.length - suffix - 1] === b[b.length - suffix - 1]) suffix++
  for (let i = 0; i < lo; i++) {
    ops.push(KEEP)
    at.push(i)
  }
  const aEnd = a.length - suffix
  const bEnd = b.length - suffix
  if (lo < aEnd || lo < bEnd) {
    const ids = new Map<string, number>()
    const idOf = (s: string): number => {
      let id = ids.get(s)
      if (id === undefined) {
        id = ids.size
        ids.set(s, id)
      }
      return id
    }
    // Indexes stay those of `a` and `b`: entries before `lo` are never read.
    const ia = new Int32Array(aEnd)
    const ib = new Int32Array(bEnd)
    // Where each line number was last seen in `a` (to follow `a` along `b`, below).
    const lastAt = new Int32Array(aEnd - lo)
    for (let i = lo; i < aEnd; i++) {
      const id = idOf(a[i] as string)
      ia[i] = id
      lastAt[id] = i
    }
    // The head of a planDiff holds the base's very line strings for unchanged service ports
    // (port-sharing.ts), in runs: a line of `b` that is the string object at the `a` position
    // following the previous line's takes that line's number, without hashing it. The same
    // string has the same number, so the numbers are exactly idOf's (a line not in `a` still
    // gets the next new number in `b` order).
    const inA = ids.size
    let k = lo
    for (let j = lo; j < bEnd; j++) {
      const line = b[j] as string
      if (k < aEnd && a[k] === line) {
        ib[j] = ia[k] as number
        k++
        continue
      }
      const id = idOf(line)
      ib[j] = id
      if (id < inA) k = (lastAt[id] as number) + 1
    }
    const d = new Differ(ia, ib, ids.size, ops, at)
    d.range(lo, aEnd, lo, bEnd)
  }
  for (let i = aEnd; i < a.length; i++) {
    ops.push(KEEP)
    at.push(i)
  }
  return { a, b, ops, at }
}

/** In {@link Differ.anchors}' position arrays: the line occurs more than once on that side. */
const REPEATED = -1

/**
 * Marks each line number of `lines[lo, hi)` seen with `stamp` and sets its `pos` to its index
 * when it occurs once there, {@link REPEATED} otherwise.
 */
function onceAt(lines: Int32Array, lo: number, hi: number, seen: Int32Array, pos: Int32Array, stamp: number): void {
  for (let i = lo; i < hi; i++) {
    const id = lines[i] as number
    if (seen[id] !== stamp) {
      seen[id] = stamp
      pos[id] = i
    } else pos[id] = REPEATED
  }
}

/** The patience / Myers recursion over line numbers (equal numbers: equal lines). */
class Differ {
  /** Per line number: the stamp of the last {@link anchors} call that saw it on each side, and where. */
  private readonly seenA: Int32Array
  private readonly seenB: Int32Array
  private readonly posA: Int32Array
  private readonly posB: Int32Array
  private stamp = 0

  constructor(
    private readonly a: Int32Array,
    private readonly b: Int32Array,
    ids: number,
    private readonly ops: number[],
    private readonly at: number[],
  ) {
    this.seenA = new Int32Array(ids)
    this.seenB = new Int32Array(ids)
    this.posA = new Int32Array(ids)
    this.posB = new Int32Array(ids)
  }

  private emit(op: number, i: number): void {
    this.ops.push(op)
    this.at.push(i)
  }

  range(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { a, b } = this
    // Common prefix.
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      this.emit(KEEP, aLo)
      aLo++
      bLo++
    }
    // Common suffix (emitted after the middle).
    let suffix = 0
    while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - suffix - 1] === b[bHi - suffix - 1]) suffix++
    const aEnd = aHi - suffix
    const bEnd = bHi - suffix

    if (aLo === aEnd) {
      for (let j = bLo; j < bEnd; j++) this.emit(ADD, j)
    } else if (bLo === bEnd) {
      for (let i = aLo; i < aEnd; i++) this.emit(DEL, i)
    } else {
      const anchors = this.anchors(aLo, aEnd, bLo, bEnd)
      if (anchors.length === 0) {
        this.myers(aLo, aEnd, bLo, bEnd)
      } else {
        let ai = aLo
        let bi = bLo
        for (let p = 0; p < anchors.length; p += 2) {
          const x = anchors[p] as number
          const y = anchors[p + 1] as number
          // Two empty ranges emit nothing: no call for adjacent anchors (most of a payload).
          if (ai < x || bi < y) this.range(ai, x, bi, y)
          this.emit(KEEP, x)
          ai = x + 1
          bi = y + 1
        }
        this.range(ai, aEnd, bi, bEnd)
      }
    }
    for (let k = aEnd; k < aHi; k++) this.emit(KEEP, k)
  }

  /**
   * Pairs of indices of lines occurring exactly once on each side, longest increasing chain, as
   * a flat `[a0, b0, a1, b1, …]` list. Which lines occur once in the ranges is counted with a new
   * stamp per call instead of a Map per side: `seen[id] === stamp` means seen in this call.
   */
  private anchors(aLo: number, aHi: number, bLo: number, bHi: number): number[] {
    const { a, b, seenA, posA, posB } = this
    const stamp = ++this.stamp
    onceAt(a, aLo, aHi, seenA, posA, stamp)
    onceAt(b, bLo, bHi, this.seenB, posB, stamp)
    // Candidate pairs in order of the b side (their a and b indices); we need the LIS over the a indices.
    // Typed arrays sized for the most pairs the range can give: no growth while filling.
    const pa = new Int32Array(Math.min(aHi - aLo, bHi - bLo))
    const pb = new Int32Array(pa.length)
    let pairs = 0
    for (let j = bLo; j < bHi; j++) {
      const id = b[j] as number
      if (posB[id] !== j) continue
      if (seenA[id] === stamp && posA[id] !== REPEATED) {
        pa[pairs] = posA[id] as number
        pb[pairs] = j
        pairs++
      }
    }
    if (pairs === 0) return []
    // Longest increasing subsequence on the a index (patience sorting), O(n log n).
    const tails = new Int32Array(pairs) // index into pairs of the smallest tail for each length
    let length = 0
    const prev = new Int32Array(pairs).fill(-1)
    for (let p = 0; p < pairs; p++) {
      const x = pa[p] as number
      let lo = 0
      let hi = length
      // A payload's pairs come nearly all in increasing order: a pair past the longest chain's
      // tail extends it, where the search would end too (tails' values increase), without it.
      if (hi > 0 && (pa[tails[hi - 1] as number] as number) < x) lo = hi
      else {
        while (lo < hi) {
          const mid = (lo + hi) >> 1
          if ((pa[tails[mid] as number] as number) < x) lo = mid + 1
          else hi = mid
        }
      }
      if (lo > 0) prev[p] = tails[lo - 1] as number
      tails[lo] = p
      if (lo === length) length++
    }
    let n = 0
    for (let p = tails[length - 1] as number; p !== -1; p = prev[p] as number) n++
    const chain = new Array<number>(2 * n)
    for (let p = tails[length - 1] as number; p !== -1; p = prev[p] as number) {
      n--
      chain[2 * n] = pa[p] as number
      chain[2 * n + 1] = pb[p] as number
    }
    return chain
  }

  /** Myers' greedy forward algorithm with per-step snapshots of V for the backtrack. */
  private myers(aLo: number, aHi: number, bLo: number, bHi: number): void {
    const { a, b } = this
    const n = aHi - aLo
    const m = bHi - bLo
    const max = Math.min(n + m, MYERS_MAX_D)
    const offset = max + 1
    const v = new Int32Array(2 * max + 3)
    const trace: Int32Array[] = []
    let found = false
    for (let d = 0; d <= max && !found; d++) {
      trace.push(v.slice())
      for (let k = -d; k <= d; k += 2) {
        let x: number
        // Prefer a deletion (move right in a) on ties so '-' lines come before '+' lines.
        if (k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))) {
          x = v[offset + k + 1] as number
        } else {
          x = (v[offset + k - 1] as number) + 1
        }
        let y = x - k
        while (x < n && y < m && a[aLo + x] === b[bLo + y]) {
          x++
          y++
        }
        v[offset + k] = x
        if (x >= n && y >= m) {
          found = true
          break
        }
      }
    }
    if (!found) {
      // Too different to be worth a minimal script: replace the whole gap.
      for (let i = aLo; i < aHi; i++) this.emit(DEL, i)
      for (let j = bLo; j < bHi; j++) this.emit(ADD, j)
      return
    }
    // The backtrack yields edits last to first: collect them, then emit in order.
    const ops: number[] = []
    const at: number[] = []
    let x = n
    let y = m
    for (let d = trace.length - 1; d >= 0; d--) {
      const vd = trace[d] as Int32Array
      const k = x - y
      let prevK: number
      if (k === -d || (k !== d && (vd[offset + k - 1] as number) < (vd[offset + k + 1] as number))) prevK = k + 1
      else prevK = k - 1
      const prevX = d === 0 ? 0 : (vd[offset + prevK] as number)
      const prevY = prevX - prevK
      while (x > prevX && y > prevY) {
        ops.push(KEEP)
        at.push(aLo + x - 1)
        x--
        y--
      }
      if (d > 0) {
        if (x === prevX) {
          ops.push(ADD)
          at.push(bLo + y - 1)
        } else {
          ops.push(DEL)
          at.push(aLo + x - 1)
        }
      }
      x = prevX
      y = prevY
    }
    for (let i = ops.length - 1; i >= 0; i--) this.emit(ops[i] as number, at[i] as number)
  }
}

/** Counts of a script's added and removed lines. */
export function countEdits(s: EditScript): { added: number; removed: number } {
  let added = 0
  let removed = 0
  for (const op of s.ops) {
    if (op === ADD) added++
    else if (op === DEL) removed++
  }
  return { added, removed }
}

/**
 * Formats an edit script as unified-diff hunks (`@@ -l,s +l,s @@` headers, `context` lines of
 * context), without the `---`/`+++` file header. Returns `''` when nothing changed.
 */
export function unifiedHunks(s: EditScript, context = 3): string {
  const { ops, at } = s
  const changed: number[] = []
  for (let i = 0; i < ops.length; i++) if (ops[i] !== KEEP) changed.push(i)
  if (changed.length === 0) return ''
  // Group changes whose context windows touch.
  const groups: Array<[number, number]> = []
  for (const i of changed) {
    const last = groups[groups.length - 1]
    if (last && i - last[1] <= 2 * context + 1) last[1] = i
    else groups.push([i, i])
  }
  // Line numbers before each group's first line, counted in one pass up to each start (the
  // starts increase): a number per edit for the whole payload was two arrays of ≈ 43k entries.
  let o = 1
  let nw = 1
  let counted = 0
  let text = ''
  for (const [first, last] of groups) {
    const start = Math.max(0, first - context)
    const end = Math.min(ops.length - 1, last + context)
    for (; counted < start; counted++) {
      if (ops[counted] !== ADD) o++
      if (ops[counted] !== DEL) nw++
    }
    let oldCount = 0
    let newCount = 0
    let body = ''
    for (let i = start; i <= end; i++) {
      const op = ops[i] as number
      if (op !== ADD) oldCount++
      if (op !== DEL) newCount++
      body += `${op === KEEP ? ' ' : OP_CHAR[op]}${(op === ADD ? s.b : s.a)[at[i] as number] as string}\n`
    }
    // diff -u convention: a zero-length range names the line before it.
    const oldStart = oldCount === 0 ? o - 1 : o
    const newStart = newCount === 0 ? nw - 1 : nw
    text += `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n${body}`
  }
  return text
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`
}

/** Splits text into lines, dropping the empty string after a final newline. */
export function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}
