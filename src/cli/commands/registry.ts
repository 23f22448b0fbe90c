/**
 * @module cli/commands/registry
 * The subcommand registry. To add a subcommand, add ONE line to COMMANDS:
 *
 *   { name: 'trace', summary: 'Trace a packet through the rules', load: async () => (await import('./trace.ts')).command },
 *
 * where the module exports `command: CommandModule` (`usage` text for `--help` and
 * `run(argv, io)` returning the exit code). Modules load lazily, so `--help` stays fast.
 */
import type { CliIo } from '../io.ts'

/** What a subcommand module exports as `command`. */
export interface CommandModule {
  /** Full help text, printed for `kube-whatif <name> --help`. */
  readonly usage: string
  /** Runs the subcommand on the arguments after its name; resolves to the exit code. */
  run(argv: readonly string[], io: CliIo): Promise<number>
}

/** A registry entry. */
export interface CommandEntry {
  readonly name: string
  /** One line for `kube-whatif --help`. */
  readonly summary: string
  readonly load: () => Promise<CommandModule>
}

/** Every subcommand, in help order. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'plan', summary: 'Plan allocations, endpoints and the exact kube-proxy iptables rules', load: async () => (await import('./plan.ts')).command },
  { name: 'diff', summary: 'Diff the plans of base and head manifests (PR what-if), with findings', load: async () => (await import('./diff.ts')).command },
  { name: 'trace', summary: 'Trace a packet through the node\'s rules: outcomes, odds, masquerade, path', load: async () => (await import('./trace.ts')).command },
]
