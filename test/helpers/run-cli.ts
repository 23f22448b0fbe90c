/**
 * Runs the CLI in-process with captured stdout/stderr (and optional stdin).
 */
import { main } from '../../src/cli/main.ts'
import type { CliIo } from '../../src/cli/io.ts'

/** Result of one in-process CLI run. */
export interface CliRun {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `kube-whatif ...argv` in-process; `io` may replace stdin, files, env. */
export async function runCli(argv: readonly string[], io: Partial<CliIo> & { stdinText?: string } = {}): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const { stdinText, ...rest } = io
  const code = await main(argv, {
    ...(stdinText !== undefined ? { readStdin: async () => stdinText } : {}),
    ...rest,
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
  })
  return { code, stdout, stderr }
}
