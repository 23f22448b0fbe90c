/**
 * The CLI against hostile or odd inputs: every problem is one line naming the file (and line when
 * it has one), with the documented exit code, never a stack trace or an "internal error".
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { isUtf8 } from 'node:buffer'
import { decodeManifestBytes, firstInvalidUtf8 } from '../../src/node/decode.ts'
import { terminalSafe } from '../../src/cli/io.ts'
import { runCli } from '../helpers/run-cli.ts'

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: default\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n'

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'kw-nasty-'))
}

/** One line on stderr, starting `kube-whatif:` (or `file:line:`), no stack frames. */
function expectOneLine(stderr: string): void {
  expect(stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(stderr).not.toMatch(/internal error|\n\s+at /)
}

describe('kube-whatif plan: nasty inputs', () => {
  it('a directory holding a symlink loop between two files is a usage error naming the file, not a crash', async () => {
    const d = tmp()
    writeFileSync(join(d, 'ok.yaml'), SVC)
    symlinkSync('l1.yaml', join(d, 'l2.yaml'))
    symlinkSync('l2.yaml', join(d, 'l1.yaml'))
    const r = await runCli(['plan', d])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`kube-whatif: cannot read '${d}/l1.yaml': too many levels of symbolic links (a symlink loop?)\n`)
  })

  it('a directory symlink that leads back up is reported as a loop at once, naming where it leads', async () => {
    const d = tmp()
    mkdirSync(join(d, 'a', 'b'), { recursive: true })
    writeFileSync(join(d, 'a', 'svc.yaml'), SVC)
    symlinkSync('..', join(d, 'a', 'b', 'up'))
    const r = await runCli(['plan', join(d, 'a')])
    expect(r.code).toBe(2)
    expectOneLine(r.stderr)
    expect(r.stderr).toBe(`kube-whatif: cannot read '${d}/a/b/up': symbolic link loop (it leads back to '${d}/a')\n`)
  })

  it('a directory reached twice through two symlinks (no loop) is read, not refused', async () => {
    const d = tmp()
    mkdirSync(join(d, 'real'))
    writeFileSync(join(d, 'real', 'svc.yaml'), SVC)
    mkdirSync(join(d, 'top'))
    symlinkSync('../real', join(d, 'top', 'link'))
    const r = await runCli(['plan', join(d, 'top'), '-o', 'json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).services).toHaveLength(1)
  })

  it('an entry that cannot be inspected inside a directory is a one-line usage error', async () => {
    const r = await runCli(['plan', 'dir'], {
      stat: async (p) => {
        if (p === 'dir') return 'directory'
        throw Object.assign(new Error(`EIO: i/o error, stat '${p}'`), { code: 'EIO' })
      },
      readDir: async () => ['x.yaml'],
      realPath: async (p) => `/abs/${p}`,
    })
    expect(r).toMatchObject({ code: 2, stderr: "kube-whatif: cannot read 'dir/x.yaml': i/o error\n" })
  })

  it('invalid UTF-8 names the file, line and column of the first bad byte (exit 2, like an unreadable file)', async () => {
    const d = tmp()
    const f = join(d, 'latin1.yaml')
    writeFileSync(f, Buffer.concat([Buffer.from('apiVersion: v1\nkind: Service\nmetadata:\n  name: caf'), Buffer.from([0xe9]), Buffer.from('\n')]))
    const r = await runCli(['plan', f])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`kube-whatif: cannot read '${f}': not UTF-8 text: invalid byte 0xe9 at line 4, column 12 (save the file as UTF-8)\n`)
  })

  it('UTF-16 files with a byte-order mark (PowerShell redirection) are read like go-yaml reads them', async () => {
    const d = tmp()
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SVC, 'utf16le')])
    const be = Buffer.from(le)
    be.swap16()
    writeFileSync(join(d, 'le.yaml'), le)
    writeFileSync(join(d, 'be.yaml'), be)
    for (const f of ['le.yaml', 'be.yaml']) {
      const r = await runCli(['plan', join(d, f), '-o', 'json'])
      expect(r.code, r.stderr).toBe(0)
      expect(JSON.parse(r.stdout).services.map((s: { name: string; source: { line: number } }) => [s.name, s.source.line])).toEqual([['web', 1]])
    }
  })

  it('a UTF-8 BOM and CRLF line endings plan like the plain file, with the same line numbers', async () => {
    const d = tmp()
    writeFileSync(join(d, 'plain.yaml'), SVC)
    writeFileSync(join(d, 'bom.yaml'), `\uFEFF${SVC.replace(/\n/g, '\r\n')}`)
    const plain = await runCli(['plan', join(d, 'plain.yaml'), '-o', 'json'])
    const bom = await runCli(['plan', join(d, 'bom.yaml'), '-o', 'json'])
    expect(bom.code).toBe(plain.code)
    expect(bom.stderr).toBe(plain.stderr.replace('plain.yaml', 'bom.yaml'))
    const lines = (out: string): unknown => JSON.parse(out).services.map((x: { name: string; source: { line: number } }) => [x.name, x.source.line])
    expect(lines(bom.stdout)).toEqual(lines(plain.stdout))
    expect(bom.stderr).toMatch(/bom\.yaml:7: warning: .*selects app=web/)
  })

  it('an empty file and /dev/null plan nothing without an error', async () => {
    const d = tmp()
    writeFileSync(join(d, 'empty.yaml'), '')
    for (const f of [join(d, 'empty.yaml'), '/dev/null']) {
      const r = await runCli(['plan', f, '-o', 'json'])
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout).services).toEqual([])
    }
  })

  it('a binary file is an input error at file:line, and the rest is still planned', async () => {
    const d = tmp()
    writeFileSync(join(d, 'a.yaml'), Buffer.from([0x00, 0x01, 0x02, 0x0a, 0x00]))
    writeFileSync(join(d, 'b.yaml'), SVC)
    const r = await runCli(['plan', d, '-o', 'json'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`^${d}/a\\.yaml:1: error: `))
    expect(JSON.parse(r.stdout).services).toHaveLength(1)
  })

  it('invalid UTF-8 on standard input is reported the same way', async () => {
    const stdin = await runCli(['plan', '-'], { readStdin: async () => decodeManifestBytes(Buffer.from([0x61, 0x3a, 0x20, 0xc3])) })
    expect(stdin).toMatchObject({ code: 2, stderr: "kube-whatif: cannot read standard input: not UTF-8 text: invalid byte 0xc3 at line 1, column 4 (save the file as UTF-8)\n" })
  })
})

describe('decodeManifestBytes', () => {
  it('accepts every well-formed UTF-8 sequence and rejects overlongs, surrogates, truncation and > U+10FFFF', () => {
    expect(firstInvalidUtf8(Buffer.from('aé€😀'))).toBe(-1)
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1) // overlong NUL
    expect(firstInvalidUtf8(Buffer.from([0xe0, 0x80, 0x80]))).toBe(0) // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0) // surrogate
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x62, 0xe2, 0x82]))).toBe(2) // truncated
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0) // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0x80]))).toBe(0) // lone continuation
  })

  it("agrees with Node's native validator (the fast path) on every 1–3 byte sequence of boundary bytes", () => {
    // decodeManifestBytes asks buffer.isUtf8 first and scans byte by byte only to name a bad byte.
    const edges = [0x00, 0x61, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xec, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf3, 0xf4, 0xf5, 0xff]
    let checked = 0
    const check = (bytes: number[]): void => {
      const b = Buffer.from([0x61, ...bytes, 0x80, 0x80, 0x80].slice(0, bytes.length + 1 + (checked % 4)))
      const native = isUtf8(b)
      expect(native, `bytes ${b.toString('hex')}`).toBe(firstInvalidUtf8(b) < 0)
      if (native) expect(decodeManifestBytes(b)).toBe(b.toString('utf8'))
      else expect(() => decodeManifestBytes(b)).toThrow(/not UTF-8 text/)
      checked++
    }
    for (const a of edges) {
      check([a])
      for (const b of edges) {
        check([a, b])
        for (const c of edges) check([a, b, c])
      }
    }
    expect(checked).toBe(edges.length + edges.length ** 2 + edges.length ** 3)
  })

  it('keeps a UTF-8 BOM (the parser skips it) and decodes UTF-16 by its BOM', () => {
    expect(decodeManifestBytes(Buffer.from('\uFEFFa: 1'))).toBe('\uFEFFa: 1')
    expect(decodeManifestBytes(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toBe('a')
    expect(decodeManifestBytes(Buffer.from([0xfe, 0xff, 0x00, 0x61]))).toBe('a')
    expect(() => decodeManifestBytes(Buffer.from([0xff, 0xfe, 0x61]))).toThrow(/not valid UTF-16LE text/)
  })
})

describe('terminalSafe', () => {
  it('shows control characters instead of sending them to a terminal, keeping newlines, tabs and colours', () => {
    expect(terminalSafe('a\u001b[2Jb\u001b]0;title\u0007c\rd\u009be')).toBe('a\\x1b[2Jb\\x1b]0;title\\x07c\\x0dd\\x9be')
    expect(terminalSafe('\u001b[31mred\u001b[0m\tx\ny')).toBe('\u001b[31mred\u001b[0m\tx\ny')
    expect(terminalSafe('plain ünïcode → ok')).toBe('plain ünïcode → ok')
  })
})
