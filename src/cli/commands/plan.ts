/**
 * @module cli/commands/plan
 * `kube-whatif plan`: read manifests, plan, print in the chosen format.
 */
import { planFromSources, PLAN_FORMATS, proxyModeOfFormat, renderPlan, type PlanFormat, type ProxyMode } from '#core'
import { ipFamilyOpt, kubernetesVersionOpt, LIMIT_OPTIONS, LIMIT_USAGE, limitOpts, parseCommandArgs, proxyModeOpt, stringOpt, stringsOpt, type OptionsSpec } from '../args.ts'
import { EXIT, UsageError } from '../errors.ts'
import type { CliIo } from '../io.ts'
import { chooseFormat, exitCodeFor, refuseUnknownNode, withFinalNewline, writeIssues } from '../output.ts'
import { cliParseLimits, MAX_INPUT_BYTES_HELP, MAX_INPUT_BYTES_OPTION, maxInputBytesOpt, readFileOption, readSources } from '../sources.ts'
import type { CommandModule } from './registry.ts'
import { toolVersion } from '../version.ts'

const USAGE = `Usage: kube-whatif plan [PATH ...] [--cluster PATH]... [--node NAME] [--ip-family IPv4|IPv6]
                        [--kubernetes-version 1.31..1.35] [--proxy-mode MODE]
                        [--current-rules FILE] [-o FORMAT]

Plans what Kubernetes and kube-proxy will do with the proposed manifests, given what already
exists in the cluster: ClusterIPs and NodePorts, endpoints, and the exact rules kube-proxy
(iptables or nftables mode) installs on one node.

Arguments:
  PATH                 proposed manifests: a file, a directory (recursively *.yaml, *.yml,
                       *.json, sorted), or - for standard input

Options:
  --cluster PATH       what already exists (e.g. kubectl get ... -o yaml) and the cluster facts
                       (Node, KubeProxyConfiguration, ClusterProfile); repeatable
  --node NAME          the node whose view is rendered (default: ClusterProfile.node, then
                       KubeProxyConfiguration.hostnameOverride, then the first Node by name);
                       a name that is no Node, given or synthesised, is a usage error
  --ip-family FAMILY   IPv4 or IPv6: which kube-proxy instance to render (default: the family
                       of the first service CIDR)
  --kubernetes-version V  the Kubernetes release planned: 1.31, 1.32, 1.33, 1.34 or 1.35 (also
                       v1.34, 1.34.2). It picks the apiserver's ClusterIP allocator, limits and
                       messages and kube-proxy's defaults (default: ClusterProfile.kubernetesVersion,
                       else 1.35)
  --current-rules FILE the node's iptables-save output (nat and filter) before the sync: the
                       payload also deletes the service chains no longer needed (-X), and
                       iptables-save / iptables-list show the rules after the sync
  --proxy-mode MODE    iptables or nftables: kube-proxy's backend (default: the
                       KubeProxyConfiguration's mode; empty and ipvs show iptables; -o nft and
                       -o nft-list imply nftables)
  -o, --output FORMAT  text (default), json, iptables-restore, iptables-save, iptables-list,
                       nft (the nft -f transaction), nft-list (nft list table after loading it),
                       or the packet paths of every service port as a picture: mermaid
                       (flowchart LR, one subgraph per service port), dot (Graphviz) or svg,
                       sarif (the issues for code scanning, SARIF 2.1.0)
${MAX_INPUT_BYTES_HELP}
  -h, --help           show this help

Work limits (docs/limits.md): breaking one leaves that object out with a limit/* issue at the
field, and the rest is planned; raise them for inputs larger than real clusters:
${LIMIT_USAGE}

Exit codes: 0 planned without errors; 1 the input has errors (the rest is still planned;
errors and warnings go to stderr for formats other than text); 2 usage error or unreadable file.
`

const OPTIONS: OptionsSpec = {
  cluster: { type: 'string', multiple: true },
  node: { type: 'string' },
  'ip-family': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  'current-rules': { type: 'string' },
  'proxy-mode': { type: 'string' },
  output: { type: 'string', short: 'o' },
  ...MAX_INPUT_BYTES_OPTION,
  help: { type: 'boolean', short: 'h' },
  ...LIMIT_OPTIONS,
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('plan', argv, OPTIONS)
  if (args.values.help === true) {
    io.stdout(USAGE)
    return EXIT.ok
  }
  const format: PlanFormat = chooseFormat('plan', stringOpt(args, 'output'), PLAN_FORMATS, 'text')
  const ipFamily = ipFamilyOpt('plan', args)
  const kubernetesVersion = kubernetesVersionOpt('plan', args)
  const proxyMode = modeForFormat(proxyModeOpt('plan', args), format)
  const node = stringOpt(args, 'node')
  const clusterPaths = stringsOpt(args, 'cluster')
  const limits = limitOpts('plan', args)
  if (args.positionals.length === 0 && clusterPaths.length === 0) {
    throw new UsageError('no input: give manifest PATHs (or - for standard input) and/or --cluster PATH', "Run 'kube-whatif plan --help' for usage.")
  }
  const maxBytes = maxInputBytesOpt('plan', args)
  const read = { maxBytes, stdin: { used: false } }
  const existing = await readSources(io, clusterPaths, 'existing', read)
  const proposed = await readSources(io, args.positionals, 'proposed', read)
  const currentPath = stringOpt(args, 'current-rules')
  const currentRules = currentPath !== undefined ? await readFileOption(io, '--current-rules', currentPath, read) : undefined

  const result = planFromSources({
    files: [...existing, ...proposed],
    options: {
      ...(node !== undefined ? { node } : {}),
      ...(ipFamily !== undefined ? { ipFamily } : {}),
      ...(kubernetesVersion !== undefined ? { kubernetesVersion } : {}),
      ...(currentRules ? { currentRules } : {}),
      ...(proxyMode !== undefined ? { proxyMode } : {}),
      limits: { ...cliParseLimits(maxBytes), ...limits },
    },
  })
  refuseUnknownNode('plan', result.issues)
  io.stdout(withFinalNewline(renderPlan(result, format, { version: toolVersion() })))
  // The text report lists the issues itself; other formats are for machines, so tell humans on stderr.
  if (format !== 'text') writeIssues(io, result.issues)
  return exitCodeFor(result.issues)
}

/**
 * The proxy mode to plan in: `--proxy-mode`, else the one an iptables-* / nft* format belongs to
 * (else the cluster facts decide). A format of the other mode is a usage error.
 */
function modeForFormat(flag: ProxyMode | undefined, format: PlanFormat): ProxyMode | undefined {
  const implied = proxyModeOfFormat(format)
  if (flag !== undefined && implied !== undefined && flag !== implied) {
    throw new UsageError(`-o ${format} shows ${implied} rules, but --proxy-mode is ${flag}`, "Run 'kube-whatif plan --help' for usage.")
  }
  return flag ?? implied
}

/** The `plan` subcommand. */
export const command: CommandModule = { usage: USAGE, run }
