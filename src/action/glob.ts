/**
 * @module action/glob
 * Glob matching for the `paths` and `cluster` inputs with picomatch (what micromatch and
 * fast-glob use), `dot: true` so `.`-files and folders match like any other: `**`, `*`, `?`,
 * `{a,b}`, character classes `[0-9]`, escapes `\*`, extglobs `@(a|b)`/`!(x)`, and a leading `!`
 * on a list entry to exclude. Paths are POSIX, relative to the workspace.
 */
import picomatch from 'picomatch'

type Test = (path: string) => boolean

const cache = new Map<string, Test>()

/** Compiles one glob (without a list-level leading `!`); `./` at the start is ignored. */
export function compileGlob(glob: string): Test {
  const hit = cache.get(glob)
  if (hit) return hit
  const test = picomatch(glob.replace(/^\.\//, ''), { dot: true })
  cache.set(glob, test)
  return test
}

/** A matcher for a list of globs where `!glob` entries exclude (later entries win, like .gitignore). */
export function makeMatcher(patterns: readonly string[], alwaysExclude: readonly string[] = []): (path: string) => boolean {
  const rules = patterns.map((p) => (p.startsWith('!') && !p.startsWith('!(') ? { neg: true, test: compileGlob(p.slice(1)) } : { neg: false, test: compileGlob(p) }))
  const excludes = alwaysExclude.map(compileGlob)
  return (path: string): boolean => {
    if (excludes.some((t) => t(path))) return false
    let ok = false
    for (const r of rules) if (r.test(path)) ok = !r.neg
    return ok
  }
}

/** True when a directory can be skipped entirely because of the always-excluded globs. */
export function isExcludedDir(dir: string, alwaysExclude: readonly string[]): boolean {
  return alwaysExclude.some((g) => compileGlob(g)(`${dir}/x`))
}
