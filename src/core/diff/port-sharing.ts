/**
 * @module diff/port-sharing
 * The head's iptables rule IR built from the base's, service port by service port: kube-proxy's
 * builders (proxier.go `syncProxyRules`, one pass of its service loop per port) write a port's
 * part of the payload from that port's info and categorized endpoints, the configuration and the
 * large-cluster flag only (proxy/iptables/build.ts `PortWrites`). Where all of those are the
 * base's, the head takes the base's writes, rule objects included, instead of running the
 * builders again (chain names are SHA-256 of the port and endpoint); `diffChains` then finds most
 * chains equal by identity. Whenever it cannot show the inputs equal (another configuration,
 * the large-cluster flag flipping, the node's current rules, a service port listed twice on
 * either side) the port, or the whole side, is built as usual. test/diff/shortcuts.test.ts checks
 * the head's IR is the one a fresh build gives, and every diff format against the full computation.
 */
import type { ProxyConfig } from '../model/cluster.ts'
import { buildIptablesRuleset, buildIptablesRulesetReusing, LARGE_CLUSTER_ENDPOINTS_THRESHOLD, } from '../proxy/iptables/build.ts'
import type { Ruleset } from '../proxy/iptables/ir.ts'
import { buildLazyRulesetWith } from '../proxy/iptables/lazy-ruleset.ts'
import type { WriteSpan } from '../proxy/iptables/writer.ts'
import type { ProxyState, ServicePortInfo, ServicePortPlan } from '../proxy/types.ts'
import { sameCategorized } from './node-sharing.ts'
import { sameData } from './same-data.ts'

const large = (s: ProxyState): boolean => s.totalEndpoints > LARGE_CLUSTER_ENDPOINTS_THRESHOLD

/** What the base's build wrote for one service port (its `spn` and protocol). */
interface BasePort {
  readonly protocol: ServicePortInfo['protocol']
  readonly plan: ServicePortPlan
  readonly writes: WriteSpan
  /** The port was listed twice in the base: its writes are not taken. */
  twice: boolean
  /** How many of the head's service ports have its `spn` and protocol (taken only when one does). */
  inHead: number
  /** The base's port of the same `spn` with another protocol. */
  readonly other: BasePort | undefined
}

/**
 * The base's ports by `spn`, then protocol. Not a Map keyed by a `spn/protocol` string: that
 * string was made anew, and hashed, on each of the ≈ 4 lookups per port, where a port's `spn` is
 * a string of its plan (the head's unchanged Services hold the base's), hashed once and kept so.
 */
type BasePorts = Map<string, BasePort>

function basePort(ports: BasePorts, info: ServicePortInfo): BasePort | undefined {
  let p = ports.get(info.spn)
  while (p !== undefined && p.protocol !== info.protocol) p = p.other
  return p
}

/** What the base's build wrote per service port. */
interface BaseWrites {
  readonly state: ProxyState
  readonly cfg: ProxyConfig
  readonly ports: BasePorts
}

/**
 * Builds both sides' rule IR now (both must still be unbuilt lazy rulesets, else nothing is
 * done), the head's reusing the base's writes for service ports whose input is the same.
 * With `keepLines`, both builds also keep each rule's restore line as it is written (build.ts
 * `PortWrites.keepLines`): the rule diff then reads them instead of formatting the IR again, and
 * the head's lines of reused ports are the base's strings. Returns how many head ports were
 * taken from the base (for tests).
 */
export function buildSharingPorts(base: Ruleset, head: Ruleset, keepLines = false): number {
  let recorded: BaseWrites | undefined
  const built = buildLazyRulesetWith(base, (state, cfg, current) => {
    if (current !== undefined) return buildIptablesRuleset(state, cfg, current)
    const ports: BasePorts = new Map()
    recorded = { state, cfg, ports }
    return buildIptablesRulesetReusing(state, cfg, current, {
      keepLines,
      replay: () => undefined,
      record: (plan, writes) => {
        const known = basePort(ports, plan.info)
        if (known !== undefined) known.twice = true
        else ports.set(plan.info.spn, { protocol: plan.info.protocol, plan, writes, twice: false, inHead: 0, other: ports.get(plan.info.spn) })
      },
    })
  })
  const from = recorded
  if (!built || from === undefined) return 0
  let taken = 0
  buildLazyRulesetWith(head, (state, cfg, current) => {
    if (current !== undefined || state.family !== from.state.family || large(state) !== large(from.state) || !sameData(cfg, from.cfg)) {
      return buildIptablesRuleset(state, cfg, current)
    }
    // A port listed twice in the head is built, not replayed (the builders decide what happens).
    for (const p of state.servicePorts) {
      const b = basePort(from.ports, p.info)
      if (b !== undefined) b.inHead++
    }
    return buildIptablesRulesetReusing(state, cfg, current, {
      keepLines,
      replay: (plan) => {
        const b = basePort(from.ports, plan.info)
        if (b === undefined || b.twice || b.inHead !== 1) return undefined
        if (!sameData(plan.info, b.plan.info) || !sameCategorized(plan.categorized, b.plan.categorized)) return undefined
        taken++
        return b.writes
      },
    })
  })
  return taken
}
