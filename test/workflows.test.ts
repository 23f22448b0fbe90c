/**
 * Every GitHub workflow file of the repository (.github/workflows/*.yml) and the example a user
 * copies (examples/github-workflow.yml) parses, has the shape GitHub requires, uses actions on
 * current major versions (or pinned by full commit SHA), and only reads outputs action.yml declares.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const files = [
  ...readdirSync(join(root, '.github/workflows'))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => `.github/workflows/${f}`),
  'examples/github-workflow.yml',
]

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
  id?: string
}
interface Workflow {
  name?: string
  on?: unknown
  permissions?: Record<string, string>
  jobs?: Record<string, { 'runs-on'?: string; steps?: Step[] }>
}

/** Oldest major accepted per action: the current ones (checkout v5 runs on Node 24). */
const MIN_MAJOR: Record<string, number> = {
  'actions/checkout': 5,
  'actions/setup-node': 5,
  'actions/upload-artifact': 5,
  'github/codeql-action/upload-sarif': 4,
  'kube-whatif/kube-whatif': 1,
}

const action = load(readFileSync(join(root, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> }

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(root, file), 'utf8')
  const wf = load(text) as Workflow

  it('parses as a workflow: name, triggers, jobs with runs-on and steps', () => {
    expect(typeof wf.name).toBe('string')
    expect(wf.on).toBeDefined()
    expect(Object.keys(wf.jobs ?? {}).length).toBeGreaterThan(0)
    for (const job of Object.values(wf.jobs ?? {})) {
      expect(typeof job['runs-on']).toBe('string')
      expect(job.steps?.length).toBeGreaterThan(0)
      for (const step of job.steps ?? []) expect(Number(step.uses !== undefined) + Number(step.run !== undefined)).toBe(1)
    }
  })

  it('uses actions on a current major version or a full commit SHA', () => {
    for (const step of Object.values(wf.jobs ?? {}).flatMap((j) => j.steps ?? [])) {
      if (step.uses === undefined || step.uses === './') continue
      const [name, ref] = step.uses.split('@') as [string, string | undefined]
      expect(ref, step.uses).toBeDefined()
      if (/^[0-9a-f]{40}$/.test(ref ?? '')) continue
      const major = /^v(\d+)$/.exec(ref ?? '')?.[1]
      expect(major, `${step.uses}: use @vN or a commit SHA`).toBeDefined()
      expect(MIN_MAJOR[name], `${name} has no known current major here`).toBeDefined()
      expect(Number(major), step.uses).toBeGreaterThanOrEqual(MIN_MAJOR[name] ?? Infinity)
    }
  })

  it('passes only inputs the Action declares and reads only outputs it sets', () => {
    const steps = Object.values(wf.jobs ?? {}).flatMap((j) => j.steps ?? [])
    const ours = steps.filter((s) => s.uses === './' || s.uses?.startsWith('kube-whatif/kube-whatif@'))
    for (const s of ours) for (const input of Object.keys(s.with ?? {})) expect(Object.keys(action.inputs), input).toContain(input)
    const ids = new Set(ours.map((s) => s.id).filter(Boolean))
    for (const m of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
      if (ids.has(m[1])) expect(Object.keys(action.outputs), m[0]).toContain(m[2])
    }
  })
})

describe('the CI workflow', () => {
  it('installs, typechecks and tests like .ci/run', () => {
    const ci = readFileSync(join(root, '.github/workflows/ci.yml'), 'utf8')
    const local = readFileSync(join(root, '.ci/run'), 'utf8')
    for (const step of ['scripts/ci-apt.sh', 'npm ci', 'npm run typecheck', 'npm test']) {
      expect(ci).toContain(step)
      expect(local).toContain(step)
    }
  })
})
