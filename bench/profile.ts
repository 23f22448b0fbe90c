/**
 * `npm run bench -- --profile <case>`: plans one case in a child under `node --cpu-prof` and
 * summarises the profile by source module and by function (self and inclusive time). The child
 * is an esbuild bundle; esbuild marks each module with a `// path` comment, which maps profile
 * line numbers back to modules. The raw `.cpuprofile` is kept for Chrome DevTools.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ClusterSpec } from './generate.ts'
import { generate } from './generate.ts'
import { prepareChild, runChild, writeInputs } from './memory.ts'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

/** Module boundaries of an esbuild bundle: sorted [line, module] pairs. */
function moduleMap(bundle: string): [number, string][] {
  const out: [number, string][] = []
  bundle.split('\n').forEach((l, i) => {
    const m = /^\/\/ ((?:src|node_modules|bench)\/\S+)$/.exec(l)
    if (m) out.push([i, (m[1] as string).replace(/^node_modules\/([^/]+)\/.*$/, '$1')])
  })
  return out
}

function moduleAt(map: readonly [number, string][], line: number): string {
  let lo = 0
  let hi = map.length - 1
  let best = '(other)'
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const [l, name] = map[mid] as [number, string]
    if (l <= line) {
      best = name
      lo = mid + 1
    } else hi = mid - 1
  }
  return best
}

/** Summarises a profile: top modules (self), top functions (self and inclusive). */
export function summarise(profile: Profile, bundle: string, bundleUrl: string, top = 25): string {
  const map = moduleMap(bundle)
  const dt = new Map<number, number>()
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const where = (n: ProfileNode): string => (n.callFrame.url.endsWith(bundleUrl) ? moduleAt(map, n.callFrame.lineNumber) : n.callFrame.url || '(vm)')
  const fname = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}  [${where(n)}]`
  const selfF = new Map<string, number>()
  const selfM = new Map<string, number>()
  const incl = new Map<string, number>()
  let total = 0
  for (const n of profile.nodes) {
    const t = dt.get(n.id) ?? 0
    if (t === 0) continue
    total += t
    selfF.set(fname(n), (selfF.get(fname(n)) ?? 0) + t)
    const mod = n.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : where(n)
    selfM.set(mod, (selfM.get(mod) ?? 0) + t)
    const seen = new Set<string>()
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) {
      const k = fname(byId.get(id) as ProfileNode)
      if (!seen.has(k)) {
        seen.add(k)
        incl.set(k, (incl.get(k) ?? 0) + t)
      }
    }
  }
  const list = (m: Map<string, number>): string =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${v.toFixed(0).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)}%  ${k}`).join('\n')
  return [`total sampled ${total.toFixed(0)} ms`, '', 'self time by module:', list(selfM), '', 'self time by function:', list(selfF), '', 'inclusive time by function:', list(incl), ''].join('\n')
}

/** Profiles one plan of `spec`; returns the summary (and where the raw profile is). */
export async function profileCase(spec: ClusterSpec): Promise<string> {
  const kit = await prepareChild()
  const dir = writeInputs(kit, 'profile', generate(spec))
  const profDir = mkdtempSync(join(tmpdir(), 'kube-whatif-cpuprof-'))
  runChild(kit, 'plan', dir, ['--cpu-prof', `--cpu-prof-dir=${profDir}`])
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'))
  if (file === undefined) throw new Error('no profile written')
  const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as Profile
  const text = summarise(profile, readFileSync(kit.script, 'utf8'), 'child.mjs')
  kit.dispose()
  return `${text}\nraw profile: ${join(profDir, file)}\n`
}
