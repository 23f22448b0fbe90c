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
