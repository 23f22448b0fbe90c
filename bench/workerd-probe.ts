/**
 * The bench's probe Worker: bench/workerd-isolate.ts bundles it with esbuild and runs it in workerd
 * (Miniflare), so js-yaml alone and the Worker's planner path are timed inside the runtime that
 * serves `/v1/plan`, with its V8, and without HTTP around each call.
 *
 * `POST /?what=yaml|plan&n=N` with the PR as the body runs the call N times on it and answers
 * `{ "ms": wall ms per call, "size": the last call's document count or answer length }`, the time
 * read with the isolate's `performance.now()` (it advances during execution in local workerd; the
 * Node side checks that it did, and reads the workerd process's CPU time around the request too).
 * `what=answer` times V8's `JSON.stringify` of a plain object holding the planner's answer (the
 * least that writing those bytes costs); `what=phases` times the bench's plan phases (phases.ts)
 * one by one and answers `{ "ms": { phase: wall ms per call } }`.
 */
import { loadAll } from 'js-yaml'
import { K8S_YAML_SCHEMA } from '#core'
import type { SourceFile } from '#core'
import { corePlanner } from '../worker/src/planner.ts'
import { phaseAllocate, phaseEndpoints, phaseParse, phasePrint, phaseRender, phaseReport } from './phases.ts'

/** The calls the bench compares: js-yaml alone (the planner's schema) and `/v1/plan` json's planner port. */
const CALLS: Record<string, (text: string) => unknown> = {
  yaml: (text) => loadAll(text, { schema: K8S_YAML_SCHEMA }),
  plan: (text) => corePlanner.run('plan', { kind: 'yaml', text }, 'json', { maxBytes: 1024 * 1024 }),
}

/** What a call gave, for the bench's test to compare with Node: js-yaml's document count, the answer's length. */
function sizeOf(result: unknown): number {
  if (Array.isArray(result)) return result.length
  const body = (result as { body?: unknown } | undefined)?.body
  return typeof body === 'string' ? body.length : -1
}

/** Each phase's wall ms per call, summed over `n` runs of the phased pipeline. */
function phases(text: string, n: number): Record<string, number> {
  const files: SourceFile[] = [{ path: 'manifests.yaml', text, origin: 'proposed' }]
  const ms: Record<string, number> = { parse: 0, allocate: 0, endpoints: 0, render: 0, print: 0, report: 0 }
  const add = (k: string, t0: number): number => {
    const t = performance.now()
    ms[k] = (ms[k] as number) + (t - t0)
    return t
  }
  for (let i = 0; i < n; i++) {
    let t = performance.now()
    const parsed = phaseParse(files)
    t = add('parse', t)
    const allocated = phaseAllocate(parsed)
    t = add('allocate', t)
    const state = phaseEndpoints(allocated)
    t = add('endpoints', t)
    const plan = phaseRender(state)
    t = add('render', t)
    const restore = phasePrint(plan)
    t = add('print', t)
    phaseReport(plan, restore)
    add('report', t)
  }
  for (const k of Object.keys(ms)) ms[k] = (ms[k] as number) / n
  return ms
}

export default {
  async fetch(req: Request): Promise<Response> {
    const url = new URL(req.url)
    const what = url.searchParams.get('what') ?? ''
    const n = Math.min(10_000, Math.max(1, Number(url.searchParams.get('n') ?? '1') || 1))
    const text = await req.text()
    if (what === 'phases') return Response.json({ ms: phases(text, n) })
    if (what === 'answer') {
      // The floor of writing the answer: V8's own serializer on a plain object that prints the
      // same bytes as the planner's JSON answer, built before the clock starts.
      const doc: unknown = JSON.parse((CALLS['plan'] as (t: string) => { body: string })(text).body)
      const t0 = performance.now()
      for (let i = 0; i < n; i++) JSON.stringify(doc, null, 2)
      return Response.json({ ms: (performance.now() - t0) / n })
    }
    const call = CALLS[what]
    if (call === undefined) return new Response(`unknown call ${what}`, { status: 404 })
    let last: unknown
    const t0 = performance.now()
    for (let i = 0; i < n; i++) last = call(text)
    return Response.json({ ms: (performance.now() - t0) / n, size: sizeOf(last) })
  },
}
