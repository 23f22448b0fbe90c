/**
 * The normalisation kube-proxy's unit tests apply before comparing payloads, and their
 * jump-consistency check. Mirrors pkg/proxy/iptables/proxier_test.go sortIPTablesRules and
 * checkIPTablesRuleJumps over pkg/util/iptables/testing/parse.go ParseIPTablesDump
 * and proxier_test.go sortIPTablesRules / assertIPTablesRulesEqual. Works on text, so it applies to any payload.
 */

interface DumpRule {
  readonly raw: string
  /** The `--comment` value, quotes stripped; undefined when the rule has none. */
  readonly comment: string | undefined
}

interface DumpChain {
  readonly name: string
  readonly policy: string
  readonly counters: string
  readonly rules: DumpRule[]
  deleted: boolean
}

interface DumpTable {
  readonly name: string
  readonly chains: DumpChain[]
}

const WORD = /(?:^|\s)("[^"]*"|[^"]\S*)/g
const DECL = /^:(\S*) (\S+) \[([0-9]*):([0-9]*)\]$/

/** Word splitting of parse.go, quotes stripped. */
function words(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(WORD)) {
    const w = m[1] ?? ''
    out.push(w.length >= 2 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1) : w)
  }
  return out
}

function commentOf(args: string): string | undefined {
  const ws = words(args)
  const i = ws.indexOf('--comment')
  return i >= 0 ? ws[i + 1] : undefined
}

/**
 * ParseIPTablesDump, leniently: a built-in policy (`:INPUT ACCEPT [0:0]`) is kept, and a rule for
 * an undeclared chain declares it (upstream errors; {@link checkIptablesRuleJumps} reports it).
 */
function parseDump(text: string): DumpTable[] {
  const tables: DumpTable[] = []
  let current: DumpTable | undefined
  const chainOf = (t: DumpTable, name: string): DumpChain => {
    let c = t.chains.find((x) => x.name === name)
    if (!c) {
      c = { name, policy: '-', counters: '0:0', rules: [], deleted: false }
      t.chains.push(c)
    }
    return c
  }
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim()
    if (line === '' || line.startsWith('#')) continue
    if (line.startsWith('*')) {
      current = { name: line.slice(1), chains: [] }
      tables.push(current)
      continue
    }
    if (line === 'COMMIT') {
      current = undefined
      continue
    }
    if (!current) continue
    const decl = DECL.exec(line)
    if (decl) {
      const c = chainOf(current, decl[1] ?? '')
      Object.assign(c, { policy: decl[2] ?? '-', counters: `${decl[3] ?? ''}:${decl[4] ?? ''}` })
      continue
    }
    const add = /^-A (\S*) (.*)$/.exec(line) ?? /^-A (\S*)$/.exec(line)
    if (add) {
      chainOf(current, add[1] ?? '').rules.push({ raw: line, comment: commentOf(add[2] ?? '') })
      continue
    }
    const del = /^-X (\S+)$/.exec(line)
    if (del) chainOf(current, del[1] ?? '').deleted = true
  }
  return tables
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-* by name, then the rest by name. */
function compareChains(a: string, b: string): number {
  const rank = (n: string): number => (n === 'KUBE-NODEPORTS' ? 0 : n === 'KUBE-SERVICES' ? 1 : n.startsWith('KUBE-') ? 2 : 3)
  return rank(a) - rank(b) || byteCompare(a, b)
}

/** getServiceName: the comment up to the first space or colon (`ns/name`). */
function serviceName(comment: string): string {
  const cut = comment.search(/[ :]/)
  return cut < 0 ? comment : comment.slice(0, cut)
}

/** Stable sort by service name; a rule without a comment compares equal to everything. */
function sortByService(rules: DumpRule[], lastRuleMarker: boolean): void {
  const isLast = (r: DumpRule): boolean => lastRuleMarker && r.comment !== undefined && r.comment.includes('must be the last rule')
  rules.sort((a, b) => {
    const la = isLast(a)
    const lb = isLast(b)
    if (la || lb) return la === lb ? 0 : la ? 1 : -1
    if (a.comment === undefined || b.comment === undefined) return 0
    return byteCompare(serviceName(a.comment), serviceName(b.comment))
  })
}

/**
 * sortIPTablesRules: tables by name; chains KUBE-NODEPORTS, KUBE-SERVICES, other KUBE-*, others;
 * rules of filter/nat KUBE-NODEPORTS and KUBE-SERVICES stably sorted by service name (nat
 * KUBE-SERVICES keeps its "must be the last rule" rule last); printed as
 * `*table`, declarations, rules, `-X` lines, `COMMIT`.
 */
export function sortIptablesRules(text: string): string {
  const tables = parseDump(text.replace(/^[ \t\n]+/, ''))
  tables.sort((a, b) => byteCompare(a.name, b.name))
  let out = ''
  for (const t of tables) {
    t.chains.sort((a, b) => compareChains(a.name, b.name))
    for (const c of t.chains) {
      if (c.name === 'KUBE-NODEPORTS' && (t.name === 'filter' || t.name === 'nat')) sortByService(c.rules, false)
      if (c.name === 'KUBE-SERVICES' && (t.name === 'filter' || t.name === 'nat')) sortByService(c.rules, t.name === 'nat')
    }
    out += `*${t.name}\n`
    for (const c of t.chains) out += `:${c.name} ${c.policy} [${c.counters}]\n`
    for (const c of t.chains) for (const r of c.rules) out += `${r.raw}\n`
    for (const c of t.chains) if (c.deleted) out += `-X ${c.name}\n`
    out += 'COMMIT\n'
  }
  return out
}

const SPECIAL_TARGETS = new Set(['ACCEPT', 'REJECT', 'DROP', 'MARK', 'RETURN', 'DNAT', 'SNAT', 'MASQUERADE'])
const MAY_BE_UNUSED = new Set([
  'KUBE-SERVICES',
  'KUBE-EXTERNAL-SERVICES',
  'KUBE-NODEPORTS',
  'KUBE-POSTROUTING',
  'KUBE-FORWARD',
  'KUBE-MARK-MASQ',
  'KUBE-PROXY-FIREWALL',
  'KUBE-FIREWALL',
])

/**
 * checkIPTablesRuleJumps: per table, every `-j` target and every chain with rules is declared
 * (and not deleted); every jumped-to chain has rules (KUBE-NODEPORTS exempt); every declared
 * chain is jumped to (static top-level chains exempt). Returns the problems, sorted; `[]` is ok.
 */
export function checkIptablesRuleJumps(text: string): string[] {
  const problems: string[] = []
  const tables = new Map<string, string[]>()
  let current: string[] | undefined
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim()
    if (line.startsWith('*')) {
      current = []
      tables.set(line.slice(1), current)
    } else if (current && line !== '' && !line.startsWith('#')) current.push(line)
  }
  for (const [table, lines] of [...tables].sort((a, b) => byteCompare(a[0], b[0]))) {
    const created = new Set<string>()
    const filled = new Set<string>()
    const jumped = new Set<string>()
    for (const line of lines) {
      const decl = /^:([^ ]+)/.exec(line)
      if (decl) created.add(decl[1] ?? '')
    }
    for (const line of lines) {
      const del = /^-X ([^ ]+)/.exec(line)
      if (del) created.delete(del[1] ?? '')
      const add = /^-A ([^ ]+)/.exec(line)
      if (add) filled.add(add[1] ?? '')
      for (const m of line.matchAll(/(?:^| )-j ([^ ]+)/g)) jumped.add(m[1] ?? '')
    }
    for (const t of SPECIAL_TARGETS) jumped.delete(t)
    const missing = new Set([...jumped, ...filled].filter((c) => !created.has(c)))
    for (const c of [...missing].sort()) problems.push(`${table}: chain ${c} is used but was not created`)
    for (const c of [...jumped].sort()) {
      if (!filled.has(c) && c !== 'KUBE-NODEPORTS' && created.has(c)) problems.push(`${table}: chain ${c} is jumped to but has no rules`)
    }
    for (const c of [...created].sort()) {
      if (!jumped.has(c) && !MAY_BE_UNUSED.has(c)) problems.push(`${table}: chain ${c} is created but not used`)
    }
  }
  return problems
}
