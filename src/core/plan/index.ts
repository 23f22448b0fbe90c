/**
 * @module plan
 * The plan pipeline and its result types.
 */
export { planFromSources } from './plan.ts'
export type {
  PlanInput,
  PlanOptions,
  PlanResult,
  PlannedEndpoint,
  PlannedPort,
  PlannedService,
  PlannedServicePort,
  TrafficOutcome,
} from './types.ts'
export { apiserverStage, assemblePlan, parseStage, planCommon, planNodeProxy, readCurrentRulesFor, retargetCommon, PLAN_STAGES, type PlanCommon } from './stages.ts'
