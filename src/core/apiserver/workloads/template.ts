/**
 * @module apiserver/workloads/template
 * Reads the parts of a workload's pod template that decide endpoints: labels, container ports
 * (containers, then restartable init containers — sidecars — as FindPort searches them),
 * placement constraints and hostNetwork. Tolerant of malformed input: wrong shapes read as absent.
 */
import { pushAll } from '../../append.ts'
import type { Building } from '../../building.ts'
import type { ContainerPort, Protocol } from '../../model/k8s.ts'

type Rec = Readonly<Record<string, unknown>>
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Reads a nested record, or `{}`. */
export function rec(v: unknown, ...path: string[]): Rec {
  let cur: unknown = v
  for (const k of path) cur = isRec(cur) ? cur[k] : undefined
  return isRec(cur) ? cur : {}
}

/** Reads a string→string map (labels, nodeSelector). */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (isRec(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x)
  return out
}

/** A toleration as written in a pod spec. */
export interface Toleration {
  readonly key: string
  readonly operator: string
  readonly value: string
  readonly effect: string
}

/** One node-affinity requirement (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`). */
export interface NodeRequirement {
  readonly key: string
  readonly operator: string
  readonly values: readonly string[]
}

/** What pod synthesis needs from a template. */
export interface PodTemplateInfo {
  readonly labels: Record<string, string>
  readonly annotations: Record<string, string>
  readonly containerPorts: readonly ContainerPort[]
  readonly nodeSelector: Record<string, string>
  /** requiredDuringScheduling node selector terms: OR of terms, AND within a term. */
  readonly affinityTerms: readonly (readonly NodeRequirement[])[]
  readonly tolerations: readonly Toleration[]
  readonly hostNetwork: boolean
  readonly nodeName?: string
  /** `spec.hostname` / `spec.subdomain` as written in the template. */
  readonly hostname?: string
  readonly subdomain?: string
}

const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP'])

function portsOf(containers: unknown, onlySidecars: boolean): ContainerPort[] {
  if (!Array.isArray(containers)) return []
  const out: ContainerPort[] = []
  for (const c of containers) {
    if (!isRec(c)) continue
    if (onlySidecars && c['restartPolicy'] !== 'Always') continue
    const ports = c['ports']
    if (!Array.isArray(ports)) continue
    for (const p of ports) {
      if (!isRec(p) || typeof p['containerPort'] !== 'number') continue
      const proto = typeof p['protocol'] === 'string' && PROTOCOLS.has(p['protocol']) ? (p['protocol'] as Protocol) : 'TCP'
      // Not a conditional spread (building.ts): one literal per shape, keys in the same order.
      const name = p['name']
      out.push(typeof name === 'string' ? { name, containerPort: p['containerPort'], protocol: proto } : { containerPort: p['containerPort'], protocol: proto })
    }
  }
  return out
}

function tolerationsOf(v: unknown): Toleration[] {
  if (!Array.isArray(v)) return []
  return v.filter(isRec).map((t) => ({
    key: typeof t['key'] === 'string' ? t['key'] : '',
    operator: typeof t['operator'] === 'string' ? t['operator'] : 'Equal',
    value: typeof t['value'] === 'string' ? t['value'] : '',
    effect: typeof t['effect'] === 'string' ? t['effect'] : '',
  }))
}

function affinityOf(spec: Rec): NodeRequirement[][] {
  const terms = rec(spec, 'affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')['nodeSelectorTerms']
  if (!Array.isArray(terms)) return []
  return terms.filter(isRec).map((t) => {
    const exprs = t['matchExpressions']
    if (!Array.isArray(exprs)) return []
    return exprs.filter(isRec).map((e) => ({
      key: typeof e['key'] === 'string' ? e['key'] : '',
      operator: typeof e['operator'] === 'string' ? e['operator'] : 'In',
      values: Array.isArray(e['values']) ? e['values'].map(String) : [],
    }))
  })
}

/** Reads a PodTemplateSpec (`{metadata, spec}`). */
export function readPodTemplate(template: unknown): PodTemplateInfo {
  const meta = rec(template, 'metadata')
  const spec = rec(template, 'spec')
  const containerPorts = portsOf(spec['containers'], false)
  pushAll(containerPorts, portsOf(spec['initContainers'], true))
  // Assigned field by field in the literal order (building.ts), not with conditional spreads.
  const info: Building<PodTemplateInfo> = {
    labels: stringMap(meta['labels']),
    annotations: stringMap(meta['annotations']),
    containerPorts,
    nodeSelector: stringMap(spec['nodeSelector']),
    affinityTerms: affinityOf(spec),
    tolerations: tolerationsOf(spec['tolerations']),
    hostNetwork: spec['hostNetwork'] === true,
  }
  const { nodeName, hostname, subdomain } = spec
  if (typeof nodeName === 'string') info.nodeName = nodeName
  if (typeof hostname === 'string' && hostname !== '') info.hostname = hostname
  if (typeof subdomain === 'string' && subdomain !== '') info.subdomain = subdomain
  return info as PodTemplateInfo
}

/** Reads a non-negative integer field, or the default when absent or malformed. */
export function intField(v: unknown, dflt: number): number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : dflt
}
