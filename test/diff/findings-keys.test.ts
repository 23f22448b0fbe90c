/**
 * collectFindings asks whether a head issue was already a base issue by `issueKey` text; the
 * lookup by message string first (`baseIssueKeys`) must answer as a Set of every base key does,
 * on generated issues whose parts hold the key's separators (`|`, `/`), with and without refs,
 * sharing message strings or only their text.
 */
import { describe, expect, it } from 'vitest'
import { baseIssueKeys, issueKey } from '../../src/core/diff/findings.ts'
import type { Issue, IssueCode } from '../../src/core/issues.ts'
import { rng } from '../helpers/seeded-rng.ts'

const PARTS = ['a', 'b', 'a|b', '|', 'a/b', '/', 'b|', '|a', '']

function issues(r: () => number, n: number): Issue[] {
  const pick = (): string => PARTS[Math.floor(r() * PARTS.length)] as string
  return Array.from({ length: n }, () => {
    const ref = r() < 0.3 ? undefined : { kind: 'Service', namespace: pick(), name: pick() }
    // A message built anew (another string of maybe the same text) or the same literal.
    const message = r() < 0.5 ? [pick(), pick()].join('') : pick()
    return { code: pick() as IssueCode, severity: 'info', message, ...(ref ? { ref } : {}) } as Issue
  })
}

describe('base issue keys', () => {
  it('answer as a Set of every base issue key does (2 000 generated base/head sets)', () => {
    let hits = 0
    let misses = 0
    for (let seed = 0; seed < 2000; seed++) {
      const r = rng(seed)
      const base = issues(r, Math.floor(r() * 6))
      // Some head issues are the base's objects, some copies, some new.
      const head = [...issues(r, 4), ...base.filter(() => r() < 0.5), ...base.filter(() => r() < 0.5).map((i) => ({ ...i }))]
      const keys = new Set(base.map(issueKey))
      const inBase = baseIssueKeys(base)
      for (const i of head) {
        const want = keys.has(issueKey(i))
        expect(inBase(i), `seed ${seed} ${issueKey(i)}`).toBe(want)
        if (want) hits++
        else misses++
      }
    }
    expect(hits).toBeGreaterThan(1000)
    expect(misses).toBeGreaterThan(1000)
  })
})
