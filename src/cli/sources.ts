/**
 * @module cli/sources
 * PATH arguments → `SourceFile[]` through the shared Node reader (`src/node/manifest-reader.ts`,
 * symlink policy `'follow'`), with its failures turned into the CLI's usage errors, and the
 * `--max-input-bytes` option every reading subcommand takes.
 */
import type { ParseLimits, SourceFile } from '#core'
import { DEFAULT_LIMITS } from '#core'
import { ArgumentError, ReadError, readSources as readManifestSources } from '../node/manifest-reader.ts'
import { stringOpt, type OptionsSpec, type ParsedArgs } from './args.ts'
import { UsageError } from './errors.ts'
import type { CliIo } from './io.ts'

/**
 * Default cap per input file (and standard input): 256 MiB. The CLI reads files the user chose,
 * and a 10 000-Service cluster's `kubectl get … -o yaml` export is 14 MB and more; the cap only
 * stops a wrong path (`/dev/zero`, a disk image) from filling memory.
 */
export const DEFAULT_MAX_INPUT_BYTES = 256 * 1024 * 1024

/** The option spec entry, shared by plan, diff and trace. */
export const MAX_INPUT_BYTES_OPTION: OptionsSpec = { 'max-input-bytes': { type: 'string' } }

/** Help text line for the option. */
export const MAX_INPUT_BYTES_HELP = '  --max-input-bytes N  refuse an input file larger than N bytes (suffix Ki, Mi, Gi allowed;\n                       default 256Mi)'

const UNITS: Readonly<Record<string, number>> = { '': 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 }

/** `--max-input-bytes` as a byte count (default {@link DEFAULT_MAX_INPUT_BYTES}). */
export function maxInputBytesOpt(command: string, args: ParsedArgs): number {
  const text = stringOpt(args, 'max-input-bytes')
  if (text === undefined) return DEFAULT_MAX_INPUT_BYTES
  const m = /^([0-9]+)(Ki|Mi|Gi)?$/.exec(text)
  const bytes = m ? Number(m[1]) * (UNITS[m[2] ?? ''] as number) : NaN
  // Past 2 GiB a file no longer fits in one V8 string; refuse the value rather than fail later.
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > 2 * 1024 ** 3) {
    throw new UsageError(`invalid value '${text}' for --max-input-bytes: expected a byte count from 1 to 2Gi (e.g. 300000000 or 512Mi)`, `Run 'kube-whatif ${command} --help' for usage.`)
  }
  return bytes
}

/**
 * Parser limits for files the user chose: the byte cap is the CLI's, and the document cap grows
 * with it (one document per KiB of the cap, never below the core default) so a large export
 * that fits the byte cap is not cut short at 10 000 objects. Both stay bounded by the option.
 */
export function cliParseLimits(maxInputBytes: number): Partial<ParseLimits> {
  return { maxBytes: maxInputBytes, maxDocuments: Math.max(DEFAULT_LIMITS.maxDocuments, Math.floor(maxInputBytes / 1024)) }
}

/** A reader failure as the CLI prints it. */
export function usageErrorFor(e: unknown): unknown {
  if (e instanceof ArgumentError) return new UsageError(e.message)
  if (e instanceof ReadError) {
    return e.code === 'EFBIG' ? new UsageError(`${e.message}; the input limit is set with --max-input-bytes`) : new UsageError(e.message)
  }
  return e
}

/**
 * Reads every PATH into source files of one side of the what-if.
 *
 * @throws UsageError for a missing or unreadable path, a file over `maxBytes`, or `-` given twice overall
 */
export async function readSources(
  io: CliIo,
  paths: readonly string[],
  origin: SourceFile['origin'],
  options: { maxBytes: number; stdin?: { used: boolean } },
): Promise<SourceFile[]> {
  try {
    return await readManifestSources(io, paths, origin, options)
  } catch (e) {
    throw usageErrorFor(e)
  }
}

/**
 * Reads the one file an option names (`--current-rules FILE`, or `-` for standard input); a
 * directory is a usage error naming the option.
 *
 * @throws UsageError for a missing, unreadable or directory path
 */
export async function readFileOption(
  io: CliIo,
  option: string,
  path: string,
  read: { maxBytes: number; stdin?: { used: boolean } },
): Promise<{ path: string; text: string }> {
  if (path !== '-' && (await io.stat(path).catch(() => undefined)) === 'directory') {
    throw new UsageError(`${option} ${path}: is a directory; give the file iptables-save wrote`)
  }
  const [file] = await readSources(io, [path], 'existing', read)
  return { path: file?.path ?? path, text: file?.text ?? '' }
}
