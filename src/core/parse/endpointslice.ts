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

/** Sets `key` only when the value is defined (absent fields stay absent, not `undefined`). */
function put(o: Mutable, key: string, v: unknown): void {
  if (v !== undefined) o[key] = v
}

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
  put(cond, 'ready', f.bool(conditions, cpath, 'ready'))
  put(cond, 'serving', f.bool(conditions, cpath, 'serving'))
  put(cond, 'terminating', f.bool(conditions, cpath, 'terminating'))
  out['conditions'] = cond
  put(out, 'nodeName', f.str(item, path, 'nodeName'))
  put(out, 'zone', f.str(item, path, 'zone'))
  put(out, 'hostname', f.str(item, path, 'hostname'))
  if (hints !== undefined) {
    const hpath = new At(path, 'hints')
    const h: Mutable = {}
    put(h, 'forZones', readNames(f, hints, hpath, 'forZones'))
    put(h, 'forNodes', readNames(f, hints, hpath, 'forNodes'))
    out['hints'] = h
  }
  if (targetRef !== undefined) {
    const rpath = new At(path, 'targetRef')
    const r: Mutable = {}
    put(r, 'kind', f.str(targetRef, rpath, 'kind'))
    put(r, 'namespace', f.str(targetRef, rpath, 'namespace'))
    put(r, 'name', f.str(targetRef, rpath, 'name'))
    out['targetRef'] = r
  }
  return out as unknown as Endpoint
}

function readPort(f: Fields, item: Rec, path: Path): EndpointPort {
  const out: Mutable = {}
  put(out, 'name', f.str(item, path, 'name'))
  put(out, 'protocol', f.enumOf(item, path, 'protocol', PROTOCOLS))
  // Port 0 is kept: kube-proxy skips just that port ("Ignoring invalid endpoint port",
  // endpointslicecache.go), it does not drop the slice.
  put(out, 'port', f.int(item, path, 'port', OPTIONAL_PORT_RANGE))
  put(out, 'appProtocol', f.str(item, path, 'appProtocol'))
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
