/**
 * @module cli/args
 * Argument parsing on node:util parseArgs, with errors turned into one-line usage errors.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { parseKubernetesVersion, SUPPORTED_VERSIONS_TEXT, type IPFamily, type KubernetesVersion, type ProxyMode } from '#core'
import { UsageError } from './errors.ts'

/** Options accepted by parseArgs. */
export type OptionsSpec = NonNullable<ParseArgsConfig['options']>

/** Parsed values of options and the positionals. */
export interface ParsedArgs {
  readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>
  readonly positionals: readonly string[]
}

/**
 * Parses `argv` strictly. Unknown options or missing values become a {@link UsageError}
 * pointing at the subcommand's help. `-` is a positional (stdin).
 */
export function parseCommandArgs(command: string, argv: readonly string[], options: OptionsSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
    return { values, positionals }
  } catch (e) {
    // parseArgs messages are long; keep their first sentence.
    const text = e instanceof Error ? (e.message.split(/\.\s/)[0] ?? e.message).replace(/\.$/, '') : String(e)
    throw new UsageError(text, `Run 'kube-whatif ${command} --help' for usage.`)
  }
}

/** A string option's value, or undefined. */
export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name]
  return typeof v === 'string' ? v : undefined
}

/** A repeatable string option's values (empty when absent). */
export function stringsOpt(args: ParsedArgs, name: string): string[] {
  const v = args.values[name]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []
}

/** Checks `value` is one of `allowed`; else a usage error naming the option. */
export function oneOf<T extends string>(command: string, option: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UsageError(`invalid value '${value}' for ${option}: expected one of ${allowed.join(', ')}`, `Run 'kube-whatif ${command} --help' for usage.`)
}

/** `--ip-family IPv4|IPv6`, or undefined when not given (plan, trace and diff share it). */
export function ipFamilyOpt(command: string, args: ParsedArgs): IPFamily | undefined {
  const text = stringOpt(args, 'ip-family')
  return text === undefined ? undefined : oneOf(command, '--ip-family', text, ['IPv4', 'IPv6'] as const)
}

/** `--proxy-mode iptables|nftables` (or another option of that shape, e.g. `--base-proxy-mode`). */
export function proxyModeOpt(command: string, args: ParsedArgs, name = 'proxy-mode'): ProxyMode | undefined {
  const text = stringOpt(args, name)
  return text === undefined ? undefined : oneOf(command, `--${name}`, text, ['iptables', 'nftables'] as const)
}

/**
 * `--kubernetes-version 1.31..1.35` (or another option of that kind, e.g. diff's
 * `--base-kubernetes-version`), or undefined when not given. `v1.34` and `1.34.2` read as 1.34;
 * anything outside the modelled set is a usage error naming the supported versions.
 */
export function kubernetesVersionOpt(command: string, args: ParsedArgs, option = 'kubernetes-version'): KubernetesVersion | undefined {
  const text = stringOpt(args, option)
  if (text === undefined) return undefined
  const v = parseKubernetesVersion(text)
  if (v !== undefined) return v
  throw new UsageError(`invalid value '${text}' for --${option}: Kubernetes version not modelled (${SUPPORTED_VERSIONS_TEXT})`, `Run 'kube-whatif ${command} --help' for usage.`)
}
