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
import { defined, OPTIONAL_PORT_RANGE } from './fields.ts'
import type { Fields, Rec } from './fields.ts'
import { parsedOf, startObject } from './object.ts'
import { PROTOCOLS } from './service.ts'

const ADDRESS_TYPES = ['IPv4', 'IPv6', 'FQDN'] as const

function readNames(f: Fields, hints: Rec | undefined, path: string, key: string): { name: string }[] | undefined {
  if (hints === undefined || hints[key] === undefined || hints[key] === null) return undefined
  return f.objects(hints, path, key).map(({ item, path: p }) => ({ name: f.str(item, p, 'name') ?? '' }))
}

function readEndpoint(f: Fields, item: Rec, path: string): Endpoint {
  const conditions = f.obj(item, path, 'conditions')
  const cpath = `${path}.conditions`
  const hints = f.obj(item, path, 'hints')
  const targetRef = f.obj(item, path, 'targetRef')
  const rpath = `${path}.targetRef`
  return defined<Endpoint>({
    addresses: f.strList(item, path, 'addresses') ?? [],
    conditions: defined({
      ready: f.bool(conditions, cpath, 'ready'),
      serving: f.bool(conditions, cpath, 'serving'),
      terminating: f.bool(conditions, cpath, 'terminating'),
    }),
    nodeName: f.str(item, path, 'nodeName'),
    zone: f.str(item, path, 'zone'),
    hostname: f.str(item, path, 'hostname'),
    hints:
      hints === undefined
        ? undefined
        : defined({
            forZones: readNames(f, hints, `${path}.hints`, 'forZones'),
            forNodes: readNames(f, hints, `${path}.hints`, 'forNodes'),
          }),
    targetRef:
      targetRef === undefined
        ? undefined
        : defined({
            kind: f.str(targetRef, rpath, 'kind'),
            namespace: f.str(targetRef, rpath, 'namespace'),
            name: f.str(targetRef, rpath, 'name'),
          }),
  })
}

function readPort(f: Fields, item: Rec, path: string): EndpointPort {
  return defined<EndpointPort>({
    name: f.str(item, path, 'name'),
    protocol: f.enumOf(item, path, 'protocol', PROTOCOLS),
    // Port 0 is kept: kube-proxy skips just that port ("Ignoring invalid endpoint port",
    // endpointslicecache.go), it does not drop the slice.
    port: f.int(item, path, 'port', OPTIONAL_PORT_RANGE),
    appProtocol: f.str(item, path, 'appProtocol'),
  })
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
  const endpoints = f.objects(raw, '', 'endpoints').map(({ item, path }) => readEndpoint(f, item, path))
  const ports = f.objects(raw, '', 'ports').map(({ item, path }) => readPort(f, item, path))
  if (!f.ok || addressType === undefined) return undefined
  return { ...parsedOf(env, start), kind: 'EndpointSlice', addressType, endpoints, ports }
}
