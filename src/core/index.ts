/**
 * @module kube-whatif core
 * The public surface of the pure core (no I/O; runs in Node and workerd). Explicit named exports
 * only, so the API-surface test sees every addition. Other modules append their lines below.
 */

// Issues and shared model types
export { issue, hasErrors, refString } from './issues.ts'
export type { Issue, IssueCode, ObjectRef, Severity, SourceSpan, Staged } from './issues.ts'
export type { SourceFile, Inventory } from './model/inventory.ts'
export type { ClusterProfile, KubeProxyConfiguration, LocalDetector, ProxyConfig } from './model/cluster.ts'
export type { EndpointSlice, IPFamily, Node, Pod, Protocol, Service } from './model/k8s.ts'
export { KUBERNETES_VERSIONS, DEFAULT_KUBERNETES_VERSION, parseKubernetesVersion, SUPPORTED_VERSIONS_TEXT } from './model/version.ts'
export type { KubernetesVersion } from './model/version.ts'

// Cluster facts
export { resolveCluster, proxyConfigFor, DEFAULT_CLUSTER_PROFILE, DEFAULT_KUBE_PROXY_CONFIGURATION } from './cluster/index.ts'
export type { ClusterFacts, ResolveClusterOptions } from './cluster/index.ts'

// Plan pipeline and reports
export { planFromSources, PLAN_STAGES } from './plan/index.ts'
export { renderPlan, renderPlanMarkdown, PLAN_FORMATS } from './report/index.ts'
export type { PlanFormat } from './report/index.ts'
export type {
  PlanInput,
  PlanOptions,
  PlanResult,
  PlannedEndpoint,
  PlannedPort,
  PlannedService,
  PlannedServicePort,
  TrafficOutcome,
} from './plan/index.ts'
export { renderPlanText, formatIssue, formatPercent } from './report/index.ts'
export { renderPlanJson, planToJson, PLAN_JSON_SCHEMA_VERSION } from './report/index.ts'

// Parser limits (the Worker applies them to JSON objects too) and the YAML schema (the bench
// times js-yaml alone with it)
export { DEFAULT_LIMITS, K8S_YAML_SCHEMA } from './parse/index.ts'
export type { ParseLimits } from './parse/index.ts'

// What-if diff and its reports (PR comment, terminal text, JSON)
export { planDiff, diffSummary, diffExitCode, DEFAULT_MAX_NODES } from './diff/index.ts'
export type {
  DiffSummary,
  EndpointChange,
  Exposure,
  FieldChange,
  Finding,
  FindingSeverity,
  PlanDiff,
  PlanDiffInput,
  PlanDiffOptions,
  ProbeChange,
  RulesChange,
  ServiceChange,
  ServiceChangeKind,
  TableChange,
} from './diff/index.ts'
export { renderDiff, DIFF_FORMATS, renderSarif } from './report/index.ts'
export type { SarifItem, SarifOptions } from './report/index.ts'
export type { DiffFormat, DiffReportOptions } from './report/index.ts'
export { renderDiffMarkdown, DEFAULT_KEEP_FIRST } from './report/index.ts'
export { renderDiffText } from './report/index.ts'
export { renderDiffJson, DIFF_JSON_SCHEMA_VERSION } from './report/index.ts'
export { summaryLine } from './report/index.ts'
export { commentMarker, parseMarker, hasMarker, MARKER_VERSION } from './report/index.ts'
export { GITHUB_COMMENT_LIMIT, DEFAULT_COMMENT_BUDGET } from './report/index.ts'

// Packet traces (kube-proxy's test-tracer view plus every outcome on the real path)
export { traceProbes, traceRules, traceLikeUpstream, tracePacket, parseProbesFile } from './trace/index.ts'
export { renderTraces, TRACE_FORMATS } from './report/index.ts'
export { canonicalIP, destinationFamily } from './trace/index.ts'
export type { Flow, PathStep, Probe, ProbeSources, ProbeSpec, Trace, TraceOutcome, TraceRulesInput, Verdict } from './trace/index.ts'
export type { TraceFormat } from './report/index.ts'
