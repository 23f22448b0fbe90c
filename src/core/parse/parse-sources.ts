/**
 * @module parse/parse-sources
 * The parse stage: manifest files (YAML 1.1 as Kubernetes reads it, or JSON) → a typed
 * {@link Inventory} where every object knows its source position, plus the issues found.
 * Pure: no I/O, no clock; the same files always give the same result.
 *
 * @example
 * ```ts
 * const { value, issues } = parseSources([{ path: 'web.yaml', text, origin: 'proposed' }])
 * value.services[0]?.locate('spec.ports[0].nodePort') // → { file: 'web.yaml', line: 9, column: 5 }
 * ```
 */
import type { Issue, Staged } from '../issues.ts'
import type { Inventory, SourceFile } from '../model/inventory.ts'
import { fileContext } from './context.ts'
import { readDocuments } from './documents.ts'
import { envelopes } from './envelope.ts'
import { InventoryBuilder } from './inventory.ts'
import { resolveLimits } from './limits.ts'
import type { ParseLimits } from './limits.ts'


/**
 * Parses manifest files into an {@link Inventory}.
 *
 * - Multi-document YAML and JSON (also concatenated JSON values); `List`/`*List` are unwrapped;
 *   empty documents are skipped; a document without apiVersion/kind is skipped with a warning.
 * - A YAML syntax error costs only the document it is in (documents before and after it are read).
 * - Objects with a wrong field type or value are left out with an error issue at the field's line.
 * - Limits ({@link DEFAULT_LIMITS}, overridable per call) turn hostile input into `limit/*` issues.
 *
 * Never throws on user input.
 * @param files the input files, in the order objects should be listed
 * @param limits overrides for {@link DEFAULT_LIMITS}
 */
export function parseSources(files: readonly SourceFile[], limits: Partial<ParseLimits> = {}): Staged<Inventory> {
  const resolved = resolveLimits(limits)
  const issues: Issue[] = []
  const builder = new InventoryBuilder(issues)
  for (const file of files) {
    const ctx = fileContext(file, resolved, issues)
    readDocuments(ctx, (doc) => {
      for (const env of envelopes(ctx, doc)) builder.add(env)
      doc.locator.settle()
    })
  }
  return { value: builder.build(), issues }
}
