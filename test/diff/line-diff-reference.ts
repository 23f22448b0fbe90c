/**
 * The line diff as it was before it ran on line numbers (src/core/diff/line-diff.ts before the
 * `EditScript` change): patience anchoring and Myers over the strings themselves, one Map of
 * strings per side and recursion level, a `LineEdit` object per line. line-diff.test.ts checks
 * the current implementation against it on generated inputs; keep it unchanged.
 */
/** One line of an edit script: kept (`=`), removed from the old side (`-`) or added (`+`). */
type LineEdit = { readonly op: '=' | '-' | '+'; readonly line: string }

/** Largest edit distance the Myers step explores in one gap before giving up on minimality. */
const MYERS_MAX_D = 1000

/**
 * Computes an edit script turning `a` into `b`. Deterministic; ties resolve deletions before
 * insertions so the output reads like `diff -u`.
 */
export function referenceDiffLines(a: readonly string[], b: readonly string[]): LineEdit[] {
  const out: LineEdit[] = []
  diffRange(a, 0, a.length, b, 0, b.length, out)
  return out
}

function diffRange(
  a: readonly string[], aLo: number, aHi: number,
  b: readonly string[], bLo: number, bHi: number,
  out: LineEdit[],
): void {
  // Common prefix.
  while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
    out.push({ op: '=', line: a[aLo] as string })
    aLo++
    bLo++
  }
  // Common suffix (emitted after the middle).
  let suffix = 0
  while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - suffix - 1] === b[bHi - suffix - 1]) suffix++
  const aEnd = aHi - suffix
  const bEnd = bHi - suffix

  if (aLo === aEnd) {
    for (let j = bLo; j < bEnd; j++) out.push({ op: '+', line: b[j] as string })
  } else if (bLo === bEnd) {
    for (let i = aLo; i < aEnd; i++) out.push({ op: '-', line: a[i] as string })
  } else {
    const anchors = patienceAnchors(a, aLo, aEnd, b, bLo, bEnd)
    if (anchors.length === 0) {
      myers(a, aLo, aEnd, b, bLo, bEnd, out)
    } else {
      let ai = aLo
      let bi = bLo
      for (const [x, y] of anchors) {
        diffRange(a, ai, x, b, bi, y, out)
        out.push({ op: '=', line: a[x] as string })
        ai = x + 1
        bi = y + 1
      }
      diffRange(a, ai, aEnd, b, bi, bEnd, out)
    }
  }
  for (let k = aEnd; k < aHi; k++) out.push({ op: '=', line: a[k] as string })
}

/** In {@link patienceAnchors}' maps: the line occurs more than once on that side. */
const REPEATED = -1

/**
 * Line → its index when it occurs once in `lines[lo, hi)`, {@link REPEATED} otherwise. Numbers,
 * not a `{ n, at }` record per line: a rule payload's middle is ≈ every line of both sides.
 */
function onceAt(lines: readonly string[], lo: number, hi: number): Map<string, number> {
  const at = new Map<string, number>()
  for (let i = lo; i < hi; i++) {
    const s = lines[i] as string
    const seen = at.get(s)
    if (seen === undefined) at.set(s, i)
    else if (seen !== REPEATED) at.set(s, REPEATED)
  }
  return at
}

/** Pairs of indices of lines occurring exactly once on each side, longest increasing chain. */
function patienceAnchors(
  a: readonly string[], aLo: number, aHi: number,
  b: readonly string[], bLo: number, bHi: number,
): Array<[number, number]> {
  const countA = onceAt(a, aLo, aHi)
  const countB = onceAt(b, bLo, bHi)
  // Candidate pairs in order of the b side (their a and b indices); we need the LIS over the a indices.
  const pa: number[] = []
  const pb: number[] = []
  for (let j = bLo; j < bHi; j++) {
    const s = b[j] as string
    if (countB.get(s) !== j) continue
    const i = countA.get(s)
    if (i !== undefined && i !== REPEATED) {
      pa.push(i)
      pb.push(j)
    }
  }
  if (pa.length === 0) return []
  // Longest increasing subsequence on the a index (patience sorting), O(n log n).
  const tails: number[] = [] // index into pairs of the smallest tail for each length
  const prev: number[] = new Array<number>(pa.length).fill(-1)
  for (let p = 0; p < pa.length; p++) {
    const x = pa[p] as number
    let lo = 0
    let hi = tails.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if ((pa[tails[mid] as number] as number) < x) lo = mid + 1
      else hi = mid
    }
    if (lo > 0) prev[p] = tails[lo - 1] as number
    tails[lo] = p
  }
  const chain: Array<[number, number]> = []
  for (let p = tails[tails.length - 1] as number; p !== -1; p = prev[p] as number) chain.push([pa[p] as number, pb[p] as number])
  return chain.reverse()
}

/** Myers' greedy forward algorithm with per-step snapshots of V for the backtrack. */
function myers(
  a: readonly string[], aLo: number, aHi: number,
  b: readonly string[], bLo: number, bHi: number,
  out: LineEdit[],
): void {
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
    for (let i = aLo; i < aHi; i++) out.push({ op: '-', line: a[i] as string })
    for (let j = bLo; j < bHi; j++) out.push({ op: '+', line: b[j] as string })
    return
  }
  const edits: LineEdit[] = []
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
      edits.push({ op: '=', line: a[aLo + x - 1] as string })
      x--
      y--
    }
    if (d > 0) {
      if (x === prevX) edits.push({ op: '+', line: b[bLo + y - 1] as string })
      else edits.push({ op: '-', line: a[aLo + x - 1] as string })
    }
    x = prevX
    y = prevY
  }
  for (let i = edits.length - 1; i >= 0; i--) out.push(edits[i] as LineEdit)
}
