/**
 * The three kernel checks for one ruleset, returned as a list of problems (empty = all good) so
 * the suite can also test itself: a deliberately wrong expectation must produce a problem.
 *  1. iptables-restore --noflush accepts the payload (after nfacct objects and jump rules);
 *  2. real iptables-save (nat, filter; `#` lines removed) equals our iptables-save form;
 *  3. real iptables -L -n (nat, blank line, filter) equals our iptables -L form.
 */
import type { IPFamily } from '../../../src/core/model/k8s.ts'
import type { JumpRule } from '../../../src/core/proxy/iptables/ir.ts'
import { loadAndDump, type KernelDump } from './load.ts'

export interface Expectation {
  readonly payload: string
  readonly family: IPFamily
  readonly jumpRules: readonly JumpRule[]
  /** Our `-o iptables-save` text. */
  readonly save: string
  /** Our `-o iptables-list` text. */
  readonly list: string
}

/** First differing line of two texts, for a readable failure. */
export function firstDifference(ours: string, real: string): string {
  const a = ours.split('\n')
  const b = real.split('\n')
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}:\n  ours: ${JSON.stringify(a[i] ?? '<end>')}\n  real: ${JSON.stringify(b[i] ?? '<end>')}`
  }
  return 'texts differ only in line endings'
}

/** Runs the three checks; returns the problems found and the raw dump. */
export function verifyAgainstKernel(e: Expectation): { problems: string[]; dump: KernelDump } {
  const dump = loadAndDump(e.payload, { family: e.family, jumpRules: e.jumpRules })
  const problems: string[] = []
  if (dump.setupError !== undefined) problems.push(dump.setupError)
  else if (dump.restoreStatus !== 0) {
    const line = /line (\d+)/.exec(dump.restoreStderr)
    const text = line ? `\n  line ${line[1]}: ${e.payload.split('\n')[Number(line[1]) - 1] ?? ''}` : ''
    problems.push(`iptables-restore rejected the payload (status ${dump.restoreStatus}): ${dump.restoreStderr.trim()}${text}`)
  }
  else {
    if (dump.save !== e.save) problems.push(`iptables-save differs at ${firstDifference(e.save, dump.save)}`)
    if (dump.list !== e.list) problems.push(`iptables -L differs at ${firstDifference(e.list, dump.list)}`)
  }
  return { problems, dump }
}
