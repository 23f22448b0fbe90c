/**
 * @module parse/pod
 * Typed view of a v1 Pod: what the EndpointSlice controller reads (endpointutil
 * ShouldPodBeInEndpoints, pkg/controller/endpointslice/utils.go podToEndpoint and pkg/api/v1/pod FindPort).
 * Container ports list regular containers first, then restartable init containers (sidecars,
 * `restartPolicy: Always`), the order FindPort searches them.
 */
import type { Issue } from '../issues.ts'
import type { ContainerPort, Pod } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { PORT_RANGE } from './fields.ts'
import type { Fields, Path, Rec } from './fields.ts'
import { parsedOf, startObject } from './object.ts'
import { PROTOCOLS } from './service.ts'

function containerPorts(f: Fields, spec: Rec | undefined): ContainerPort[] {
  const out: ContainerPort[] = []
  const read = (container: Rec, path: Path): void => {
    for (const { item, path: p } of f.objects(container, path, 'ports')) {
      const containerPort = f.int(item, p, 'containerPort', PORT_RANGE)
      if (containerPort === undefined && (item['containerPort'] === undefined || item['containerPort'] === null))
        f.required(`${p}.containerPort`)
      const name = f.str(item, p, 'name')
      const protocol = f.enumOf(item, p, 'protocol', PROTOCOLS) ?? 'TCP'
      if (containerPort !== undefined) out.push({ ...(name !== undefined ? { name } : {}), containerPort, protocol })
    }
  }
  for (const { item, path } of f.objects(spec, 'spec', 'containers')) read(item, path)
  for (const { item, path } of f.objects(spec, 'spec', 'initContainers'))
    if (f.str(item, path, 'restartPolicy') === 'Always') read(item, path)
  return out
}

/** `status.podIPs[*].ip`, falling back to `status.podIP` (the API keeps podIPs[0] == podIP). */
function podIPs(f: Fields, status: Rec | undefined): string[] {
  const ips: string[] = []
  for (const { item, path } of f.objects(status, 'status', 'podIPs')) {
    const ip = f.str(item, path, 'ip')
    if (ip !== undefined) ips.push(ip)
  }
  const podIP = f.str(status, 'status', 'podIP')
  return ips.length > 0 ? ips : podIP ? [podIP] : []
}

/** The Ready condition: true for status "True", false for any other status, undefined when absent. */
function readiness(f: Fields, status: Rec | undefined): boolean | undefined {
  let ready: boolean | undefined
  for (const { item, path } of f.objects(status, 'status', 'conditions')) {
    const type = f.str(item, path, 'type')
    const value = f.str(item, path, 'status')
    if (type === 'Ready' && ready === undefined) ready = value === 'True'
  }
  return ready
}

/**
 * Reads a v1 Pod.
 * @returns the Pod, or undefined when a field had the wrong type or value
 */
export function parsePod(env: Envelope, issues: Issue[]): Pod | undefined {
  const start = startObject(env, issues)
  const { f, meta } = start
  const spec = f.obj(env.raw, '', 'spec')
  const status = f.obj(env.raw, '', 'status')
  const nodeName = f.str(spec, 'spec', 'nodeName')
  const hostNetwork = f.bool(spec, 'spec', 'hostNetwork') ?? false
  const hostname = f.str(spec, 'spec', 'hostname')
  const subdomain = f.str(spec, 'spec', 'subdomain')
  const ports = containerPorts(f, spec)
  const ips = podIPs(f, status)
  const phase = f.str(status, 'status', 'phase')
  const ready = readiness(f, status)
  if (!f.ok) return undefined
  return {
    ...parsedOf(env, start),
    kind: 'Pod',
    ...(nodeName !== undefined && nodeName !== '' ? { nodeName } : {}),
    podIPs: ips,
    ...(phase !== undefined ? { phase } : {}),
    ...(ready !== undefined ? { ready } : {}),
    terminating: meta.deletionTimestamp !== undefined,
    containerPorts: ports,
    hostNetwork,
    ...(hostname ? { hostname } : {}),
    ...(subdomain ? { subdomain } : {}),
  }
}
