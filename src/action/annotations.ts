/**
 * @module action/annotations
 * Picks which findings become file annotations. GitHub shows at most 10 error and 10 warning
 * annotations per step (and 50 per job; actions/toolkit#734), silently dropping the rest, so we
 * choose: errors first, then warnings, then notices, each capped, only for findings with a file
 * and line in the head side. The rest are listed in the job summary instead.
 */
import type { Finding } from '#core'

/** Per-step caps GitHub applies to workflow-command annotations. */
export const ANNOTATION_LIMITS = { error: 10, warning: 10, notice: 10 } as const

/** The findings split into those to annotate and those left for the summary. */
export interface AnnotationPlan {
  readonly annotate: readonly Finding[]
  readonly rest: readonly Finding[]
}

/** Splits findings by the per-severity caps; input order (errors first) is kept. */
export function planAnnotations(findings: readonly Finding[], limits: Readonly<Record<Finding['severity'], number>> = ANNOTATION_LIMITS): AnnotationPlan {
  const used = { error: 0, warning: 0, notice: 0 }
  const annotate: Finding[] = []
  const rest: Finding[] = []
  for (const f of findings) {
    if (f.source && f.side === 'head' && used[f.severity] < limits[f.severity]) {
      used[f.severity]++
      annotate.push(f)
    } else rest.push(f)
  }
  return { annotate, rest }
}
