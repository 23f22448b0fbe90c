/**
 * @module parse/object
 * The start and end shared by every typed view: a {@link Fields} reader naming the object, its
 * metadata, and the {@link Parsed} envelope fields.
 */
import type { Issue, ObjectRef } from '../issues.ts'
import type { ObjectMeta, Parsed } from '../model/k8s.ts'
import type { Envelope } from './envelope.ts'
import { readMetadata, refOf, subjectOf } from './envelope.ts'
import { Fields } from './fields.ts'

/** Reader, reference and metadata of an object about to be parsed. */
export interface ObjectStart {
  readonly f: Fields
  readonly ref: ObjectRef
  readonly meta: ObjectMeta
}

/** Reads the metadata of a typed object; a missing `metadata.name` is an error, as the API requires it. */
export function startObject(env: Envelope, issues: Issue[]): ObjectStart {
  const ref = refOf(env)
  const f = new Fields(subjectOf(ref), ref, env.locate, issues)
  const meta = readMetadata(f, env.raw, ref)
  if (ref.name === '' && f.ok) f.required('metadata.name')
  return { f, ref, meta }
}

/** The {@link Parsed} fields every typed object carries. */
export function parsedOf(env: Envelope, start: ObjectStart): Parsed {
  return { ref: start.ref, metadata: start.meta, source: env.source, locate: env.locate, origin: env.origin, raw: env.raw }
}
