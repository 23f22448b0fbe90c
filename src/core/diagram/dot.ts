/**
 * @module diagram/dot
 * Graphviz DOT of diagrams (`-o dot`): one `cluster_` subgraph per service port or probe, the same
 * boxes and arrows as the Mermaid text. Labels are DOT escStrings: `\` and `"` are escaped, line
 * breaks are `\n`, so no input can end a string or smuggle an attribute.
 */
import type { Diagram, DiagramNode } from './types.ts'

/** A DOT double-quoted string of `lines` joined by `\n`. */
export function dotString(lines: readonly string[]): string {
  const esc = (s: string): string => s.replace(/[\r\n\t]+/g, ' ').replace(/\\/g, '\\\\').replace(/"/g, '\\"')
  return `"${lines.map(esc).join('\\n')}"`
}

const SHAPE: Record<DiagramNode['kind'], string> = {
  client: 'shape=oval, style=filled, fillcolor="#ddf4ff"',
  entry: 'shape=parallelogram, style=filled, fillcolor="#fff8c5"',
  chain: 'shape=box, style=filled, fillcolor="#f6f8fa"',
  endpoint: 'shape=box, style="rounded,filled", fillcolor="#dafbe1"',
  verdict: 'shape=hexagon, style=filled, fillcolor="#ffebe9"',
  more: 'shape=box, style=dashed',
}

function attrs(n: DiagramNode): string {
  let a = SHAPE[n.kind]
  if (n.kind === 'endpoint' && n.local !== true) a = 'shape=box, style="rounded,filled", fillcolor="#eef1f4"'
  if (n.kind === 'verdict' && (n.verdict === 'none' || n.verdict === 'ACCEPT')) a = 'shape=hexagon, style=dashed'
  const tip = n.rules.length > 0 ? `, tooltip=${dotString(n.rules)}` : ''
  return `label=${dotString([n.label, ...n.detail])}, ${a}${tip}`
}

/** Renders diagrams as one `digraph`; `notes` become `//` comments. */
export function renderDot(diagrams: readonly Diagram[], notes: readonly string[] = []): string {
  const out: string[] = ['digraph kube_whatif {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];']
  for (const n of notes) out.push(`  // ${n.replace(/[\r\n]+/g, ' ')}`)
  for (const d of diagrams) {
    out.push(`  subgraph cluster_${d.id} {`, `    label=${dotString([d.title])};`)
    for (const n of d.notes) out.push(`    // ${n.replace(/[\r\n]+/g, ' ')}`)
    for (const n of d.nodes) out.push(`    ${n.id} [${attrs(n)}];`)
    out.push('  }')
    for (const e of d.edges) {
      const style = e.change === 'added' ? ', color="#1a7f37", penwidth=3' : e.change === 'removed' ? ', color="#cf222e", penwidth=3, style=dashed' : ''
      const tag = e.change === 'added' ? 'new' : e.change === 'removed' ? 'gone' : ''
      const label = [e.label, tag].filter(Boolean).join(' · ')
      out.push(`  ${e.from} -> ${e.to}${label !== '' || style !== '' ? ` [label=${dotString([label])}${style}]` : ''};`)
    }
  }
  out.push('}')
  return `${out.join('\n')}\n`
}
