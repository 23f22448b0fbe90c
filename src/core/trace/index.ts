/**
 * @module trace
 * Packet traces over a node's iptables ruleset: for a plan (the rules kube-whatif renders) or for
 * a ruleset read from an iptables-restore / iptables-save file.
 */
export type { Flow, PathStep, Probe, ProbeSpec, RuleRef, Trace, TraceOutcome, Verdict, AffinityNote } from './types.ts'
export { traceLikeUpstream, type UpstreamTraceResult } from './kube-tracer.ts'
export { tracePacket } from './trace.ts'
export { withJumpRules } from './builtin-chains.ts'
export { parseProbesFile, resolveProbes, resolveEndpoint, splitHostPort, type ProbeContext, type ProbeSources } from './probe.ts'
export { planTarget, rulesetTarget, traceProbes, traceTarget, type RulesetTargetInput, type TraceTarget } from './target.ts'
export { canonicalIP, destinationFamily, traceRules, type TraceRulesInput } from './trace-rules.ts'
