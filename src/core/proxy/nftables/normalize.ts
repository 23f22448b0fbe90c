/**
 * @module proxy/nftables/normalize
 * The canonical order upstream's nftables tests compare transactions in (pkg/proxy/nftables
 * helpers_test.go sortNFTablesTransaction): object order is free, rule order within a chain is
 * not.
 */

const RANK: Readonly<Record<string, number>> = { table: 10, chain: 9, rule: 8, set: 7, map: 6, element: 5 }

/**
 * sortNFTablesTransaction: drops blank and `#` lines, then stable-sorts by object type (table,
 * chain, rule, set, map, element), then by object name (`w[4]`); rules of one chain keep their
 * order, any other tie is broken by the whole line.
 *
 * @example
 * sortNftTransaction(expected) === sortNftTransaction(actual)
 */
export function sortNftTransaction(text: string): string {
  const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
  const keyed = lines.map((line, index) => {
    const w = line.split(' ')
    return { line, index, short: w.length < 5, type: w[1] ?? '', name: w[4] ?? '' }
  })
  keyed.sort((a, b) => {
    // Go's less() says "not less" for short lines both ways, so they keep their place.
    if (a.short || b.short) return a.index - b.index
    const ra = RANK[a.type] ?? 0
    const rb = RANK[b.type] ?? 0
    if (ra !== rb) return rb - ra
    if (a.name !== b.name) return a.name < b.name ? -1 : 1
    if (a.type === 'rule') return a.index - b.index
    return a.line < b.line ? -1 : a.line > b.line ? 1 : a.index - b.index
  })
  return keyed.map((k) => k.line).join('\n')
}
