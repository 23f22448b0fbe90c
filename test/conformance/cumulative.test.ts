import { describe, expect, it } from 'vitest'
import { applyNoflush, printState } from '../helpers/cumulative.ts'

describe('cumulative --noflush state (for partial-sync conformance steps)', () => {
  it('flushes declared chains, keeps the others and deletes -X chains', () => {
    const state = new Map<string, Map<string, string[]>>()
    applyNoflush(state, '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n:KUBE-SVC-B - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-A\n-A KUBE-SVC-A -j DNAT\n-A KUBE-SVC-B -j DNAT\nCOMMIT\n')
    applyNoflush(state, '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-B - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-B\n-X KUBE-SVC-B\nCOMMIT\n')
    expect(printState(state)).toBe('*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-SVC-A - [0:0]\n-A KUBE-SERVICES -j KUBE-SVC-B\n-A KUBE-SVC-A -j DNAT\nCOMMIT\n')
  })
  it('rejects a rule for an undeclared chain', () => {
    expect(() => applyNoflush(new Map(), '*nat\n-A NOPE -j DROP\nCOMMIT\n')).toThrow(/undeclared/)
  })
})
