/**
 * @module parse/inventory
 * Dispatches envelopes to their typed view by API group, kind and version, and assembles the
 * {@link Inventory}: objects in input order, duplicates (same group/kind/namespace/name twice on
 * the same side of the what-if) reported and dropped — the first definition is kept — and the
 * last KubeProxyConfiguration / ClusterProfile winning with a warning.
 */
import { issue } from '../issues.ts'
import type { Issue, SourceSpan } from '../issues.ts'
import type { ClusterProfile, KubeProxyConfiguration } from '../model/cluster.ts'
import type { Inventory } from '../model/inventory.ts'
import type { EndpointSlice, Node, OtherObject, Parsed, Pod, Service, ServiceCIDR } from '../model/k8s.ts'
import { parseClusterProfile } from './cluster-profile.ts'
import { parseEndpointSlice } from './endpointslice.ts'
import type { Envelope } from './envelope.ts'
import { groupOf, subjectOf } from './envelope.ts'
import { parseKubeProxyConfiguration } from './kube-proxy-config.ts'
import { parseNode } from './node.ts'
import { parseOther } from './others.ts'
import { parsePod } from './pod.ts'
import { parseService } from './service.ts'
import { parseServiceCIDR } from './service-cidr.ts'

/** Versions of each typed kind, keyed by `group/kind` (core group: `/Kind`). */
const VERSIONS: Readonly<Record<string, readonly string[]>> = {
  '/Service': ['v1'],
  '/Node': ['v1'],
  '/Pod': ['v1'],
  'discovery.k8s.io/EndpointSlice': ['discovery.k8s.io/v1'],
  'kubeproxy.config.k8s.io/KubeProxyConfiguration': ['kubeproxy.config.k8s.io/v1alpha1', 'kubeproxy.config.k8s.io/v1alpha2'],
  'kube-whatif.dev/ClusterProfile': ['kube-whatif.dev/v1alpha1'],
  // Same fields in every version; which one the cluster serves depends on its Kubernetes version.
  'networking.k8s.io/ServiceCIDR': ['networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'networking.k8s.io/v1alpha1'],
}

const at = (s: SourceSpan): string => `${s.file}:${s.line}:${s.column}`

/** Collects parsed objects, dropping duplicates. */
export class InventoryBuilder {
  readonly services: Service[] = []
  readonly endpointSlices: EndpointSlice[] = []
  readonly nodes: Node[] = []
  readonly pods: Pod[] = []
  readonly others: OtherObject[] = []
  readonly serviceCIDRs: ServiceCIDR[] = []
  private kubeProxy?: { value: KubeProxyConfiguration; source: SourceSpan }
  private profile?: { value: ClusterProfile; source: SourceSpan }
  private readonly seen = new Map<string, SourceSpan>()

  constructor(private readonly issues: Issue[]) {}

  /** Parses one envelope into its slot. */
  add(env: Envelope): void {
    const typeKey = `${groupOf(env.apiVersion)}/${env.kind}`
    const versions = VERSIONS[typeKey]
    if (versions && !versions.includes(env.apiVersion)) {
      this.issues.push(
        issue(
          'manifest/unsupported-version',
          'warning',
          `${env.kind} ${env.apiVersion} is not read by kube-whatif (supported: ${versions.join(', ')}); it is kept as an unknown object`,
          { source: env.source, path: 'apiVersion' },
        ),
      )
      this.keep(this.others, parseOther(env, this.issues), typeKey)
      return
    }
    switch (versions ? typeKey : '') {
      case '/Service':
        return this.keep(this.services, parseService(env, this.issues), typeKey)
      case '/Node':
        return this.keep(this.nodes, parseNode(env, this.issues), typeKey)
      case '/Pod':
        return this.keep(this.pods, parsePod(env, this.issues), typeKey)
      case 'discovery.k8s.io/EndpointSlice':
        return this.keep(this.endpointSlices, parseEndpointSlice(env, this.issues), typeKey)
      case 'networking.k8s.io/ServiceCIDR':
        return this.keep(this.serviceCIDRs, parseServiceCIDR(env, this.issues), typeKey)
      case 'kubeproxy.config.k8s.io/KubeProxyConfiguration':
        this.kubeProxy = this.single('KubeProxyConfiguration', this.kubeProxy, parseKubeProxyConfiguration(env, this.issues), env)
        return
      case 'kube-whatif.dev/ClusterProfile':
        this.profile = this.single('ClusterProfile', this.profile, parseClusterProfile(env, this.issues), env)
        return
      default:
        return this.keep(this.others, parseOther(env, this.issues), typeKey)
    }
  }

  private keep<T extends Parsed>(list: T[], obj: T | undefined, typeKey: string): void {
    if (!obj) return
    const key = [obj.origin, typeKey, obj.ref.namespace, obj.ref.name].join('\u0000')
    const first = this.seen.get(key)
    if (first) {
      this.issues.push(
        issue(
          'manifest/duplicate',
          'error',
          `${subjectOf(obj.ref)}: defined more than once on the ${obj.origin} side (first at ${at(first)}); this definition is ignored`,
          { ref: obj.ref, path: 'metadata.name', source: obj.locate('metadata.name') },
        ),
      )
      return
    }
    this.seen.set(key, obj.source)
    list.push(obj)
  }

  private single<T>(
    kind: string,
    previous: { value: T; source: SourceSpan } | undefined,
    value: T | undefined,
    env: Envelope,
  ): { value: T; source: SourceSpan } | undefined {
    if (value === undefined) return previous
    if (previous)
      this.issues.push(
        issue('manifest/duplicate', 'warning', `more than one ${kind} given (also at ${at(previous.source)}); the last one is used`, {
          source: env.source,
        }),
      )
    return { value, source: env.source }
  }

  /** The finished inventory. */
  build(): Inventory {
    return {
      services: this.services,
      endpointSlices: this.endpointSlices,
      nodes: this.nodes,
      pods: this.pods,
      others: this.others,
      serviceCIDRs: this.serviceCIDRs,
      ...(this.kubeProxy ? { kubeProxyConfiguration: this.kubeProxy.value } : {}),
      ...(this.profile ? { clusterProfile: this.profile.value } : {}),
    }
  }
}
