/**
 * @module action/run-context
 * What the workflow run is about, from the event payload and the runner's variables. Read from
 * files and environment only (never from the PR's code).
 */
import { readFileSync } from 'node:fs'
import type { RunContext } from './ports.ts'

interface PullRequestEvent {
  readonly pull_request?: { readonly number?: number; readonly base?: { readonly sha?: string }; readonly head?: { readonly sha?: string } }
  readonly number?: number
}

/** Builds the RunContext from `GITHUB_EVENT_PATH`, `GITHUB_SHA`, `GITHUB_REPOSITORY` and friends. */
export function runContextFromEnv(env: NodeJS.ProcessEnv): RunContext {
  let event: PullRequestEvent = {}
  if (env.GITHUB_EVENT_PATH) {
    try {
      event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as PullRequestEvent
    } catch {
      event = {}
    }
  }
  const pr = event.pull_request
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const runUrl = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined
  const headSha = pr?.head?.sha ?? env.GITHUB_SHA
  return {
    ...(pr?.number !== undefined ? { pullRequest: pr.number } : {}),
    ...(pr?.base?.sha ? { baseSha: pr.base.sha } : {}),
    ...(headSha ? { headSha } : {}),
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(runUrl ? { runUrl } : {}),
    ...(env.GITHUB_EVENT_NAME ? { eventName: env.GITHUB_EVENT_NAME } : {}),
  }
}
