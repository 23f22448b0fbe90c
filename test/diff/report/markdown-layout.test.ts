/**
 * The PR comment's layout rules from ecosystem.md §1.4, on hand-made diffs: terraform's verdict
 * line, ARM's change words and legend (only the symbols used, deletions first), table cells that
 * hostile names cannot break, file links that survive odd paths, and errors that outlive
 * everything else when the comment must shrink.
 */
import { describe, expect, it } from 'vitest'
import type { Finding, PlanDiff, ServiceChange } from '../../../src/core/diff/types.ts'
import { summaryLine } from '../../../src/core/report/diff-options.ts'
import { renderDiffText } from '../../../src/core/report/diff-text.ts'
import { fitBlocks, type Block } from '../../../src/core/report/budget.ts'
import { commentLength, renderDiffMarkdown } from '../../../src/core/report/markdown.ts'

function svc(kind: ServiceChange['kind'], name: string, extra: Partial<ServiceChange> = {}): ServiceChange {
  return { kind, namespace: 'shop', name, type: 'ClusterIP', fields: [], allocations: [], endpoints: [], opened: [], closed: [], note: '', ...extra }
}

function diff(services: ServiceChange[], findings: Finding[] = []): { value: PlanDiff; issues: [] } {
  const n = (k: ServiceChange['kind']): number => services.filter((s) => s.kind === k).length
  const sev = (s: Finding['severity']): number => findings.filter((f) => f.severity === s).length
  return {
    value: {
      node: 'n1',
      ipFamily: 'IPv4',
      services,
      rules: [],
      nodesCompared: ['n1'],
      nodesNotCompared: 0,
      findings,
      probes: [],
      assumptions: [],
      diagrams: [],
      summary: { added: n('create'), changed: n('update'), destroyed: n('delete'), refused: n('refused'), errors: sev('error'), warnings: sev('warning'), notices: sev('notice'), hasChanges: services.length > 0 },
    },
    issues: [],
  }
}

const finding = (severity: Finding['severity'], message: string, file = 'k8s/svc.yaml', line = 3): Finding => ({
  severity,
  code: 'test/x',
  message,
  source: { file, line, column: 1 },
  side: 'head',
})

describe('diff report wording (ecosystem.md §1.4)', () => {
  it('states the verdict like terraform: "Plan: N to add, N to change, N to destroy", then the findings', () => {
    const d = diff([svc('create', 'a'), svc('create', 'b'), svc('update', 'c'), svc('delete', 'd')], [finding('error', 'e'), finding('warning', 'w'), finding('notice', 'n')])
    expect(summaryLine(d.value.summary)).toBe('Plan: 2 to add, 1 to change, 1 to destroy · 3 findings (1 error)')
    expect(renderDiffMarkdown(d).split('\n')[2]).toBe('**Plan: 2 to add, 1 to change, 1 to destroy · 3 findings (1 error)** · node `n1` · IPv4')
    expect(renderDiffText(d).split('\n')[1]).toBe('Plan: 2 to add, 1 to change, 1 to destroy · 3 findings (1 error) · node n1 · IPv4')
    expect(summaryLine(diff([]).value.summary)).toBe('No changes · no findings')
  })

  it('calls a changed Service "modify" (ARM what-if) and lists deletions first', () => {
    const md = renderDiffMarkdown(diff([svc('delete', 'old'), svc('create', 'new'), svc('update', 'web', { fields: [{ field: 'spec.type', before: 'ClusterIP', after: 'NodePort' }] })]))
    const rows = md.split('\n').filter((l) => l.startsWith('| `'))
    expect(rows.map((r) => r.split(' | ').slice(0, 4).join(' | '))).toEqual([
      '| `-` | `shop/old` | ClusterIP | delete',
      '| `+` | `shop/new` | ClusterIP | create',
      '| `~` | `shop/web` | ClusterIP | modify',
    ])
    expect(md).toContain('<sub>`-` delete · `+` create · `~` modify</sub>')
    expect(renderDiffText(diff([svc('update', 'web')]))).toContain('Changes are indicated with these symbols:\n  ~ modify\n')
  })

  it('shows a legend entry only for the symbols used', () => {
    const md = renderDiffMarkdown(diff([svc('create', 'a')]))
    expect(md).toContain('<sub>`+` create</sub>')
    expect(md).not.toMatch(/`-` delete|`~` modify/)
  })

  it('keeps the table intact when a name or type holds a pipe', () => {
    const md = renderDiffMarkdown(diff([svc('create', 'a|b', { type: 'Odd|Type', note: 'x | y' })]))
    const row = md.split('\n').find((l) => l.startsWith('| `+`')) as string
    // Exactly the 6 unescaped pipes of a 5-column row.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(6)
    expect(row).toContain('`shop/a\\|b`')
  })

  it('links file:line safely even when the path holds ( ) # or spaces', () => {
    const md = renderDiffMarkdown(diff([], [finding('warning', 'w', 'k8s/a (old)#1.yaml', 7)]), { blobUrl: 'https://github.com/o/r/blob/abc/' })
    expect(md).toContain('[`k8s/a (old)#1.yaml:7`](https://github.com/o/r/blob/abc/k8s/a%20%28old%29%231.yaml#L7)')
  })
})

describe('comment budget: errors outlive everything else', () => {
  it('sizes the comment as if every newline were CRLF', () => {
    expect(commentLength('ab\ncd\n')).toBe(8)
    const services = Array.from({ length: 5000 }, (_, i) => svc('create', `s${i}`))
    const md = renderDiffMarkdown(diff(services, [finding('warning', 'w')]), { keepFirst: 5000 })
    expect(md.replace(/\n/g, '\r\n').length).toBeLessThanOrEqual(65_000)
    expect(md.length).toBeGreaterThan(60_000)
  })

  it('drops table rows and warnings before any error when even the essentials do not fit', () => {
    const blocks: Block[] = [
      { text: 'MARK\n', tier: 0, pinned: true },
      { text: '', tier: 0, notice: true },
      { text: 'ROW1\nROW2\n', tier: 0 },
      { text: 'ERR\n', tier: 0, important: true },
      { text: 'WARN\n', tier: 0 },
      { text: 'FOOT\n', tier: 0, pinned: true },
    ]
    const r = fitBlocks(blocks, 22, () => '')
    expect(r.text).toBe('MARK\nERR\nFOOT\n')
    expect(r.dropped.essential).toBe(2)
  })

  it('in a comment with many Services and errors, every error stays while rows go', () => {
    const services = Array.from({ length: 20 }, (_, i) => svc('create', `s${i}`, { note: 'n'.repeat(900) }))
    const errors = Array.from({ length: 200 }, (_, i) => finding('error', `error number ${i} ${'e'.repeat(200)}`, 'k8s/svc.yaml', i + 1))
    const md = renderDiffMarkdown(diff(services, errors))
    expect(md.length).toBeLessThanOrEqual(65_536)
    expect(md.startsWith('<!-- kube-whatif:v1 target= -->\n')).toBe(true)
    expect(md).toContain('**Plan: 20 to add, 0 to change, 0 to destroy · 200 findings (200 errors)**')
    for (let i = 0; i < 200; i++) expect(md).toContain(`error number ${i} `)
    expect(md).toContain('This report was shortened')
  })
})
