/**
 * @module cli/commands/trace
 * `kube-whatif trace`: plan the manifests (or read a ruleset file with --rules) and trace one
 * probe (--from/--to) or a probes file through the node's iptables rules.
 */
import {
  canonicalIP,
  destinationFamily,
  parseProbesFile,
  planFromSources,
  renderTraces,
  traceProbes,
  traceRules,
  TRACE_FORMATS,
  type Issue,
  type PlanResult,
  type ProbeSources,
  type ProbeSpec,
  type Staged,
  type Trace,
  pushAll,
} from '#core'
import { ipFamilyOpt, kubernetesVersionOpt, LIMIT_OPTIONS, LIMIT_USAGE, limitOpts, oneOf, parseCommandArgs, proxyModeOpt, stringOpt, stringsOpt, type OptionsSpec } from '../args.ts'
import { EXIT, UsageError } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { chooseFormat, exitCodeFor, refuseUnknownNode, withFinalNewline, writeIssues } from '../output.ts'
import { cliParseLimits, MAX_INPUT_BYTES_HELP, MAX_INPUT_BYTES_OPTION, maxInputBytesOpt, readFileOption, readSources } from '../sources.ts'
import type { CommandModule } from './registry.ts'

const USAGE = `Usage: kube-whatif trace [PATH ...] [--cluster PATH]...
                         (--from SRC --to DST [--protocol tcp|udp|sctp] | --probes FILE)
                         [--node NAME] [--ip-family IPv4|IPv6] [--kubernetes-version 1.31..1.35]
                         [--proxy-mode iptables|nftables] [--rules FILE [--node-ip IP]...]
                         [--current-rules FILE] [-o text|json|mermaid|dot|svg]

Traces a packet through the rules kube-proxy (iptables or nftables mode) installs on one node: every possible
outcome with its probability (one per endpoint when load-balanced), the DNAT destination,
masquerading (also hairpin), or the terminal verdict (DROP, REJECT, no rule), and the path with
each rule's line in 'kube-whatif plan -o iptables-restore' (nftables mode: '-o nft'; verdict maps,
numgen branches, sets and affinity are followed). The JSON also has 'output' and
'masquerade' exactly as kube-proxy's own unit-test tracer computes them.

A source that is one of the node's own addresses is traced as local traffic (nat OUTPUT, filter
OUTPUT); the report says where that differs from kube-proxy's tracer, which always enters via nat
PREROUTING. With ClientIP session affinity the first connection is traced and repeated
connections from the same client are reported to stick to the endpoint it chose.

Arguments:
  PATH                 proposed manifests (file, directory, or - for standard input)

Options:
  --cluster PATH       what already exists and the cluster facts (Node, KubeProxyConfiguration,
                       ClusterProfile); repeatable
  --from SRC           packet source: an IP, pod:NAMESPACE/NAME (the Pod's IP) or node:NAME (the
                       Node's InternalIP)
  --to DST             destination IP:PORT, [IPv6]:PORT, node:NAME:PORT, pod:NS/NAME:PORT, or a
                       Service port svc:NS/NAME:PORT (also NS/NAME:PORT; PORT is the number or
                       the port's name; its cluster IP, and its protocol unless --protocol)
  --protocol PROTO     tcp (default), udp or sctp
  --probes FILE        YAML or JSON list of {name, from, to, protocol}; traced in file order
  --node NAME          the node whose rules are walked (as for 'plan')
  --ip-family FAMILY   IPv4 or IPv6 (as for 'plan'; default: the family of the first service CIDR)
  --kubernetes-version V  the release planned, 1.31 to 1.35 (as for 'plan'; default:
                       ClusterProfile.kubernetesVersion, else 1.35)
  --proxy-mode MODE    iptables or nftables (as for 'plan'; default: the KubeProxyConfiguration's)
  --rules FILE         trace an iptables-restore / iptables-save file instead of planning; a file
                       without nat PREROUTING gets kube-proxy's base-chain jump rules
  --node-ip IP         with --rules: an address of the node (LOCAL); repeatable. Default: the
                       addresses of the planned node when PATH/--cluster are given
  --current-rules FILE the node's iptables-save output before the sync: the packet meets the
                       rules after the planned full sync from that state
  -o, --output FORMAT  text (default), json (one object; an array with --probes), or the path
                       as a picture: mermaid (flowchart LR, one subgraph per probe), dot
                       (Graphviz) or svg
${MAX_INPUT_BYTES_HELP}
  -h, --help           show this help

Work limits (docs/limits.md), as for 'plan':
${LIMIT_USAGE}

Exit codes: 0 traced; 1 the input has errors (e.g. a probe that cannot be resolved); 2 usage
error or unreadable file.
`

const OPTIONS: OptionsSpec = {
  cluster: { type: 'string', multiple: true },
  from: { type: 'string' },
  to: { type: 'string' },
  protocol: { type: 'string' },
  probes: { type: 'string' },
  node: { type: 'string' },
  'ip-family': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  'proxy-mode': { type: 'string' },
  rules: { type: 'string' },
  'node-ip': { type: 'string', multiple: true },
  'current-rules': { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...MAX_INPUT_BYTES_OPTION,
  help: { type: 'boolean', short: 'h' },
  ...LIMIT_OPTIONS,
}

const HINT = "Run 'kube-whatif trace --help' for usage."

/** The probes asked for: one from --from/--to, or the probes file. */
async function readProbes(
  io: CliIo,
  from: string | undefined,
  to: string | undefined,
  protocol: string | undefined,
  probesPath: string | undefined,
  read: { maxBytes: number; stdin: { used: boolean } },
): Promise<{ specs: ProbeSpec[]; sources: ProbeSources; issues: readonly Issue[]; single: boolean }> {
  if (probesPath !== undefined) {
    if (from !== undefined || to !== undefined || protocol !== undefined) {
      throw new UsageError('--probes cannot be combined with --from, --to or --protocol', HINT)
    }
    const [file] = await readSources(io, [probesPath], 'existing', read)
    const parsed = parseProbesFile(probesPath, file?.text ?? '')
    return { specs: parsed.value.specs, sources: parsed.value.sources, issues: parsed.issues, single: false }
  }
  if (from === undefined || to === undefined) throw new UsageError('give --from and --to, or --probes FILE', HINT)
  if (protocol !== undefined) oneOf('trace', '--protocol', protocol.toLowerCase(), ['tcp', 'udp', 'sctp'] as const)
  return { specs: [{ from, to, ...(protocol !== undefined ? { protocol } : {}) }], sources: [], issues: [], single: true }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('trace', argv, OPTIONS)
  if (args.values.help === true) {
    io.stdout(USAGE)
    return EXIT.ok
  }
  const format = chooseFormat('trace', stringOpt(args, 'output'), TRACE_FORMATS, 'text')
  const ipFamily = ipFamilyOpt('trace', args)
  const kubernetesVersion = kubernetesVersionOpt('trace', args)
  const proxyMode = proxyModeOpt('trace', args)
  const node = stringOpt(args, 'node')
  const rulesPath = stringOpt(args, 'rules')
  const nodeIPArgs = stringsOpt(args, 'node-ip')
  const clusterPaths = stringsOpt(args, 'cluster')
  const limits = limitOpts('trace', args)
  const currentPath = stringOpt(args, 'current-rules')
  if (rulesPath === undefined && nodeIPArgs.length > 0) throw new UsageError('--node-ip needs --rules', HINT)
  if (rulesPath !== undefined && currentPath !== undefined) throw new UsageError('--current-rules needs manifests to plan; --rules traces a file as it is', HINT)
  if (rulesPath !== undefined && proxyMode === 'nftables') throw new UsageError('--rules reads iptables files; it cannot be combined with --proxy-mode nftables', HINT)
  if (rulesPath === undefined && args.positionals.length === 0 && clusterPaths.length === 0) {
    throw new UsageError('no input: give manifest PATHs and/or --cluster PATH, or --rules FILE', HINT)
  }

  const maxBytes = maxInputBytesOpt('trace', args)
  const read = { maxBytes, stdin: { used: false } }
  const from = stringOpt(args, 'from')
  const to = stringOpt(args, 'to')
  const probes = await readProbes(io, from, to, stringOpt(args, 'protocol'), stringOpt(args, 'probes'), read)
  const issues: Issue[] = [...probes.issues]
  const nodeIPs: string[] = []
  for (const a of nodeIPArgs) {
    const ip = canonicalIP(a)
    if (ip === undefined) throw new UsageError(`invalid value '${a}' for --node-ip: not an IP address`, HINT)
    nodeIPs.push(ip)
  }

  // Plan whenever manifests or cluster facts are given: for the rules, or (with --rules) for
  // the node's addresses and the Pods/Nodes that pod:/node: probes name.
  const family = ipFamily ?? (rulesPath !== undefined ? destinationFamily(to) : undefined)
  let plan: PlanResult | undefined
  if (args.positionals.length > 0 || clusterPaths.length > 0) {
    const existing = await readSources(io, clusterPaths, 'existing', read)
    const proposed = await readSources(io, args.positionals, 'proposed', read)
    const currentRules = currentPath !== undefined ? await readFileOption(io, '--current-rules', currentPath, read) : undefined
    const planned = planFromSources({
      files: [...existing, ...proposed],
      options: {
        ...(node !== undefined ? { node } : {}),
        ...(family !== undefined ? { ipFamily: family } : {}),
        ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
        ...(currentRules ? { currentRules } : {}),
        ...(proxyMode !== undefined ? { proxyMode } : {}),
        limits: { ...cliParseLimits(maxBytes), ...limits },
      },
    })
    refuseUnknownNode('trace', planned.issues)
    plan = planned.value
    pushAll(issues, planned.issues)
  }

  let traces: Staged<Trace[]>
  if (rulesPath !== undefined) {
    const [file] = await readSources(io, [rulesPath], 'existing', read)
    traces = traceRules({
      rules: { path: rulesPath, text: file?.text ?? '' },
      probes: probes.specs,
      sources: probes.sources,
      ...(node !== undefined ? { node } : {}),
      ...(family !== undefined ? { ipFamily: family } : {}),
      nodeIPs,
      ...(plan !== undefined ? { plan } : {}),
      limits,
    })
  } else {
    traces = traceProbes(plan as PlanResult, probes.specs, probes.sources)
  }
  pushAll(issues, traces.issues)
  const nothing = traces.value.length === 0
  if (!(probes.single && nothing)) io.stdout(withFinalNewline(renderTraces(traces, format, { single: probes.single, ...(plan !== undefined ? { plan } : {}) })))
  writeIssues(io, issues)
  return exitCodeFor(issues)
}

/** The `trace` subcommand. */
export const command: CommandModule = { usage: USAGE, run }
