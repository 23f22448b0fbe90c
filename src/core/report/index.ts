/**
 * @module report
 * Every report of the core, one folder: plans (text, JSON, the three iptables forms), diffs
 * (text, the PR-comment markdown, JSON, SARIF) and traces (text, JSON); plan issues as SARIF too. Renderers depend on the
 * results they render (plan, diff, trace types), never the other way round.
 */
export { renderPlan, proxyModeOfFormat, PLAN_FORMATS, type PlanFormat } from './render-plan.ts'
export { formatIssue } from './text.ts'
export { renderPlanJson } from './json.ts'
export { renderDiff, DIFF_FORMATS, type DiffFormat, type DiffReportOptions } from './render-diff.ts'
export { renderDiffMarkdown } from './markdown.ts'
export { hasMarker } from './marker.ts'
export { renderTraces, TRACE_FORMATS, type TraceFormat } from './render-trace.ts'
export { renderPlanMarkdown } from './plan-markdown.ts'
