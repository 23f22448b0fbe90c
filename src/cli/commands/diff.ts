/**
 * @module cli/commands/diff
 * `kube-whatif diff`: plan the base and the head manifests against the same cluster facts and
 * print what changes. Exit codes follow `terraform plan -detailed-exitcode`: 0 no changes,
 * 2 changes, 1 errors (error findings, usage, or I/O). With `--base-ref REF` the base side is
 * read from a git commit (`git ls-tree` + `git show`, no checkout) for the same PATHs as `--head`.
 */
import { execFile } from 'node:child_process'
import { normalize } from 'node:path'
import { planDiff, diffExitCode } from '../../core/diff/index.ts'
import type { SourceFile } from '../../core/model/inventory.ts'
import { DIFF_FORMATS, renderDiff } from '../../core/report/render-diff.ts'
import { parseProbesFile } from '../../core/trace/probe.ts'
import type { ProbeSpec } from '../../core/trace/types.ts'
import { ipFamilyOpt, parseCommandArgs, stringOpt, stringsOpt, type OptionsSpec } from '../args.ts'
import { decodeManifestBytes } from '../decode.ts'
import { UsageError } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { chooseFormat, withFinalNewline, writeIssues } from '../output.ts'
import { MANIFEST_EXTENSIONS, readSources } from '../sources.ts'
import { toolVersion } from '../version.ts'
import type { CommandModule } from './index.ts'

const USAGE = `Usage: kube-whatif diff --head PATH... (--base PATH... | --base-ref REF) [--cluster PATH]...
                        [--probes FILE] [--node NAME] [--ip-family IPv4|IPv6] [--target NAME]
                        [-o text|markdown|json]

Plans the base and the head manifests against the same cluster facts and shows what changes in
Service networking: Services created / updated / deleted, ClusterIP and NodePort allocations,
endpoints, exposure (NodePorts, external IPs, load balancers, source ranges), the iptables rules
per node as a unified diff, and findings (errors and risks) with file:line.

Options:
  --head PATH          manifests after the change (file, directory, or -); repeatable
  --base PATH          manifests before the change; repeatable
  --base-ref REF       read the base side from git commit REF for the same PATHs as --head
                       (git ls-tree + git show; nothing is checked out)
  --cluster PATH       what already exists and the cluster facts, shared by both sides; repeatable
  --probes FILE        YAML/JSON list of {name, from, to, protocol}: show how each outcome changes
  --node NAME          compare only this node's rules (default: every node, up to 20)
  --ip-family FAMILY   IPv4 or IPv6
  --target NAME        label for the report heading (the Action's comment key)
  -o, --output FORMAT  text (default), markdown (the PR comment), json, sarif (findings for
                       code scanning, SARIF 2.1.0)
  -h, --help           show this help

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
  target: { type: 'string' },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
}

/** Runs git without a shell; stdout as a Buffer. */
export type GitRunner = (args: readonly string[]) => Promise<Buffer>

const realGit: GitRunner = (args) =>
  new Promise((resolve, reject) => {
    execFile('git', [...args], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new UsageError(`git ${args.join(' ')}: ${stderr.toString().trim() || err.message}`))
      else resolve(stdout)
    })
  })

const isManifest = (p: string): boolean => MANIFEST_EXTENSIONS.some((ext) => p.toLowerCase().endsWith(ext))

/**
 * The base side from commit `ref`: for each head PATH, the manifests under it in that commit
 * (a file missing there is simply absent: the head side adds it). Paths are relative to the
 * current directory, as git prints them without `--full-name`.
 */
export async function readAtRef(git: GitRunner, ref: string, paths: readonly string[]): Promise<SourceFile[]> {
  await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).catch(() => {
    throw new UsageError(`--base-ref ${ref}: not a commit in this repository`)
  })
  const files: SourceFile[] = []
  const seen = new Set<string>()
  for (const p of paths) {
    if (p === '-') throw new UsageError("--base-ref cannot read standard input ('-'); give files or directories")
    const listed = (await git(['ls-tree', '-r', '-z', '--name-only', ref, '--', p])).toString().split('\0').filter(Boolean)
    const explicitFile = listed.length === 1 && listed[0] === p.replace(/^\.\//, '')
    const root = p.replace(/^\.(\/|$)/, '').replace(/\/+$/, '')
    for (const path of listed.sort()) {
      // A directory argument reads manifests only; a file argument is read whatever its name.
      if ((!explicitFile && !isManifest(path)) || seen.has(path)) continue
      // Like the working-tree walk: dot-directories below the argument are skipped.
      const rel = root !== '' && path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path
      if (!explicitFile && rel.split('/').slice(0, -1).some((seg) => seg.startsWith('.'))) continue
      seen.add(path)
      const bytes = await git(['show', '--no-textconv', `${ref}:./${path}`])
      let text: string
      try {
        text = decodeManifestBytes(bytes)
      } catch (e) {
        throw new UsageError(`cannot read '${path}' at ${ref}: ${e instanceof Error ? e.message : String(e)}`)
      }
      files.push({ path, text, origin: 'proposed' })
    }
  }
  return files
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
  const node = stringOpt(args, 'node')
  const target = stringOpt(args, 'target')
  const headPaths = [...stringsOpt(args, 'head'), ...args.positionals]
  const basePaths = stringsOpt(args, 'base')
  const baseRef = stringOpt(args, 'base-ref')
  const hint = "Run 'kube-whatif diff --help' for usage."
  if (headPaths.length === 0) throw new UsageError('no head side: give --head PATH', hint)
  if (baseRef !== undefined && basePaths.length > 0) throw new UsageError('give either --base PATH or --base-ref REF, not both', hint)
  if (baseRef === undefined && basePaths.length === 0) throw new UsageError('no base side: give --base PATH or --base-ref REF', hint)

  const stdin = { used: false }
  const cluster = await readSources(io, stringsOpt(args, 'cluster'), 'existing', stdin)
  // A --cluster file is shared by both sides, never also one side's manifest (as in the Action),
  // so `--head . --cluster cluster/` does not read the cluster facts twice.
  const shared = new Set(cluster.map((f) => normalize(f.path)))
  const notShared = (files: SourceFile[]): SourceFile[] => files.filter((f) => !shared.has(normalize(f.path)))
  const head = notShared(await readSources(io, headPaths, 'proposed', stdin))
  const base = notShared(baseRef !== undefined ? await readAtRef(git, baseRef, headPaths) : await readSources(io, basePaths, 'proposed', stdin))

  let probes: ProbeSpec[] | undefined
  const probesPath = stringOpt(args, 'probes')
  if (probesPath !== undefined) {
    const [file] = await readSources(io, [probesPath], 'existing', stdin)
    const parsed = parseProbesFile(probesPath, file?.text ?? '')
    writeIssues(io, parsed.issues)
    if (parsed.issues.some((i) => i.severity === 'error')) return 1
    probes = parsed.value.specs
  }

  const result = planDiff({
    base,
    head,
    cluster,
    ...(probes ? { probes } : {}),
    options: { ...(node !== undefined ? { node } : {}), ...(ipFamily !== undefined ? { ipFamily } : {}) },
  })
  const reproduce = ['kube-whatif', 'diff', ...argv.filter((a, i) => !['-o', '--output'].includes(a) && !['-o', '--output'].includes(argv[i - 1] ?? ''))]
  io.stdout(
    withFinalNewline(
      renderDiff(result, format, {
        version: toolVersion(),
        color: format === 'text' && colourWanted(io),
        reproduce: reproduce.join(' '),
        ...(target !== undefined ? { target } : {}),
        ...(baseRef !== undefined ? { baseRef, headRef: 'working tree' } : {}),
      }),
    ),
  )
  return diffExitCode(result.value.summary)
}

/** The `diff` subcommand. `runWithGit` lets tests inject a git runner. */
export const command: CommandModule & { runWithGit: typeof run } = { usage: USAGE, run: (argv, io) => run(argv, io), runWithGit: run }
