/**
 * @module parse/service
 * Typed view of a v1 Service: the fields kube-proxy (pkg/proxy/service.go newBaseServiceInfo) and
 * the apiserver emulation read. Values are kept as written (IP strings are not validated here, and
 * no apiserver defaults are applied) except `protocol`, which defaults to TCP like the API's
 * SetDefaults_ServicePort, and `targetPort` 0 / `""`, which mean "not set" (SetDefaults_Service
 * then copies `port`).
 */
import type { Building } from '../building.ts'
import type { Issue } from '../issues.ts'
import type { IPFamily, LoadBalancerIngress, Protocol, Service, ServicePort, ServiceSpec } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { defined, INT32_RANGE, OPTIONAL_PORT_RANGE, PORT_RANGE } from './fields.ts'
import type { Fields, Path, Range, Rec } from './fields.ts'
import { parsedOf, startObject } from './object.ts'

/** Protocols the API accepts; anything else is `Unsupported value`. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP']
const SERVICE_TYPES = ['', 'ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const
const FAMILIES: readonly IPFamily[] = ['IPv4', 'IPv6']
const FAMILY_POLICIES = ['SingleStack', 'PreferDualStack', 'RequireDualStack'] as const
const TRAFFIC_POLICIES = ['', 'Cluster', 'Local'] as const
const AFFINITIES = ['', 'None', 'ClientIP'] as const
const IP_MODES = ['VIP', 'Proxy'] as const

/**
 * Number ranges checked here. A proposed Service is only decoded, like kube-apiserver's JSON
 * decoder does: any int32 is accepted and a missing `port` is 0, so ValidateService and the
 * NodePort allocator report them with their own wording (`spec.ports[0].port: Invalid value: 0:
 * must be between 1 and 65535, inclusive`, `... provided port is not in the valid range ...`).
 * Existing Services were accepted already; out-of-range values there mean a broken snapshot.
 */
function rangesOf(f: Fields): { readonly port: Range; readonly optional: Range } {
  return f.deferEnums ? { port: INT32_RANGE, optional: INT32_RANGE } : { port: PORT_RANGE, optional: OPTIONAL_PORT_RANGE }
}

function readPort(f: Fields, item: Rec, path: Path): ServicePort | undefined {
  const ranges = rangesOf(f)
  const absent = item['port'] === undefined || item['port'] === null
  // A missing port decodes as Go's zero value. For an existing Service that is what kube-proxy
  // already sees and programs (`--dport 0`; upstream TestEndpointSliceE2E builds such a Service),
  // so it is kept with a warning instead of dropping the Service.
  const port = absent ? 0 : f.int(item, path, 'port', ranges.port)
  if (absent && !f.deferEnums) f.warn('manifest/missing-field', `${path}.port`, 'Required value; kube-proxy programs it as port 0')
  const targetPort = f.intOrString(item, path, 'targetPort', ranges.optional)
  const nodePort = f.int(item, path, 'nodePort', ranges.optional)
  const appProtocol = f.str(item, path, 'appProtocol')
  const name = f.str(item, path, 'name') ?? ''
  const protocol = f.enumOf(item, path, 'protocol', PROTOCOLS) ?? 'TCP'
  if (port === undefined) return undefined
  // Assigned field by field in the literal order (building.ts), not with conditional spreads.
  const out: Building<ServicePort> = { name, protocol, port }
  if (targetPort !== undefined && targetPort !== 0 && targetPort !== '') out.targetPort = targetPort
  if (nodePort !== undefined) out.nodePort = nodePort
  if (appProtocol !== undefined) out.appProtocol = appProtocol
  return out as ServicePort
}

function readSpec(f: Fields, spec: Rec | undefined): ServiceSpec {
  const p = 'spec'
  const ports: ServicePort[] = []
  for (const { item, path } of f.objects(spec, p, 'ports')) {
    const port = readPort(f, item, path)
    if (port) ports.push(port)
  }
  const affinityConfig = f.obj(spec, p, 'sessionAffinityConfig')
  const clientIP = f.obj(affinityConfig, `${p}.sessionAffinityConfig`, 'clientIP')
  const timeoutSeconds = f.int(clientIP, `${p}.sessionAffinityConfig.clientIP`, 'timeoutSeconds', INT32_RANGE)
  return defined<ServiceSpec>({
    type: f.enumOf(spec, p, 'type', SERVICE_TYPES) ?? '',
    selector: f.strMap(spec, p, 'selector'),
    clusterIP: f.str(spec, p, 'clusterIP'),
    clusterIPs: f.strList(spec, p, 'clusterIPs'),
    ipFamilies: readFamilies(f, spec),
    ipFamilyPolicy: f.enumOf(spec, p, 'ipFamilyPolicy', FAMILY_POLICIES),
    ports,
    externalIPs: f.strList(spec, p, 'externalIPs'),
    loadBalancerSourceRanges: f.strList(spec, p, 'loadBalancerSourceRanges'),
    loadBalancerIP: f.str(spec, p, 'loadBalancerIP'),
    externalTrafficPolicy: f.enumOf(spec, p, 'externalTrafficPolicy', TRAFFIC_POLICIES),
    internalTrafficPolicy: f.enumOf(spec, p, 'internalTrafficPolicy', TRAFFIC_POLICIES),
    healthCheckNodePort: f.int(spec, p, 'healthCheckNodePort', rangesOf(f).optional),
    sessionAffinity: f.enumOf(spec, p, 'sessionAffinity', AFFINITIES),
    sessionAffinityConfig:
      affinityConfig === undefined
        ? undefined
        : { ...(clientIP === undefined ? {} : { clientIP: timeoutSeconds === undefined ? {} : { timeoutSeconds } }) },
    publishNotReadyAddresses: f.bool(spec, p, 'publishNotReadyAddresses'),
    allocateLoadBalancerNodePorts: f.bool(spec, p, 'allocateLoadBalancerNodePorts'),
    externalName: f.str(spec, p, 'externalName'),
    trafficDistribution: f.str(spec, p, 'trafficDistribution'),
  })
}

function readFamilies(f: Fields, spec: Rec | undefined): IPFamily[] | undefined {
  const list = f.strList(spec, 'spec', 'ipFamilies')
  if (!list) return undefined
  const out: IPFamily[] = []
  list.forEach((v, i) => {
    if ((FAMILIES as readonly string[]).includes(v) || f.deferEnums) out.push(v as IPFamily)
    else f.unsupported(`spec.ipFamilies[${i}]`, v, FAMILIES)
  })
  return out
}

function readIngress(f: Fields, status: Rec | undefined): LoadBalancerIngress[] | undefined {
  const lb = f.obj(status, 'status', 'loadBalancer')
  if (lb === undefined) return undefined
  return f.objects(lb, 'status.loadBalancer', 'ingress').map(({ item, path }) =>
    defined<LoadBalancerIngress>({
      ip: f.str(item, path, 'ip'),
      hostname: f.str(item, path, 'hostname'),
      ipMode: f.enumOf(item, path, 'ipMode', IP_MODES),
    }),
  )
}

/**
 * Reads a v1 Service.
 * @returns the Service, or undefined when a field had the wrong type or value (issues explain why)
 */
export function parseService(env: Envelope, issues: Issue[]): Service | undefined {
  const start = startObject(env, issues)
  const { f } = start
  // Proposed Services go through the apiserver emulation, which rejects bad enum values with
  // kube-apiserver's wording; existing ones were accepted already and are read leniently.
  f.deferEnums = env.origin === 'proposed'
  const spec = readSpec(f, f.obj(env.raw, '', 'spec'))
  const status = f.obj(env.raw, '', 'status')
  const ingress = readIngress(f, status)
  if (!f.ok) return undefined
  return {
    ...parsedOf(env, start),
    kind: 'Service',
    spec,
    status: ingress === undefined ? {} : { loadBalancer: { ingress } },
  }
}
