/**
 * @module action/main
 * `run(ports)`: inputs → manifests (working tree = head, or git objects of the head commit on
 * `pull_request_target`; git = base) → planDiff → comment, job
 * summary, annotations, outputs. Thin on purpose (typescript-action's `src/main.ts`): every I/O
 * goes through a port, so tests use in-memory fakes. The only `setFailed` paths are
 * infrastructure failures and the `fail-on` decision; a read-only token is a notice, not a failure.
 */
import { planDiff, renderDiff, renderDiffMarkdown, type SourceFile } from '#core'
import { planAnnotations } from './annotations.ts'
import { readInputs, type Inputs } from './inputs.ts'
import { actionReproduction, reproduceCommand } from '../node/reproduce.ts'
import type { ManifestFile, Ports } from './ports.ts'
import { upsertComment, type UpsertResult } from './upsert.ts'

/** GitHub refuses job summaries over 1 MiB; keep a margin for the notes we append. */
export const SUMMARY_BUDGET_BYTES = 1_000_000

/** What a run did, for tests and the log. */
export interface RunOutcome {
  readonly exitCode: 0 | 1
  readonly comment?: UpsertResult
  readonly skippedFiles: readonly string[]
}

/** A file counts as a manifest when it has both an `apiVersion` and a `kind` key somewhere. */
export function looksLikeManifest(text: string): boolean {
  return /["']?\bapiVersion["']?\s*:/.test(text) && /["']?\bkind["']?\s*:/.test(text)
}

/**
 * Where the head side is read. On `pull_request` the workspace is the PR's merge or head commit.
 * On `pull_request_target` actions/checkout checks out the *base* branch (the event runs trusted
 * code with a write token), so the working tree is not the pull request: reading it planned the
 * base twice and reported "No changes" under the head's SHA. There the head side comes from the
 * git objects of the PR's head commit, read like the base side and never checked out or run.
 */
async function headSource(ports: Ports, inputs: Inputs, clusterPaths: readonly string[]): Promise<readonly ManifestFile[]> {
  const { context, manifests } = ports
  if (context.eventName !== 'pull_request_target') return manifests.workingTree(inputs.paths, clusterPaths)
  const sha = context.headSha
  if (sha === undefined || !(await manifests.hasCommit(sha))) throw new Error(pullRequestTargetSetup(sha, context.pullRequest))
  return manifests.atCommit(sha, inputs.paths, clusterPaths)
}

/** The refusal on `pull_request_target` when the PR's head commit is not in the clone, with the safe setup. */
export function pullRequestTargetSetup(sha: string | undefined, pr: number | undefined): string {
  const ref = pr !== undefined ? `+refs/pull/${pr}/head` : (sha ?? '<head sha>')
  return (
    `pull_request_target checks out the base branch, so the working tree is not the pull request; kube-whatif then reads the head side from git objects ` +
    `(nothing is checked out or run), but the PR's head commit ${sha ?? '(unknown: the event has no pull_request.head.sha)'} is not in the clone. ` +
    `Safe setup: actions/checkout with fetch-depth: 0 (the base branch, trusted), then a step \`git fetch --no-tags origin ${ref}\` to fetch the head's objects ` +
    `without checking them out, then this Action. Never check out or run the pull request's code in a pull_request_target job; or use the pull_request event.`
  )
}

/** Files of one read that hold text; the others are recorded in `unreadable` as `path: reason`. */
function readable(files: readonly ManifestFile[], unreadable: Map<string, string>): { path: string; text: string }[] {
  return files.flatMap((f) => {
    if ('text' in f) return [f]
    unreadable.set(f.path, f.unreadable)
    return []
  })
}

async function collect(
  ports: Ports,
  inputs: Inputs,
  baseRef: string,
): Promise<{ base: SourceFile[]; head: SourceFile[]; cluster: SourceFile[]; skipped: string[]; unreadable: Map<string, string> }> {
  const unreadable = new Map<string, string>()
  const cluster = readable(await ports.manifests.workingTree(inputs.cluster, []), unreadable).map((f) => ({ ...f, origin: 'existing' as const }))
  const clusterPaths = cluster.map((f) => f.path)
  // Cluster-facts files are shared by both sides, so they are never also a side's manifest.
  const head = readable(await headSource(ports, inputs, clusterPaths), unreadable)
  const base = readable(await ports.manifests.atCommit(baseRef, inputs.paths, clusterPaths), unreadable)
  const skipped = new Set<string>()
  const keep = (fs: readonly { path: string; text: string }[]): SourceFile[] =>
    fs.flatMap((f) => {
      if (looksLikeManifest(f.text)) return [{ ...f, origin: 'proposed' as const }]
      skipped.add(f.path)
      return []
    })
  return { base: keep(base), head: keep(head), cluster, skipped: [...skipped].sort(), unreadable }
}

function describe(r: UpsertResult): string {
  switch (r.kind) {
    case 'created':
      return `Created PR comment ${r.id}`
    case 'updated':
      return `Updated PR comment ${r.id}`
    case 'unchanged':
      return `PR comment ${r.id} is up to date; not rewritten`
    case 'skipped':
      return 'No changes and no previous comment; no comment written (comment: on-change)'
    case 'forbidden':
      return `Cannot write the PR comment (${r.message}): the token is read-only, as on pull requests from forks. The plan is in the job summary.`
  }
}

/** One log line's worth of untrusted text: CR/LF and other controls shown escaped. */
export function logSafe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/**
 * A comment body with the workflow-run links blanked (`…/actions/runs/123[/attempts/2]`): they
 * differ on every run, while the plan they point to may not. Re-runs and PR events without a
 * new commit (edited, labeled, reopened) then leave an unchanged comment alone; the old link
 * still leads to a job summary with the same plan.
 */
export function withoutRunLinks(body: string): string {
  return body.replace(/\/actions\/runs\/\d+(?:\/attempts\/\d+)?/g, '/actions/runs/*')
}

/** Runs the Action. Never throws: failures end in `io.setFailed`. */
export async function run(ports: Ports): Promise<RunOutcome> {
  const { io, context } = ports
  try {
    const inputs = readInputs(io)
    const baseRef = inputs.baseRef || context.baseSha
    if (!baseRef) throw new Error('No base commit: set the base-ref input (this event is not a pull request)')
    const { base, head, cluster, skipped, unreadable } = await collect(ports, inputs, baseRef)
    // Bytes that are not text (or a file over the cap) are reported, never planned as mangled text.
    for (const [path, reason] of [...unreadable].sort()) io.warning(`Skipped ${logSafe(path)}: ${logSafe(reason)}`)
    // Paths come from the PR: a newline in one could start a workflow command (`::...`) in the log.
    if (skipped.length > 0) io.info(`Skipped ${skipped.length} YAML/JSON file(s) without apiVersion and kind: ${skipped.map(logSafe).join(', ')}`)

    const version = inputs.kubernetesVersion
    const diffOptions = {
      ...(version !== undefined ? { baseKubernetesVersion: version, headKubernetesVersion: version } : {}),
      ...(inputs.proxyMode !== '' ? { proxyMode: inputs.proxyMode } : {}),
    }
    const diff = planDiff({ base, head, cluster, options: diffOptions })
    const s = diff.value.summary
    const baseShort = await ports.manifests.shortSha(baseRef)
    const headShort = context.headSha ? await ports.manifests.shortSha(context.headSha) : 'HEAD'
    const options = {
      target: inputs.target,
      baseRef: baseShort,
      headRef: headShort,
      version: ports.version,
      reproduce: reproduceCommand(actionReproduction(baseShort, [...base, ...head].map((f) => f.path), cluster.map((f) => f.path), version, inputs.proxyMode)),
      ...(context.runUrl ? { fullReportUrl: context.runUrl } : {}),
      ...(context.repository && context.headSha ? { blobUrl: `https://github.com/${context.repository}/blob/${context.headSha}/` } : {}),
    }

    const planJson = await io.writeTempFile('plan.json', renderDiff(diff, 'json'))
    // Every finding with a file, for code scanning: annotations stop at 10 per level and step.
    const sarif = await io.writeTempFile('kube-whatif.sarif', renderDiff(diff, 'sarif', { version: ports.version }))
    const { annotate, rest } = planAnnotations(diff.value.findings)
    for (const f of annotate) {
      io.annotate(f.severity, f.message, { title: `kube-whatif: ${f.code}`, file: f.source?.file, startLine: f.source?.line })
    }

    let summary = renderDiffMarkdown(diff, { ...options, maxChars: SUMMARY_BUDGET_BYTES, measureBytes: true })
    if (rest.length > 0) summary += `\n_${rest.length} finding(s) are not annotated on files (GitHub shows at most 10 errors and 10 warnings per step); all findings are listed above._\n`
    if (skipped.length > 0) summary += `\n_Skipped ${skipped.length} YAML/JSON file(s) without \`apiVersion\` and \`kind\`._\n`
    await io.writeSummary(summary)

    // Outputs before the comment: a failing API must not leave later steps without them.
    const outputs = (commentId: string): void => {
      io.setOutput('has-changes', String(s.hasChanges))
      io.setOutput('added', String(s.added))
      io.setOutput('changed', String(s.changed))
      io.setOutput('destroyed', String(s.destroyed))
      io.setOutput('refused', String(s.refused))
      io.setOutput('errors', String(s.errors))
      io.setOutput('warnings', String(s.warnings))
      io.setOutput('plan-json', planJson)
      io.setOutput('sarif', sarif)
      io.setOutput('comment-id', commentId)
    }

    let comment: UpsertResult | undefined
    if (inputs.comment === 'never') io.info('comment: never; no PR comment written')
    else if (context.pullRequest === undefined) io.info('Not a pull request event; no PR comment written (see the job summary)')
    else if (!ports.comments) io.info('No github-token; no PR comment written')
    else {
      const body = renderDiff(diff, 'markdown', options)
      try {
        comment = await upsertComment(ports.comments, body, inputs.target, {
          createIfMissing: inputs.comment === 'always' || s.hasChanges,
          canonical: withoutRunLinks,
        })
      } catch (e) {
        // Unreachable API, 5xx or a rate limit after the retries: the plan is in the summary and
        // the outputs are set, but the PR comment is stale or missing, so the step fails.
        outputs('')
        io.setFailed(`kube-whatif: the PR comment was not written: ${e instanceof Error ? e.message : String(e)}. The plan is in the job summary.`)
        return { exitCode: 1, skippedFiles: skipped }
      }
      if (comment.kind === 'forbidden') io.notice(describe(comment))
      else io.info(describe(comment))
    }

    // Only a comment that now shows this plan: after a refused write the old one is stale.
    outputs(comment && comment.kind !== 'forbidden' && comment.kind !== 'skipped' ? String(comment.id) : '')

    const fail =
      inputs.failOn === 'error' ? s.errors > 0
      : inputs.failOn === 'warning' ? s.errors + s.warnings > 0
      : inputs.failOn === 'change' ? s.errors > 0 || s.hasChanges
      : false
    if (fail) {
      io.setFailed(`kube-whatif: fail-on ${inputs.failOn}: ${s.errors} error(s), ${s.warnings} warning(s), ${s.hasChanges ? 'changes' : 'no changes'}`)
      return { exitCode: 1, ...(comment ? { comment } : {}), skippedFiles: skipped }
    }
    return { exitCode: 0, ...(comment ? { comment } : {}), skippedFiles: skipped }
  } catch (e) {
    io.setFailed(`kube-whatif: ${e instanceof Error ? e.message : String(e)}`)
    return { exitCode: 1, skippedFiles: [] }
  }
}
