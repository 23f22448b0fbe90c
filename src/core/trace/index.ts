/**
 * @module trace
 * Packet traces over a node's iptables ruleset: for a plan (the rules kube-whatif renders) or for
 * a ruleset read from an iptables-restore / iptables-save file.
 */
export type { Flow, PathStep, Probe, ProbeSpec, Trace, TraceOutcome, Verdict } from './types.ts'
export { parseProbesFile, type ProbeSources } from './probe.ts'
export { rulesetTarget, traceProbes, traceTarget } from './target.ts'
export { canonicalIP, destinationFamily, traceRules, type TraceRulesInput } from './trace-rules.ts'
