/**
 * Bounded reads through the real entry point: a big export is read (cap 256 MiB, set with
 * --max-input-bytes), and what is larger, endless or special is refused at the cap without
 * reading the rest.
 */
import { spawn, spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { kubectlExport } from '../helpers/kubectl-export.ts'
import { runCli } from '../helpers/run-cli.ts'

const root = join(import.meta.dirname, '..', '..')
const bin = join(root, 'bin', 'kube-whatif.js')
const dir = mkdtempSync(join(tmpdir(), 'kw-limits-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SVC = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {clusterIP: 10.96.0.9, ports: [{port: 80}]}\n'

interface Run {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
  readonly ms: number
}

/** Runs the real CLI; `stdinPath` is opened and given as standard input (e.g. /dev/zero). */
function run(args: readonly string[], opts: { stdinPath?: string; timeoutMs?: number } = {}): Promise<Run> {
  const start = Date.now()
  const stdinFd = opts.stdinPath !== undefined ? openSync(opts.stdinPath, 'r') : undefined
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'], timeout: opts.timeoutMs ?? 60_000 })
    if (stdinFd !== undefined) closeSync(stdinFd)
    let stdout = ''
    let stderr = ''
    child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('close', (status) => resolve({ status, stdout, stderr, ms: Date.now() - start }))
  })
}

describe('kube-whatif: bounded input reads', () => {
  it('plans a single 50 MB kubectl export (managedFields, annotations, status)', async () => {
    const { text, services } = kubectlExport(50_000_000)
    const file = join(dir, 'export.yaml')
    writeFileSync(file, text)
    expect(text.length).toBeGreaterThan(50_000_000)
    const r = await run(['plan', '--cluster', file, '-o', 'iptables-restore'], { timeoutMs: 280_000 })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    // The last NodePort Service of the export, and the last Service at all, are both planned.
    expect(r.stdout).toMatch(/^-A KUBE-NODEPORTS -m comment --comment ns-49\/svc-02699:http -m tcp -p tcp --dport 32699 -j KUBE-EXT-/m)
    const last = `svc-${String(services - 1).padStart(5, '0')}`
    expect(r.stdout).toContain(`--comment "ns-${(services - 1) % 50}/${last}:http cluster IP"`)
  }, 300_000)

  it('refuses a regular file over --max-input-bytes before reading it, naming the file and the option', async () => {
    // A sparse 3 GiB file: reading it would take seconds and end in V8's string limit.
    const big = join(dir, 'huge.yaml')
    writeFileSync(big, '')
    truncateSync(big, 3 * 1024 ** 3)
    const r = await run(['plan', big])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe(`kube-whatif: cannot read '${big}': 3221225472 bytes, more than the limit of 268435456 bytes; the input limit is set with --max-input-bytes\n`)
    expect(r.ms).toBeLessThan(20_000)
    const small = join(dir, 'small.yaml')
    writeFileSync(small, SVC)
    const capped = await run(['plan', small, '--max-input-bytes', '64'])
    expect(capped).toMatchObject({ status: 2, stderr: `kube-whatif: cannot read '${small}': ${SVC.length} bytes, more than the limit of 64 bytes; the input limit is set with --max-input-bytes\n` })
    expect((await run(['plan', small, '--max-input-bytes', '1Ki', '-o', 'json'])).status).toBe(0)
  })

  it('stops reading /dev/zero at the cap (a special file, read in bounded chunks)', async () => {
    const r = await run(['plan', '/dev/zero', '--max-input-bytes', '8Mi'])
    expect(r.status).toBe(2)
    expect(r.stderr).toBe("kube-whatif: cannot read '/dev/zero': more than the limit of 8388608 bytes; the input limit is set with --max-input-bytes\n")
    // The default cap too: 256 MiB read and refused, not the 9 GB an unbounded read reaches.
    const d = await run(['plan', '/dev/zero'], { timeoutMs: 120_000 })
    expect(d.status).toBe(2)
    expect(d.stderr).toContain('more than the limit of 268435456 bytes')
  }, 150_000)

  it('stops reading standard input at the cap (plan - </dev/zero)', async () => {
    const r = await run(['plan', '-', '--max-input-bytes', '4Mi'], { stdinPath: '/dev/zero' })
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('kube-whatif: cannot read standard input: more than the limit of 4194304 bytes; the input limit is set with --max-input-bytes\n')
    const d = await run(['plan', '-'], { stdinPath: '/dev/zero', timeoutMs: 120_000 })
    expect(d.status).toBe(2)
    expect(d.stderr).toContain('more than the limit of 268435456 bytes')
  }, 150_000)

  it('refuses standard input redirected from a file over the cap before reading it', async () => {
    const big = join(dir, 'huge-stdin.yaml')
    writeFileSync(big, '')
    truncateSync(big, 3 * 1024 ** 3)
    const r = await run(['plan', '-'], { stdinPath: big })
    expect(r.status).toBe(2)
    expect(r.stderr).toBe('kube-whatif: cannot read standard input: 3221225472 bytes, more than the limit of 268435456 bytes; the input limit is set with --max-input-bytes\n')
    expect(r.ms).toBeLessThan(20_000)
  })

  it('applies the cap to every reading command and to --base-ref blobs', async () => {
    const f = join(dir, 'svc.yaml')
    writeFileSync(f, SVC)
    for (const args of [
      ['trace', f, '--from', '10.0.0.1', '--to', '10.96.0.9:80', '--max-input-bytes', '10'],
      ['diff', '--base', f, '--head', f, '--max-input-bytes', '10'],
    ]) {
      const r = await runCli(args)
      expect(r.stderr).toContain(`cannot read '${f}': ${SVC.length} bytes, more than the limit of 10 bytes; the input limit is set with --max-input-bytes`)
    }
    const repo = mkdtempSync(join(dir, 'repo-'))
    const git = (...a: string[]): void => void spawnSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@e', ...a], { encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    writeFileSync(join(repo, 'svc.yaml'), SVC)
    git('add', '.')
    git('commit', '-q', '-m', 'base')
    writeFileSync(join(repo, 'svc.yaml'), '{}\n')
    const r = spawnSync(process.execPath, [bin, 'diff', '--base-ref', 'main', '--head', 'svc.yaml', '--max-input-bytes', '10'], { cwd: repo, encoding: 'utf8' })
    expect(r.status).toBe(1)
    expect(r.stderr).toBe(`kube-whatif: cannot read 'svc.yaml' at main: ${SVC.length} bytes, more than the limit of 10 bytes; the input limit is set with --max-input-bytes\n`)
  })

  it('rejects a malformed --max-input-bytes as a usage error', async () => {
    for (const v of ['0', '1.5Mi', '3Gi', 'lots', '12MB']) {
      const r = await runCli(['plan', '-', '--max-input-bytes', v], { stdinText: SVC })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`invalid value '${v}' for --max-input-bytes`)
    }
  })
})
