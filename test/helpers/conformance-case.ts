/**
 * Runs a kube-proxy conformance case (the format of test/fixtures/conformance/kube-proxy-iptables,
 * see its README) through the CLI, the way a user would: `plan`/`trace` with `--cluster input.yaml
 * --cluster <facts generated from config.json>`. Shared by the shipped cases, the synthetic ones
 * and any case dropped into those folders later.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from 'vitest'
import { caseFactsFile, CONFORMANCE_DIR, readCaseConfig } from './case-facts.ts'
import { runCli } from './run-cli.ts'
import { suiteVersion } from './suite-versions.ts'

/** One entry of a case's flows.json. */
export interface Flow {
  readonly name: string
  readonly sourceIP: string
  readonly destIP: string
  readonly destPort: number
  readonly protocol: string
  readonly output: string
  readonly masq: boolean
}

/** One entry of a case's expected-chains.json. */
export interface ChainExpectation {
  readonly table: string
  readonly chain: string
  readonly rules: readonly string[]
}

/** Reads a JSON file of a case. */
export function readCaseJson<T>(dir: string, name: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, name, file), 'utf8')) as T
}

/**
 * `--cluster input.yaml --cluster <facts> --kubernetes-version <the case's or else the suite's>`
 * (+ `--ip-family IPv6` for IPv6 proxiers).
 */
export function clusterArgs(name: string, dir: string = CONFORMANCE_DIR): string[] {
  const config = readCaseConfig(name, dir)
  const family = config.ipFamily === 'IPv6' ? ['--ip-family', 'IPv6'] : []
  const version = config.kubernetesVersion ?? suiteVersion(dir)
  return ['--cluster', join(dir, name, 'input.yaml'), '--cluster', caseFactsFile(name, dir), '--kubernetes-version', version, ...family]
}

/** `plan -o iptables-restore` of the case, with the test fake's mark spelling (`0x4000`). */
export async function planCaseRestore(name: string, dir: string = CONFORMANCE_DIR): Promise<string> {
  const r = await runCli(['plan', ...clusterArgs(name, dir), '-o', 'iptables-restore'])
  // Existing objects are taken as given, so no errors; odd values may still earn a warning.
  expect(r.code, r.stderr).toBe(0)
  return r.stdout.replaceAll('0x00004000', '0x4000')
}

/** The rules of one chain of one table, as `-A CHAIN ...` lines in order (assertIPTablesChainEqual). */
export function chainRules(restore: string, table: string, chain: string): string[] {
  const out: string[] = []
  let current = ''
  for (const line of restore.split('\n')) {
    if (line.startsWith('*')) current = line.slice(1)
    else if (current === table && line.startsWith(`-A ${chain} `)) out.push(line)
  }
  return out
}

/** `--from --to --protocol -o json` for a flow; protocol "" means the upstream runner's tcp. */
export function flowArgs(f: Flow): string[] {
  const to = f.destIP.includes(':') ? `[${f.destIP}]:${f.destPort}` : `${f.destIP}:${f.destPort}`
  const protocol = f.protocol === '' ? 'tcp' : f.protocol.toLowerCase()
  return ['--from', f.sourceIP, '--to', to, '--protocol', protocol, '-o', 'json']
}

/** Traces a flow with `kube-whatif trace ... -o json` and returns the upstream-tracer fields. */
export async function traceFlow(args: readonly string[], f: Flow): Promise<{ output: string; masq: boolean }> {
  const r = await runCli(['trace', ...args, ...flowArgs(f)])
  expect(r.stderr).not.toMatch(/error/)
  expect(r.code, r.stderr).toBe(0)
  const t = JSON.parse(r.stdout) as { output: string; masquerade: boolean }
  return { output: t.output, masq: t.masquerade }
}
