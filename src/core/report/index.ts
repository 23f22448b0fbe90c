/**
 * @module report
 * Every report of the core, one folder: plans (text, JSON, the three iptables forms), diffs
 * (text, the PR-comment markdown, JSON, SARIF) and traces (text, JSON); plan issues as SARIF too. Renderers depend on the
 * results they render (plan, diff, trace types), never the other way round.
 */
export { renderPlan, PLAN_FORMATS, type PlanFormat } from './render-plan.ts'
export { renderPlanText, formatIssue, formatPercent } from './text.ts'
export { renderPlanJson, planToJson, PLAN_JSON_SCHEMA_VERSION } from './json.ts'
export { renderDiff, DIFF_FORMATS, type DiffFormat, type DiffReportOptions } from './render-diff.ts'
export { renderSarif, type SarifItem, type SarifOptions } from './sarif.ts'
export { renderDiffMarkdown, DEFAULT_KEEP_FIRST } from './markdown.ts'
export { renderDiffText } from './diff-text.ts'
export { renderDiffJson, DIFF_JSON_SCHEMA_VERSION } from './diff-json.ts'
export { summaryLine } from './diff-options.ts'
export { commentMarker, parseMarker, hasMarker, MARKER_VERSION } from './marker.ts'
export { GITHUB_COMMENT_LIMIT, DEFAULT_COMMENT_BUDGET } from './budget.ts'
export { renderTraces, TRACE_FORMATS, type TraceFormat } from './render-trace.ts'
export { renderTraceText, renderTracesText } from './trace-text.ts'
export { renderPlanMarkdown } from './plan-markdown.ts'
