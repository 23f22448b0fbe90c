/**
 * @module node/git-tree
 * Manifests of a git commit, without a checkout, for the CLI's `diff --base-ref` and the Action's
 * base side. Only plumbing runs (`rev-parse`, `ls-tree`, `cat-file --batch`), which never runs
 * filters, hooks or textconv, so nothing from the repository is executed. `ls-tree -l` gives
 * every blob's size, so a blob over the byte cap is refused or skipped before it is read.
 * Symbolic links (mode 120000) are skipped by both adapters: in a commit a link is only the text
 * of its target, and reading that text as a manifest would plan nonsense.
 */
import { spawn } from 'node:child_process'
import { decodeManifestBytes } from './decode.ts'
import type { SourceFile } from '#core'
import { ArgumentError, describeError, hasManifestExtension, ReadError } from './manifest-reader.ts'
import { InputTooLargeError } from './read-capped.ts'

/** Runs git without a shell (stdin from `input`), resolving to stdout; rejects with git's stderr. */
export type GitRunner = (args: readonly string[], input?: string) => Promise<Buffer>

/** Output larger than this from one git command is refused (a listing of a huge monorepo). */
export const MAX_GIT_OUTPUT_BYTES = 512 * 1024 * 1024

/** The real git, in `cwd`. */
export function gitIn(cwd: string): GitRunner {
  return (args, input) =>
    new Promise((resolve, reject) => {
      const child = spawn('git', [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] })
      const chunks: Buffer[] = []
      let length = 0
      let stderr = ''
      child.stdout.on('data', (c: Buffer) => {
        length += c.length
        if (length > MAX_GIT_OUTPUT_BYTES) {
          child.kill()
          reject(new Error(`git ${args.join(' ')}: output larger than ${MAX_GIT_OUTPUT_BYTES} bytes`))
        } else chunks.push(c)
      })
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
      child.on('error', reject)
      child.on('close', (code) => {
        if (code === 0) resolve(Buffer.concat(chunks))
        else reject(new Error(`git ${args.join(' ')}: ${stderr.trim() || `exit code ${code}`}`))
      })
      child.stdin.on('error', () => undefined)
      child.stdin.end(input ?? '')
    })
}

/** The full commit id of `ref`. @throws when `ref` names no commit */
export async function resolveCommit(git: GitRunner, ref: string): Promise<string> {
  return (await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).toString().trim()
}

/** A blob of a commit's tree as `ls-tree -l` lists it. */
export interface TreeBlob {
  /** Path as git printed it (relative to the current directory with pathspecs, else to the root). */
  readonly path: string
  readonly mode: string
  readonly size: number
}

/** True for a symbolic link entry. */
export const isSymlinkMode = (mode: string): boolean => mode === '120000'

/**
 * Every blob of `commit` (under `pathspecs`, when given, relative to the current directory as
 * git resolves them; else the whole tree). Paths holding a newline are left out: `cat-file
 * --batch` reads one request per line, so such a path cannot be asked for.
 */
export async function listBlobs(git: GitRunner, commit: string, pathspecs?: readonly string[]): Promise<TreeBlob[]> {
  const args = pathspecs === undefined ? ['ls-tree', '-r', '-l', '-z', '--full-tree', commit] : ['ls-tree', '-r', '-l', '-z', commit, '--', ...pathspecs]
  const blobs: TreeBlob[] = []
  for (const entry of (await git(args)).toString().split('\0')) {
    const m = /^(\d+) blob [0-9a-f]+\s+(\d+)\t(.*)$/s.exec(entry)
    if (!m || (m[3] as string).includes('\n')) continue
    blobs.push({ mode: m[1] as string, size: Number(m[2]), path: m[3] as string })
  }
  return blobs
}

/** A blob's text, or why it is not text. */
export type BlobText = { readonly path: string; readonly text: string } | { readonly path: string; readonly error: string }

/**
 * Reads blobs through one `git cat-file --batch` process (one `git show` per file is slow) and
 * decodes each like a file on disk. `./`-prefixed paths are relative to git's current directory.
 */
export async function readBlobs(git: GitRunner, commit: string, paths: readonly string[]): Promise<BlobText[]> {
  if (paths.length === 0) return []
  const out = await git(['cat-file', '--batch'], paths.map((p) => `${commit}:${p}\n`).join(''))
  const result: BlobText[] = []
  let pos = 0
  for (const path of paths) {
    const nl = out.indexOf(0x0a, pos)
    const header = out.subarray(pos, nl).toString()
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header)
    if (!m) throw new Error(`git cat-file: unexpected reply for ${path}: ${header}`)
    const size = Number(m[2])
    const bytes = out.subarray(nl + 1, nl + 1 + size)
    pos = nl + 1 + size + 1
    try {
      result.push({ path, text: decodeManifestBytes(bytes) })
    } catch (e) {
      result.push({ path, error: describeError(e) })
    }
  }
  return result
}

/**
 * The CLI's `--base-ref`: for each PATH (relative to the current directory, as given to `--head`),
 * the manifests under it in `commit`, read like {@link readSources} reads the working tree: a
 * directory keeps `*.yaml`/`*.yml`/`*.json` files outside dot-directories, a file is read
 * whatever its name, and a path missing at the commit is simply absent (the head side adds it).
 * Paths come back as git prints them, relative to the current directory.
 *
 * @throws ArgumentError for `-`; ReadError for a blob over `maxBytes` or one that is not text
 */
export async function readPathsAtCommit(git: GitRunner, commit: string, paths: readonly string[], maxBytes: number, label = commit): Promise<SourceFile[]> {
  const wanted: string[] = []
  const seen = new Set<string>()
  for (const p of paths) {
    if (p === '-') throw new ArgumentError("--base-ref cannot read standard input ('-'); give files or directories")
    const listed = (await listBlobs(git, commit, [p])).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    const explicitFile = listed.length === 1 && listed[0]?.path === p.replace(/^\.\//, '')
    const root = p.replace(/^\.(\/|$)/, '').replace(/\/+$/, '')
    for (const blob of listed) {
      const path = blob.path
      // A directory argument reads manifests only; a file argument is read whatever its name.
      if ((!explicitFile && !hasManifestExtension(path)) || seen.has(path) || isSymlinkMode(blob.mode)) continue
      // Like the working-tree walk: dot-directories below the argument are skipped.
      const rel = root !== '' && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path
      if (!explicitFile && rel.split('/').slice(0, -1).some((seg) => seg.startsWith('.'))) continue
      if (blob.size > maxBytes) throw new ReadError(path, new InputTooLargeError(maxBytes, blob.size).message, 'EFBIG', label)
      seen.add(path)
      wanted.push(path)
    }
  }
  const blobs = await readBlobs(git, commit, wanted.map((p) => `./${p}`))
  return blobs.map((b, i) => {
    const path = wanted[i] as string
    if ('error' in b) throw new ReadError(path, b.error, 'EILSEQ', label)
    return { path, text: b.text, origin: 'proposed' as const }
  })
}
