/**
 * @module parse/inventory
 * Dispatches envelopes to their typed view by API group, kind and version, and assembles the
 * {@link Inventory}: objects in input order; an object defined again on the same side of the
 * what-if (same group/kind/namespace/name) is judged as `kubectl apply` would apply it again
 * ({@link judgeDuplicate}): the later definition replaces the earlier in its place unless it is
 * identical or refused; the last KubeProxyConfiguration / ClusterProfile wins with a warning.
 */
import { issue } from '../issues.ts'
import type { Issue, SourceSpan } from '../issues.ts'
import type { ClusterProfile, KubeProxyConfiguration } from '../model/cluster.ts'
import type { Inventory } from '../model/inventory.ts'
import type { EndpointSlice, Node, OtherObject, Parsed, Pod, Service, ServiceCIDR } from '../model/k8s.ts'
import { parseClusterProfile } from './cluster-profile.ts'
import { carryAllocatedValues, judgeDuplicate } from './duplicates.ts'
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

/** Collects parsed objects; a repeated definition replaces, repeats or is refused (see {@link judgeDuplicate}). */
export class InventoryBuilder {
  readonly services: Service[] = []
  readonly endpointSlices: EndpointSlice[] = []
  readonly nodes: Node[] = []
  readonly pods: Pod[] = []
  readonly others: OtherObject[] = []
  readonly serviceCIDRs: ServiceCIDR[] = []
  private kubeProxy?: { value: KubeProxyConfiguration; source: SourceSpan }
  private profile?: { value: ClusterProfile; source: SourceSpan }
  /** The definition in force per side/type/namespace/name, with its index in its list. */
  private readonly seen = new Map<string, { obj: Parsed; index: number }>()

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
    const key = `${obj.origin}\u0000${typeKey}\u0000${obj.ref.namespace}\u0000${obj.ref.name}`
    const first = this.seen.get(key)
    if (first === undefined) {
      this.seen.set(key, { obj, index: list.length })
      list.push(obj)
      return
    }
    const where = { ref: obj.ref, path: 'metadata.name', source: obj.locate('metadata.name') }
    const subject = `${subjectOf(obj.ref)}: defined again on the ${obj.origin} side (also at ${at(first.obj.source)})`
    const verdict = judgeDuplicate(first.obj, obj)
    if (verdict.kind === 'identical') {
      this.issues.push(issue('manifest/duplicate', 'info', `${subject}, identically; kubectl apply applies it once per definition and nothing changes`, where))
      return
    }
    if (verdict.kind === 'refused') {
      this.issues.push(
        issue('manifest/duplicate', 'error', `${subject}; applying this later definition fails: ${verdict.message}; the definition at ${at(first.obj.source)} stays`, where),
      )
      return
    }
    this.issues.push(
      issue(
        'manifest/duplicate',
        'warning',
        `${subject}, differently; kubectl apply applies files in sorted path order and documents in order, so this later definition wins over the one at ${at(first.obj.source)}`,
        where,
      ),
    )
    const kept = carryAllocatedValues(first.obj as T, obj)
    list[first.index] = kept
    this.seen.set(key, { obj: kept, index: first.index })
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
