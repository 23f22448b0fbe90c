/**
 * @module parse/service-cidr
 * Typed view of a networking.k8s.io ServiceCIDR: its name, `spec.cidrs` as written, and the
 * `Ready` condition. The apiserver stage validates the CIDRs (with kube-apiserver's messages) and
 * decides per Kubernetes version whether the object is served and used.
 */
import type { Issue } from '../issues.ts'
import type { ServiceCIDR } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { parsedOf, startObject } from './object.ts'

/**
 * Reads a ServiceCIDR.
 * @returns the object, or undefined when a field had the wrong type
 */
export function parseServiceCIDR(env: Envelope, issues: Issue[]): ServiceCIDR | undefined {
  const start = startObject(env, issues)
  const { f } = start
  const spec = f.obj(env.raw, '', 'spec')
  const cidrs = f.strList(spec, 'spec', 'cidrs') ?? []
  const status = f.obj(env.raw, '', 'status')
  let ready: boolean | undefined
  for (const { item, path } of f.objects(status, 'status', 'conditions')) {
    if (f.str(item, path, 'type') !== 'Ready') continue
    const s = f.str(item, path, 'status')
    // Unknown counts as not ready: the allocator only uses a CIDR whose Ready is True (or unset).
    ready = s === 'True'
  }
  if (!f.ok) return undefined
  return { ...parsedOf(env, start), kind: 'ServiceCIDR', apiVersion: env.apiVersion, cidrs, ...(ready !== undefined ? { ready } : {}) }
}
