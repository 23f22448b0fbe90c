/**
 * @module action/inputs
 * Typed inputs with the defaults of `action.yml` mirrored here, so a missing input (local runs,
 * tests) behaves like the documented default. Bad values are a usage error, reported once.
 */
import { parseKubernetesVersion, SUPPORTED_VERSIONS_TEXT, type KubernetesVersion } from '#core'
import type { ActionIO } from './ports.ts'

export type CommentMode = 'always' | 'on-change' | 'never'
export type FailOn = 'error' | 'warning' | 'change' | 'never'

/** The Action's inputs after defaults and validation. */
export interface Inputs {
  /** Include globs for manifests (`!glob` entries exclude). */
  readonly paths: readonly string[]
  /** Globs of cluster-facts files (read from the working tree; used for both sides). */
  readonly cluster: readonly string[]
  /** Commit for the base side; empty = the PR's base SHA. */
  readonly baseRef: string
  readonly comment: CommentMode
  readonly failOn: FailOn
  /** Key that keeps several jobs' comments apart. */
  readonly target: string
  readonly token: string
  /** kube-proxy backend for both sides; `''` = the KubeProxyConfiguration's mode. */
  readonly proxyMode: '' | 'iptables' | 'nftables'
  /** Kubernetes version both sides are planned at; undefined = the ClusterProfile's, else 1.35. */
  readonly kubernetesVersion?: KubernetesVersion
}

/** Default manifest globs: every YAML/JSON file. */
export const DEFAULT_PATHS: readonly string[] = ['**/*.yaml', '**/*.yml', '**/*.json']

/** Always excluded: workflow files and dependencies are never manifests to plan. */
export const ALWAYS_EXCLUDE: readonly string[] = ['.github/**', '**/node_modules/**', '.git/**']

/** Splits a list input on newlines and commas; blank entries and `#` comments are dropped. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'))
}

function oneOf<T extends string>(io: ActionIO, name: string, allowed: readonly T[], fallback: T): T {
  const v = io.getInput(name).trim()
  if (v === '') return fallback
  if ((allowed as readonly string[]).includes(v)) return v as T
  const listed = allowed.filter((a) => a !== '').join(', ')
  throw new Error(`Input "${name}" must be one of ${listed}${allowed.includes('' as T) ? ' (or empty)' : ''}; got "${v}"`)
}

/** Reads and validates every input. Throws an Error with a one-line message for bad values. */
export function readInputs(io: ActionIO): Inputs {
  const paths = splitList(io.getInput('paths'))
  const kubernetesVersion = versionInput(io)
  return {
    ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
    paths: paths.length > 0 ? paths : DEFAULT_PATHS,
    cluster: splitList(io.getInput('cluster')),
    baseRef: io.getInput('base-ref').trim(),
    comment: oneOf(io, 'comment', ['always', 'on-change', 'never'] as const, 'always'),
    failOn: oneOf(io, 'fail-on', ['error', 'warning', 'change', 'never'] as const, 'error'),
    target: io.getInput('target').trim(),
    token: io.getInput('github-token').trim(),
    proxyMode: oneOf(io, 'proxy-mode', ['', 'iptables', 'nftables'] as const, ''),
  }
}

/** `kubernetes-version`: like the CLI's `--kubernetes-version` (1.31..1.35, `v1.34`, `1.34.2`). */
function versionInput(io: ActionIO): KubernetesVersion | undefined {
  const v = io.getInput('kubernetes-version').trim()
  if (v === '') return undefined
  const parsed = parseKubernetesVersion(v)
  if (parsed === undefined) throw new Error(`Input "kubernetes-version": Kubernetes version "${v}" is not modelled (${SUPPORTED_VERSIONS_TEXT})`)
  return parsed
}
