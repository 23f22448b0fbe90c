/**
 * @module node/manifest-reader
 * The one Node-side reader of manifest trees, used by the CLI (PATH arguments, `-`) and the
 * Action (the checked-out workspace), so both treat the same tree the same way: the same
 * directory walk (entries sorted byte-wise), the same decoding (UTF-8, or UTF-16 with a BOM, as
 * go-yaml accepts), the same bounded reads.
 *
 * One difference is on purpose and is a parameter, {@link SymlinkPolicy}:
 * - `'follow'` (CLI): the user chose the paths, so symbolic links inside them are followed like
 *   `find -L`, with loops reported (not walked 32 levels deep);
 * - `'skip'` (Action): the tree comes from a pull request, and a link could point the Action at
 *   files outside the repository (`/proc/self/environ`, the runner's credentials), so links are
 *   never followed, as `actions/checkout` content is untrusted.
 * Special files (FIFOs, devices, sockets) met while walking a directory are skipped by both;
 * a path given explicitly is read whatever it is, within the byte cap.
 */
import type { SourceFile } from '#core'
import type { EntryKind, ManifestFs } from './manifest-fs.ts'

/** File name extensions read from directories when no other filter is given. */
export const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'] as const

/** Path shown for standard input in issues. */
export const STDIN_PATH = '<stdin>'

/** Deeper directory trees than this are refused (guards against symlink loops). */
export const MAX_TREE_DEPTH = 32

/** Whether symbolic links under a directory are followed (CLI) or skipped (Action). */
export type SymlinkPolicy = 'follow' | 'skip'

/** True for names the CLI reads from directories (`*.yaml`, `*.yml`, `*.json`, any case). */
export function hasManifestExtension(name: string): boolean {
  return MANIFEST_EXTENSIONS.some((ext) => name.toLowerCase().endsWith(ext))
}

/** A path that cannot be read, and why (a phrase such as "no such file or directory"). */
export class ReadError extends Error {
  override readonly name = 'ReadError'
  constructor(
    /** The path as the caller spelled it (`<stdin>` for standard input). */
    readonly path: string,
    /** Why, as a short phrase. */
    readonly reason: string,
    /** errno-style code of the cause when there is one (`EFBIG` over the byte cap). */
    readonly code?: string,
    /** The commit the path was read at, when not the working tree. */
    readonly at?: string,
  ) {
    super(path === STDIN_PATH ? `cannot read standard input: ${reason}` : `cannot read '${path}'${at !== undefined ? ` at ${at}` : ''}: ${reason}`)
  }
}

/** A PATH argument that cannot work whatever the files hold (`-` twice). */
export class ArgumentError extends Error {
  override readonly name = 'ArgumentError'
}

/** A short reason for a Node error: Node's messages repeat the syscall and path. */
export function describeError(e: unknown): string {
  const code = (e as { code?: string } | undefined)?.code
  if (code === 'ENOENT') return 'no such file or directory'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  if (code === 'EISDIR') return 'is a directory'
  if (code === 'ELOOP') return 'too many levels of symbolic links (a symlink loop?)'
  const msg = e instanceof Error ? e.message : String(e)
  return code !== undefined && code !== 'EILSEQ' && code !== 'EFBIG' ? (/^[A-Z]+: ([^,]+)/.exec(msg)?.[1] ?? msg) : msg
}

function readError(path: string, e: unknown): ReadError {
  return e instanceof ReadError ? e : new ReadError(path, describeError(e), (e as { code?: string } | undefined)?.code)
}

/** How a tree is walked and which files are kept. */
export interface WalkOptions {
  readonly symlinks: SymlinkPolicy
  /** Keeps a file; `rel` is its path below the walked root, `/`-separated. */
  readonly acceptFile: (rel: string, name: string) => boolean
  /** Skips a directory (and everything below it). */
  readonly skipDir: (rel: string, name: string) => boolean
}

/** The CLI's walk of a directory argument: manifests by extension, dot-directories skipped. */
export const CLI_WALK: WalkOptions = {
  symlinks: 'follow',
  acceptFile: (_rel, name) => hasManifestExtension(name),
  skipDir: (_rel, name) => name.startsWith('.'),
}

function joinPath(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

/** The path `up` directory levels above `dir` as the user spelled it (`a/b/c`, 2 → `a`). */
function ancestorPath(dir: string, up: number): string {
  const parts = dir.replace(/\/+$/, '').split('/')
  return parts.slice(0, Math.max(1, parts.length - up)).join('/')
}

/** A file found by {@link walkTree}: `root`-joined path and the path below `root`. */
export interface TreeFile {
  readonly path: string
  readonly rel: string
}

/**
 * The files under `root` kept by `options`, sorted by their path below `root` (code-unit order,
 * which for ASCII names is git's tree order, so a working tree and a commit of it list the same
 * files in the same order). `ancestors` holds the canonical paths of the
 * directories above when the port can resolve them, so a followed link that leads back up is a
 * loop error (`find -L`: "File system loop detected").
 *
 * @throws ReadError for a directory that cannot be listed, a loop, or a tree deeper than {@link MAX_TREE_DEPTH}
 */
export async function walkTree(fs: ManifestFs, root: string, options: WalkOptions): Promise<TreeFile[]> {
  const out: TreeFile[] = []
  const walk = async (dir: string, rel: string, depth: number, ancestors: readonly string[]): Promise<void> => {
    if (depth > MAX_TREE_DEPTH) throw new ReadError(dir, `directory tree deeper than ${MAX_TREE_DEPTH} levels`)
    let real: string | undefined
    if (options.symlinks === 'follow' && fs.realPath) {
      try {
        real = await fs.realPath(dir)
      } catch (e) {
        throw readError(dir, e)
      }
      const loop = ancestors.indexOf(real)
      if (loop >= 0) throw new ReadError(dir, `symbolic link loop (it leads back to '${ancestorPath(dir, depth - loop)}')`)
    }
    let names: string[]
    try {
      names = await fs.readDir(dir)
    } catch (e) {
      throw readError(dir, e)
    }
    for (const name of [...names].sort()) {
      const path = joinPath(dir, name)
      const relPath = rel === '' ? name : `${rel}/${name}`
      let kind: EntryKind | undefined
      try {
        kind = await fs.stat(path, options.symlinks === 'follow')
      } catch (e) {
        throw readError(path, e)
      }
      if (kind === 'directory') {
        if (!options.skipDir(relPath, name)) await walk(path, relPath, depth + 1, real !== undefined ? [...ancestors, real] : ancestors)
      } else if (kind === 'file' && options.acceptFile(relPath, name)) {
        out.push({ path, rel: relPath })
      }
      // 'symlink' (policy skip) and 'other' (FIFOs, devices, sockets) are never read from a walk.
    }
  }
  await walk(root, '', 0, [])
  return out.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0))
}

/** Reads one file within the cap. @throws ReadError naming the path */
export async function readText(fs: ManifestFs, path: string, maxBytes: number): Promise<string> {
  try {
    return await fs.readFile(path, maxBytes)
  } catch (e) {
    throw readError(path, e)
  }
}

/** Options of {@link readSources}. */
export interface ReadSourcesOptions {
  /** Byte cap per file (and for standard input). */
  readonly maxBytes: number
  /** Shared by every call for one command line, so `-` is read once overall. */
  readonly stdin?: { used: boolean }
  /** How directories are walked; default {@link CLI_WALK}. */
  readonly walk?: WalkOptions
}

/**
 * Reads PATH arguments into source files of one side: a file as given (whatever its name), a
 * directory walked with `options.walk`, `-` for standard input (once overall).
 *
 * @throws ReadError for a missing or unreadable path or a file over the cap; ArgumentError for `-` given twice
 */
export async function readSources(fs: ManifestFs, paths: readonly string[], origin: SourceFile['origin'], options: ReadSourcesOptions): Promise<SourceFile[]> {
  const stdin = options.stdin ?? { used: false }
  const files: SourceFile[] = []
  for (const p of paths) {
    if (p === '-') {
      if (stdin.used) throw new ArgumentError("'-' (standard input) can be given only once")
      stdin.used = true
      let text: string
      try {
        text = await fs.readStdin(options.maxBytes)
      } catch (e) {
        throw readError(STDIN_PATH, e)
      }
      files.push({ path: STDIN_PATH, text, origin })
      continue
    }
    let kind: EntryKind | undefined
    try {
      kind = await fs.stat(p)
    } catch (e) {
      throw readError(p, e)
    }
    if (kind === undefined) throw new ReadError(p, 'no such file or directory', 'ENOENT')
    if (kind === 'directory') {
      for (const f of await walkTree(fs, p, options.walk ?? CLI_WALK)) files.push({ path: f.path, text: await readText(fs, f.path, options.maxBytes), origin })
    } else {
      files.push({ path: p, text: await readText(fs, p, options.maxBytes), origin })
    }
  }
  return files
}
