/**
 * Issue 16: a document's position tree (locate.ts) costs a re-parse of the document and a node
 * per scalar — for a `kubectl get -o yaml` export the document is the whole `kind: List`. Only an
 * issue needs a position, so planning an export that raises no issue must never build one.
 * (Planning the 10k-Service export once built it eagerly for the first given EndpointSlice:
 * 33 MB re-parsed, ~1.5 s and ~200 MB of peak RSS for nothing.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { kubectlExport } from '../../bench/kubectl-export.ts'
import { planFromSources, renderPlan } from '../../src/core/index.ts'
import { DocumentLocator } from '../../src/core/parse/locate.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('positions are computed only for issues', () => {
  it('planning a clean kubectl export never locates a field path', () => {
    const locate = vi.spyOn(DocumentLocator.prototype, 'locate')
    const file = kubectlExport(40, 3, true)
    const plan = planFromSources({ files: [{ ...file, origin: 'existing' }] })
    expect(plan.issues.filter((i) => i.severity !== 'info')).toEqual([])
    expect(renderPlan(plan, 'iptables-restore').length).toBeGreaterThan(1000)
    expect(locate).not.toHaveBeenCalled()
  })

  it('an issue still gets its line (the spy sees the call)', () => {
    const locate = vi.spyOn(DocumentLocator.prototype, 'locate')
    const file = kubectlExport(5, 2, false)
    // Break one EndpointSlice address: kube-proxy ignores it, the plan reports where it is.
    const text = file.text.replace(/- addresses:\n(\s+)- 100\.\d+\.\d+\.\d+/, (_m, sp: string) => `- addresses:\n${sp}- not-an-ip`)
    expect(text).not.toBe(file.text)
    const plan = planFromSources({ files: [{ ...file, text, origin: 'existing' }] })
    const bad = plan.issues.find((i) => i.code === 'proxy/invalid-endpoint-address')
    expect(bad?.source?.line).toBeGreaterThan(1)
    expect(text.split('\n')[(bad?.source?.line ?? 1) - 1]).toMatch(/addresses|not-an-ip/)
    expect(locate).toHaveBeenCalled()
  })
})
