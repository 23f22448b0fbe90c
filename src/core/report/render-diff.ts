/**
 * @module report/render-diff
 * One entry point for the diff formats, for the CLI, the Action and the Worker.
 */
import type { PlanDiff } from '../diff/types.ts'
import type { Staged } from '../issues.ts'
import { renderDiffJson } from './diff-json.ts'
import type { DiffReportOptions } from './diff-options.ts'
import { renderDiffMarkdown } from './markdown.ts'
import { renderDiffText } from './diff-text.ts'
import { renderSarif } from './sarif.ts'

/** The diff report formats. */
export const DIFF_FORMATS = ['text', 'markdown', 'json', 'sarif'] as const

/** One of {@link DIFF_FORMATS}. */
export type DiffFormat = (typeof DIFF_FORMATS)[number]

/** Renders a diff in `format`. Markdown is budgeted for a PR comment unless `maxChars` says otherwise. */
export function renderDiff(diff: Staged<PlanDiff>, format: DiffFormat, options: DiffReportOptions = {}): string {
  switch (format) {
    case 'json':
      return renderDiffJson(diff)
    case 'markdown':
      return renderDiffMarkdown(diff, options)
    case 'text':
      return renderDiffText(diff, options)
    case 'sarif':
      // Findings only: code scanning shows problems at file:line, not the change report.
      return renderSarif(
        diff.value.findings.map((f) => ({ ...f, level: f.severity === 'notice' ? 'note' : f.severity, properties: { side: f.side } })),
        options.version !== undefined ? { version: options.version } : {},
      )
  }
}

export type { DiffReportOptions }
