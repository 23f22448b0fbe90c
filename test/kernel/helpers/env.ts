/**
 * Whether this machine can run the kernel suite: root, the Debian binaries (scripts/ci-apt.sh
 * installs them) and working network namespaces. Without them the suite is skipped loudly on a
 * developer machine and fails when `CI` is set, so CI can never pass by skipping it.
 */
import { spawnSync } from 'node:child_process'
import { describe, it } from 'vitest'

/** Binaries the kernel suite runs. */
export const REQUIRED_BINARIES = [
  'iptables', 'iptables-save', 'iptables-restore', 'ip6tables', 'ip6tables-save', 'ip6tables-restore', 'nfacct', 'unshare', 'ip', 'sysctl',
] as const

export interface KernelEnv {
  /** Why the suite cannot run here; undefined when it can. */
  readonly problem?: string
  /** `iptables --version` output, e.g. `iptables v1.8.9 (nf_tables)`. */
  readonly version: string
}

function has(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`], { encoding: 'utf8', env: pathEnv() }).status === 0
}

/** PATH with the sbin directories (non-login shells may lack them). */
export function pathEnv(): NodeJS.ProcessEnv {
  const path = process.env['PATH'] ?? ''
  const extra = ['/usr/local/sbin', '/usr/sbin', '/sbin'].filter((d) => !path.split(':').includes(d))
  return { ...process.env, PATH: [path, ...extra].filter((p) => p !== '').join(':') }
}

let cached: KernelEnv | undefined

/** Binaries the nftables part of the suite runs besides {@link REQUIRED_BINARIES}. */
export const NFT_BINARIES = ['nft'] as const

/** Like {@link kernelEnv}, also requiring `nft` and checking it works in a new namespace. */
export function nftKernelEnv(): KernelEnv {
  const base = kernelEnv()
  if (base.problem !== undefined) return base
  const missing = NFT_BINARIES.filter((b) => !has(b))
  if (missing.length > 0) return { problem: `missing binaries: ${missing.join(', ')} (run scripts/ci-apt.sh)`, version: base.version }
  const version = spawnSync('nft', ['--version'], { encoding: 'utf8', env: pathEnv() }).stdout.trim()
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'nft add table ip kube-whatif-probe && nft list tables >/dev/null'], { encoding: 'utf8', env: pathEnv(), timeout: 20_000 })
  if (probe.status !== 0) return { problem: `cannot use nft in a new network namespace: ${(probe.stderr || probe.error?.message || '').trim()}`, version }
  return { version }
}

/** Probes the machine once per test file. */
export function kernelEnv(): KernelEnv {
  if (cached !== undefined) return cached
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1
  const missing = REQUIRED_BINARIES.filter((b) => !has(b))
  let version = ''
  let problem: string | undefined
  if (uid !== 0) problem = `not root (uid ${uid})`
  else if (missing.length > 0) problem = `missing binaries: ${missing.join(', ')} (run scripts/ci-apt.sh)`
  else {
    version = spawnSync('iptables', ['--version'], { encoding: 'utf8', env: pathEnv() }).stdout.trim()
    const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'iptables -t nat -L -n >/dev/null && nfacct list >/dev/null'], {
      encoding: 'utf8',
      env: pathEnv(),
      timeout: 20_000,
    })
    if (probe.status !== 0) problem = `cannot use iptables/nfacct in a new network namespace: ${(probe.stderr || probe.error?.message || '').trim()}`
  }
  cached = problem === undefined ? { version } : { problem, version }
  return cached
}

/**
 * `describe` for kernel tests: runs when the machine can, otherwise skips with a loud message, or
 * (with `CI` set) registers one failing test naming the problem.
 */
export function describeKernel(title: string, body: (env: KernelEnv) => void, probe: () => KernelEnv = kernelEnv): void {
  const env = probe()
  if (env.problem === undefined) {
    describe(`${title} [${env.version}]`, () => body(env))
    return
  }
  if (process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false') {
    describe(title, () => {
      it('has a kernel environment (required in CI)', () => {
        throw new Error(`kernel suite cannot run: ${env.problem}`)
      })
    })
    return
  }
  const bar = '!'.repeat(78)
  console.warn(`\n${bar}\n!! SKIPPING kernel suite "${title}": ${env.problem}\n!! Run as root after scripts/ci-apt.sh to verify against real iptables.\n${bar}\n`)
  describe.skip(title, () => body(env))
}
