/**
 * Loads a restore payload into real iptables inside a throw-away network namespace and reads back
 * what iptables prints, following the conformance README "Loading a payload into real iptables":
 * `nfacct add` both counters, the jump rules as `iptables -t T -N DST` + `iptables -t T -I SRC 1 …`
 * in order, `iptables-restore --noflush`, then `iptables-save -t nat; iptables-save -t filter`
 * (header/footer `#` lines removed) and `iptables -t nat -L -n; echo; iptables -t filter -L -n`.
 *
 * `unshare -n` gives every call its own namespace, which the kernel removes when the shell exits,
 * so nothing is left behind even when a step fails.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { IPFamily } from '../../../src/core/model/k8s.ts'
import type { JumpRule, Match } from '../../../src/core/proxy/iptables/ir.ts'
import { pathEnv } from './env.ts'

/** POSIX shell single-quoting. */
export function shq(s: string): string {
  return /^[A-Za-z0-9_.,:/=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`
}

function matchArgv(m: Match): string[] {
  switch (m.kind) {
    case 'conntrack':
      return ['-m', 'conntrack', ...(m.negate ? ['!'] : []), '--ctstate', m.states.join(',')]
    case 'comment':
      return ['-m', 'comment', '--comment', m.text]
    case 'addrtype':
      return ['-m', 'addrtype', ...(m.negate ? ['!'] : []), m.dir === 'src' ? '--src-type' : '--dst-type', m.type]
    default:
      throw new Error(`jump rule extra arg ${m.kind} not supported by the kernel helper`)
  }
}

/** The two commands that install one jump rule (kube-proxy EnsureChain + EnsureRule(Prepend)). */
export function jumpRuleCommands(j: JumpRule, bin: string): string[] {
  const argv = [bin, '-t', j.table, '-I', j.from, '1', ...j.extraArgs.flatMap(matchArgv)]
  if (j.comment !== '') argv.push('-m', 'comment', '--comment', j.comment)
  argv.push('-j', j.to)
  return [`${bin} -t ${j.table} -N ${shq(j.to)} 2>/dev/null || true`, argv.map(shq).join(' ')]
}

export interface KernelDump {
  /** Exit status of iptables-restore. */
  readonly restoreStatus: number
  readonly restoreStderr: string
  /** `iptables-save -t nat; iptables-save -t filter` without `#` lines ('' when restore failed). */
  readonly save: string
  /** `iptables -t nat -L -n; echo; iptables -t filter -L -n` ('' when restore failed). */
  readonly list: string
  /** Anything else that failed (setup commands), with stderr. */
  readonly setupError?: string
}

export interface LoadOptions {
  readonly family: IPFamily
  readonly jumpRules: readonly JumpRule[]
  /** Create the two nfacct objects first (default true). */
  readonly nfacct?: boolean
  readonly timeoutMs?: number
}

/** Loads `payload` in a fresh network namespace and returns what real iptables prints. */
export function loadAndDump(payload: string, opts: LoadOptions): KernelDump {
  const ipt = opts.family === 'IPv4' ? 'iptables' : 'ip6tables'
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-kernel-'))
  try {
    writeFileSync(join(dir, 'payload'), payload)
    const setup = [
      ...(opts.nfacct === false ? [] : ['nfacct add ct_state_invalid_dropped_pkts', 'nfacct add localhost_nps_accepted_pkts']),
      ...opts.jumpRules.flatMap((j) => jumpRuleCommands(j, ipt)),
    ]
    const D = shq(dir)
    const script = [
      'set -u',
      `( set -e; ${setup.length > 0 ? setup.join('\n') : 'true'} ) 2>${D}/setup.err || { echo setup >${D}/setup.failed; exit 0; }`,
      `${ipt}-restore --noflush <${D}/payload 2>${D}/restore.err; echo $? >${D}/restore.status`,
      `[ "$(cat ${D}/restore.status)" = 0 ] || exit 0`,
      `{ ${ipt}-save -t nat; ${ipt}-save -t filter; } | grep -v '^#' >${D}/save`,
      `{ ${ipt} -t nat -L -n; echo; ${ipt} -t filter -L -n; } >${D}/list`,
    ].join('\n')
    const r = spawnSync('unshare', ['-n', 'bash', '-c', script], { encoding: 'utf8', env: pathEnv(), timeout: opts.timeoutMs ?? 60_000 })
    const f = (name: string): string => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '')
    const setupError = existsSync(join(dir, 'setup.failed'))
      ? `setup failed: ${f('setup.err')}`
      : r.status !== 0
        ? `unshare failed (${r.status ?? r.signal}): ${r.stderr}`
        : undefined
    const statusText = f('restore.status').trim()
    const dump = {
      restoreStatus: statusText === '' ? -1 : Number(statusText),
      restoreStderr: f('restore.err'),
      save: f('save'),
      list: f('list'),
    }
    return setupError === undefined ? dump : { ...dump, setupError }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What a sync from a known state left: the state loaded, the payload restored over it. */
export interface SyncDump {
  /** Exit status of `iptables-restore` of the state, then of the payload (--noflush). */
  readonly stateStatus: number
  readonly restoreStatus: number
  readonly restoreStderr: string
  /** `iptables-save -c -t nat; iptables-save -c -t filter` before the payload (`#` lines removed). */
  readonly before: string
  /** `iptables-save -t nat; iptables-save -t filter` after it (`#` lines removed). */
  readonly after: string
  readonly setupError?: string
}

/**
 * In a fresh namespace: the nfacct counters, `iptables-restore` of `state` (an iptables-save
 * text: the node's rules before the sync), then `iptables-restore --noflush` of `payload`, as
 * kube-proxy's full sync does on a node that already has rules.
 */
export function syncOverState(state: string, payload: string, family: IPFamily, timeoutMs = 60_000): SyncDump {
  const ipt = family === 'IPv4' ? 'iptables' : 'ip6tables'
  const dir = mkdtempSync(join(tmpdir(), 'kube-whatif-kernel-sync-'))
  try {
    writeFileSync(join(dir, 'state'), state)
    writeFileSync(join(dir, 'payload'), payload)
    const D = shq(dir)
    const script = [
      'set -u',
      `( set -e; nfacct add ct_state_invalid_dropped_pkts; nfacct add localhost_nps_accepted_pkts ) 2>${D}/setup.err || { echo setup >${D}/setup.failed; exit 0; }`,
      `${ipt}-restore --counters <${D}/state 2>${D}/restore.err; echo $? >${D}/state.status`,
      `[ "$(cat ${D}/state.status)" = 0 ] || exit 0`,
      `{ ${ipt}-save -c -t nat; ${ipt}-save -c -t filter; } | grep -v '^#' >${D}/before`,
      `${ipt}-restore --noflush --counters <${D}/payload 2>${D}/restore.err; echo $? >${D}/restore.status`,
      `[ "$(cat ${D}/restore.status)" = 0 ] || exit 0`,
      `{ ${ipt}-save -t nat; ${ipt}-save -t filter; } | grep -v '^#' >${D}/after`,
    ].join('\n')
    const r = spawnSync('unshare', ['-n', 'bash', '-c', script], { encoding: 'utf8', env: pathEnv(), timeout: timeoutMs })
    const f = (name: string): string => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '')
    const status = (name: string): number => (f(name).trim() === '' ? -1 : Number(f(name).trim()))
    const setupError = existsSync(join(dir, 'setup.failed'))
      ? `setup failed: ${f('setup.err')}`
      : r.status !== 0
        ? `unshare failed (${r.status ?? r.signal}): ${r.stderr}`
        : undefined
    const dump = { stateStatus: status('state.status'), restoreStatus: status('restore.status'), restoreStderr: f('restore.err'), before: f('before'), after: f('after') }
    return setupError === undefined ? dump : { ...dump, setupError }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
