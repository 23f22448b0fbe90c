/**
 * Loads an `nft -f` transaction into a fresh `unshare -n` network namespace with the real `nft`
 * and returns what `nft list table` prints, or the loader's complaint. Nothing touches the host's
 * own ruleset: the namespace disappears with the process.
 */
import { spawnSync } from 'node:child_process'
import { pathEnv } from './env.ts'
import { firstDifference } from './verify.ts'

export interface NftDump {
  /** `nft -f` exit status (0 = loaded). */
  readonly status: number
  readonly stderr: string
  /** `nft list table <family> <table>` output. */
  readonly list: string
}

/** `nft -f -` then `nft list table FAMILY TABLE`, in a new network namespace. */
export function loadNft(payload: string, table = 'ip kube-proxy'): NftDump {
  const r = spawnSync('unshare', ['-n', 'sh', '-c', `nft -f - || exit 97; nft list table ${table}`], { input: payload, encoding: 'utf8', env: pathEnv(), timeout: 60_000, maxBuffer: 1 << 28 })
  return { status: r.status === 97 ? 1 : (r.status ?? -1), stderr: r.stderr, list: r.stdout }
}

/** Problems with one transaction: rejected by `nft -f`, or listed differently from `expectedList`. */
export function verifyNft(payload: string, expectedList: string, table = 'ip kube-proxy'): string[] {
  const d = loadNft(payload, table)
  if (d.status !== 0) {
    const line = /^\/dev\/stdin:(\d+)/m.exec(d.stderr) ?? /line (\d+)/.exec(d.stderr)
    const text = line ? `\n  line ${line[1]}: ${payload.split('\n')[Number(line[1]) - 1] ?? ''}` : ''
    return [`nft -f rejected the transaction (status ${d.status}): ${d.stderr.trim().slice(0, 600)}${text}`]
  }
  return d.list === expectedList ? [] : [`nft list table differs at ${firstDifference(expectedList, d.list)}`]
}
