/**
 * @module kube-whatif core
 * The front door of the pure core (no I/O; runs in Node and workerd): the use cases every
 * adapter (CLI, Action, Worker, bench) calls, the renderers of their results, and the types they
 * take and return. Adapters import the core only from here (`#core`); test/architecture.test.ts
 * enforces that and pins this list, so an addition is a deliberate API change.
 */

// Use cases: plan, diff and trace, from source files (or a ruleset file for traces)
export { planFromSources } from './plan/index.ts'
export { planDiff, diffExitCode } from './diff/index.ts'
export { traceProbes, traceRules, parseProbesFile, canonicalIP, destinationFamily } from './trace/index.ts'

// Renderers, one per result, each with its formats
export { renderPlan, renderPlanJson, renderPlanMarkdown, PLAN_FORMATS, proxyModeOfFormat, renderDiff, DIFF_FORMATS, renderDiffMarkdown, renderTraces, TRACE_FORMATS, formatIssue, hasMarker } from './report/index.ts'
export type { PlanFormat, DiffFormat, DiffReportOptions, TraceFormat } from './report/index.ts'

// Inputs and limits
export { hasErrors } from './issues.ts'
export { DEFAULT_LIMITS, K8S_YAML_SCHEMA } from './parse/index.ts'
export type { ParseLimits } from './parse/index.ts'
export type { SourceFile } from './model/inventory.ts'
export type { IPFamily } from './model/k8s.ts'
export type { ProxyMode } from './model/cluster.ts'
export type { PlanInput, PlanOptions } from './plan/index.ts'
export type { PlanDiffInput, PlanDiffOptions } from './diff/index.ts'
export type { ProbeSources, ProbeSpec, TraceRulesInput } from './trace/index.ts'

// Results
export type { Issue, IssueCode, ObjectRef, Severity, SourceSpan, Staged } from './issues.ts'
export type { PlanResult, PlannedEndpoint, PlannedPort, PlannedService, PlannedServicePort, TrafficOutcome } from './plan/index.ts'
export type { DiffSummary, Finding, FindingSeverity, MigrationDifference, PlanDiff, ServiceChange } from './diff/index.ts'
export type { Flow, PathStep, Probe, Trace, TraceOutcome, Verdict } from './trace/index.ts'


// Work limits (docs/limits.md): the CLI raises them with --max-* options, the Worker cannot
export { DEFAULT_WORK_LIMITS, WORK_LIMIT_OPTIONS } from './limits.ts'
export type { WorkLimits } from './limits.ts'
// Appending input-sized lists without spreading them into a call (adapters merge issue lists)
export { pushAll } from './append.ts'

// The plan pipeline as named stages (the bench times them one by one), and what each kube-proxy
// backend sends (the bench times the two backends on the same front end)
export { PLAN_STAGES } from './plan/index.ts'
export { printRestore } from './proxy/iptables/print-restore.ts'
export { printNftTransaction } from './proxy/nftables/print-transaction.ts'

// Kubernetes versions the emulation models (CLI, Action and Worker validate the option with them)
export { KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion, SUPPORTED_VERSIONS_TEXT } from './model/version.ts'
export type { KubernetesVersion } from './model/version.ts'
