/**
 * @module proxy/nftables/lazy-ruleset
 * The plan's nftables {@link NftRuleset} with its objects built on first use, as
 * proxy/iptables/lazy-ruleset.ts does for iptables: `-o nft` and `-o json` only need the
 * transaction text, which `printNftablesTransaction` prints while syncProxyRules' writes happen,
 * keeping no rule or statement objects alive. Reading `chains`, `sets` or `elements` (trace,
 * diff, `-o nft-list`) builds the IR once (`buildNftablesRuleset`, the same writes), and from then
 * on `printNftTransaction` prints that IR: both paths give the same bytes.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import type { ProxyState } from '../types.ts'
import { buildNftablesRuleset, KUBE_PROXY_TABLE, printNftablesTransaction, TABLE_COMMENT } from './build.ts'
import type { NftChain, NftElement, NftRuleset, NftSet } from './ir.ts'
import { printsNftWithoutIR } from './print-transaction.ts'
import type { NftVersionProfile } from './version.ts'

/**
 * `buildNftablesRuleset(state, cfg, profile)` with `chains`, `sets` and `elements` computed when
 * first read. `state` and `cfg` are immutable plan data, so building later gives the same objects.
 */
export function lazyNftablesRuleset(state: ProxyState, cfg: ProxyConfig, profile: NftVersionProfile): NftRuleset {
  let built: NftRuleset | undefined
  const ir = (): NftRuleset => (built ??= buildNftablesRuleset(state, cfg, profile))
  const rs: NftRuleset = {
    backend: 'nftables',
    ipFamily: cfg.ipFamily,
    node: cfg.nodeName,
    family: cfg.ipFamily === 'IPv6' ? 'ip6' : 'ip',
    table: KUBE_PROXY_TABLE,
    tableComment: TABLE_COMMENT,
    get chains(): readonly NftChain[] {
      return ir().chains
    },
    get sets(): readonly NftSet[] {
      return ir().sets
    },
    get elements(): readonly NftElement[] {
      return ir().elements
    },
  }
  printsNftWithoutIR(rs, () => (built === undefined ? printNftablesTransaction(state, cfg, profile) : undefined))
  return rs
}
