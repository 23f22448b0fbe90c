/**
 * Writes a tree of manifest files into a fresh temporary directory, for tests that run the CLI on
 * paths.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Writes `files` (relative path → text) into a fresh temporary directory and returns its path. */
export function tmpTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-cli-'))
  for (const [rel, text] of Object.entries(files)) {
    const path = join(dir, rel)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, text)
  }
  return dir
}
