/**
 * @module parse/others
 * Every kind without a typed view (Deployment, StatefulSet, ConfigMap, CRDs, ...) is kept as an
 * {@link OtherObject} for later stages (workload expansion). An unknown kind is never an error;
 * only malformed metadata is. An object with no name cannot be referred to and is skipped with a
 * warning (e.g. a kustomize `Kustomization` file in a manifest directory).
 */
import type { Issue } from '../issues.ts'
import type { OtherObject } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { readMetadata, refOf, subjectOf } from './envelope.ts'
import { Fields } from './fields.ts'

/**
 * Reads the envelope of any other kind.
 * @returns the object, or undefined when its metadata is malformed or it has no name
 */
export function parseOther(env: Envelope, issues: Issue[]): OtherObject | undefined {
  const ref = refOf(env)
  const f = new Fields(subjectOf(ref), ref, env.locate, issues)
  const meta = readMetadata(f, env.raw, ref)
  if (!f.ok) return undefined
  if (ref.name === '') {
    f.warn('manifest/missing-field', 'metadata.name', 'Required value: the object is skipped')
    return undefined
  }
  return {
    ref,
    metadata: meta,
    source: env.source,
    locate: env.locate,
    origin: env.origin,
    raw: env.raw,
    kind: env.kind,
    apiVersion: env.apiVersion,
  }
}
