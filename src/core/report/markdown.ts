/**
 * @module report/markdown
 * The PR comment (and, with a larger budget, the job summary), laid out after tfcmt, Atlantis,
 * Pulumi and ARM what-if: hidden marker first, one summary line,
 * a table of changed Services (deletions first, legend only for symbols used), findings as GitHub
 * alerts with file:line, collapsed per-Service detail and rules diff, and a footer with version,
 * commits and the local reproduction command. Built as blocks with degradation tiers so the
 * budget drops whole sections, never half a code fence.
 */
import type { Finding, PlanDiff, ServiceChange } from '../diff/types.ts'
import type { Staged } from '../issues.ts'
import { type Block, DEFAULT_COMMENT_BUDGET, type Dropped, fitBlocks } from './budget.ts'
import { CHANGE_KINDS, type DiffReportOptions, fileLine, rulesLabel, SYMBOL, summaryLine, utf8Length, VERB } from './diff-options.ts'
import { escapeMarkdown, fencedBlock, inlineCode, inlineCodeInTable } from './fence.ts'
import { commentMarker } from './marker.ts'
import { renderMermaid } from '../diagram/mermaid.ts'

const ALERT: Record<Finding['severity'], string> = { error: 'CAUTION', warning: 'WARNING', notice: 'NOTE' }
const HEADING: Record<Finding['severity'], string> = { error: 'Errors', warning: 'Warnings', notice: 'Notes' }

/** Default number of non-error findings and table rows kept before the last tier drops the rest. */
export const DEFAULT_KEEP_FIRST = 20

function where(f: { source?: { file: string; line: number }; side?: 'base' | 'head' }, o: DiffReportOptions): string {
  const fl = fileLine(f.source)
  if (!fl || !f.source) return ''
  // A base-side line (e.g. a deleted Service) does not exist in the head commit: no link.
  if (f.side === 'base') return `${inlineCode(fl)} (base) `
  const code = inlineCode(fl)
  // encodeURI leaves ( ) and # alone: a ) would end the Markdown link early, a # start the anchor.
  const path = encodeURI(f.source.file).replace(/[()#]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  const href = `${o.blobUrl}${path}#L${f.source.line}`
  return o.blobUrl ? `[${code}](${href}) ` : `${code} `
}

function heading(d: PlanDiff, o: DiffReportOptions): string {
  let h = '### Service networking plan'
  if (o.target) h += ` · ${inlineCode(o.target)}`
  if (o.baseRef && o.headRef) h += ` · base ${inlineCode(o.baseRef)} → head ${inlineCode(o.headRef)}`
  return `${h}\n**${summaryLine(d.summary)}** · node ${inlineCode(d.node)} · ${d.ipFamily}\n\n`
}

function table(services: readonly ServiceChange[], keep: number): Block[] {
  if (services.length === 0) return []
  const blocks: Block[] = [{ text: '| | Service | Type | Change | Notes |\n|---|---|---|---|---|\n', tier: 0 }]
  services.forEach((s, i) => {
    blocks.push({
      text: `| ${inlineCode(SYMBOL[s.kind])} | ${inlineCodeInTable(`${s.namespace}/${s.name}`)} | ${escapeMarkdown(s.type)} | ${VERB[s.kind]} | ${escapeMarkdown(s.note)} |\n`,
      // A refused apply is an error: its row stays whatever the budget, like error findings.
      tier: i < keep || s.kind === 'refused' ? 0 : 4,
      important: s.kind === 'refused',
    })
  })
  const used = CHANGE_KINDS.filter((k) => services.some((s) => s.kind === k))
  blocks.push({ text: `\n<sub>${used.map((k) => `${inlineCode(SYMBOL[k])} ${VERB[k]}`).join(' · ')}</sub>\n\n`, tier: 0 })
  return blocks
}

function findingBlocks(findings: readonly Finding[], o: DiffReportOptions, keep: number): Block[] {
  const blocks: Block[] = []
  let others = 0
  for (const sev of ['error', 'warning', 'notice'] as const) {
    const fs = findings.filter((f) => f.severity === sev)
    if (fs.length === 0) continue
    const important = sev === 'error'
    blocks.push({ text: `> [!${ALERT[sev]}]\n> **${HEADING[sev]} (${fs.length})**\n`, tier: 0, important })
    for (const f of fs) {
      const tier = important || others++ < keep ? 0 : 4
      blocks.push({ text: `> - ${where(f, o)}${escapeMarkdown(f.message)}\n`, tier, important })
    }
    blocks.push({ text: '\n', tier: 0, important })
  }
  return blocks
}

function serviceDetail(s: ServiceChange, o: DiffReportOptions): string {
  const lines: string[] = []
  const loc = where({ ...(s.source ? { source: s.source } : {}), side: s.kind === 'delete' ? 'base' : 'head' }, o)
  lines.push(`**${inlineCode(SYMBOL[s.kind])} ${inlineCode(`${s.namespace}/${s.name}`)}** (${s.type ? `${s.type}, ` : ''}${VERB[s.kind]}) ${loc}`.trimEnd())
  lines.push('')
  // What stays when the apply fails, then each of the apiserver's messages.
  if (s.refused) {
    lines.push(`- ${s.refused.operation === 'update' ? 'the current object stays, its rules unchanged' : 'nothing is created'}`)
    for (const m of s.refused.messages) lines.push(`- ${escapeMarkdown(m)}`)
  }
  // For a create or delete the table note already names the allocations.
  for (const f of s.kind === 'update' ? [...s.fields, ...s.allocations] : []) {
    lines.push(`- ${inlineCode(f.field)}: ${f.before !== undefined ? inlineCode(f.before) : '∅'} → ${f.after !== undefined ? inlineCode(f.after) : '∅'}`)
  }
  for (const e of s.endpoints) {
    const parts = [...e.added.map((x) => `+${x}`), ...e.removed.map((x) => `−${x}`)]
    lines.push(`- endpoints ${inlineCode(e.servicePort)} (${e.after} after): ${escapeMarkdown(parts.join(', '))}`)
  }
  for (const x of s.opened) lines.push(`- opens ${escapeMarkdown(x.text)}`)
  for (const x of s.closed) lines.push(`- closes ${escapeMarkdown(x.text)}`)
  return `${lines.join('\n')}\n\n`
}

function detailsBlocks(d: PlanDiff, o: DiffReportOptions): Block[] {
  const blocks: Block[] = []
  if (d.services.length > 0) {
    blocks.push({ text: `<details><summary>Service details (${d.services.length})</summary>\n\n`, tier: 3 })
    for (const s of d.services) blocks.push({ text: serviceDetail(s, o), tier: 3 })
    blocks.push({ text: '</details>\n\n', tier: 3 })
  }
  const changedProbes = d.probes.filter((p) => p.changed).length
  if (d.probes.length > 0) {
    let t = `<details><summary>Probes (${changedProbes} of ${d.probes.length} change)</summary>\n\n| | Probe | Before | After |\n|---|---|---|---|\n`
    for (const p of d.probes) {
      t += `| ${p.changed ? inlineCode('~') : ''} | ${escapeMarkdown(p.name)} (${escapeMarkdown(`${p.from} → ${p.to}/${p.protocol}`)}) | ${escapeMarkdown(p.before)} | ${escapeMarkdown(p.after)} |\n`
    }
    blocks.push({ text: `${t}\n</details>\n\n`, tier: 3 })
  }
  return blocks
}

/**
 * One Mermaid flowchart per changed service port (GitHub renders ```` ```mermaid ```` blocks in
 * comments and job summaries), before and after side by side, changed arrows highlighted. All
 * in one tier: the budget drops them together, after the rules diff.
 */
function diagramBlocks(d: PlanDiff): Block[] {
  if (d.diagrams.length === 0) return []
  // How the packets were chosen is the same for every port: said once, not in every block.
  const notes = [...new Set(d.diagrams.flatMap((c) => c.notes))]
  const blocks: Block[] = [
    {
      text:
        `**Packet paths** (${d.diagrams.length} changed service port${d.diagrams.length === 1 ? '' : 's'}, node ${inlineCode(d.node)}; ` +
        'new arrows green, removed ones red and dashed)\n' +
        (notes.length > 0 ? `<sub>${escapeMarkdown(notes.join(' '))}</sub>\n` : '') +
        '\n',
      tier: 2,
    },
  ]
  for (const c of d.diagrams) {
    const sides = [c.before, c.after].filter((x) => x !== undefined)
    blocks.push({ text: `${inlineCode(c.servicePort)}\n\n${fencedBlock(renderMermaid(sides), 'mermaid')}\n\n`, tier: 2 })
  }
  return blocks
}

function rulesBlocks(d: PlanDiff): Block[] {
  return d.rules.map((r) => {
    const tables = r.tables
      .map((t) => {
        const parts = [
          t.chainsAdded.length ? `${t.chainsAdded.length} added` : '',
          t.chainsRemoved.length ? `${t.chainsRemoved.length} removed` : '',
          t.chainsChanged.length ? `${t.chainsChanged.length} changed` : '',
        ].filter(Boolean)
        return `${t.table}: chains ${parts.join(', ')}`
      })
      .join(' · ')
    const nodes = r.nodes.length > 4 ? `${r.nodes.slice(0, 3).join(', ')} and ${r.nodes.length - 3} more nodes` : r.nodes.join(', ')
    return {
      text:
        `<details><summary>${escapeMarkdown(rulesLabel(r.proxyMode))} diff · ${escapeMarkdown(nodes)} · +${r.linesAdded} −${r.linesRemoved} lines</summary>\n\n` +
        (tables ? `${escapeMarkdown(tables)}\n\n` : '') +
        `${fencedBlock(r.unified, 'diff')}\n\n</details>\n\n`,
      tier: 1,
    }
  })
}

/** The migration view: one table row per difference, iptables and nftables side by side. */
function migrationBlocks(d: PlanDiff): Block[] {
  if (d.migration === undefined || d.migration.length === 0) return []
  let t = `<details open><summary>Migration ${escapeMarkdown(d.proxyMode?.base ?? '')} → ${escapeMarkdown(d.proxyMode?.head ?? '')}: ${d.migration.length} differences</summary>\n\n| Service port | Difference | iptables | nftables |\n|---|---|---|---|\n`
  for (const m of d.migration) {
    t += `| ${m.servicePort === '*' ? 'every Service' : inlineCode(m.servicePort)} | ${escapeMarkdown(m.difference)} | ${escapeMarkdown(m.iptables)} | ${escapeMarkdown(m.nftables)} |\n`
  }
  return [{ text: `${t}\n</details>\n\n`, tier: 3 }]
}

function footer(d: PlanDiff, o: DiffReportOptions): string {
  const parts = [`kube-whatif${o.version ? ` v${o.version}` : ''}`]
  if (o.baseRef && o.headRef) parts.push(`base ${inlineCode(o.baseRef)} → head ${inlineCode(o.headRef)}`)
  if (d.nodesNotCompared > 0) parts.push(`rules compared on ${d.nodesCompared.length} nodes (${d.nodesNotCompared} more not compared)`)
  if (o.fullReportUrl) parts.push(`[full report](${o.fullReportUrl})`)
  if (o.reproduce) parts.push(`reproduce: ${inlineCode(o.reproduce)}`)
  return `<sub>${parts.join(' · ')}</sub>\n`
}

function notice(d: PlanDiff, dropped: Dropped, o: DiffReportOptions, keep: number): string {
  const what: string[] = []
  if (dropped.tiers.includes(1)) what.push(`the ${d.rules.every((r) => r.proxyMode === undefined) ? 'iptables rules' : 'rules'} diff`)
  if (dropped.tiers.includes(2)) what.push('the packet-path diagrams')
  if (dropped.tiers.includes(3)) what.push('the per-Service details')
  if (dropped.tiers.includes(4)) what.push(`findings and Services beyond the first ${keep}`)
  if (dropped.essential > 0) what.push(`${dropped.essential} more entries`)
  const where = o.fullReportUrl ? `the [job summary](${o.fullReportUrl})` : 'the job summary of this workflow run'
  return `> [!IMPORTANT]\n> This report was shortened to fit GitHub's size limit: left out ${what.join(', ')}. The full report is in ${where}.\n\n`
}

/**
 * Length of a comment body as GitHub might count it, erring high: every `\n` counts twice.
 * UNVERIFIED whether the 65,536 limit is checked before or after GitHub normalises line endings
 * to CRLF (bodies edited in the web UI come back with `\r\n`); a long rules diff has thousands of
 * lines, more than the budget's margin, so the comment is sized for the worse case. UTF-16 length
 * already counts astral characters twice, which is also on the safe side.
 */
export function commentLength(s: string): number {
  let n = s.length
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++
  return n
}

/**
 * Renders a diff as the Markdown PR comment, within `maxChars` (default 65,000 characters:
 * GitHub refuses bodies over 65,536; newlines count twice, see {@link commentLength}). Marker, heading, summary line, errors and footer always stay.
 */
export function renderDiffMarkdown(diff: Staged<PlanDiff>, o: DiffReportOptions = {}): string {
  const d = diff.value
  const keep = o.keepFirst ?? DEFAULT_KEEP_FIRST
  const blocks: Block[] = [
    { text: `${commentMarker(o.target ?? '')}\n`, tier: 0, pinned: true },
    { text: heading(d, o), tier: 0, pinned: true },
    { text: '', tier: 0, notice: true },
    ...table(d.services, keep),
    ...findingBlocks(d.findings, o, keep),
    ...diagramBlocks(d),
    ...detailsBlocks(d, o),
    ...migrationBlocks(d),
    ...rulesBlocks(d),
  ]
  if (d.assumptions.length > 0) {
    blocks.push({
      text: `<details><summary>Assumptions (${d.assumptions.length})</summary>\n\n${d.assumptions.map((a) => `- ${escapeMarkdown(a)}`).join('\n')}\n\n</details>\n\n`,
      tier: 3,
    })
  }
  blocks.push({ text: footer(d, o), tier: 0, pinned: true })
  const measure = o.measureBytes ? utf8Length : commentLength
  return fitBlocks(blocks, o.maxChars ?? DEFAULT_COMMENT_BUDGET, (dr) => notice(d, dr, o, keep), measure).text
}
