/**
 * @module report/render-diff
 * One entry point for the three diff formats, for the CLI, the Action and the Worker.
 */
import type { PlanDiff } from '../diff/types.ts'
import type { Staged } from '../issues.ts'
import { renderDiffJson } from './diff-json.ts'
import type { DiffReportOptions } from './diff-options.ts'
import { renderDiffMarkdown } from './markdown.ts'
import { renderDiffText } from './diff-text.ts'

/** The diff report formats. */
export type DiffFormat = 'text' | 'markdown' | 'json'

/** Renders a diff in `format`. Markdown is budgeted for a PR comment unless `maxChars` says otherwise. */
export function renderDiff(diff: Staged<PlanDiff>, format: DiffFormat, options: DiffReportOptions = {}): string {
  switch (format) {
    case 'json':
      return renderDiffJson(diff)
    case 'markdown':
      return renderDiffMarkdown(diff, options)
    case 'text':
      return renderDiffText(diff, options)
  }
}

export type { DiffReportOptions }
