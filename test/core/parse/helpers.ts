import { parseSources } from '../../../src/core/parse/index.ts'
import type { ParseLimits } from '../../../src/core/parse/index.ts'
import type { Issue } from '../../../src/core/issues.ts'

/** Parses one file. */
export function parseText(text: string, path = 'm.yaml', opts: { origin?: 'proposed' | 'existing'; limits?: Partial<ParseLimits> } = {}) {
  return parseSources([{ path, text, origin: opts.origin ?? 'proposed' }], opts.limits)
}

/** `code@line` for each issue, for compact assertions. */
export function where(issues: readonly Issue[]): string[] {
  return issues.map((i) => `${i.code}@${i.source?.line ?? '?'}`)
}

/** Joins lines with newlines (keeps YAML in tests readable and line numbers countable). */
export function lines(...ls: string[]): string {
  return ls.join('\n') + '\n'
}
