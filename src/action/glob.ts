/**
 * @module action/glob
 * Minimal glob matching for the `paths` and `cluster` inputs (Node 20 has no `fs.glob`):
 * `**` any number of directories, `*` and `?` within one path segment, `{a,b}` alternatives,
 * and a leading `!` to exclude. Paths are POSIX, relative to the workspace.
 */

const cache = new Map<string, RegExp>()

/** Compiles one glob (without a leading `!`) to an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const hit = cache.get(glob)
  if (hit) return hit
  let re = ''
  let i = 0
  let depth = 0
  const g = glob.replace(/^\.\//, '')
  while (i < g.length) {
    const c = g[i] as string
    if (c === '*') {
      if (g[i + 1] === '*') {
        // `**/` matches zero or more directories; a trailing `**` matches everything below.
        if (g[i + 2] === '/') {
          re += '(?:[^/]*/)*'
          i += 3
        } else {
          re += '.*'
          i += 2
        }
        continue
      }
      re += '[^/]*'
    } else if (c === '?') re += '[^/]'
    else if (c === '{') {
      re += '(?:'
      depth++
    } else if (c === '}' && depth > 0) {
      re += ')'
      depth--
    } else if (c === ',' && depth > 0) re += '|'
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&')
    i++
  }
  re += ')'.repeat(depth)
  const compiled = new RegExp(`^${re}$`)
  cache.set(glob, compiled)
  return compiled
}

/** A matcher for a list of globs where `!glob` entries exclude (later entries win, like .gitignore). */
export function makeMatcher(patterns: readonly string[], alwaysExclude: readonly string[] = []): (path: string) => boolean {
  const rules = patterns.map((p) => (p.startsWith('!') ? { neg: true, re: globToRegExp(p.slice(1)) } : { neg: false, re: globToRegExp(p) }))
  const excludes = alwaysExclude.map(globToRegExp)
  return (path: string): boolean => {
    if (excludes.some((re) => re.test(path))) return false
    let ok = false
    for (const r of rules) if (r.re.test(path)) ok = !r.neg
    return ok
  }
}

/** True when a directory can be skipped entirely because of the always-excluded globs. */
export function isExcludedDir(dir: string, alwaysExclude: readonly string[]): boolean {
  return alwaysExclude.some((g) => globToRegExp(g).test(`${dir}/x`))
}
