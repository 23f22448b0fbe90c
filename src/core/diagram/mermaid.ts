/**
 * @module diagram/mermaid
 * Mermaid `flowchart LR` text of diagrams, one `subgraph` per service port or probe, for GitHub
 * comments (which render ```` ```mermaid ```` blocks) and `-o mermaid`. Every label is quoted and
 * every character outside a small safe set becomes a Mermaid entity code (`#35;`), so names,
 * comments and addresses from manifests can neither end a label nor open HTML or a directive.
 */
import type { Diagram, DiagramNode } from './types.ts'

/** Longest label line kept; the rest is cut with `…` (the full text is in the SVG hover). */
const MAX_LINE = 80

const SAFE = /[A-Za-z0-9 .,:/_+\-%=@!?*]/

/** A label line as Mermaid text inside `"…"`. */
export function mermaidText(text: string, max = MAX_LINE): string {
  const cut = [...text].length > max ? `${[...text].slice(0, max - 1).join('')}…` : text
  let out = ''
  for (const ch of cut.replace(/[\r\n\t]+/g, ' ')) out += SAFE.test(ch) ? ch : `#${ch.codePointAt(0)};`
  return out
}

function quoted(lines: readonly string[]): string {
  return `"${lines.map((l) => mermaidText(l)).join('<br/>')}"`
}

function shape(n: DiagramNode): string {
  const q = quoted([n.label, ...n.detail])
  switch (n.kind) {
    case 'client':
      return `([${q}])`
    case 'entry':
      return `[/${q}/]`
    case 'endpoint':
      return `(${q})`
    case 'verdict':
      return `{{${q}}}`
    case 'more':
      return `[${q}]`
    case 'chain':
      return `[${q}]`
  }
}

/** A comment line: no newline, no brace (a `%%{` line would be a directive), no markup. */
function comment(text: string): string {
  return `%% ${text.replace(/[\r\n]+/g, ' ').replace(/[{}<>&]/g, (c) => `#${c.codePointAt(0)};`)}`
}

const CLASSES: Record<string, string> = {
  chain: 'fill:#f6f8fa,stroke:#57606a',
  client: 'fill:#ddf4ff,stroke:#0969da',
  drop: 'fill:#ffebe9,stroke:#cf222e',
  entry: 'fill:#fff8c5,stroke:#9a6700',
  local: 'fill:#dafbe1,stroke:#1a7f37',
  none: 'fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:4 3',
  remote: 'fill:#eef1f4,stroke:#1a7f37',
}

function classOf(n: DiagramNode): string {
  switch (n.kind) {
    case 'endpoint':
      return n.local === true ? 'local' : 'remote'
    case 'verdict':
      return n.verdict === 'none' || n.verdict === 'ACCEPT' ? 'none' : 'drop'
    case 'more':
      return 'chain'
    default:
      return n.kind
  }
}

/**
 * Renders diagrams as one Mermaid flowchart. `notes` become `%%` comments at the top. Edges a
 * diff marked as added are drawn thick green and labelled `new`; removed ones thick dashed red,
 * labelled `gone`.
 */
export function renderMermaid(diagrams: readonly Diagram[], notes: readonly string[] = []): string {
  const lines: string[] = ['flowchart LR']
  for (const n of notes) lines.push(comment(n))
  const edgeLines: string[] = []
  const added: number[] = []
  const removed: number[] = []
  const byClass = new Map<string, string[]>()
  for (const d of diagrams) {
    for (const n of d.notes) lines.push(comment(`${d.title}: ${n}`))
    lines.push(`  subgraph ${d.id}[${quoted([d.title])}]`, '    direction LR')
    for (const n of d.nodes) {
      lines.push(`    ${n.id}${shape(n)}`)
      const c = classOf(n)
      byClass.set(c, [...(byClass.get(c) ?? []), n.id])
    }
    lines.push('  end')
    for (const e of d.edges) {
      const tag = e.change === 'added' ? 'new' : e.change === 'removed' ? 'gone' : ''
      const label = [e.label, tag].filter(Boolean).join(' · ')
      if (e.change === 'added') added.push(edgeLines.length)
      if (e.change === 'removed') removed.push(edgeLines.length)
      edgeLines.push(label === '' ? `  ${e.from} --> ${e.to}` : `  ${e.from} -->|${quoted([label])}| ${e.to}`)
    }
  }
  lines.push(...edgeLines)
  for (const [c, ids] of [...byClass].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`  classDef ${c} ${CLASSES[c] ?? ''}`, `  class ${ids.join(',')} ${c}`)
  }
  if (added.length > 0) lines.push(`  linkStyle ${added.join(',')} stroke:#1a7f37,stroke-width:3px`)
  if (removed.length > 0) lines.push(`  linkStyle ${removed.join(',')} stroke:#cf222e,stroke-width:3px,stroke-dasharray:6 4`)
  return `${lines.join('\n')}\n`
}
