/**
 * @module cli/io
 * The CLI's only doorway to the outside world. `main(argv, io)` takes any subset of it, so
 * tests run the CLI in-process with captured output, fake stdin or fake files.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises'
import { decodeManifestBytes } from './decode.ts'

/** What kind of filesystem entry a path is; undefined when it does not exist. */
export type EntryKind = 'file' | 'directory' | 'other'

/** Injectable I/O for the CLI. */
export interface CliIo {
  /** Writes to standard output. */
  stdout(text: string): void
  /** Writes to standard error. */
  stderr(text: string): void
  /**
   * Reads a text file (UTF-8, or UTF-16 with a BOM); rejects with a Node-style error (`code:
   * 'ENOENT'`, ..., `'EILSEQ'` for bytes that are not text) when it cannot.
   */
  readFile(path: string): Promise<string>
  /** Reads all of standard input as UTF-8. */
  readStdin(): Promise<string>
  /** Kind of entry at `path` (symlinks followed); undefined when missing. */
  stat(path: string): Promise<EntryKind | undefined>
  /** Entry names of a directory. */
  readDir(path: string): Promise<string[]>
  /** Canonical path (symlinks resolved), to spot directory loops; optional for fakes. */
  realPath?(path: string): Promise<string>
  /** Environment variables (NO_COLOR, KUBE_WHATIF_DEBUG). */
  readonly env: Readonly<Record<string, string | undefined>>
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  return decodeManifestBytes(Buffer.concat(chunks))
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
    stdout: (t) => void process.stdout.write(process.stdout.isTTY ? terminalSafe(t) : t),
    stderr: (t) => void process.stderr.write(process.stderr.isTTY ? terminalSafe(t) : t),
    readFile: async (p) => decodeManifestBytes(await readFile(p)),
    readStdin: () => readAll(process.stdin),
    stat: async (p) => {
      try {
        const s = await stat(p)
        return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other'
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined
        throw e
      }
    },
    readDir: (p) => readdir(p),
    realPath: (p) => realpath(p),
    env: process.env,
  }
}

/** Fills the parts a caller did not inject with the real process I/O. */
export function withDefaults(io: Partial<CliIo> = {}): CliIo {
  return { ...nodeIo(), ...io }
}
