/**
 * @module cli/io
 * The CLI's only doorway to the outside world. `main(argv, io)` takes any subset of it, so
 * tests run the CLI in-process with captured output, fake stdin or fake files.
 */
import { nodeManifestFs, type ManifestFs } from '../node/manifest-fs.ts'

/** Injectable I/O for the CLI: the shared manifest reader's file-system port plus the terminal. */
export interface CliIo extends ManifestFs {
  /** Writes to standard output. */
  stdout(text: string): void
  /** Writes to standard error. */
  stderr(text: string): void
  /** Environment variables (NO_COLOR, KUBE_WHATIF_DEBUG). */
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Text made safe for a terminal: control characters other than newline and tab are shown as
 * `\xNN`, and ESC survives only as an SGR colour sequence (`ESC [ digits m`, what the
 * coloured diff uses). Names of objects taken from `--cluster` dumps are not validated (they are
 * what the apiserver accepted), and a hostile file could otherwise move the cursor, rewrite
 * lines with `\r`, or set the window title through the report.
 */
export function terminalSafe(text: string): string {
  return text.replace(/\u001b(?!\[[0-9;]*m)|[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}

/** The real process I/O. Output to a terminal goes through {@link terminalSafe}; pipes get exact bytes. */
export function nodeIo(): CliIo {
  return {
    ...nodeManifestFs(),
    stdout: (t) => void process.stdout.write(process.stdout.isTTY ? terminalSafe(t) : t),
    stderr: (t) => void process.stderr.write(process.stderr.isTTY ? terminalSafe(t) : t),
    env: process.env,
  }
}

/** Fills the parts a caller did not inject with the real process I/O. */
export function withDefaults(io: Partial<CliIo> = {}): CliIo {
  return { ...nodeIo(), ...io }
}
