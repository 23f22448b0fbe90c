import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { planDiff } from '../../src/core/diff/index.ts'
import { renderDiff } from '../../src/core/report/render-diff.ts'
import { GITHUB_COMMENT_LIMIT } from '../../src/core/report/budget.ts'

const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports: [{port: 80, targetPort: 8080}]\n'

describe('planDiff on bad input', () => {
  it('never throws and renders every format for mutated manifests', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: svc.length - 1 }), fc.string({ maxLength: 6 }), fc.boolean(), (at, insert, side) => {
        const broken = svc.slice(0, at) + insert + svc.slice(at + 1)
        const d = planDiff({
          base: [{ path: 'a.yaml', text: side ? broken : svc, origin: 'proposed' }],
          head: [{ path: 'a.yaml', text: side ? svc : broken, origin: 'proposed' }],
        })
        for (const f of ['text', 'markdown', 'json'] as const) expect(typeof renderDiff(d, f)).toBe('string')
        expect(renderDiff(d, 'markdown').length).toBeLessThan(GITHUB_COMMENT_LIMIT)
      }),
      { numRuns: 40 },
    )
  })

  it('reports YAML syntax errors as error findings with file:line', () => {
    const d = planDiff({ base: [], head: [{ path: 'bad.yaml', text: 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n', origin: 'proposed' }] })
    const e = d.value.findings.find((f) => f.severity === 'error')
    expect(e?.source?.file).toBe('bad.yaml')
    expect(d.value.summary.errors).toBeGreaterThan(0)
  })

  it('escapes manifest text that tries to inject Markdown or HTML into the comment', () => {
    const evil = svc.replace('app: web', 'app: "</details><img src=x onerror=alert(1)>"')
    const d = planDiff({ base: [], head: [{ path: 'e.yaml', text: evil, origin: 'proposed' }] })
    const md = renderDiff(d, 'markdown')
    expect(md).toContain('&lt;img src=x')
    expect(md).not.toContain('<img')
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length)
  })
})
