/**
 * @module apiserver/endpoints/mirroring
 * What the EndpointSliceMirroring controller writes for v1 `Endpoints` objects
 * (pkg/controller/endpointslicemirroring: reconciler.go reconcile, utils.go addressToEndpoint and
 * newEndpointSlice). Older manifests point a selector-less Service at addresses outside the
 * cluster with a hand-written `Endpoints` object; kube-proxy only reads EndpointSlices, so without
 * mirroring such a Service would look empty. Mirrored: Endpoints whose Service exists and has no
 * selector, not labelled `endpointslice.kubernetes.io/skip-mirror: "true"`, and not already
 * mirrored in the given slices (a cluster export carries the mirrored slices itself).
 */
import type { Endpoint, EndpointPort, EndpointSlice, IPFamily, OtherObject, Protocol, Service } from '../../model/k8s.ts'
import { ipFamilyOf } from '../../net/ip.ts'
import { safeSuffix } from '../allocate/seed.ts'

/** The mirroring controller's managed-by label value. */
export const MIRRORING_CONTROLLER_NAME = 'endpointslicemirroring-controller.k8s.io'
/** kube-controller-manager --mirroring-max-endpoints-per-subset default. */
export const MAX_MIRRORED_ENDPOINTS_PER_SUBSET = 1000

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name'
const MANAGED_BY = 'endpointslice.kubernetes.io/managed-by'
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror'
const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP']

type Rec = Readonly<Record<string, unknown>>
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)
const recs = (v: unknown): Rec[] => (Array.isArray(v) ? v.filter(isRec) : [])
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined)

/** utils.go addressToEndpoint: only `ready` is set; nodeName, hostname and targetRef are copied. */
function toEndpoint(address: Rec, ready: boolean, namespace: string): Endpoint | undefined {
  const ip = str(address['ip'])
  if (ip === undefined) return undefined
  const ref = isRec(address['targetRef']) ? address['targetRef'] : undefined
  const nodeName = str(address['nodeName'])
  const hostname = str(address['hostname'])
  return {
    addresses: [ip],
    conditions: { ready },
    ...(nodeName !== undefined ? { nodeName } : {}),
    ...(hostname !== undefined ? { hostname } : {}),
    ...(ref !== undefined && str(ref['name']) !== undefined
      ? { targetRef: { kind: str(ref['kind']) ?? 'Pod', namespace: str(ref['namespace']) ?? namespace, name: str(ref['name']) as string } }
      : {}),
  }
}

function toPort(p: Rec): EndpointPort | undefined {
  const port = p['port']
  if (typeof port !== 'number' || !Number.isInteger(port)) return undefined
  const protocol = str(p['protocol']) ?? 'TCP'
  return {
    name: typeof p['name'] === 'string' ? p['name'] : '',
    port,
    protocol: (PROTOCOLS.includes(protocol) ? protocol : 'TCP') as Protocol,
    ...(str(p['appProtocol']) !== undefined ? { appProtocol: str(p['appProtocol']) as string } : {}),
  }
}

function sliceOf(ep: OtherObject, subset: number, family: IPFamily, endpoints: Endpoint[], ports: EndpointPort[]): EndpointSlice {
  const ns = ep.metadata.namespace
  const name = `${ep.metadata.name}-${safeSuffix(`${ns}/${ep.metadata.name}#mirror#${subset}#${family}`, 5)}`
  const labels: Record<string, string> = { ...ep.metadata.labels, [SERVICE_NAME_LABEL]: ep.metadata.name, [MANAGED_BY]: MIRRORING_CONTROLLER_NAME }
  const metadata = { name, namespace: ns, labels, annotations: {}, ownerReferences: [{ kind: 'Endpoints', name: ep.metadata.name, controller: true }] }
  return {
    kind: 'EndpointSlice',
    ref: { kind: 'EndpointSlice', namespace: ns, name },
    metadata,
    source: ep.source,
    locate: (path: string) => ep.locate(path),
    origin: ep.origin,
    raw: { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata, addressType: family },
    addressType: family,
    endpoints,
    ports,
  }
}

/** Slices of one Endpoints object: per subset, one per address family, up to the subset cap. */
function mirror(ep: OtherObject): EndpointSlice[] {
  const out: EndpointSlice[] = []
  recs(ep.raw['subsets']).forEach((subset, i) => {
    const ports = recs(subset['ports']).map(toPort).filter((p): p is EndpointPort => p !== undefined)
    const all = [
      ...recs(subset['addresses']).map((a) => toEndpoint(a, true, ep.metadata.namespace)),
      ...recs(subset['notReadyAddresses']).map((a) => toEndpoint(a, false, ep.metadata.namespace)),
    ]
      .filter((e): e is Endpoint => e !== undefined)
      .slice(0, MAX_MIRRORED_ENDPOINTS_PER_SUBSET)
    for (const family of ['IPv4', 'IPv6'] as const) {
      const mine = all.filter((e) => ipFamilyOf(e.addresses[0] ?? '') === family)
      if (mine.length > 0) out.push(sliceOf(ep, i, family, mine, ports))
    }
  })
  return out
}

/** EndpointSlices the mirroring controller writes for the given v1 Endpoints objects. */
export function mirroredSlices(services: readonly Service[], others: readonly OtherObject[], given: readonly EndpointSlice[]): EndpointSlice[] {
  // One Endpoints object per name: the proposed side replaces the existing one.
  const byKey = new Map<string, OtherObject>()
  for (const o of others) {
    if (o.kind !== 'Endpoints' || o.apiVersion !== 'v1') continue
    const key = `${o.metadata.namespace}/${o.metadata.name}`
    const prev = byKey.get(key)
    if (prev === undefined || (prev.origin === 'existing' && o.origin === 'proposed')) byKey.set(key, o)
  }
  // No Endpoints given (nearly always): nothing to mirror, without a key per Service and slice.
  if (byKey.size === 0) return []
  const selectorless = new Set(
    services
      .filter((s) => s.spec.type !== 'ExternalName' && (s.spec.selector === undefined || Object.keys(s.spec.selector).length === 0))
      .map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
  )
  const alreadyMirrored = new Set(
    given.filter((s) => s.metadata.labels[MANAGED_BY] === MIRRORING_CONTROLLER_NAME).map((s) => `${s.metadata.namespace}/${s.metadata.labels[SERVICE_NAME_LABEL] ?? ''}`),
  )
  const out: EndpointSlice[] = []
  for (const [key, ep] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!selectorless.has(key) || alreadyMirrored.has(key) || ep.metadata.labels[SKIP_MIRROR] === 'true') continue
    out.push(...mirror(ep))
  }
  return out
}
