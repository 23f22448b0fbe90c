/**
 * @module action/git-manifests
 * ManifestSource over the checked-out workspace (head side, cluster facts) and git objects (base
 * side). Nothing from the pull request is executed: files are only read, git runs plumbing-level
 * commands (`ls-tree`, `cat-file`, `rev-parse`) that never run filters, hooks or textconv, and
 * symbolic links are skipped so a PR cannot point the Action at files outside the repository.
 */
import { execFile, spawn } from 'node:child_process'
import { lstat, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { ALWAYS_EXCLUDE } from './inputs.ts'
import { isExcludedDir, makeMatcher } from './glob.ts'
import { decodeManifestBytes } from '../cli/decode.ts'
import type { ManifestSource } from './ports.ts'

/**
 * Text of a manifest as the CLI reads it (UTF-8, or UTF-16 with a BOM as go-yaml accepts). Bytes
 * that are not text fall back to lossy UTF-8 so the parser reports the file instead of the whole
 * run failing.
 */
function decode(bytes: Buffer): string {
  try {
    return decodeManifestBytes(bytes)
  } catch {
    return bytes.toString('utf8')
  }
}

/** Files larger than this are skipped (they are not hand-written manifests). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024

function git(cwd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr.toString().trim() || err.message}`))
      else resolve(stdout)
    })
  })
}

/** Reads many blobs through one `git cat-file --batch` process (one `git show` per file is slow). */
function catFileBatch(cwd: string, specs: readonly string[]): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`git cat-file --batch failed: ${stderr.trim()}`))
      const out = Buffer.concat(chunks)
      const blobs: Buffer[] = []
      let pos = 0
      for (const spec of specs) {
        const nl = out.indexOf(0x0a, pos)
        const header = out.subarray(pos, nl).toString()
        const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header)
        if (!m) return reject(new Error(`git cat-file: unexpected reply for ${spec}: ${header}`))
        const size = Number(m[2])
        blobs.push(out.subarray(nl + 1, nl + 1 + size))
        pos = nl + 1 + size + 1
      }
      resolve(blobs)
    })
    child.stdin.end(specs.map((s) => `${s}\n`).join(''))
  })
}

/** The real ManifestSource rooted at the workspace directory. */
export function gitManifestSource(workspace: string): ManifestSource {
  return {
    async workingTree(include, exclude) {
      const match = makeMatcher([...include, ...exclude.map((e) => `!${e}`)], ALWAYS_EXCLUDE)
      const found: string[] = []
      const walk = async (rel: string): Promise<void> => {
        const entries = await readdir(join(workspace, rel), { withFileTypes: true })
        for (const e of entries) {
          const path = rel === '' ? e.name : `${rel}/${e.name}`
          if (e.isDirectory()) {
            if (e.name === '.git' || isExcludedDir(path, ALWAYS_EXCLUDE)) continue
            await walk(path)
          } else if (e.isFile() && match(path)) found.push(path)
          // Symbolic links and special files are never followed.
        }
      }
      await walk('')
      found.sort()
      const files: { path: string; text: string }[] = []
      for (const path of found) {
        const st = await lstat(join(workspace, path))
        if (st.size > MAX_FILE_BYTES) continue
        files.push({ path, text: decode(await readFile(join(workspace, path))) })
      }
      return files
    },

    async atCommit(ref, include, exclude) {
      const match = makeMatcher([...include, ...exclude.map((e) => `!${e}`)], ALWAYS_EXCLUDE)
      const commit = (await git(workspace, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])).toString().trim()
      // -l adds sizes so large blobs are skipped without reading them; mode 120000 = symlink.
      const listing = (await git(workspace, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit])).toString()
      const wanted: string[] = []
      for (const entry of listing.split('\0')) {
        const m = /^(\d+) blob [0-9a-f]+\s+(\d+)\t(.*)$/s.exec(entry)
        if (!m || m[1] === '120000' || Number(m[2]) > MAX_FILE_BYTES) continue
        // cat-file --batch reads one spec per line; a path with a newline cannot be asked for.
        if ((m[3] as string).includes('\n')) continue
        const path = m[3] as string
        if (match(path)) wanted.push(path)
      }
      wanted.sort()
      if (wanted.length === 0) return []
      const blobs = await catFileBatch(workspace, wanted.map((p) => `${commit}:${p}`))
      return wanted.map((path, i) => ({ path, text: decode(blobs[i] as Buffer) }))
    },

    async hasCommit(ref) {
      try {
        await git(workspace, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])
        return true
      } catch {
        return false
      }
    },

    async shortSha(ref) {
      try {
        return (await git(workspace, ['rev-parse', '--short=7', '--verify', '--end-of-options', `${ref}^{commit}`])).toString().trim()
      } catch {
        return ref.slice(0, 7)
      }
    },
  }
}
