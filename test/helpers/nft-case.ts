/**
 * CLI runs of the kube-proxy nftables conformance cases (`plan -o nft`, `trace -o json`), the way
 * a user would run them, with the facts of test/helpers/nft-case-facts.ts.
 */
import { expect } from 'vitest'
import type { Flow } from './conformance-case.ts'
import { nftCaseArgs } from './nft-case-facts.ts'
import { runCli } from './run-cli.ts'

export { listNftCases, NFT_CASES_DIR, nftCaseArgs, readNftCaseConfig } from './nft-case-facts.ts'

/** `plan -o nft` of a case with the fake's mark spelling (`0x4000`). */
export async function planNftCase(name: string): Promise<string> {
  const r = await runCli(['plan', ...nftCaseArgs(name), '-o', 'nft'])
  expect(r.code, r.stderr).toBe(0)
  return r.stdout.replaceAll('0x00004000', '0x4000')
}

/** Traces a flow of a case (or of its `after-endpointslice-delete` step) in nftables mode. */
export async function traceNftFlow(name: string, step: string, f: Flow): Promise<{ output: string; masq: boolean }> {
  const to = f.destIP.includes(':') ? `[${f.destIP}]:${f.destPort}` : `${f.destIP}:${f.destPort}`
  const protocol = f.protocol === '' ? 'tcp' : f.protocol.toLowerCase()
  const r = await runCli(['trace', ...nftCaseArgs(name, step), '--from', f.sourceIP, '--to', to, '--protocol', protocol, '-o', 'json'])
  expect(r.code, r.stderr).toBe(0)
  const t = JSON.parse(r.stdout) as { output: string; masquerade: boolean }
  return { output: t.output, masq: t.masquerade }
}
