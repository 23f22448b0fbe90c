/**
 * @module proxy/iptables/lazy-ruleset
 * The plan's iptables {@link Ruleset} with its rule IR built on first use. `-o iptables-restore`
 * only needs the payload text, and printing it rule by rule as syncProxyRules writes it
 * (`printIptablesRestore`) keeps no rule or match objects alive: at 10k Services × 10 endpoints
 * the IR is ≈ 1.6M objects that outlive the young generation, so building it only to print it
 * cost old-generation GC and peak memory. Consumers of the rules (trace, diff, save/list views,
 * `--current-rules`) read `tables`, which builds the IR once (`buildIptablesRuleset`, the same
 * writes) and from then on `printRestore` prints that IR: both paths give the same bytes.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import type { ProxyState } from '../types.ts'
import { buildIptablesRuleset, printIptablesRestore } from './build.ts'
import type { Ruleset, Table } from './ir.ts'
import type { NodeRules } from './kernel-state.ts'
import { printsWithoutIR } from './print-restore.ts'

/**
 * `buildIptablesRuleset(state, cfg, current)` with `tables` computed when first read.
 * `state`, `cfg` and `current` are immutable plan data, so building later gives the same rules.
 */
export function lazyIptablesRuleset(state: ProxyState, cfg: ProxyConfig, current?: NodeRules): Ruleset {
  let built: Ruleset | undefined
  const ruleset: Ruleset = {
    backend: 'iptables',
    family: cfg.ipFamily,
    node: cfg.nodeName,
    get tables(): readonly Table[] {
      built ??= buildIptablesRuleset(state, cfg, current)
      return built.tables
    },
  }
  printsWithoutIR(ruleset, () => (built === undefined ? printIptablesRestore(state, cfg, current) : undefined))
  builders.set(ruleset, (build) => {
    if (built !== undefined) return false
    built = build(state, cfg, current)
    return true
  })
  return ruleset
}

/** A builder of the IR of a lazy ruleset from its inputs; must give what `buildIptablesRuleset` gives. */
export type IptablesBuild = (state: ProxyState, cfg: ProxyConfig, current: NodeRules | undefined) => Ruleset

const builders = new WeakMap<Ruleset, (build: IptablesBuild) => boolean>()

/**
 * Builds the IR of a ruleset made by {@link lazyIptablesRuleset} now, with `build` (planDiff's
 * builds that share rule objects between base and head, build.ts `buildIptablesRulesetReusing`).
 * False when the IR was built already or the ruleset is not a lazy one: nothing changes then.
 */
export function buildLazyRulesetWith(ruleset: Ruleset, build: IptablesBuild): boolean {
  return builders.get(ruleset)?.(build) ?? false
}
