/**
 * @module cli/main
 * `kube-whatif` entry: global flags, subcommand dispatch, and the translation of failures into
 * exit codes (2 for usage/I-O problems with a one-line message, never a stack trace).
 */
import { COMMANDS } from './commands/registry.ts'
import { EXIT, UsageError } from './errors.ts'
import { withDefaults, type CliIo } from './io.ts'
import { toolVersion } from './version.ts'

function topUsage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')
  return `Usage: kube-whatif <command> [options]

What-if planner for Kubernetes Service networking: given manifests and cluster facts, shows the
ClusterIPs/NodePorts, endpoints and the exact iptables rules kube-proxy would install.

Commands:
${list}

Options:
  -h, --help     show this help (kube-whatif <command> --help for a command)
  -V, --version  print the version

Exit codes (plan, trace): 0 ok, 1 the input has errors, 2 usage error or unreadable file.
Exit codes (diff, like terraform plan -detailed-exitcode): 0 no changes, 2 changes, 1 errors.
`
}

/**
 * Runs the CLI in-process.
 *
 * @param argv arguments after the program name
 * @param io any subset of {@link CliIo}; the rest is the real process I/O
 * @returns the exit code
 *
 * @example
 * const out: string[] = []
 * const code = await main(['plan', 'examples/meu-namespace', '-o', 'json'], { stdout: (t) => out.push(t) })
 */
export async function main(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const full = withDefaults(io)
  const [first, ...rest] = argv
  try {
    if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
      if (first === 'help' && rest[0] !== undefined) return await main([rest[0], '--help'], full)
      // No command at all is a usage error: help goes to stderr so pipelines see nothing odd.
      if (first === undefined) {
        full.stderr(topUsage())
        return EXIT.usage
      }
      full.stdout(topUsage())
      return EXIT.ok
    }
    if (first === '-V' || first === '--version') {
      full.stdout(`kube-whatif ${toolVersion()}\n`)
      return EXIT.ok
    }
    const entry = COMMANDS.find((c) => c.name === first)
    if (entry === undefined) {
      throw new UsageError(`unknown command '${first}'`, "Run 'kube-whatif --help' for the list of commands.")
    }
    const cmd = await entry.load()
    return await cmd.run(rest, full)
  } catch (e) {
    if (e instanceof UsageError) {
      full.stderr(`kube-whatif: ${e.message}\n${e.hint ? `${e.hint}\n` : ''}`)
      return EXIT.usage
    }
    const detail = e instanceof Error ? (full.env.KUBE_WHATIF_DEBUG ? (e.stack ?? e.message) : e.message) : String(e)
    full.stderr(`kube-whatif: internal error (a bug, please report it): ${detail}\n`)
    return EXIT.internal
  }
}
