/**
 * @module report/trace-text
 * Human-readable trace: the probe, kube-proxy's tracer summary, then every outcome with its
 * share and the rules it went through (with their line in the restore text), then the notes.
 */
import type { PathStep, Trace, TraceOutcome } from '../trace/types.ts'

function percent(p: number): string {
  const v = p * 100
  return `${Number.isInteger(v) ? v.toFixed(0) : v.toFixed(1)}%`
}

function stepLine(s: PathStep): string {
  const where = s.line !== undefined ? `line ${s.line}`.padEnd(10) : 'jump rule '
  // An nftables step's text names its table already (`add rule ip kube-proxy …`).
  return s.text.startsWith('add rule ') ? `      ${where} ${s.text}` : `      ${where} ${s.table.padEnd(6)} ${s.text}`
}

function outcomeHead(o: TraceOutcome): string {
  const share = `${o.fraction === '1' ? '1' : o.fraction} (${percent(o.probability)})`
  let what: string
  switch (o.verdict) {
    case 'DNAT':
      what = `DNAT to ${o.dnat ?? '?'}`
      break
    case 'none':
      what = 'no kube-proxy rule decides: the packet goes on unchanged'
      break
    default:
      what = o.dnat !== undefined ? `${o.verdict} (after DNAT to ${o.dnat})` : o.verdict
  }
  const flags = [
    o.verdict === 'DROP' || o.verdict === 'REJECT' ? '' : o.masquerade ? 'masqueraded' : 'source kept',
    o.hairpin ? 'hairpin' : '',
  ].filter((f) => f !== '')
  return `  ${share.padEnd(14)} ${what}${flags.length > 0 ? `  [${flags.join(', ')}]` : ''}`
}

/** Renders one trace as text (ends with a newline). */
export function renderTraceText(t: Trace): string {
  const p = t.probe
  const out: string[] = []
  const from = p.from === p.sourceIP ? p.sourceIP : `${p.from} (${p.sourceIP})`
  const to = p.destIP.includes(':') ? `[${p.destIP}]:${p.destPort}` : `${p.destIP}:${p.destPort}`
  const auto = p.name === `${p.from} → ${p.to}`
  const node = p.node === '' ? '' : ` on node ${p.node}`
  out.push(`Probe${auto ? '' : ` ${p.name}`}: ${from} -> ${to} ${p.protocol.toUpperCase()}${node}${p.local ? ' (sent by the node itself)' : ''}`)
  out.push(`  kube-proxy tracer: output ${JSON.stringify(t.output)}, masquerade ${t.masquerade}`)
  out.push(`  hooks walked: ${t.hooks.join(' -> ')}`)
  out.push('Outcomes:')
  for (const o of t.outcomes) {
    out.push(outcomeHead(o))
    if (o.decidedBy !== undefined && o.verdict !== 'DNAT') {
      out.push(`      decided by${o.decidedBy.line !== undefined ? ` line ${o.decidedBy.line}` : ''}: ${o.decidedBy.text}`)
    }
    out.push(`      via ${o.hooks.join(' -> ')}:`)
    for (const s of o.path) out.push(stepLine(s))
  }
  if (t.affinity !== undefined) out.push(`Session affinity (${t.affinity.timeoutSeconds}s): ${t.affinity.note}`)
  if (t.notes.length > 0) {
    out.push('Notes:')
    for (const n of t.notes) out.push(`  - ${n}`)
  }
  return `${out.join('\n')}\n`
}

/** Renders several traces, separated by a blank line. */
export function renderTracesText(traces: readonly Trace[]): string {
  return traces.map(renderTraceText).join('\n')
}
