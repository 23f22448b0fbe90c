/**
 * @module cli/sources
 * Turns PATH arguments into `SourceFile[]`: files as given, directories recursively (`*.yaml`,
 * `*.yml`, `*.json`, sorted byte-wise, dot-directories skipped), `-` for standard input.
 */
import type { SourceFile } from '../core/model/inventory.ts'
import { UsageError } from './errors.ts'
import type { CliIo } from './io.ts'

/** File name extensions read from directories. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const

/** Path shown for standard input in issues. */
export const STDIN_PATH = '<stdin>'

/** Deeper directory trees than this are refused (guards against symlink loops). */
const MAX_DEPTH = 32

function isManifest(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

function describe(e: unknown): string {
  const code = (e as { code?: string } | undefined)?.code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'ELOOP') return 'too many levels of symbolic links (a symlink loop?)'
  // Node's messages repeat the syscall and path ("EIO: i/o error, read 'x'"): keep the reason.
  const msg = e instanceof Error ? e.message : String(e)
  return code !== undefined && code !== 'EILSEQ' ? (/^[A-Z]+: ([^,]+)/.exec(msg)?.[1] ?? msg) : msg
}

async function readOne(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readFile(path)
  } catch (e) {
    throw new UsageError(`cannot read '${path}': ${describe(e)}`)
  }
}

/**
 * Collects manifest paths under `dir`. `ancestors` holds the canonical paths of the directories
 * above (when the I/O can resolve them), so a symlink that leads back up is reported as a loop
 * instead of being followed 32 levels deep (`find -L` reports "File system loop detected").
 */
async function walk(io: CliIo, dir: string, depth: number, out: string[], ancestors: readonly string[] = []): Promise<void> {
  if (depth > MAX_DEPTH) throw new UsageError(`cannot read '${dir}': directory tree deeper than ${MAX_DEPTH} levels`)
  let real: string | undefined
  if (io.realPath) {
    try {
      real = await io.realPath(dir)
    } catch (e) {
      throw new UsageError(`cannot read '${dir}': ${describe(e)}`)
    }
    const loop = ancestors.indexOf(real)
    if (loop >= 0) throw new UsageError(`cannot read '${dir}': symbolic link loop (it leads back to '${ancestorPath(dir, depth - loop)}')`)
  }
  let names: string[]
  try {
    names = await io.readDir(dir)
  } catch (e) {
    throw new UsageError(`cannot read '${dir}': ${describe(e)}`)
  }
  for (const name of [...names].sort()) {
    const path = joinPath(dir, name)
    let kind: Awaited<ReturnType<CliIo['stat']>>
    try {
      kind = await io.stat(path)
    } catch (e) {
      throw new UsageError(`cannot read '${path}': ${describe(e)}`)
    }
    if (kind === 'directory') {
      if (!name.startsWith('.')) await walk(io, path, depth + 1, out, real !== undefined ? [...ancestors, real] : ancestors)
    } else if (kind === 'file' && isManifest(name)) {
      out.push(path)
    }
  }
}

/** The path `up` directory levels above `dir` as the user spelled it (`a/b/c`, 2 → `a`). */
function ancestorPath(dir: string, up: number): string {
  const parts = dir.replace(/\/+$/, '').split('/')
  return parts.slice(0, Math.max(1, parts.length - up)).join('/')
}

/**
 * Reads every PATH into source files of one side of the what-if.
 *
 * @throws UsageError for a missing or unreadable path, or `-` given twice overall
 */
export async function readSources(
  io: CliIo,
  paths: readonly string[],
  origin: SourceFile['origin'],
  stdinState: { used: boolean } = { used: false },
): Promise<SourceFile[]> {
  const files: SourceFile[] = []
  for (const p of paths) {
    if (p === '-') {
      if (stdinState.used) throw new UsageError("'-' (standard input) can be given only once")
      stdinState.used = true
      let text: string
      try {
        text = await io.readStdin()
      } catch (e) {
        throw new UsageError(`cannot read standard input: ${describe(e)}`)
      }
      files.push({ path: STDIN_PATH, text, origin })
      continue
    }
    const kind = await io.stat(p).catch((e: unknown) => {
      throw new UsageError(`cannot read '${p}': ${describe(e)}`)
    })
    if (kind === undefined) throw new UsageError(`cannot read '${p}': no such file or directory`)
    if (kind === 'directory') {
      const found: string[] = []
      await walk(io, p, 0, found)
      for (const f of found) files.push({ path: f, text: await readOne(io, f), origin })
    } else {
      files.push({ path: p, text: await readOne(io, p), origin })
    }
  }
  return files
}

/**
 * Reads the one file an option names (`--current-rules FILE`, or `-` for standard input); a
 * directory is a usage error naming the option.
 *
 * @throws UsageError for a missing, unreadable or directory path
 */
export async function readFileOption(io: CliIo, option: string, path: string, stdinState: { used: boolean }): Promise<{ path: string; text: string }> {
  if (path !== '-' && (await io.stat(path).catch(() => undefined)) === 'directory') {
    throw new UsageError(`${option} ${path}: is a directory; give the file iptables-save wrote`)
  }
  const [file] = await readSources(io, [path], 'existing', stdinState)
  return { path: file?.path ?? path, text: file?.text ?? '' }
}
