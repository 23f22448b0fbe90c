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
import { NftWriter } from './writer.ts'

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
  writeStatic(w, cfg, profile)
  const detector = detectorStatements(cfg.localDetector, cfg.ipFamily)
  for (const plan of state.servicePorts) writeServicePort(w, cfg, profile, detector, plan)
  return w.finish(cfg.ipFamily, cfg.nodeName, KUBE_PROXY_TABLE, 'rules for kube-proxy')
}
