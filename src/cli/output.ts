/**
 * @module cli/output
 * Shared output helpers: issues on stderr, exit codes from issues, `-o` format choice.
 */
import { formatIssue, hasErrors, type Issue } from '#core'
import { oneOf } from './args.ts'
import { EXIT, UsageError } from './errors.ts'
import type { CliIo } from './io.ts'

/**
 * Writes errors and warnings to stderr as `file:line: severity: message`. Info notes stay in the
 * report itself (text and json), so scripts reading a machine format see only what matters.
 */
export function writeIssues(io: CliIo, issues: readonly Issue[]): void {
  const shown = issues.filter((i) => i.severity !== 'info')
  if (shown.length === 0) return
  io.stderr(shown.map((i) => `${formatIssue(i)}\n`).join(''))
}

/** 1 when any issue is an error, else 0. */
export function exitCodeFor(issues: readonly Issue[]): number {
  return hasErrors(issues) ? EXIT.inputErrors : EXIT.ok
}

/** The `-o` value, checked against the command's formats; `fallback` when absent. */
export function chooseFormat<T extends string>(command: string, value: string | undefined, formats: readonly T[], fallback: T): T {
  return value === undefined ? fallback : oneOf(command, '-o/--output', value, formats)
}

/** Ensures text ends with exactly one newline, so shells and diffs behave. */
export function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`
}

/**
 * `--node` naming no Node is a mistake in the command line, not in the manifests: the plan of
 * another node would answer a question nobody asked. Throws the usage error (its message lists
 * the known nodes) when the planner reported one.
 */
export function refuseUnknownNode(command: string, issues: readonly Issue[]): void {
  const unknown = issues.find((i) => i.code === 'cluster/unknown-node-option')
  if (unknown !== undefined) throw new UsageError(unknown.message.replace(/\.$/, ''), `Run 'kube-whatif ${command} --help' for usage.`)
}
