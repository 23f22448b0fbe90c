/**
 * @module apiserver/workloads/expand
 * Workload → the pods its controller keeps running in steady state (replicaset controller `manageReplicas`, daemonset controller `manage`,
 * statefulset `newVersionedStatefulSetPod`): count, names and
 * controller-added labels. Generated name parts (pod-template-hash, 5-character suffixes, a
 * CronJob's scheduled minute) are random or Go-hash based upstream; we derive look-alike tokens
 * from sha256 so they are stable, and label them previews.
 */
import type { ObjectRef } from '../../issues.ts'
import type { Node, OtherObject } from '../../model/k8s.ts'
import { safeSuffix, seedFor } from '../allocate/seed.ts'
import { boundedReplicas, type ReplicaBounds } from './autoscalers.ts'
import { DAEMONSET_TOLERATIONS, eligible, sortedNodes } from './placement.ts'
import { intField, readPodTemplate, rec } from './template.ts'
import type { PodTemplateInfo } from './template.ts'

/** Kinds this module expands. */
export const WORKLOAD_KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const

/** One pod to synthesise. */
export interface PodSeed {
  readonly namespace: string
  readonly name: string
  readonly labels: Record<string, string>
  readonly template: PodTemplateInfo
  readonly owner: ObjectRef
  /** DaemonSet pods are bound to their node. */
  readonly node?: string
  readonly workload: OtherObject
}

/** An expansion: the pods plus what was guessed while naming them. */
export interface Expansion {
  readonly pods: readonly PodSeed[]
  readonly notes: readonly string[]
}

const templateHash = (w: OtherObject, template: unknown): string =>
  safeSuffix(`${w.metadata.namespace}/${w.metadata.name}#template#${JSON.stringify(template ?? null)}`, 10)

/** A deterministic UUID-shaped token (Job controller-uid). */
function fakeUID(key: string): string {
  const h = seedFor(key).toString(16).padStart(32, '0')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/**
 * `{ ...labels, [key]: value }` by assignment: an object spread goes through V8's generic
 * CopyDataProperties; the key order is the same (the copied keys in order, then `key` — or in
 * its old place when `labels` has it already, as the spread would leave it).
 */
function withLabel(labels: Readonly<Record<string, string>>, key: string, value: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(labels)) out[k] = labels[k] as string
  out[key] = value
  return out
}

/** The owner every pod of `w` names. */
const ownerOf = (w: OtherObject): ObjectRef => ({ kind: w.kind, namespace: w.metadata.namespace, name: w.metadata.name })

/**
 * One pod of `w`. `labels` and `owner` may be shared by every pod of a workload (replicas carry
 * equal labels; nothing writes to a pod's labels or owner): one object per workload instead of
 * a spread copy per pod.
 */
function seed(w: OtherObject, name: string, t: PodTemplateInfo, labels: Record<string, string>, owner: ObjectRef, node?: string): PodSeed {
  return node !== undefined
    ? { namespace: w.metadata.namespace, name, labels, template: t, owner, node, workload: w }
    : { namespace: w.metadata.namespace, name, labels, template: t, owner, workload: w }
}

function jobPods(w: OtherObject, jobName: string, spec: Readonly<Record<string, unknown>>): PodSeed[] {
  const t = readPodTemplate(spec['template'])
  const active = jobActive(spec)
  const indexed = spec['completionMode'] === 'Indexed'
  const uid = fakeUID(`${w.metadata.namespace}/${jobName}#job`)
  const base = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': jobName,
    'controller-uid': uid,
    'job-name': jobName,
  }
  const labels = { ...t.labels, ...base }
  const owner = ownerOf(w)
  return Array.from({ length: active }, (_, i) => {
    const sfx = safeSuffix(`${w.metadata.namespace}/${jobName}#pod#${i}`, 5)
    return indexed
      ? seed(w, `${jobName}-${i}-${sfx}`, t, { ...labels, 'batch.kubernetes.io/job-completion-index': String(i) }, owner)
      : seed(w, `${jobName}-${sfx}`, t, labels, owner)
  })
}

/** How many pods a Job spec runs at once: `min(parallelism, completions)` (jobPods' count). */
function jobActive(spec: Readonly<Record<string, unknown>>): number {
  const parallelism = intField(spec['parallelism'], 1)
  const completions = spec['completions'] === undefined || spec['completions'] === null ? undefined : intField(spec['completions'], 1)
  return completions === undefined ? parallelism : Math.min(parallelism, completions)
}

/** The pod count {@link expandWorkload} would produce and the field it comes from, without building any pod. */
export interface PodCount {
  readonly count: number
  /** Field path of the number (`spec.replicas`, `spec.parallelism`, ...). */
  readonly path: string
}

/**
 * Counts the pods of one workload before expanding it, so the caller can refuse a workload whose
 * count breaks a work limit (`replicas: 2147483647`) before allocating anything. DaemonSet pods
 * are bounded by the Nodes, which the input holds itself.
 */
export function podCount(w: OtherObject, nodes: readonly Node[]): PodCount {
  const spec = rec(w.raw, 'spec')
  switch (w.kind) {
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
      return { count: intField(spec['replicas'], 1), path: 'spec.replicas' }
    case 'DaemonSet':
      return { count: nodes.length, path: 'spec.template.spec' }
    case 'Job':
      return { count: jobActive(spec), path: 'spec.parallelism' }
    case 'CronJob':
      return { count: jobActive(rec(spec, 'jobTemplate', 'spec')), path: 'spec.jobTemplate.spec.parallelism' }
    default:
      return { count: 0, path: 'spec' }
  }
}

/** Expands one workload. Unknown kinds expand to nothing. */
export function expandWorkload(w: OtherObject, nodes: readonly Node[], bounds?: ReplicaBounds): Expansion {
  const replicas = (spec: Readonly<Record<string, unknown>>): number => boundedReplicas(intField(spec['replicas'], 1), bounds)
  const scaled = (n: number, spec: Readonly<Record<string, unknown>>): string =>
    bounds !== undefined && n !== intField(spec['replicas'], 1) ? ` (HorizontalPodAutoscaler ${bounds.hpa}: minReplicas ${bounds.min}, maxReplicas ${bounds.max})` : ''
  const spec = rec(w.raw, 'spec')
  const ns = w.metadata.namespace
  const name = w.metadata.name
  const id = `${w.kind} ${ns}/${name}`
  switch (w.kind) {
    case 'Deployment': {
      const t = readPodTemplate(spec['template'])
      const hash = templateHash(w, spec['template'])
      const rs = `${name}-${hash}`
      const n = replicas(spec)
      const labels = withLabel(t.labels, 'pod-template-hash', hash)
      const owner = ownerOf(w)
      // replicaset controller `getPodsToCreate` / apiserver GenerateName: `<rs>-<5 safe chars>`;
      // the key's prefix is built once per workload, not once per pod.
      const at = `${ns}/${rs}#pod#`
      const pods: PodSeed[] = []
      for (let i = 0; i < n; i++) pods.push(seed(w, `${rs}-${safeSuffix(at + i, 5)}`, t, labels, owner))
      return { pods, notes: [`${id}: ${n} pod(s)${scaled(n, spec)} of ReplicaSet ${rs} (steady state, no rollout in progress); pod-template-hash and name suffixes are previews`] }
    }
    case 'ReplicaSet': {
      const t = readPodTemplate(spec['template'])
      const n = replicas(spec)
      const labels = { ...t.labels }
      const owner = ownerOf(w)
      const pods = Array.from({ length: n }, (_, i) => seed(w, `${name}-${safeSuffix(`${ns}/${name}#pod#${i}`, 5)}`, t, labels, owner))
      return { pods, notes: [`${id}: ${n} pod(s)${scaled(n, spec)}; name suffixes are previews`] }
    }
    case 'StatefulSet': {
      const t = readPodTemplate(spec['template'])
      const n = replicas(spec)
      const start = intField(rec(spec, 'ordinals')['start'], 0)
      const rev = `${name}-${templateHash(w, spec['template'])}`
      const serviceName = typeof spec['serviceName'] === 'string' ? spec['serviceName'] : ''
      const owner = ownerOf(w)
      const pods = Array.from({ length: n }, (_, i) => {
        const pod = `${name}-${start + i}`
        // stateful_set_utils.go updateIdentity: hostname is the pod name, subdomain the governing Service.
        const identity = { ...t, hostname: pod, ...(serviceName !== '' ? { subdomain: serviceName } : {}) }
        return seed(
          w,
          pod,
          identity,
          { ...t.labels, 'apps.kubernetes.io/pod-index': String(start + i), 'controller-revision-hash': rev, 'statefulset.kubernetes.io/pod-name': pod },
          owner,
        )
      })
      return { pods, notes: [`${id}: ${n} pod(s)${scaled(n, spec)}, ordinals ${start}..${start + n - 1}, all created (OrderedReady finished)`] }
    }
    case 'DaemonSet': {
      const t = readPodTemplate(spec['template'])
      const rev = templateHash(w, spec['template'])
      const ok = sortedNodes(nodes).filter((node) => eligible(node, t, DAEMONSET_TOLERATIONS))
      const labels = { ...t.labels, 'controller-revision-hash': rev, 'pod-template-generation': '1' }
      const owner = ownerOf(w)
      const pods = ok.map((node) => seed(w, `${name}-${safeSuffix(`${ns}/${name}#node#${node.metadata.name}`, 5)}`, t, labels, owner, node.metadata.name))
      return { pods, notes: [`${id}: one pod on each of ${ok.length} eligible node(s) (nodeSelector, node affinity, taints)`] }
    }
    case 'Job': {
      const pods = jobPods(w, name, spec)
      return { pods, notes: [`${id}: ${pods.length} pod(s) running (parallelism, not yet completed)`] }
    }
    case 'CronJob': {
      const jobSpec = rec(spec, 'jobTemplate', 'spec')
      // Upstream names a run <cronjob>-<scheduled time in minutes since the epoch>; any run's time is a guess.
      const minutes = 28_000_000 + Number(seedFor(`${ns}/${name}#cron`) % 1_000_000n)
      const jobName = `${name}-${minutes}`
      const pods = jobPods(w, jobName, jobSpec)
      return { pods, notes: [`${id}: assumed one run (Job ${jobName}, name is a preview) active with ${pods.length} pod(s)`] }
    }
    default:
      return { pods: [], notes: [] }
  }
}
