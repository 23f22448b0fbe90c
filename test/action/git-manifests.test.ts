import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gitManifestSource, MAX_FILE_BYTES } from '../../src/action/git-manifests.ts'

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

describe('gitManifestSource: files that are not planned', () => {
  it('reports bytes that are not text and files over the cap (working tree and commit) instead of planning them', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'kw-git-bad-'))
    const git = (...a: string[]): string => execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'latin1.yaml'), Buffer.concat([Buffer.from('apiVersion: v1\nkind: Service\nmetadata: {name: caf'), Buffer.from([0xe9]), Buffer.from('}\n')]))
    writeFileSync(join(repo, 'big.yaml'), `# ${'x'.repeat(MAX_FILE_BYTES)}\n`)
    writeFileSync(join(repo, 'ok.yaml'), SVC)
    git('add', '.')
    git('commit', '-q', '-m', 'c')
    const src = gitManifestSource(repo)
    for (const files of [await src.workingTree(['*.yaml'], []), await src.atCommit('HEAD', ['*.yaml'], [])]) {
      expect(files.map((f) => ('text' in f ? [f.path, 'text'] : [f.path, f.unreadable]))).toEqual([
        ['big.yaml', `${MAX_FILE_BYTES + 3} bytes, more than the limit of ${MAX_FILE_BYTES} bytes`],
        ['latin1.yaml', 'not UTF-8 text: invalid byte 0xe9 at line 3, column 21 (save the file as UTF-8)'],
        ['ok.yaml', 'text'],
      ])
    }
  })
})
