/**
 * @module cli/errors
 * Exit codes and the one exception the CLI uses for usage and I/O failures.
 */

/** Exit codes of every subcommand (diff documents its own, terraform-style, on top). */
export const EXIT = {
  /** Planned without error issues. */
  ok: 0,
  /** The input has error issues (the plan for the rest is still printed). */
  inputErrors: 1,
  /** Bad usage, or a file that cannot be read. */
  usage: 2,
  /** A bug in kube-whatif (EX_SOFTWARE); never caused by input. */
  internal: 70,
} as const

/** A usage or I/O problem: printed as `kube-whatif: <message>` and exit code 2, no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
  /** @param hint an extra line such as "Run 'kube-whatif plan --help'." */
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message)
  }
}
