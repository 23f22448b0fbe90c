/**
 * @module action/index
 * Entry point of the bundled Action (`dist/action/index.js`): wires the real ports and runs.
 */
import { coreIO } from './real-io.ts'
import { gitManifestSource } from './git-manifests.ts'
import { githubCommentStore } from './github-comments.ts'
import { run } from './main.ts'
import { runContextFromEnv } from './run-context.ts'

/** Replaced at bundle time with package.json's version (scripts/build-action.mjs). */
declare const __KUBE_WHATIF_VERSION__: string

const env = process.env
const io = coreIO(env)
const context = runContextFromEnv(env)
const token = io.getInput('github-token') || env.GITHUB_TOKEN || ''
const [owner, repo] = (context.repository ?? '').split('/')
const comments =
  token && owner && repo && context.pullRequest !== undefined
    ? githubCommentStore(token, { owner, repo, issueNumber: context.pullRequest }, { log: (m) => io.info(m) })
    : undefined

await run({
  io,
  context,
  manifests: gitManifestSource(env.GITHUB_WORKSPACE || process.cwd()),
  ...(comments ? { comments } : {}),
  version: typeof __KUBE_WHATIF_VERSION__ === 'string' ? __KUBE_WHATIF_VERSION__ : 'dev',
})
