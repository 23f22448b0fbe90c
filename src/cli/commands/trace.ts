/**
 * @module cli/commands/trace
 * `kube-whatif trace`: plan the manifests (or read a ruleset file with --rules) and trace one
 * probe (--from/--to) or a probes file through the node's iptables rules.
 */
import type { Issue } from '../../core/issues.ts'
import type { IPFamily } from '../../core/model/k8s.ts'
import { formatIP, parseIPSloppy } from '../../core/net/ip.ts'
import { planFromSources } from '../../core/plan/plan.ts'
import type { PlanResult } from '../../core/plan/types.ts'
import { parseRestore } from '../../core/proxy/iptables/parse.ts'
import { planTarget, rulesetTarget, traceTarget, type TraceTarget } from '../../core/trace/index.ts'
import { parseProbesFile, splitHostPort, type ProbeSources } from '../../core/trace/probe.ts'
import { renderTraces, TRACE_FORMATS } from '../../core/trace/render.ts'
import type { ProbeSpec } from '../../core/trace/types.ts'
import { ipFamilyOpt, oneOf, parseCommandArgs, stringOpt, stringsOpt, type OptionsSpec } from '../args.ts'
import { EXIT, UsageError } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { chooseFormat, exitCodeFor, withFinalNewline, writeIssues } from '../output.ts'
import { readSources } from '../sources.ts'
import type { CommandModule } from './index.ts'

const USAGE = `Usage: kube-whatif trace [PATH ...] [--cluster PATH]...
                         (--from SRC --to DST [--protocol tcp|udp|sctp] | --probes FILE)
                         [--node NAME] [--ip-family IPv4|IPv6] [--rules FILE [--node-ip IP]...]
                         [-o text|json]

Traces a packet through the iptables rules kube-proxy installs on one node: every possible
outcome with its probability (one per endpoint when load-balanced), the DNAT destination,
masquerading (also hairpin), or the terminal verdict (DROP, REJECT, no rule), and the path with
each rule's line in 'kube-whatif plan -o iptables-restore'. The JSON also has 'output' and
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
  --rules FILE         trace an iptables-restore / iptables-save file instead of planning; a file
                       without nat PREROUTING gets kube-proxy's base-chain jump rules
  --node-ip IP         with --rules: an address of the node (LOCAL); repeatable. Default: the
                       addresses of the planned node when PATH/--cluster are given
  -o, --output FORMAT  text (default) or json (one object; an array with --probes)
  -h, --help           show this help

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
  rules: { type: 'string' },
  'node-ip': { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
}

const HINT = "Run 'kube-whatif trace --help' for usage."

/** The probes asked for: one from --from/--to, or the probes file. */
async function readProbes(
  io: CliIo,
  from: string | undefined,
  to: string | undefined,
  protocol: string | undefined,
  probesPath: string | undefined,
  stdin: { used: boolean },
): Promise<{ specs: ProbeSpec[]; sources: ProbeSources; issues: readonly Issue[]; single: boolean }> {
  if (probesPath !== undefined) {
    if (from !== undefined || to !== undefined || protocol !== undefined) {
      throw new UsageError('--probes cannot be combined with --from, --to or --protocol', HINT)
    }
    const [file] = await readSources(io, [probesPath], 'existing', stdin)
    const parsed = parseProbesFile(probesPath, file?.text ?? '')
    return { specs: parsed.value.specs, sources: parsed.value.sources, issues: parsed.issues, single: false }
  }
  if (from === undefined || to === undefined) throw new UsageError('give --from and --to, or --probes FILE', HINT)
  if (protocol !== undefined) oneOf('trace', '--protocol', protocol.toLowerCase(), ['tcp', 'udp', 'sctp'] as const)
  return { specs: [{ from, to, ...(protocol !== undefined ? { protocol } : {}) }], sources: [], issues: [], single: true }
}

/** The family of an IP literal in a destination, if it is one. */
function familyOfDestination(to: string | undefined): IPFamily | undefined {
  const host = to === undefined ? undefined : splitHostPort(to)?.host
  return host === undefined ? undefined : parseIPSloppy(host)?.family
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('trace', argv, OPTIONS)
  if (args.values.help === true) {
    io.stdout(USAGE)
    return EXIT.ok
  }
  const format = chooseFormat('trace', stringOpt(args, 'output'), TRACE_FORMATS, 'text')
  const ipFamily = ipFamilyOpt('trace', args)
  const node = stringOpt(args, 'node')
  const rulesPath = stringOpt(args, 'rules')
  const nodeIPArgs = stringsOpt(args, 'node-ip')
  const clusterPaths = stringsOpt(args, 'cluster')
  if (rulesPath === undefined && nodeIPArgs.length > 0) throw new UsageError('--node-ip needs --rules', HINT)
  if (rulesPath === undefined && args.positionals.length === 0 && clusterPaths.length === 0) {
    throw new UsageError('no input: give manifest PATHs and/or --cluster PATH, or --rules FILE', HINT)
  }

  const stdin = { used: false }
  const from = stringOpt(args, 'from')
  const to = stringOpt(args, 'to')
  const probes = await readProbes(io, from, to, stringOpt(args, 'protocol'), stringOpt(args, 'probes'), stdin)
  const issues: Issue[] = [...probes.issues]

  // Plan whenever manifests or cluster facts are given: for the rules, or (with --rules) for
  // the node's addresses and the Pods/Nodes that pod:/node: probes name.
  let plan: PlanResult | undefined
  if (args.positionals.length > 0 || clusterPaths.length > 0) {
    const existing = await readSources(io, clusterPaths, 'existing', stdin)
    const proposed = await readSources(io, args.positionals, 'proposed', stdin)
    const family = ipFamily ?? (rulesPath !== undefined ? familyOfDestination(to) : undefined)
    const planned = planFromSources({
      files: [...existing, ...proposed],
      options: { ...(node !== undefined ? { node } : {}), ...(family !== undefined ? { ipFamily: family } : {}) },
    })
    plan = planned.value
    issues.push(...planned.issues)
  }

  let target: TraceTarget
  if (rulesPath !== undefined) {
    const [file] = await readSources(io, [rulesPath], 'existing', stdin)
    const text = file?.text ?? ''
    const family = ipFamily ?? familyOfDestination(to)
    const parsed = parseRestore(text, { file: rulesPath, ...(family !== undefined ? { family } : {}) })
    issues.push(...parsed.issues)
    const nodeIPs: string[] = []
    for (const a of nodeIPArgs) {
      const ip = parseIPSloppy(a)
      if (ip === undefined) throw new UsageError(`invalid value '${a}' for --node-ip: not an IP address`, HINT)
      nodeIPs.push(formatIP(ip))
    }
    const t = rulesetTarget({
      tables: parsed.value.tables,
      text,
      ruleLines: parsed.value.ruleLines,
      file: rulesPath,
      node: node ?? plan?.node ?? parsed.value.node,
      ipFamily: ipFamily ?? plan?.ipFamily ?? parsed.value.family,
      nodeIPs: nodeIPs.length > 0 ? nodeIPs : (plan?.proxyConfig.nodeIPs ?? []),
      ...(plan !== undefined ? { pods: plan.pods, nodes: plan.nodes, services: plan.services } : {}),
    })
    issues.push(...t.issues)
    target = t.value
  } else {
    target = planTarget(plan as PlanResult)
  }

  const traces = traceTarget(target, probes.specs, probes.sources)
  issues.push(...traces.issues)
  const nothing = traces.value.length === 0
  if (!(probes.single && nothing)) io.stdout(withFinalNewline(renderTraces(traces, format, { single: probes.single })))
  writeIssues(io, issues)
  return exitCodeFor(issues)
}

/** The `trace` subcommand. */
export const command: CommandModule = { usage: USAGE, run }
