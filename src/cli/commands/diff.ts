/**
 * @module cli/commands/diff
 * `kube-whatif diff`: plan the base and the head manifests against the same cluster facts and
 * print what changes. Exit codes follow `terraform plan -detailed-exitcode`: 0 no changes,
 * 2 changes, 1 errors (error findings, usage, or I/O). With `--base-ref REF` the base side is
 * read from a git commit (`git ls-tree` + `git show`, no checkout) for the same PATHs as `--head`.
 */
import { normalize } from 'node:path'
import { DIFF_FORMATS, diffExitCode, parseProbesFile, planDiff, renderDiff, type ProbeSpec, type SourceFile } from '#core'
import { gitIn, readPathsAtCommit, resolveCommit, type GitRunner } from '../../node/git-tree.ts'
import { cliReproduction, reproduceCommand } from '../../node/reproduce.ts'
import { ipFamilyOpt, kubernetesVersionOpt, LIMIT_OPTIONS, LIMIT_USAGE, limitOpts, parseCommandArgs, proxyModeOpt, stringOpt, stringsOpt, type OptionsSpec } from '../args.ts'
import { UsageError } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { chooseFormat, refuseUnknownNode, withFinalNewline, writeIssues } from '../output.ts'
import { cliParseLimits, MAX_INPUT_BYTES_HELP, MAX_INPUT_BYTES_OPTION, maxInputBytesOpt, readFileOption, readSources, usageErrorFor } from '../sources.ts'
import { toolVersion } from '../version.ts'
import type { CommandModule } from './registry.ts'

const USAGE = `Usage: kube-whatif diff --head PATH... (--base PATH... | --base-ref REF) [--cluster PATH]...
                        [--probes FILE] [--node NAME] [--ip-family IPv4|IPv6] [--target NAME]
                        [--kubernetes-version V | --base-kubernetes-version V
                         --head-kubernetes-version V] [--proxy-mode MODE]
                        [--base-proxy-mode MODE] [--head-proxy-mode MODE] [--current-rules FILE]
                        [-o text|markdown|json]

Plans the base and the head manifests against the same cluster facts and shows what changes in
Service networking: Services created / updated / deleted, ClusterIP and NodePort allocations,
endpoints, exposure (NodePorts, external IPs, load balancers, source ranges), the kube-proxy
rules per node as a unified diff (iptables or nftables mode), and findings (errors and risks)
with file:line. With --base-proxy-mode iptables --head-proxy-mode nftables (the same manifests
on both sides) it is a migration view: what changes per Service port when kube-proxy switches.

Options:
  --head PATH          manifests after the change (file, directory, or -); repeatable
  --base PATH          manifests before the change; repeatable
  --base-ref REF       read the base side from git commit REF for the same PATHs as --head
                       (git ls-tree + git cat-file; nothing is checked out)
  --cluster PATH       what already exists and the cluster facts, shared by both sides; repeatable
  --probes FILE        YAML/JSON list of {name, from, to, protocol}: show how each outcome changes
  --node NAME          compare only this node's rules (default: every node, up to 20)
  --ip-family FAMILY   IPv4 or IPv6
  --kubernetes-version V  the Kubernetes release (1.31 to 1.35) both sides are planned at
                       (default: ClusterProfile.kubernetesVersion, else 1.35)
  --base-kubernetes-version V, --head-kubernetes-version V
                       plan each side at its own release: an upgrade preview for Service
                       networking (give the same manifests as --base and --head to see only
                       what the upgrade changes); each defaults to --kubernetes-version
  --proxy-mode MODE    iptables or nftables for both sides (default: the KubeProxyConfiguration's)
  --base-proxy-mode MODE, --head-proxy-mode MODE
                       one side's mode (wins over --proxy-mode)
  --target NAME        label for the report heading (the Action's comment key)
  --current-rules FILE the node's iptables-save output before the base: the base syncs from it,
                       the head from what the base leaves (stale chains deleted, -X); only that
                       node's rules are compared
  -o, --output FORMAT  text (default), markdown (the PR comment, with a mermaid packet-path
                       diagram per changed service port unless the size budget drops them), json,
                       sarif (findings for code scanning, SARIF 2.1.0)
${MAX_INPUT_BYTES_HELP}
  -h, --help           show this help

Work limits (docs/limits.md), as for 'plan', applied to each side:
${LIMIT_USAGE}

Exit codes (terraform plan -detailed-exitcode): 0 no changes; 2 changes; 1 errors (an error
finding in the input, a usage error or an unreadable file).
`

const OPTIONS: OptionsSpec = {
  head: { type: 'string', multiple: true },
  base: { type: 'string', multiple: true },
  'base-ref': { type: 'string' },
  cluster: { type: 'string', multiple: true },
  probes: { type: 'string' },
  node: { type: 'string' },
  'ip-family': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  'base-kubernetes-version': { type: 'string' },
  'head-kubernetes-version': { type: 'string' },
  'proxy-mode': { type: 'string' },
  'base-proxy-mode': { type: 'string' },
  'head-proxy-mode': { type: 'string' },
  target: { type: 'string' },
  'current-rules': { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...MAX_INPUT_BYTES_OPTION,
  help: { type: 'boolean', short: 'h' },
  ...LIMIT_OPTIONS,
}

/** git in the current directory, its failures as usage errors (exit 1). */
const realGit: GitRunner = (args, input) =>
  gitIn(process.cwd())(args, input).catch((e: unknown) => {
    throw new UsageError(e instanceof Error ? e.message : String(e))
  })

/** The base side from commit `ref` for the same PATHs as the head side (see readPathsAtCommit). */
export async function readAtRef(git: GitRunner, ref: string, paths: readonly string[], maxBytes: number): Promise<SourceFile[]> {
  const commit = await resolveCommit(git, ref).catch(() => {
    throw new UsageError(`--base-ref ${ref}: not a commit in this repository`)
  })
  try {
    return await readPathsAtCommit(git, commit, paths, maxBytes, ref)
  } catch (e) {
    throw usageErrorFor(e)
  }
}

function colourWanted(io: CliIo): boolean {
  if (io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '') return false
  if (io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0') return true
  return process.stdout.isTTY === true
}

async function run(argv: readonly string[], io: CliIo, git: GitRunner = realGit): Promise<number> {
  try {
    return await diff(argv, io, git)
  } catch (e) {
    // terraform's -detailed-exitcode reserves 2 for "changes": usage and I/O failures are 1 here.
    if (e instanceof UsageError) {
      io.stderr(`kube-whatif: ${e.message}\n${e.hint ? `${e.hint}\n` : ''}`)
      return 1
    }
    throw e
  }
}

async function diff(argv: readonly string[], io: CliIo, git: GitRunner): Promise<number> {
  const args = parseCommandArgs('diff', argv, OPTIONS)
  if (args.values.help === true) {
    io.stdout(USAGE)
    return 0
  }
  const format = chooseFormat('diff', stringOpt(args, 'output'), DIFF_FORMATS, 'text')
  const ipFamily = ipFamilyOpt('diff', args)
  // One version for both sides, or an upgrade preview: base planned at one release, head at another.
  const bothVersion = kubernetesVersionOpt('diff', args)
  const baseVersion = kubernetesVersionOpt('diff', args, 'base-kubernetes-version') ?? bothVersion
  const headVersion = kubernetesVersionOpt('diff', args, 'head-kubernetes-version') ?? bothVersion
  const proxyMode = proxyModeOpt('diff', args)
  const baseProxyMode = proxyModeOpt('diff', args, 'base-proxy-mode')
  const headProxyMode = proxyModeOpt('diff', args, 'head-proxy-mode')
  const node = stringOpt(args, 'node')
  const target = stringOpt(args, 'target')
  const limits = limitOpts('diff', args)
  const headPaths = [...stringsOpt(args, 'head'), ...args.positionals]
  const basePaths = stringsOpt(args, 'base')
  const baseRef = stringOpt(args, 'base-ref')
  const hint = "Run 'kube-whatif diff --help' for usage."
  if (headPaths.length === 0) throw new UsageError('no head side: give --head PATH', hint)
  if (baseRef !== undefined && basePaths.length > 0) throw new UsageError('give either --base PATH or --base-ref REF, not both', hint)
  if (baseRef === undefined && basePaths.length === 0) throw new UsageError('no base side: give --base PATH or --base-ref REF', hint)

  const maxBytes = maxInputBytesOpt('diff', args)
  const read = { maxBytes, stdin: { used: false } }
  const cluster = await readSources(io, stringsOpt(args, 'cluster'), 'existing', read)
  // A --cluster file is shared by both sides, never also one side's manifest (as in the Action),
  // so `--head . --cluster cluster/` does not read the cluster facts twice.
  const shared = new Set(cluster.map((f) => normalize(f.path)))
  const notShared = (files: SourceFile[]): SourceFile[] => files.filter((f) => !shared.has(normalize(f.path)))
  const head = notShared(await readSources(io, headPaths, 'proposed', read))
  const base = notShared(baseRef !== undefined ? await readAtRef(git, baseRef, headPaths, maxBytes) : await readSources(io, basePaths, 'proposed', read))

  let probes: ProbeSpec[] | undefined
  const probesPath = stringOpt(args, 'probes')
  if (probesPath !== undefined) {
    const [file] = await readSources(io, [probesPath], 'existing', read)
    const parsed = parseProbesFile(probesPath, file?.text ?? '')
    writeIssues(io, parsed.issues)
    if (parsed.issues.some((i) => i.severity === 'error')) return 1
    probes = parsed.value.specs
  }

  const currentPath = stringOpt(args, 'current-rules')
  const currentRules = currentPath !== undefined ? await readFileOption(io, '--current-rules', currentPath, read) : undefined

  const result = planDiff({
    base,
    head,
    cluster,
    ...(probes ? { probes } : {}),
    options: {
      ...(node !== undefined ? { node } : {}),
      ...(ipFamily !== undefined ? { ipFamily } : {}),
      ...(baseVersion !== undefined ? { baseKubernetesVersion: baseVersion } : {}),
      ...(headVersion !== undefined ? { headKubernetesVersion: headVersion } : {}),
      ...(currentRules ? { currentRules } : {}),
      ...(proxyMode !== undefined ? { proxyMode } : {}),
      ...(baseProxyMode !== undefined ? { baseProxyMode } : {}),
      ...(headProxyMode !== undefined ? { headProxyMode } : {}),
      limits: { ...cliParseLimits(maxBytes), ...limits },
    },
  })
  refuseUnknownNode('diff', result.issues)
  io.stdout(
    withFinalNewline(
      renderDiff(result, format, {
        version: toolVersion(),
        color: format === 'text' && colourWanted(io),
        reproduce: reproduceCommand(cliReproduction(argv)),
        ...(target !== undefined ? { target } : {}),
        ...(baseRef !== undefined ? { baseRef, headRef: 'working tree' } : {}),
      }),
    ),
  )
  return diffExitCode(result.value.summary)
}

/** The `diff` subcommand. `runWithGit` lets tests inject a git runner. */
export const command: CommandModule & { runWithGit: typeof run } = { usage: USAGE, run: (argv, io) => run(argv, io), runWithGit: run }
