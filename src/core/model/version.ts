/**
 * @module model/version
 * The Kubernetes minor versions kube-whatif models. The version picks the apiserver's ClusterIP
 * allocator generation (bitmap, 1.33 dual write, IPAddress objects only), its range limits and
 * error texts, which ServiceCIDR API versions exist, and the kube-proxy defaults (feature gates,
 * trafficDistribution values, rule shapes). Everything version-dependent asks one of the
 * predicates below instead of comparing strings.
 */

/** The modelled Kubernetes minor versions, oldest first. */
export const KUBERNETES_VERSIONS = ['1.31', '1.32', '1.33', '1.34', '1.35'] as const

/** A modelled Kubernetes minor version (`ClusterProfile.kubernetesVersion`, `--kubernetes-version`). */
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number]

/** The version planned when the input names none: the newest modelled release. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = '1.35'

/** True when `s` is exactly one of {@link KUBERNETES_VERSIONS}. */
export function isKubernetesVersion(s: string): s is KubernetesVersion {
  return (KUBERNETES_VERSIONS as readonly string[]).includes(s)
}

/**
 * Reads a version as users write it: `1.34`, `v1.34`, or with a patch release (`1.34.2`,
 * `v1.34.2`), which behaves like its minor. Undefined for anything else, including minors
 * outside the modelled set.
 */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const m = /^v?(1\.\d+)(?:\.\d+)?$/.exec(text.trim())
  const minor = m?.[1]
  return minor !== undefined && isKubernetesVersion(minor) ? minor : undefined
}

/** The sentence a usage error or an error issue ends with. */
export const SUPPORTED_VERSIONS_TEXT = `supported: ${KUBERNETES_VERSIONS.join(', ')}`

/** True when `v` is `min` or newer. */
export function versionAtLeast(v: KubernetesVersion, min: KubernetesVersion): boolean {
  return KUBERNETES_VERSIONS.indexOf(v) >= KUBERNETES_VERSIONS.indexOf(min)
}
