/**
 * @module proxy/iptables/parse
 * Reads `iptables-restore` input (kube-proxy's payload, the test fake's dumps, or `iptables-save`
 * output) into the rule IR. Mirrors kubernetes pkg/util/iptables/testing/parse.go
 * (`ParseIPTablesDump` / `ParseRule`): lines trimmed, blank and `#` lines skipped,
 * `*table`, `:CHAIN POLICY [p:b]`, `-A CHAIN args` (optionally after `iptables-save -c`'s
 * `[packets:bytes]`), `-X CHAIN`, `COMMIT`; words split with
 * `(?:^|\s)("[^"]*"|[^"]\S*)` and the quotes stripped; `!` negates the next parameter.
 *
 * Differences from upstream, all on purpose: a built-in chain policy (`:INPUT ACCEPT [0:0]`) is
 * accepted so iptables-save output parses; runs of several spaces do not create words that start
 * with a space (iptables-save prints `--nfacct-name  NAME`); inside quotes a backslash escapes the
 * next character, as in iptables-restore's own tokenizer (xshared.c `add_param_to_argv`), so
 * iptables-save's `"x\"y"` reads back as `x"y` (kube-proxy never writes `"` or `\` in a comment,
 * so its payloads split exactly as upstream); errors become issues instead of
 * aborting. Parameters the IR has no field for are kept, in place, as `raw` matches, so the test
 * fake's unquoted multi-word comments (`--comment kubernetes service portals`) give comment
 * `kubernetes` plus raw `service portals`, exactly as upstream's parser reads them.
 */
import { issue, type Issue, type IssueCode, type Staged } from '../../issues.ts'
import type { IPFamily } from '../../model/k8s.ts'
import type { Chain, Match, Rule, RuleRef, Ruleset, Table, TableName, Target } from './ir.ts'
import type { ChainPolicy, DeletedChain } from './kernel-state.ts'
import { isFullMask, parseU32 } from './xtables-addr.ts'

/** A parsed payload: the IR plus what the IR has no place for. */
export interface ParsedRestore extends Ruleset {
  /** Chains removed with `-X`, in the order written. They stay declared in `tables` (empty). */
  readonly deletedChains: readonly DeletedChain[]
  /** Built-in chain policies other than `-`. */
  readonly policies: readonly ChainPolicy[]
  /** 1-based input line of every rule object in `tables`. */
  readonly ruleLines: ReadonlyMap<Rule, number>
}

/** Options for {@link parseRestore}. */
export interface ParseOptions {
  /** File name used in issue locations. Default `<iptables>`. */
  readonly file?: string
  /** Address family; default: IPv6 when any `-s`/`-d` holds a `:`, else IPv4. */
  readonly family?: IPFamily
  /** Node name recorded in the result. Default `''`. */
  readonly node?: string
}

const TABLES: readonly TableName[] = ['filter', 'nat', 'mangle']
const WORD = /(?:^|\s)\s*("(?:[^"\\]|\\.)*"|[^"\s]\S*)/g
/** The whole argument text splits into words with nothing dropped (words separated by blanks). */
const ALL_WORDS = /^\s*(?:(?:"(?:[^"\\]|\\.)*"|[^"\s]\S*)(?:\s+|$))*$/
const DECL = /^:(\S+) (\S+) \[(\d*):(\d*)\]$/
const COUNTERS = /^\[\d+:\d+\]\s+(?=-A\s)/
const PORT_PROTOS = new Set(['tcp', 'udp', 'sctp'])

/** Splits rule arguments like parse.go, stripping the surrounding quotes of quoted words. */
export function splitWords(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(WORD)) {
    const w = m[1] ?? ''
    out.push(w.length >= 2 && w.startsWith('"') && w.endsWith('"') ? w.slice(1, -1).replace(/\\(.)/g, '$1') : w)
  }
  return out
}

/** Parsed arguments of one rule. */
export interface ParsedArgs {
  readonly rule: Rule
  /** Problems with the arguments (messages only; the caller adds the location). */
  readonly problems: readonly string[]
}

function parsePort(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d+$/.test(s)) return undefined
  const n = Number(s)
  return n <= 65535 ? n : undefined
}

const RECENT_OPTS = new Set(['--name', '--set', '--rcheck', '--seconds', '--reap', '--mask', '--rsource'])

/**
 * Parses the arguments after `-A CHAIN` into IR matches and a target (parse.go `ParseRule`).
 * Never throws; anything not understood is kept as a raw match or raw target.
 */
export function parseRuleArgs(words: readonly string[], family: IPFamily): ParsedArgs {
  const matches: Match[] = []
  const problems: string[] = []
  let target: Target | undefined
  let raw: string[] = []
  // `-m MODULE` of a modelled module, held until one of its options becomes a typed match (which
  // implies the module); if its option is kept raw instead, the `-m MODULE` words go with it.
  let pendingModule: string[] = []
  const flushRaw = (): void => {
    raw.push(...pendingModule)
    pendingModule = []
    if (raw.length > 0) matches.push({ kind: 'raw', text: raw.join(' ') })
    raw = []
  }
  const push = (m: Match): void => {
    pendingModule = []
    flushRaw()
    matches.push(m)
  }
  let i = 0
  let negate = false
  let module: string | undefined
  const keepRaw = (n: number): void => {
    // Keep n words (plus a pending `!`) verbatim.
    raw.push(...pendingModule)
    pendingModule = []
    if (negate) raw.push('!')
    raw.push(...words.slice(i, i + n))
    i += n
    negate = false
  }
  while (i < words.length) {
    const w = words[i] ?? ''
    const arg = words[i + 1]
    if (w === '!') {
      if (negate) problems.push('double negation "! !"')
      negate = true
      i++
      continue
    }
    switch (w) {
      case '-m':
      case '--match': {
        if (arg === undefined) {
          problems.push(`"${w}" needs a module name`)
          keepRaw(1)
          break
        }
        module = arg
        if (PORT_PROTOS.has(arg) && (words[i + 2] === '-p' || words[i + 2] === '--protocol') && words[i + 3] === arg) {
          push({ kind: 'protocol', protocol: arg as 'tcp' | 'udp' | 'sctp', module: true })
          i += 4
        } else if (['comment', 'addrtype', 'conntrack', 'mark', 'statistic', 'recent', 'nfacct'].includes(arg)) {
          // A modelled module: its options below become IR matches that imply `-m MODULE`.
          flushRaw()
          pendingModule = [w, arg]
          i += 2
        } else {
          keepRaw(2)
        }
        break
      }
      case '-p':
      case '--protocol':
        if (arg !== undefined && PORT_PROTOS.has(arg) && !negate) {
          push({ kind: 'protocol', protocol: arg as 'tcp' | 'udp' | 'sctp', module: false })
          i += 2
        } else keepRaw(arg === undefined ? 1 : 2)
        break
      case '-s':
      case '--source':
      case '-d':
      case '--destination':
        if (arg === undefined) {
          problems.push(`"${w}" needs an address`)
          keepRaw(1)
        } else {
          push({ kind: 'address', dir: w === '-s' || w === '--source' ? 'src' : 'dst', value: arg, negate })
          negate = false
          i += 2
        }
        break
      case '-i':
      case '--in-interface':
      case '-o':
      case '--out-interface':
        if (arg === undefined) keepRaw(1)
        else {
          push({ kind: 'interface', dir: w === '-i' || w === '--in-interface' ? 'in' : 'out', name: arg, negate })
          negate = false
          i += 2
        }
        break
      case '--dport':
      case '--destination-port': {
        const port = parsePort(arg)
        if (port === undefined) {
          if (arg !== undefined && !/^\d+:\d*$|^:\d+$/.test(arg)) problems.push(`bad port "${arg}"`)
          keepRaw(arg === undefined ? 1 : 2)
        } else {
          push({ kind: 'dport', port, negate })
          negate = false
          i += 2
        }
        break
      }
      case '--comment':
        if (arg === undefined) keepRaw(1)
        else {
          push({ kind: 'comment', text: arg })
          i += 2
          negate = false
        }
        break
      case '--src-type':
      case '--dst-type':
        if (arg === undefined) keepRaw(1)
        else {
          push({ kind: 'addrtype', dir: w === '--src-type' ? 'src' : 'dst', type: arg, negate })
          negate = false
          i += 2
        }
        break
      case '--ctstate':
        if (arg === undefined) keepRaw(1)
        else {
          push({ kind: 'conntrack', states: arg.split(','), negate })
          negate = false
          i += 2
        }
        break
      case '--mark': {
        const [v, m, extra] = (arg ?? '').split('/')
        const value = v === undefined ? undefined : parseU32(v)
        const mask = m === undefined ? 0xffffffff : parseU32(m)
        if (arg === undefined || value === undefined || mask === undefined || extra !== undefined) {
          problems.push(`bad mark "${arg ?? ''}"`)
          keepRaw(arg === undefined ? 1 : 2)
        } else {
          push({ kind: 'mark', value, mask, negate })
          negate = false
          i += 2
        }
        break
      }
      case '--mode':
        if (arg === 'random' && words[i + 2] === '--probability' && words[i + 3] !== undefined && !negate) {
          push({ kind: 'statistic', probability: words[i + 3] ?? '' })
          i += 4
        } else keepRaw(arg === undefined ? 1 : 2)
        break
      case '--nfacct-name':
        if (arg === undefined) keepRaw(1)
        else {
          push({ kind: 'nfacct', name: arg })
          i += 2
        }
        break
      case '--name':
      case '--set':
      case '--rcheck': {
        // One `-m recent` group: kube-proxy writes `--name N --set` / `--name N --rcheck --seconds S
        // --reap`; iptables-save adds the default `--mask <all ones> --rsource`.
        let j = i
        let name: string | undefined
        let op: 'set' | 'rcheck' | undefined
        let seconds: number | undefined
        let reap = false
        let ok = !negate && (module === 'recent' || module === undefined)
        while (ok && j < words.length && RECENT_OPTS.has(words[j] ?? '')) {
          const o = words[j]
          const v = words[j + 1]
          if (o === '--name' && v !== undefined && name === undefined) { name = v; j += 2 }
          else if ((o === '--set' || o === '--rcheck') && op === undefined) { op = o === '--set' ? 'set' : 'rcheck'; j += 1 }
          else if (o === '--seconds' && v !== undefined && /^\d+$/.test(v)) { seconds = Number(v); j += 2 }
          else if (o === '--reap') { reap = true; j += 1 }
          else if (o === '--mask' && v !== undefined && isFullMask(v, family)) j += 2
          else if (o === '--rsource') j += 1
          else ok = false
        }
        if (ok && name !== undefined && op !== undefined) {
          const m: Match = seconds === undefined ? { kind: 'recent', name, op, ...(reap ? { reap } : {}) } : { kind: 'recent', name, op, seconds, ...(reap ? { reap } : {}) }
          push(m)
          i = j
        } else keepRaw(w === '--name' && arg !== undefined ? 2 : 1)
        break
      }
      case '-j':
      case '--jump': {
        if (arg === undefined) {
          problems.push('"-j" needs a target')
          keepRaw(1)
          break
        }
        if (target !== undefined) problems.push('more than one "-j"')
        const parsed = parseTarget(words, i + 1, family)
        flushRaw()
        target = parsed.target
        i = parsed.next
        negate = false
        break
      }
      default:
        // parse.go skips unknown parameters one word at a time; keep them, in place, as raw text.
        keepRaw(1)
    }
  }
  if (negate) problems.push('"!" at the end of the rule')
  flushRaw()
  const rule: Rule = target === undefined ? { matches } : { matches, target }
  return { rule, problems }
}

/** `-j NAME [target options]`: kube-proxy's targets become typed IR targets, others raw. */
function parseTarget(words: readonly string[], at: number, family: IPFamily): { target: Target; next: number } {
  const name = words[at] ?? ''
  const o1 = words[at + 1]
  const v1 = words[at + 2]
  switch (name) {
    case 'ACCEPT':
    case 'DROP':
    case 'RETURN':
      return { target: { kind: 'verdict', verdict: name }, next: at + 1 }
    case 'REJECT': {
      const def = family === 'IPv4' ? 'icmp-port-unreachable' : 'icmp6-port-unreachable'
      if (o1 === '--reject-with' && v1 !== undefined) {
        return { target: v1 === def ? { kind: 'verdict', verdict: 'REJECT' } : { kind: 'raw', text: `REJECT --reject-with ${v1}` }, next: at + 3 }
      }
      return { target: { kind: 'verdict', verdict: 'REJECT' }, next: at + 1 }
    }
    case 'DNAT':
      if (o1 === '--to-destination' && v1 !== undefined) return { target: { kind: 'dnat', to: v1 }, next: at + 3 }
      break
    case 'MASQUERADE':
      return o1 === '--random-fully'
        ? { target: { kind: 'masquerade', randomFully: true }, next: at + 2 }
        : { target: { kind: 'masquerade', randomFully: false }, next: at + 1 }
    case 'MARK': {
      const value = v1 === undefined ? undefined : parseU32(v1)
      if ((o1 === '--or-mark' || o1 === '--xor-mark') && value !== undefined) {
        return { target: { kind: 'mark', op: o1 === '--or-mark' ? 'or' : 'xor', value }, next: at + 3 }
      }
      // iptables-save spells them `--set-xmark M/M` (or) and `--set-xmark M/0x0` (xor).
      const [v, m] = (v1 ?? '').split('/')
      const xv = v === undefined ? undefined : parseU32(v)
      const xm = m === undefined ? undefined : parseU32(m)
      if (o1 === '--set-xmark' && xv !== undefined && xm !== undefined && xv !== 0) {
        if (xm === xv) return { target: { kind: 'mark', op: 'or', value: xv }, next: at + 3 }
        if (xm === 0) return { target: { kind: 'mark', op: 'xor', value: xv }, next: at + 3 }
      }
      break
    }
    default:
      if (!name.startsWith('-')) {
        // A chain, unless options follow (an extension target we do not model).
        if (o1 === undefined || !o1.startsWith('--')) return { target: { kind: 'jump', chain: name }, next: at + 1 }
      }
  }
  // Unknown target or options: keep `NAME --opt value …` up to the next `-x` parameter.
  let j = at + 1
  while (j < words.length && (words[j]?.startsWith('--') === true || !(words[j] ?? '').startsWith('-'))) j++
  return { target: { kind: 'raw', text: words.slice(at, j).join(' ') }, next: j }
}

interface TableBuilder {
  readonly name: TableName
  readonly chains: Map<string, Rule[]>
  /** The order the `-A` lines were written in (interleaved across chains). */
  readonly writeOrder: RuleRef[]
}

/**
 * Parses restore input into the IR. Errors (rule for an undeclared chain, a line outside a table,
 * bad syntax) become issues with the file and line; the affected line is skipped. Never throws.
 */
export function parseRestore(text: string, opts: ParseOptions = {}): Staged<ParsedRestore> {
  const file = opts.file ?? '<iptables>'
  const issues: Issue[] = []
  const report = (code: IssueCode, severity: 'error' | 'warning', message: string, line: number): void => {
    issues.push(issue(code, severity, message, { source: { file, line, column: 1 } }))
  }
  const lines = text.split(/\r?\n/)
  const family = opts.family ?? guessFamily(lines)
  const tables: TableBuilder[] = []
  const deletedChains: DeletedChain[] = []
  const policies: ChainPolicy[] = []
  const ruleLines = new Map<Rule, number>()
  let current: TableBuilder | undefined
  let skipping = false // inside a table we do not model
  let sawRule = false

  lines.forEach((rawLine, idx) => {
    const lineNo = idx + 1
    // `iptables-save -c` puts `[packets:bytes]` before each rule; the counters are not modelled.
    const line = rawLine.trim().replace(COUNTERS, '')
    if (line === '' || line.startsWith('#')) return
    if (line.startsWith('*')) {
      if (current !== undefined || skipping) report('proxy/iptables-parse', 'error', `table "${line.slice(1)}" starts before COMMIT of the previous table`, lineNo)
      const name = line.slice(1)
      if (!(TABLES as readonly string[]).includes(name)) {
        report('proxy/iptables-parse', 'warning', `table "${name}" is not modelled; its lines are ignored`, lineNo)
        current = undefined
        skipping = true
        return
      }
      skipping = false
      current = tables.find((t) => t.name === name)
      if (current === undefined) {
        current = { name: name as TableName, chains: new Map(), writeOrder: [] }
        tables.push(current)
      }
      sawRule = false
      return
    }
    if (skipping) {
      if (line === 'COMMIT') skipping = false
      return
    }
    if (current === undefined) {
      report('proxy/iptables-parse', 'error', `"${line.slice(0, 40)}" is outside a table (no "*filter"/"*nat" line before it)`, lineNo)
      return
    }
    if (line === 'COMMIT') {
      current = undefined
      return
    }
    if (line.startsWith(':')) {
      const m = DECL.exec(line)
      if (!m) {
        report('proxy/iptables-parse', 'error', `bad chain declaration "${line}" (want ":NAME - [0:0]")`, lineNo)
        return
      }
      const name = m[1] ?? ''
      if (sawRule) report('proxy/iptables-parse', 'warning', `chain "${name}" is declared after rules`, lineNo)
      if (current.chains.has(name)) report('proxy/iptables-parse', 'warning', `chain "${name}" is declared twice`, lineNo)
      else current.chains.set(name, [])
      const policy = m[2] ?? '-'
      if (policy !== '-') policies.push({ table: current.name, chain: name, policy })
      return
    }
    const a = /^-A (\S+)(?: (.*))?$/.exec(line)
    if (a) {
      sawRule = true
      const chain = a[1] ?? ''
      const rules = current.chains.get(chain)
      if (rules === undefined) {
        report('proxy/iptables-parse', 'error', `rule for chain "${chain}", which is not declared in table ${current.name}`, lineNo)
        return
      }
      if (deletedChains.some((d) => d.table === current?.name && d.chain === chain)) {
        report('proxy/iptables-parse', 'error', `rule for chain "${chain}", which was deleted with -X`, lineNo)
        return
      }
      const argText = a[2] ?? ''
      if (!ALL_WORDS.test(argText)) report('proxy/iptables-parse', 'warning', 'unbalanced double quote; the unquoted part is dropped', lineNo)
      const parsed = parseRuleArgs(splitWords(argText), family)
      for (const p of parsed.problems) report('proxy/iptables-parse', 'warning', p, lineNo)
      current.writeOrder.push({ chain, index: rules.length })
      rules.push(parsed.rule)
      ruleLines.set(parsed.rule, lineNo)
      return
    }
    const x = /^-X (\S+)$/.exec(line)
    if (x) {
      const chain = x[1] ?? ''
      const rules = current.chains.get(chain)
      if (rules === undefined) report('proxy/iptables-parse', 'error', `-X of chain "${chain}", which is not declared`, lineNo)
      else if (rules.length > 0) report('proxy/iptables-parse', 'error', `-X of chain "${chain}", which has rules`, lineNo)
      else deletedChains.push({ table: current.name, chain })
      return
    }
    report('proxy/iptables-parse', 'error', `cannot parse line "${line.slice(0, 60)}"`, lineNo)
  })
  if (current !== undefined || skipping) report('proxy/iptables-parse', 'error', 'missing COMMIT at the end of the input', lines.length)

  const outTables: Table[] = tables.map((t) => ({
    name: t.name,
    chains: [...t.chains].map(([name, rules]): Chain => ({ name, rules })),
    writeOrder: t.writeOrder,
  }))
  return {
    value: { backend: 'iptables', family, node: opts.node ?? '', tables: outTables, deletedChains, policies, ruleLines },
    issues,
  }
}

/** IPv6 when an `-s`/`-d` value or a bracketed `--to-destination` holds an IPv6 address. */
function guessFamily(lines: readonly string[]): IPFamily {
  for (const l of lines) {
    if (/(?:^|\s)(?:-s|-d|--source|--destination) [0-9a-fA-F.]*:/.test(l) || /--to-destination \[/.test(l)) return 'IPv6'
  }
  return 'IPv4'
}
