/**
 * @module report/diff-text
 * The diff for a terminal: the same content as the PR comment, ARM what-if style (`- + ~` in the
 * first column, legend first), the rules diff inline. Colour is decided by the caller (the CLI
 * checks that stdout is a TTY and NO_COLOR is unset): the core reads no environment.
 */
import type { PlanDiff } from '../diff/types.ts'
import type { Staged } from '../issues.ts'
import { CHANGE_KINDS, type DiffReportOptions, fileLine, rulesLabel, SYMBOL, summaryLine, VERB } from './diff-options.ts'

type Paint = (code: string, s: string) => string

const C = { red: '31', green: '32', yellow: '33', blue: '34', magenta: '35', cyan: '36', bold: '1', dim: '2' }
const KIND_COLOUR = { refused: C.red, delete: C.red, create: C.green, update: C.magenta } as const
const SEV_COLOUR = { error: C.red, warning: C.yellow, notice: C.cyan } as const

/** Renders a diff as plain (or ANSI-coloured) text. */
export function renderDiffText(diff: Staged<PlanDiff>, o: DiffReportOptions = {}): string {
  const d = diff.value
  const paint: Paint = o.color ? (code, s) => `\u001b[${code}m${s}\u001b[0m` : (_c, s) => s
  const out: string[] = []
  let title = 'Service networking plan'
  if (o.target) title += ` · ${o.target}`
  if (o.baseRef && o.headRef) title += ` · base ${o.baseRef} → head ${o.headRef}`
  out.push(paint(C.bold, title))
  out.push(`${paint(C.bold, summaryLine(d.summary))} · node ${d.node} · ${d.ipFamily}`)
  out.push('')

  if (d.services.length > 0) {
    const used = CHANGE_KINDS.filter((k) => d.services.some((s) => s.kind === k))
    out.push('Changes are indicated with these symbols:')
    for (const k of used) out.push(`  ${paint(KIND_COLOUR[k], SYMBOL[k])} ${VERB[k]}`)
    out.push('')
    for (const s of d.services) {
      const loc = fileLine(s.source) + (s.source && s.kind === 'delete' ? ' (base)' : '')
      out.push(`${paint(KIND_COLOUR[s.kind], `${SYMBOL[s.kind]} ${s.namespace}/${s.name}`)}${s.type ? ` (${s.type})` : ''}${loc ? paint(C.dim, `  ${loc}`) : ''}`)
      // The note is the comment table's one-liner: for an update it restates the field changes
      // listed below (and the endpoint count the endpoints line gives), so each change is printed
      // once. For a create, delete or refused operation the note is printed (it names the allocations
      // or the refusal); fields are listed only for updates.
      const listed = s.kind === 'update' ? s.fields.length + s.allocations.length : 0
      if (s.note && listed === 0) out.push(`    ${s.note}`)
      if (s.kind === 'update') for (const f of [...s.fields, ...s.allocations]) out.push(`    ${paint(C.magenta, '~')} ${f.field}: ${f.before ?? '∅'} → ${f.after ?? '∅'}`)
      for (const e of s.endpoints) {
        const parts = [...e.added.map((x) => paint(C.green, `+${x}`)), ...e.removed.map((x) => paint(C.red, `-${x}`))]
        out.push(`    endpoints ${e.servicePort} (${e.after} after): ${parts.join(', ')}`)
      }
      for (const x of s.opened) out.push(`    ${paint(C.green, '+')} opens ${x.text}`)
      for (const x of s.closed) out.push(`    ${paint(C.red, '-')} closes ${x.text}`)
    }
    out.push('')
  }

  if (d.findings.length > 0) {
    out.push(paint(C.bold, `Findings (${d.findings.length}):`))
    for (const f of d.findings) {
      const loc = fileLine(f.source) + (f.source && f.side === 'base' ? ' (base)' : '')
      out.push(`  ${paint(SEV_COLOUR[f.severity], f.severity.padEnd(7))} ${loc ? `${loc}: ` : ''}${f.message}`)
    }
    out.push('')
  }

  if (d.probes.length > 0) {
    out.push(paint(C.bold, 'Probes:'))
    for (const p of d.probes) {
      const mark = p.changed ? paint(C.magenta, '~') : ' '
      out.push(`  ${mark} ${p.name} (${p.from} → ${p.to}/${p.protocol}): ${p.changed ? `${p.before} → ${p.after}` : p.after}`)
    }
    out.push('')
  }

  if (d.migration !== undefined && d.migration.length > 0) {
    out.push(paint(C.bold, `Migration ${d.proxyMode?.base ?? ''} → ${d.proxyMode?.head ?? ''} (same manifests, what changes for traffic):`))
    for (const m of d.migration) {
      out.push(`  ${m.servicePort === '*' ? 'every Service' : m.servicePort} · ${m.difference}`, `      iptables: ${m.iptables}`, `      nftables: ${m.nftables}`)
    }
    out.push('')
  }

  for (const r of d.rules) {
    out.push(paint(C.bold, `${rulesLabel(r.proxyMode)} diff · ${r.nodes.join(', ')} · +${r.linesAdded} -${r.linesRemoved} lines`))
    for (const t of r.tables) {
      out.push(`  ${t.table}: ${t.chainsAdded.length} chains added, ${t.chainsRemoved.length} removed, ${t.chainsChanged.length} changed`)
    }
    for (const line of r.unified.replace(/\n$/, '').split('\n')) {
      if (line.startsWith('+++') || line.startsWith('---')) out.push(paint(C.bold, line))
      else if (line.startsWith('@@')) out.push(paint(C.cyan, line))
      else if (line.startsWith('+')) out.push(paint(C.green, line))
      else if (line.startsWith('-')) out.push(paint(C.red, line))
      else out.push(line)
    }
    out.push('')
  }
  if (d.nodesNotCompared > 0) out.push(`Rules compared on ${d.nodesCompared.length} nodes; ${d.nodesNotCompared} more not compared.`, '')

  if (d.assumptions.length > 0) {
    out.push(paint(C.bold, 'Assumptions:'))
    for (const a of d.assumptions) out.push(`  - ${a}`)
    out.push('')
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`
}

