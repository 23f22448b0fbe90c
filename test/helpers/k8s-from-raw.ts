/**
 * Test-only: turns plain YAML/JSON objects into the typed model of src/core/model/k8s.ts, just
 * enough for the renderer's tests. No validation, no source positions (the real parser is in
 * src/core/parse). Unknown kinds are dropped.
 */
import { loadAll } from 'js-yaml'
import type { Endpoint, EndpointPort, EndpointSlice, IPFamily, ObjectMeta, Origin, Protocol, Service, ServicePort } from '../../src/core/model/k8s.ts'

type Raw = Record<string, unknown>

const isObj = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v)
const obj = (v: unknown): Raw => (isObj(v) ? v : {})
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined)
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined)
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined)

/** Adds `key: value` only when value is defined (exactOptionalPropertyTypes-friendly). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

function meta(raw: Raw): ObjectMeta {
  const m = obj(raw['metadata'])
  return {
    name: str(m['name']) ?? '',
    namespace: str(m['namespace']) ?? '',
    labels: obj(m['labels']) as Record<string, string>,
    annotations: obj(m['annotations']) as Record<string, string>,
  }
}

function envelope(raw: Raw, kind: string, origin: Origin, file: string) {
  const metadata = meta(raw)
  const source = { file, line: 1, column: 1 }
  return { ref: { kind, namespace: metadata.namespace, name: metadata.name }, metadata, source, locate: () => source, origin, raw }
}

function servicePort(raw: Raw): ServicePort {
  const tp = raw['targetPort']
  return {
    name: str(raw['name']) ?? '',
    protocol: (str(raw['protocol']) ?? 'TCP') as Protocol,
    port: num(raw['port']) ?? 0,
    ...opt('nodePort', num(raw['nodePort'])),
    ...opt('targetPort', typeof tp === 'number' || typeof tp === 'string' ? tp : undefined),
  }
}

/** A v1 Service from its raw object. */
export function serviceFromRaw(raw: Raw, origin: Origin = 'existing', file = 'test.yaml'): Service {
  const spec = obj(raw['spec'])
  const status = obj(raw['status'])
  const lb = obj(status['loadBalancer'])
  const affinity = obj(obj(spec['sessionAffinityConfig'])['clientIP'])
  return {
    ...envelope(raw, 'Service', origin, file),
    kind: 'Service',
    spec: {
      type: (str(spec['type']) ?? '') as Service['spec']['type'],
      ports: arr(spec['ports']).map((p) => servicePort(obj(p))),
      ...opt('clusterIP', str(spec['clusterIP'])),
      ...opt('clusterIPs', strs(spec['clusterIPs'])),
      ...opt('ipFamilies', strs(spec['ipFamilies']) as IPFamily[] | undefined),
      ...opt('externalIPs', strs(spec['externalIPs'])),
      ...opt('loadBalancerSourceRanges', strs(spec['loadBalancerSourceRanges'])),
      ...opt('externalTrafficPolicy', str(spec['externalTrafficPolicy']) as Service['spec']['externalTrafficPolicy']),
      ...opt('internalTrafficPolicy', str(spec['internalTrafficPolicy']) as Service['spec']['internalTrafficPolicy']),
      ...opt('healthCheckNodePort', num(spec['healthCheckNodePort'])),
      ...opt('sessionAffinity', str(spec['sessionAffinity']) as Service['spec']['sessionAffinity']),
      ...(isObj(spec['sessionAffinityConfig']) ? { sessionAffinityConfig: { clientIP: { ...opt('timeoutSeconds', num(affinity['timeoutSeconds'])) } } } : {}),
      ...opt('trafficDistribution', str(spec['trafficDistribution'])),
    },
    status: {
      ...(isObj(status['loadBalancer'])
        ? {
            loadBalancer: {
              ingress: arr(lb['ingress']).map((i) => {
                const ing = obj(i)
                return { ...opt('ip', str(ing['ip'])), ...opt('hostname', str(ing['hostname'])), ...opt('ipMode', str(ing['ipMode']) as 'VIP' | 'Proxy' | undefined) }
              }),
            },
          }
        : {}),
    },
  }
}

function endpoint(raw: Raw): Endpoint {
  const c = obj(raw['conditions'])
  const hints = obj(raw['hints'])
  const names = (v: unknown) => arr(v).map((z) => ({ name: str(obj(z)['name']) ?? '' }))
  return {
    addresses: strs(raw['addresses']) ?? [],
    conditions: { ...opt('ready', bool(c['ready'])), ...opt('serving', bool(c['serving'])), ...opt('terminating', bool(c['terminating'])) },
    ...opt('nodeName', str(raw['nodeName'])),
    ...opt('zone', str(raw['zone'])),
    ...(isObj(raw['hints'])
      ? { hints: { ...(hints['forZones'] ? { forZones: names(hints['forZones']) } : {}), ...(hints['forNodes'] ? { forNodes: names(hints['forNodes']) } : {}) } }
      : {}),
  }
}

function endpointPort(raw: Raw): EndpointPort {
  return { ...opt('name', str(raw['name'])), ...opt('protocol', str(raw['protocol']) as Protocol | undefined), ...opt('port', num(raw['port'])) }
}

/** A discovery.k8s.io/v1 EndpointSlice from its raw object. */
export function endpointSliceFromRaw(raw: Raw, origin: Origin = 'existing', file = 'test.yaml'): EndpointSlice {
  return {
    ...envelope(raw, 'EndpointSlice', origin, file),
    kind: 'EndpointSlice',
    addressType: (str(raw['addressType']) ?? 'IPv4') as EndpointSlice['addressType'],
    endpoints: arr(raw['endpoints']).map((e) => endpoint(obj(e))),
    ports: arr(raw['ports']).map((p) => endpointPort(obj(p))),
  }
}

/** Services and EndpointSlices of a multi-document YAML text, in document order. */
export function objectsFromYaml(text: string, file = 'test.yaml'): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = []
  const slices: EndpointSlice[] = []
  for (const doc of loadAll(text)) {
    if (!isObj(doc)) continue
    if (doc['kind'] === 'Service') services.push(serviceFromRaw(doc, 'existing', file))
    else if (doc['kind'] === 'EndpointSlice') slices.push(endpointSliceFromRaw(doc, 'existing', file))
  }
  return { services, slices }
}
