import { describe, expect, it } from 'vitest'
import { commentMarker, hasMarker, parseMarker } from '../../../src/core/report/marker.ts'
import { escapeMarkdown, fencedBlock, inlineCode } from '../../../src/core/report/fence.ts'
import { utf8Length } from '../../../src/core/report/diff-options.ts'

describe('comment marker', () => {
  it('is a versioned hidden HTML comment naming the target', () => {
    expect(commentMarker('prod')).toBe('<!-- kube-whatif:v1 target=prod -->')
    expect(commentMarker('')).toBe('<!-- kube-whatif:v1 target= -->')
  })

  it.each(['prod', '', 'ci/plan', 'a b', 'x-->y', 'ünï', '--'])('round-trips target %j and cannot close the comment early', (t) => {
    const m = commentMarker(t)
    expect(m.slice(4, -3)).not.toContain('--')
    expect(m.slice(0, -3)).not.toContain('>')
    expect(parseMarker(`${m}\n### body`)).toEqual({ target: t })
  })

  it('matches only its own target, only at the start of the body', () => {
    const body = `${commentMarker('prod')}\ntext`
    expect(hasMarker(body, 'prod')).toBe(true)
    expect(hasMarker(body, 'staging')).toBe(false)
    expect(hasMarker(`quoted: ${body}`, 'prod')).toBe(false)
    expect(parseMarker('<!-- kube-whatif:v2 target=prod -->')).toBeUndefined()
  })
})

describe('safe fencing', () => {
  it('uses a fence longer than any backtick run in the body', () => {
    expect(fencedBlock('a\n', 'diff')).toBe('```diff\na\n```')
    expect(fencedBlock('x ```` y')).toBe('`````\nx ```` y\n`````')
  })

  it('wraps inline code around backticks', () => {
    expect(inlineCode('a`b')).toBe('``a`b``')
    expect(inlineCode('`x')).toBe('`` `x ``')
  })

  it('neutralises HTML, table pipes, links and mentions from manifest text', () => {
    const s = escapeMarkdown('<img src=x> | [a](b) @team')
    expect(s).not.toMatch(/<img/)
    expect(s).toContain('\\|')
    expect(s).toContain('\\[a\\]')
    expect(s).not.toMatch(/@team/)
  })

  it('counts UTF-8 bytes like TextEncoder', () => {
    for (const s of ['abc', 'é', '€', '😀', 'a😀é€']) expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length)
  })
})
