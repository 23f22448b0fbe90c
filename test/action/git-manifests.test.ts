import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitManifestSource } from '../../src/action/git-manifests.ts'

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\n'

describe('gitManifestSource decoding', () => {
  it('reads UTF-16 (with BOM) files like the CLI, from the working tree and from a commit', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'kw-git-src-'))
    const git = (...a: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'le.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SVC, 'utf16le')]))
    writeFileSync(join(repo, 'plain.yaml'), SVC)
    git('add', '.')
    git('commit', '-q', '-m', 'c')
    const src = gitManifestSource(repo)
    const wt = await src.workingTree(['**/*.yaml'], [])
    const at = await src.atCommit('HEAD', ['**/*.yaml'], [])
    for (const files of [wt, at]) expect(files.map((f) => [f.path, 'text' in f ? f.text : f.unreadable])).toEqual([['le.yaml', SVC], ['plain.yaml', SVC]])
  })
})
