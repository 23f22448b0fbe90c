/**
 * @module action/git-manifests
 * ManifestSource over the checked-out workspace (head side, cluster facts) and git objects (base
 * side), through the shared Node reader (`src/node/`) the CLI uses too, so the reproduce command
 * in the comment reads what the Action read. The Action's side of the reader's one deliberate
 * difference: symbolic links are skipped (policy `'skip'`), so a pull request cannot point the
 * Action at files outside the repository. Nothing from the pull request is executed: files are
 * only read, and git runs plumbing that never runs filters, hooks or textconv.
 */
import { join } from 'node:path'
import { gitIn, listBlobs, readBlobs, resolveCommit, isSymlinkMode } from '../node/git-tree.ts'
import { nodeManifestFs } from '../node/manifest-fs.ts'
import { readText, ReadError, walkTree } from '../node/manifest-reader.ts'
import { ALWAYS_EXCLUDE } from './inputs.ts'
import { isExcludedDir, makeMatcher } from './glob.ts'
import type { ManifestFile, ManifestSource } from './ports.ts'

/**
 * Files larger than this are skipped, not planned: a pull request's tree is not chosen file by
 * file, and hand-written manifests are far smaller. (The CLI reads what the user names, up to
 * its `--max-input-bytes`.)
 */
export const MAX_FILE_BYTES = 8 * 1024 * 1024

const tooLarge = (size: number): string => `${size} bytes, more than the limit of ${MAX_FILE_BYTES} bytes`

/** The real ManifestSource rooted at the workspace directory. */
export function gitManifestSource(workspace: string): ManifestSource {
  const git = gitIn(workspace)
  const fs = nodeManifestFs()
  return {
    async workingTree(include, exclude) {
      const match = makeMatcher([...include, ...exclude.map((e) => `!${e}`)], ALWAYS_EXCLUDE)
      const found = await walkTree(fs, workspace, {
        symlinks: 'skip',
        acceptFile: (rel) => match(rel),
        skipDir: (rel, name) => name === '.git' || isExcludedDir(rel, ALWAYS_EXCLUDE),
      })
      const files: ManifestFile[] = []
      for (const { rel } of found) {
        try {
          files.push({ path: rel, text: await readText(fs, join(workspace, rel), MAX_FILE_BYTES) })
        } catch (e) {
          if (!(e instanceof ReadError)) throw e
          files.push({ path: rel, unreadable: e.reason })
        }
      }
      return files
    },

    async atCommit(ref, include, exclude) {
      const match = makeMatcher([...include, ...exclude.map((e) => `!${e}`)], ALWAYS_EXCLUDE)
      const commit = await resolveCommit(git, ref)
      const files: ManifestFile[] = []
      const wanted: string[] = []
      for (const blob of await listBlobs(git, commit)) {
        if (isSymlinkMode(blob.mode) || !match(blob.path)) continue
        if (blob.size > MAX_FILE_BYTES) files.push({ path: blob.path, unreadable: tooLarge(blob.size) })
        else wanted.push(blob.path)
      }
      for (const b of await readBlobs(git, commit, wanted)) files.push('text' in b ? b : { path: b.path, unreadable: b.error })
      return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    },

    async hasCommit(ref) {
      try {
        await resolveCommit(git, ref)
        return true
      } catch {
        return false
      }
    },

    async shortSha(ref) {
      try {
        return (await git(['rev-parse', '--short=7', '--verify', '--end-of-options', `${ref}^{commit}`])).toString().trim()
      } catch {
        return ref.slice(0, 7)
      }
    },
  }
}
