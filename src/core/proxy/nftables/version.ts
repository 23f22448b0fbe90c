/**
 * @module proxy/nftables/version
 * The upstream changes that alter what nftables mode writes, as toggles of one backend profile
 * (KEP-3866 follow-ups): the base-chain layout (PR #132456, v1.34) and the port match of the
 * ClusterIP masquerade rule (dropped by PR #131492, v1.34). The baseline is kube-proxy v1.34/v1.35.
 */

/** Which release's nftables ruleset to render. */
export interface NftVersionProfile {
  /**
   * `current` (PR #132456): `filter-prerouting-pre-dnat` / `filter-output-pre-dnat` at -110 and
   * forward/input/output filter chains at 0. `pre-132456`: every filter chain at -110 plus
   * `filter-output-post-dnat` at -90 (v1.30–v1.33).
   */
  readonly layout: 'current' | 'pre-132456'
  /** Before PR #131492 the ClusterIP masquerade rule also matched `<proto> dport <port>`. */
  readonly clusterIPMasqMatchesPort: boolean
}

/** kube-proxy v1.34 and later (the upstream test baseline). */
export const CURRENT_NFT_PROFILE: NftVersionProfile = { layout: 'current', clusterIPMasqMatchesPort: false }

/**
 * The profile of a Kubernetes minor version (`1.33`, `v1.33.2`); unknown or unparsable versions
 * get the current profile.
 */
export function nftProfileFor(version: string | undefined): NftVersionProfile {
  const m = /^v?1\.(\d+)/.exec(version ?? '')
  const minor = m === null ? Number.NaN : Number(m[1])
  if (Number.isFinite(minor) && minor < 34) return { layout: 'pre-132456', clusterIPMasqMatchesPort: true }
  return CURRENT_NFT_PROFILE
}
