/**
 * Shared helpers of the real-world fidelity tests: temporary manifest trees and `plan -o json`
 * through the CLI, typed just enough for the assertions.
 */
import { runCli, type CliRun } from '../helpers/run-cli.ts'
import { tmpTree } from '../helpers/tmp-tree.ts'

export { tmpTree }

export interface JsonEndpoint {
  readonly ip: string
  readonly ports: readonly { name: string; port: number; protocol: string }[]
  readonly node?: string
  readonly ready: boolean
  readonly serving: boolean
  readonly terminating: boolean
  readonly target?: string
}
export interface JsonService {
  readonly namespace: string
  readonly name: string
  readonly type: string
  readonly clusterIPs: readonly string[]
  readonly clusterIPOrigin?: string
  readonly notProxied?: string
  readonly ports: readonly { name: string; protocol: string; port: number; targetPort: number | string; nodePort: number; nodePortOrigin?: string }[]
  readonly endpoints: readonly JsonEndpoint[]
  readonly dns?: readonly { name: string; type: string; addresses: readonly string[] }[]
}
export interface JsonServicePort {
  readonly spn: string
  readonly endpoints: readonly { ip: string; port: number; ready: boolean; serving: boolean; node?: string }[]
  readonly internal: { verdict: string }
}
export interface JsonPlan {
  readonly node: string
  readonly services: readonly JsonService[]
  readonly servicePorts: readonly JsonServicePort[]
  readonly assumptions: readonly string[]
  readonly issues: readonly { code: string; severity: string; message: string; source?: { file: string; line: number } }[]
  readonly cluster: { nodes: readonly { name: string; labels: Record<string, string>; synthesised?: boolean }[] }
}

/** `kube-whatif plan ARGS -o json`, parsed. */
export async function planJson(args: readonly string[]): Promise<{ run: CliRun; plan: JsonPlan }> {
  const run = await runCli(['plan', ...args, '-o', 'json'])
  return { run, plan: JSON.parse(run.stdout) as JsonPlan }
}

/** The plan's Service `ns/name`. */
export function svc(plan: JsonPlan, ref: string): JsonService {
  const s = plan.services.find((x) => `${x.namespace}/${x.name}` === ref)
  if (s === undefined) throw new Error(`no Service ${ref} in the plan (have ${plan.services.map((x) => `${x.namespace}/${x.name}`).join(', ')})`)
  return s
}
