import { describe, expect, it } from 'vitest'
import { makeMatcher } from '../../src/action/glob.ts'
import { ALWAYS_EXCLUDE, DEFAULT_PATHS, splitList } from '../../src/action/inputs.ts'

describe('globs', () => {
  it.each([
    ['**/*.yaml', 'a.yaml', true],
    ['**/*.yaml', 'k8s/apps/a.yaml', true],
    ['**/*.yaml', 'a.yml', false],
    ['k8s/*.yaml', 'k8s/a.yaml', true],
    ['k8s/*.yaml', 'k8s/sub/a.yaml', false],
    ['k8s/**', 'k8s/sub/a.yaml', true],
    ['**/*.{yaml,yml}', 'x/y.yml', true],
    ['svc-?.yaml', 'svc-1.yaml', true],
    ['svc-?.yaml', 'svc-10.yaml', false],
    ['./k8s/a.yaml', 'k8s/a.yaml', true],
    ['a+b.yaml', 'a+b.yaml', true],
    ['a+b.yaml', 'aab.yaml', false],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(makeMatcher([glob])(path)).toBe(expected)
  })

  it('applies ! excludes in order and the always-excluded folders', () => {
    const m = makeMatcher([...DEFAULT_PATHS, '!test/**', 'test/keep.yaml'], ALWAYS_EXCLUDE)
    expect(m('k8s/a.yaml')).toBe(true)
    expect(m('test/x.yaml')).toBe(false)
    expect(m('test/keep.yaml')).toBe(true)
    expect(m('.github/workflows/ci.yml')).toBe(false)
    expect(m('node_modules/x/package.json')).toBe(false)
    expect(m('web/node_modules/x/a.json')).toBe(false)
  })

  it('splits list inputs on newlines and commas, dropping blanks and comments', () => {
    expect(splitList('a/**/*.yaml, b.yaml\n\n# note\n !c.yaml ')).toEqual(['a/**/*.yaml', 'b.yaml', '!c.yaml'])
  })
})
