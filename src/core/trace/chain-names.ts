/**
 * @module trace/chain-names
 * Chains found by name in a list of chains without a Map entry per chain: a diff's diagrams slice
 * rulesets of ≈ 11k chains per side (1k Services) and look up a few hundred names in each, and
 * hashing every name into a Map was most of the slicer's setup (trace/slice.ts `targetSlicer`).
 * Names are bucketed by their length and last three characters (the hash part of kube-proxy's
 * `KUBE-SVC-…`/`KUBE-SEP-…` names, so buckets stay small), one linked list of positions per
 * bucket in two typed arrays; a lookup compares the names of one bucket, those whose next three
 * characters differ by a number only (comparing two names' texts was half of the index).
 */

import { declaredPositions } from '../proxy/iptables/writer.ts'

/** Positions of a list of chains by name. */
export interface ChainNames {
  /** The position of the last chain named `name` (as a Map set in list order keeps), else -1. */
  readonly last: (name: string) => number
  /** Some name is held by two chains of the list. */
  readonly twice: boolean
}

function bucketOf(name: string, mask: number): number {
  const n = name.length
  let h = n
  if (n > 0) h = (h * 31 + name.charCodeAt(n - 1)) | 0
  if (n > 1) h = (h * 31 + name.charCodeAt(n - 2)) | 0
  if (n > 2) h = (h * 31 + name.charCodeAt(n - 3)) | 0
  return h & mask
}

/** The 4th to 6th last characters (-1 where the name is shorter): equal names have equal ones. */
function tagOf(name: string): number {
  const n = name.length
  return (((n > 3 ? name.charCodeAt(n - 4) : -1) * 65599 + (n > 4 ? name.charCodeAt(n - 5) : -1)) * 65599 + (n > 5 ? name.charCodeAt(n - 6) : -1)) | 0
}

/** Indexes `chains` by name (test/core/trace/chain-names.test.ts compares it with a Map). */
export function chainNames(chains: readonly { readonly name: string }[]): ChainNames {
  const n = chains.length
  let size = 16
  while (size < n) size *= 2
  const mask = size - 1
  // heads[bucket]: the last position in that bucket; next[position]: the previous one (-1: none).
  const heads = new Int32Array(size).fill(-1)
  const next = new Int32Array(n)
  const tags = new Int32Array(n)
  let twice = false
  for (let i = 0; i < n; i++) {
    const name = (chains[i] as { readonly name: string }).name
    const b = bucketOf(name, mask)
    const tag = tagOf(name)
    tags[i] = tag
    if (!twice) {
      for (let j = heads[b] as number; j >= 0; j = next[j] as number) {
        if (tags[j] === tag && (chains[j] as { readonly name: string }).name === name) {
          twice = true
          break
        }
      }
    }
    next[i] = heads[b] as number
    heads[b] = i
  }
  const last = (name: string): number => {
    const tag = tagOf(name)
    for (let j = heads[bucketOf(name, mask)] as number; j >= 0; j = next[j] as number) {
      if (tags[j] === tag && (chains[j] as { readonly name: string }).name === name) return j
    }
    return -1
  }
  return { last, twice }
}

type Named = { readonly name: string }

/** Indexes made, by list; and how to make one of a list joined from an indexed one. */
const KNOWN = new WeakMap<readonly Named[], ChainNames>()
const JOINED = new WeakMap<readonly Named[], () => ChainNames>()

/**
 * {@link chainNames} of `chains`, made once per list: a payload's chain list is indexed once
 * for every trace target made of it, and a list {@link joinChains} made is indexed from its
 * middle part's index (trace/builtin-chains.ts `withJumpRules`, then trace/slice.ts). A list a
 * RulesetWriter built is not indexed at all: the writer kept each name's position as it checked
 * that no name is declared twice (proxy/iptables/writer.ts `declaredPositions`).
 */
export function chainNamesOf(chains: readonly Named[]): ChainNames {
  let known = KNOWN.get(chains)
  if (known === undefined) {
    const declared = declaredPositions(chains)
    known = declared !== undefined ? new DeclaredNames(chains, declared) : (JOINED.get(chains)?.() ?? chainNames(chains))
    KNOWN.set(chains, known)
  }
  return known
}

/**
 * The names of a writer-built list, by the positions its writer kept. A class, not a closure made
 * per list: a diff indexes new lists per report, and a closure's optimized code dies with the last
 * closure of its site (V8 holds it weakly), so each report's lookups would run unoptimized.
 */
class DeclaredNames implements ChainNames {
  /** The writer refuses a name declared twice. */
  readonly twice = false
  constructor(
    private readonly chains: readonly Named[],
    private readonly at: ReadonlyMap<string, number>,
  ) {}
  last(name: string): number {
    const i = this.at.get(name)
    // The list is the writer's declarations in order; the check keeps a name declared after the
    // list was finished (none is) from answering a position the list does not hold.
    return i !== undefined && i < this.chains.length && (this.chains[i] as Named).name === name ? i : -1
  }
}

/**
 * `[...front, ...body, ...back]`, whose index (when asked for) is made from the index of `names`
 * (a list with `body`'s names at the same positions, e.g. the list `body` copies) and a look at
 * the few chains of `front` and `back`, not from every name again.
 */
export function joinChains<T extends Named>(front: readonly T[], body: readonly T[], back: readonly T[], names: readonly Named[]): T[] {
  const joined = [...front, ...body, ...back]
  JOINED.set(joined, () => joinedNames(front, body.length, back, chainNamesOf(names)))
  return joined
}

function joinedNames(front: readonly Named[], bodyLength: number, back: readonly Named[], body: ChainNames): ChainNames {
  const ends = [...front, ...back]
  const seen = new Set<string>()
  let twice = body.twice
  for (const c of ends) {
    if (seen.has(c.name) || body.last(c.name) >= 0) twice = true
    seen.add(c.name)
  }
  const last = (name: string): number => {
    for (let i = back.length - 1; i >= 0; i--) if ((back[i] as Named).name === name) return front.length + bodyLength + i
    const j = body.last(name)
    if (j >= 0) return front.length + j
    for (let i = front.length - 1; i >= 0; i--) if ((front[i] as Named).name === name) return i
    return -1
  }
  return { last, twice }
}
