/**
 * @module parse/endpointslice
 * Typed view of a discovery.k8s.io/v1 EndpointSlice, keeping the nil-vs-empty distinctions
 * kube-proxy relies on (pkg/proxy/endpointslicecache.go): a port with no `name` (nil) is ignored
 * while `name: ""` is the unnamed port; endpoint conditions stay undefined when not written
 * (nil `ready`/`serving` mean true, nil `terminating` means false — decided by the proxy stage).
 */
import type { Issue } from '../issues.ts'
import type { Endpoint, EndpointPort, EndpointSlice } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { At, OPTIONAL_PORT_RANGE } from './fields.ts'
import type { Fields, Path, Rec } from './fields.ts'
import { parsedOf, startObject } from './object.ts'
import { PROTOCOLS } from './service.ts'

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const

function readNames(f: Fields, hints: Rec | undefined, path: Path, key: string): { name: string }[] | undefined {
  if (hints === undefined || hints[key] === undefined || hints[key] === null) return undefined
  return f.objects(hints, path, key).map(({ item, path: p }) => ({ name: f.str(item, p, 'name') ?? '' }))
}

type Mutable = Record<string, unknown>

/**
 * Fields are read in the order issues must be reported and set only when defined, in the key
 * order the JSON output prints (what `defined({...})` over one literal gave, without building the
 * literal and copying it for each of every slice's endpoints); nested paths stay unbuilt {@link At}s.
 */
function readEndpoint(f: Fields, item: Rec, path: Path): Endpoint {
  const conditions = f.obj(item, path, 'conditions')
  const hints = f.obj(item, path, 'hints')
  const targetRef = f.obj(item, path, 'targetRef')
  const out: Mutable = { addresses: f.strList(item, path, 'addresses') ?? [] }
  const cpath = new At(path, 'conditions')
  const cond: Mutable = {}
  const ready = f.bool(conditions, cpath, 'ready')
  if (ready !== undefined) cond['ready'] = ready
  const serving = f.bool(conditions, cpath, 'serving')
  if (serving !== undefined) cond['serving'] = serving
  const terminating = f.bool(conditions, cpath, 'terminating')
  if (terminating !== undefined) cond['terminating'] = terminating
  out['conditions'] = cond
  const nodeName = f.str(item, path, 'nodeName')
  if (nodeName !== undefined) out['nodeName'] = nodeName
  const zone = f.str(item, path, 'zone')
  if (zone !== undefined) out['zone'] = zone
  const hostname = f.str(item, path, 'hostname')
  if (hostname !== undefined) out['hostname'] = hostname
  if (hints !== undefined) {
    const hpath = new At(path, 'hints')
    const h: Mutable = {}
    const forZones = readNames(f, hints, hpath, 'forZones')
    if (forZones !== undefined) h['forZones'] = forZones
    const forNodes = readNames(f, hints, hpath, 'forNodes')
    if (forNodes !== undefined) h['forNodes'] = forNodes
    out['hints'] = h
  }
  if (targetRef !== undefined) {
    const rpath = new At(path, 'targetRef')
    const r: Mutable = {}
    const kind = f.str(targetRef, rpath, 'kind')
    if (kind !== undefined) r['kind'] = kind
    const namespace = f.str(targetRef, rpath, 'namespace')
    if (namespace !== undefined) r['namespace'] = namespace
    const name = f.str(targetRef, rpath, 'name')
    if (name !== undefined) r['name'] = name
    out['targetRef'] = r
  }
  return out as unknown as Endpoint
}

function readPort(f: Fields, item: Rec, path: Path): EndpointPort {
  const out: Mutable = {}
  const name = f.str(item, path, 'name')
  if (name !== undefined) out['name'] = name
  const protocol = f.enumOf(item, path, 'protocol', PROTOCOLS)
  if (protocol !== undefined) out['protocol'] = protocol
  // Port 0 is kept: kube-proxy skips just that port ("Ignoring invalid endpoint port",
  // endpointslicecache.go), it does not drop the slice.
  const port = f.int(item, path, 'port', OPTIONAL_PORT_RANGE)
  if (port !== undefined) out['port'] = port
  const appProtocol = f.str(item, path, 'appProtocol')
  if (appProtocol !== undefined) out['appProtocol'] = appProtocol
  return out as unknown as EndpointPort
}

/**
 * Reads a discovery.k8s.io/v1 EndpointSlice.
 * @returns the slice, or undefined when a field had the wrong type or value
 */
export function parseEndpointSlice(env: Envelope, issues: Issue[]): EndpointSlice | undefined {
  const start = startObject(env, issues)
  const { f } = start
  const raw = env.raw
  const addressType = f.enumOf(raw, '', 'addressType', ADDRESS_TYPES)
  if (addressType === undefined && (raw['addressType'] === undefined || raw['addressType'] === null)) f.required('addressType')
  const endpoints: Endpoint[] = []
  for (const { item, path } of f.objects(raw, '', 'endpoints')) endpoints.push(readEndpoint(f, item, path))
  const ports: EndpointPort[] = []
  for (const { item, path } of f.objects(raw, '', 'ports')) ports.push(readPort(f, item, path))
  if (!f.ok || addressType === undefined) return undefined
  return { ...parsedOf(env, start), kind: 'EndpointSlice', addressType, endpoints, ports }
}
