/**
 * @module node/manifest-fs
 * The file-system port of the manifest reader: the few calls it makes, each bounded, so the CLI
 * and the Action read through the same code and tests can pass fakes (any subset of it).
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import { decodeManifestBytes } from './decode.ts'
import { readFileCapped, readStdinCapped } from './read-capped.ts'

/** What kind of filesystem entry a path is; undefined when it does not exist. */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other'

/** File-system calls of the manifest reader. */
export interface ManifestFs {
  /**
   * Reads a text file (UTF-8, or UTF-16 with a BOM) of at most `maxBytes` bytes; rejects with a
   * Node-style error (`code: 'ENOENT'`, ..., `'EILSEQ'` for bytes that are not text, `'EFBIG'`
   * over the cap, before reading when the size is known).
   */
  readFile(path: string, maxBytes: number): Promise<string>
  /** Reads all of standard input as text, at most `maxBytes` bytes (`'EFBIG'` beyond). */
  readStdin(maxBytes: number): Promise<string>
  /**
   * Kind of entry at `path`, undefined when missing. Symbolic links are followed unless
   * `followSymlinks` is false, when a link is reported as `'symlink'`.
   */
  stat(path: string, followSymlinks?: boolean): Promise<EntryKind | undefined>
  /** Entry names of a directory. */
  readDir(path: string): Promise<string[]>
  /** Canonical path (symlinks resolved), to spot directory loops; optional for fakes. */
  realPath?(path: string): Promise<string>
}

function kindOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  return s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other'
}

/** The real file system. */
export function nodeManifestFs(): ManifestFs {
  return {
    readFile: async (p, max) => decodeManifestBytes(await readFileCapped(p, max)),
    readStdin: async (max) => decodeManifestBytes(await readStdinCapped(max)),
    stat: async (p, follow = true) => {
      try {
        return kindOf(follow ? await stat(p) : await lstat(p))
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        if (code === 'ENOENT' || code === 'ENOTDIR') return undefined
        throw e
      }
    },
    readDir: (p) => readdir(p),
    realPath: (p) => realpath(p),
  }
}
