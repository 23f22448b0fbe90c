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
    // picomatch with dot: true: dot files and folders, classes, escapes, extglobs
    ['**/*.yaml', '.config/a.yaml', true],
    ['k8s/*.yaml', 'k8s/.hidden.yaml', true],
    ['svc-[0-9].yaml', 'svc-7.yaml', true],
    ['svc-[0-9].yaml', 'svc-x.yaml', false],
    ['svc-[^0-9].yaml', 'svc-x.yaml', true],
    ['literal\\*.yaml', 'literal*.yaml', true],
    ['literal\\*.yaml', 'literalX.yaml', false],
    ['k8s/@(prod|staging)/*.yaml', 'k8s/prod/a.yaml', true],
    ['k8s/@(prod|staging)/*.yaml', 'k8s/dev/a.yaml', false],
    ['k8s/!(dev)/*.yaml', 'k8s/prod/a.yaml', true],
    ['k8s/!(dev)/*.yaml', 'k8s/dev/a.yaml', false],
    ['k8s/*.+(yaml|yml)', 'k8s/a.yml', true],
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

  it('reads a leading !( as an extglob, not as an exclude', () => {
    expect(makeMatcher(['!(test)/*.yaml'])('k8s/a.yaml')).toBe(true)
    expect(makeMatcher(['!(test)/*.yaml'])('test/a.yaml')).toBe(false)
  })

  it('splits list inputs on newlines and commas, dropping blanks and comments', () => {
    expect(splitList('a/**/*.yaml, b.yaml\n\n# note\n !c.yaml ')).toEqual(['a/**/*.yaml', 'b.yaml', '!c.yaml'])
  })
})
