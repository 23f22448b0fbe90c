/**
 * The import graph of the TypeScript sources, for the architecture guards: static `import` /
 * `export … from` specifiers (type-only ones too: a type cycle is still a tangle), resolved to
 * files (`#core` → src/core/index.ts), and a cycle finder (Tarjan's strongly connected components).
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** One import of a file: the specifier as written and the file it resolves to (undefined for packages). */
export interface ImportEdge {
  readonly specifier: string
  readonly target?: string
}

/** The static imports and re-exports of `file` (comments ignored). */
export function importsOf(file: string, text: string, root: string): ImportEdge[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\'"`])\/\/.*$/gm, '$1')
  const edges: ImportEdge[] = []
  for (const m of code.matchAll(/(?:^|[\n;])\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]|(?:^|[\n;])\s*import\s*['"]([^'"]+)['"]/g)) {
    const specifier = (m[1] ?? m[2]) as string
    let target: string | undefined
    if (specifier === '#core') target = join(root, 'src/core/index.ts')
    else if (specifier.startsWith('.')) {
      const t = join(dirname(file), specifier)
      target = existsSync(t) ? t : undefined
    }
    edges.push(target !== undefined ? { specifier, target } : { specifier })
  }
  return edges
}

/** file → files it imports, for every file in `files`. */
export function importGraph(files: readonly string[], root: string): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const f of files) graph.set(f, importsOf(f, readFileSync(f, 'utf8'), root).flatMap((e) => (e.target !== undefined ? [e.target] : [])))
  return graph
}

/**
 * Every cycle as the members of one strongly connected component (size > 1, or a node that
 * imports itself), members sorted, components sorted by their first member. Iterative, so a
 * deep import chain cannot overflow the stack.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const out: string[][] = []
  let next = 0
  for (const start of graph.keys()) {
    if (index.has(start)) continue
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }]
    index.set(start, next)
    low.set(start, next++)
    stack.push(start)
    onStack.add(start)
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; i: number }
      const deps = graph.get(frame.node) ?? []
      if (frame.i < deps.length) {
        const w = deps[frame.i++] as string
        if (!index.has(w)) {
          index.set(w, next)
          low.set(w, next++)
          stack.push(w)
          onStack.add(w)
          work.push({ node: w, i: 0 })
        } else if (onStack.has(w)) low.set(frame.node, Math.min(low.get(frame.node) as number, index.get(w) as number))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent !== undefined) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number))
      if (low.get(frame.node) === index.get(frame.node)) {
        const members: string[] = []
        let w: string
        do {
          w = stack.pop() as string
          onStack.delete(w)
          members.push(w)
        } while (w !== frame.node)
        if (members.length > 1 || (graph.get(frame.node) ?? []).includes(frame.node)) out.push(members.sort())
      }
    }
  }
  return out.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1))
}
