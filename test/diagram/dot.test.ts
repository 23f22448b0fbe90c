// `-o dot` is valid Graphviz: every example and fixture's plan diagrams, and a trace with a
// hostile probe name, go through the real `dot` (apt package graphviz). Without `dot` the test
// skips loudly, and fails under CI.
import { execFileSync, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { renderDot } from '../../src/core/diagram/dot.ts'
import { planDiagrams, traceDiagrams } from '../../src/core/diagram/plan-diagrams.ts'
import { planFromSources } from '../../src/core/plan/plan.ts'
import { traceProbes } from '../../src/core/trace/index.ts'
import { diagramInputs } from './inputs.ts'

let skip: string | undefined
try {
  execFileSync('dot', ['-V'], { stdio: 'pipe' })
} catch {
  skip = 'graphviz `dot` not found (apt-get install graphviz)'
  if (process.env['CI']) throw new Error(skip)
  console.warn(`SKIPPING dot test: ${skip}`)
}

/** Runs `dot -Tsvg`; returns its stderr (warnings) or throws on a syntax error. */
function graphviz(text: string): { svg: string; stderr: string } {
  const r = spawnSync('dot', ['-Tsvg'], { input: text, encoding: 'utf8', timeout: 60_000 })
  if (r.status !== 0) throw new Error(`dot failed (${r.status}): ${r.stderr}`)
  return { svg: r.stdout, stderr: r.stderr }
}

const inputs = diagramInputs()

describe.skipIf(skip !== undefined)('-o dot through Graphviz', () => {
  it.each(inputs.map((i) => [i.name, i] as const))('%s', (_name, input) => {
    const plan = planFromSources({ files: input.files, options: input.ipFamily ? { ipFamily: input.ipFamily } : {} }).value
    const set = planDiagrams(plan)
    const { svg, stderr } = graphviz(renderDot(set.diagrams, set.notes))
    expect(stderr).toBe('')
    for (const d of set.diagrams) for (const n of d.nodes) if (n.kind === 'endpoint') expect(svg).toContain(n.label)
  })

  it('keeps a hostile probe name inside its label', () => {
    const input = inputs.find((i) => i.name === 'examples/multi-node')!
    const plan = planFromSources({ files: input.files }).value
    const name = 'x" ] ; evil [label="pwned" \\"; } digraph { \\\\'
    const traces = traceProbes(plan, [{ name, from: '203.0.113.5', to: '198.51.100.10:80' }])
    const { svg, stderr } = graphviz(renderDot(traceDiagrams(traces.value, plan)))
    expect(stderr).toBe('')
    // One cluster, titled with the whole name; no node called "evil".
    expect(svg.match(/class="cluster"/g)?.length).toBe(1)
    expect(svg).not.toMatch(/<title>evil<\/title>/)
  })

  it('fails on broken DOT (the check can fail)', () => {
    expect(() => graphviz('digraph { a -> }')).toThrow(/dot failed/)
  })
})
