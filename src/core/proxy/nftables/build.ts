/**
 * @module proxy/nftables/build
 * The full-sync transaction kube-proxy's nftables mode sends for one node and family
 * (pkg/proxy/nftables/proxier.go syncProxyRules with needFullSync): setupNFTables, then every
 * service port. A stateless render has no previous sync, so there are no stale chains to flush.
 */
import type { ProxyConfig } from '../../model/cluster.ts'
import type { ProxyState } from '../types.ts'
import { writeServicePort } from './build-service-port.ts'
import { writeStatic } from './build-static.ts'
import { detectorStatements } from './detector.ts'
import type { NftRuleset } from './ir.ts'
import { CURRENT_NFT_PROFILE, type NftVersionProfile } from './version.ts'
import { NftTextWriter } from './text-writer.ts'
import { NftWriter, type NftSink } from './writer.ts'

/** kube-proxy's table name (proxier.go kubeProxyTable). */
export const KUBE_PROXY_TABLE = 'kube-proxy'

/**
 * Builds the nftables ruleset of a full sync.
 *
 * @example
 * const text = printNftTransaction(buildNftablesRuleset(buildProxyState(services, slices, cfg), cfg))
 */
export function buildNftablesRuleset(state: ProxyState, cfg: ProxyConfig, profile: NftVersionProfile = CURRENT_NFT_PROFILE): NftRuleset {
  const w = new NftWriter()
  writeSync(w, state, cfg, profile)
  return w.finish(cfg.ipFamily, cfg.nodeName, KUBE_PROXY_TABLE, TABLE_COMMENT)
}

/**
 * The same transaction printed as it is written, without keeping its IR: byte for byte
 * `printNftTransaction(buildNftablesRuleset(state, cfg, profile))` (production mark style).
 */
export function printNftablesTransaction(state: ProxyState, cfg: ProxyConfig, profile: NftVersionProfile = CURRENT_NFT_PROFILE): string {
  const w = new NftTextWriter(cfg.ipFamily === 'IPv6' ? 'ip6' : 'ip', KUBE_PROXY_TABLE)
  writeSync(w, state, cfg, profile)
  return w.finish(TABLE_COMMENT)
}

/** The table's comment (proxier.go setupNFTables). */
export const TABLE_COMMENT = 'rules for kube-proxy'

/** setupNFTables, then every service port, to either kind of {@link NftSink}. */
function writeSync(w: NftSink, state: ProxyState, cfg: ProxyConfig, profile: NftVersionProfile): void {
  writeStatic(w, cfg, profile)
  const detector = detectorStatements(cfg.localDetector, cfg.ipFamily)
  w.endServicePort()
  for (const plan of state.servicePorts) {
    writeServicePort(w, cfg, profile, detector, plan)
    w.endServicePort()
  }
}
