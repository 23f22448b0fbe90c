/**
 * @module diagram/svg
 * Inline SVG of diagrams, laid out by our own code (no third-party script, so the playground's
 * CSP stays `script-src 'self'`): boxes in columns by their longest distance from the client,
 * in order of first appearance inside a column, arrows as curves with their labels. Hovering a
 * box shows the rules the packet matched in it (an SVG `<title>`). Colours are presentation
 * attributes plus classes (`node-endpoint`, `edge-added`…) a page stylesheet can override;
 * there are no `style` attributes, so a CSP without `'unsafe-inline'` styles still draws it.
 */
import type { Diagram, DiagramNode } from './types.ts'

const CHAR_W = 7.0
const BOLD_W = 8.0
const LINE_H = 14
const PAD_X = 8
const PAD_Y = 6
const COL_GAP = 120
const ROW_GAP = 14
const MAX_CHARS = 44
const TITLE_H = 24

/** Text for SVG character data and attribute values. */
export function xmlEscape(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

function clip(s: string): string {
  const cs = [...s]
  return cs.length > MAX_CHARS ? `${cs.slice(0, MAX_CHARS - 1).join('')}…` : s
}

const FILL: Record<string, string> = {
  client: '#ddf4ff',
  entry: '#fff8c5',
  chain: '#f6f8fa',
  local: '#dafbe1',
  remote: '#eef1f4',
  drop: '#ffebe9',
  none: '#ffffff',
  more: '#ffffff',
}

function tone(n: DiagramNode): string {
  if (n.kind === 'endpoint') return n.local === true ? 'local' : 'remote'
  if (n.kind === 'verdict') return n.verdict === 'DROP' || n.verdict === 'REJECT' ? 'drop' : 'none'
  return n.kind
}

interface Box {
  readonly node: DiagramNode
  readonly lines: readonly string[]
  readonly w: number
  readonly h: number
  x: number
  y: number
}

/** Longest-path ranks from the clients; at most `nodes` rounds, so a cycle cannot loop forever. */
function ranks(d: Diagram): Map<string, number> {
  const rank = new Map<string, number>(d.nodes.map((n) => [n.id, 0]))
  for (let round = 0; round < d.nodes.length; round++) {
    let moved = false
    for (const e of d.edges) {
      const r = (rank.get(e.from) ?? 0) + 1
      if (r > (rank.get(e.to) ?? 0) && r < d.nodes.length) {
        rank.set(e.to, r)
        moved = true
      }
    }
    if (!moved) break
  }
  return rank
}

function layout(d: Diagram): { boxes: Map<string, Box>; width: number; height: number } {
  const rank = ranks(d)
  const cols: Box[][] = []
  const boxes = new Map<string, Box>()
  for (const n of d.nodes) {
    const lines = [n.label, ...n.detail].map(clip)
    // The first line is bold (wider glyphs).
    const w = Math.ceil(Math.max(...lines.map((l, i) => [...l].length * (i === 0 ? BOLD_W : CHAR_W))) + 2 * PAD_X)
    const h = lines.length * LINE_H + 2 * PAD_Y
    const box: Box = { node: n, lines, w, h, x: 0, y: 0 }
    boxes.set(n.id, box)
    const r = rank.get(n.id) ?? 0
    ;(cols[r] ??= []).push(box)
  }
  let x = 0
  let height = 0
  for (const col of cols) {
    if (col === undefined) continue
    const w = Math.max(...col.map((b) => b.w))
    let y = TITLE_H
    for (const b of col) {
      b.x = x + (w - b.w) / 2
      b.y = y
      y += b.h + ROW_GAP
    }
    height = Math.max(height, y)
    x += w + COL_GAP
  }
  // Centre each column on the tallest one.
  for (const col of cols) {
    if (col === undefined || col.length === 0) continue
    const last = col[col.length - 1] as Box
    const used = last.y + last.h - TITLE_H
    const shift = (height - ROW_GAP - TITLE_H - used) / 2
    for (const b of col) b.y += shift
  }
  return { boxes, width: Math.max(x - COL_GAP, 200), height }
}

function nodeSvg(b: Box): string {
  const n = b.node
  const t = tone(n)
  const rx = n.kind === 'client' ? b.h / 2 : n.kind === 'endpoint' ? 8 : n.kind === 'verdict' ? 2 : 3
  const dash = n.kind === 'more' || t === 'none' ? ' stroke-dasharray="4 3"' : ''
  const stroke = t === 'drop' ? '#cf222e' : n.kind === 'endpoint' ? '#1a7f37' : '#57606a'
  const hover = [[n.label, ...n.detail].join(' · '), ...n.rules].join('\n')
  const text = b.lines
    .map((l, i) => `<text x="${(b.x + b.w / 2).toFixed(1)}" y="${(b.y + PAD_Y + LINE_H * (i + 0.8)).toFixed(1)}" text-anchor="middle"${i === 0 ? ' font-weight="600"' : ''} fill="#1b1f24">${xmlEscape(l)}</text>`)
    .join('')
  return (
    `<g class="node node-${n.kind} tone-${t}" data-kind="${n.kind}" data-key="${xmlEscape(n.key)}" tabindex="0">` +
    `<title>${xmlEscape(hover)}</title>` +
    `<rect x="${b.x.toFixed(1)}" y="${b.y.toFixed(1)}" width="${b.w}" height="${b.h}" rx="${rx.toFixed(1)}" fill="${FILL[t] ?? '#fff'}" stroke="${stroke}"${dash}/>` +
    `${text}</g>`
  )
}

/**
 * Renders one diagram as an `<svg>` element (no XML prolog, for inlining). `idPrefix` keeps the
 * arrow-marker ids unique when a page holds several.
 */
export function renderDiagramSvg(d: Diagram, idPrefix = 'kw'): string {
  const { boxes, width, height } = layout(d)
  const marker = `${idPrefix}-${d.id}-arrow`
  const parts: string[] = []
  for (const e of d.edges) {
    const a = boxes.get(e.from)
    const b = boxes.get(e.to)
    if (a === undefined || b === undefined) continue
    const x1 = a.x + a.w
    const y1 = a.y + a.h / 2
    const x2 = b.x
    const y2 = b.y + b.h / 2
    const dx = Math.max(30, Math.abs(x2 - x1) / 2)
    const colour = e.change === 'added' ? '#1a7f37' : e.change === 'removed' ? '#cf222e' : '#57606a'
    const extra = e.change !== undefined ? ' stroke-width="3"' : ' stroke-width="1.3"'
    const dash = e.change === 'removed' ? ' stroke-dasharray="6 4"' : ''
    const tag = e.change === 'added' ? 'new' : e.change === 'removed' ? 'gone' : ''
    const label = [e.label, tag].filter(Boolean).join(' · ')
    parts.push(
      `<g class="edge${e.change !== undefined ? ` edge-${e.change}` : ''}" data-from="${e.from}" data-to="${e.to}">` +
        `<path d="M${x1.toFixed(1)},${y1.toFixed(1)} C${(x1 + dx).toFixed(1)},${y1.toFixed(1)} ${(x2 - dx).toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}" fill="none" stroke="${colour}"${extra}${dash} marker-end="url(#${marker})"/>` +
        (label === ''
          ? ''
          : `<text x="${((x1 + x2) / 2).toFixed(1)}" y="${((y1 + y2) / 2 - 4).toFixed(1)}" text-anchor="middle" font-size="11" fill="#57606a" stroke="#ffffff" stroke-width="3" paint-order="stroke">${xmlEscape(label)}</text>`) +
        '</g>',
    )
  }
  for (const b of boxes.values()) parts.push(nodeSvg(b))
  const w = Math.ceil(width + 2)
  const h = Math.ceil(height + 2)
  const notes = d.notes.length > 0 ? `<desc>${xmlEscape(d.notes.join('\n'))}</desc>` : ''
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" aria-label="${xmlEscape(`Packet paths: ${d.title}`)}" ` +
    `width="${w}" height="${h}" viewBox="-1 -1 ${w} ${h}" font-family="system-ui, sans-serif" font-size="12">` +
    `<title>${xmlEscape(d.title)}</title>${notes}` +
    `<defs><marker id="${marker}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker></defs>` +
    `<text x="0" y="15" font-weight="600" font-size="13" fill="#1b1f24">${xmlEscape(d.title)}</text>` +
    `${parts.join('')}</svg>`
  )
}

/**
 * A standalone SVG document (`-o svg`) with every diagram stacked, titles above each, `notes`
 * as a `<desc>`.
 */
export function renderSvgDocument(diagrams: readonly Diagram[], notes: readonly string[] = []): string {
  let y = 0
  let width = 200
  const parts: string[] = []
  for (const d of diagrams) {
    const svg = renderDiagramSvg(d)
    const m = /width="(\d+)" height="(\d+)"/.exec(svg)
    const w = Number(m?.[1] ?? 0)
    const h = Number(m?.[2] ?? 0)
    parts.push(svg.replace('<svg ', `<svg x="0" y="${y}" `))
    y += h + 20
    width = Math.max(width, w)
  }
  const desc = notes.length > 0 ? `<desc>${xmlEscape(notes.join('\n'))}</desc>` : ''
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${Math.max(y, 20)}" viewBox="0 0 ${width} ${Math.max(y, 20)}">` +
    `${desc}${parts.join('')}</svg>\n`
  )
}
