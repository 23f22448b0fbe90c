import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { load } from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { readInputs } from '../../src/action/inputs.ts'
import { run } from '../../src/action/main.ts'
import { FakeActionIO, FakeCommentStore, MemoryManifestSource } from './fakes.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const action = load(readFileSync(join(root, 'action.yml'), 'utf8')) as {
  runs: { using: string; main: string }
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

describe('action.yml', () => {
  it('runs the committed bundle on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action/index.js' })
  })

  it('declares exactly the inputs the code reads, with the same defaults', () => {
    const read: string[] = []
    const io = new FakeActionIO()
    io.getInput = (name: string): string => {
      read.push(name)
      return action.inputs[name]?.default?.startsWith('${{') ? '' : (action.inputs[name]?.default ?? '')
    }
    const inputs = readInputs(io)
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort())
    expect(inputs).toMatchObject({ comment: 'always', failOn: 'error', target: '', baseRef: '' })
  })

  it('declares exactly the outputs the code sets', async () => {
    const io = new FakeActionIO()
    await run({ io, context: { pullRequest: 1, baseSha: 'a', headSha: 'b' }, manifests: new MemoryManifestSource({}, {}), comments: new FakeCommentStore(), version: 'x' })
    expect(Object.keys(io.outputs).sort()).toEqual(Object.keys(action.outputs).sort())
  })
})
