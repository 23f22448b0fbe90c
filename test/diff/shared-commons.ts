/**
 * Both sides' common stages of a seeded pair as planDiff runs them (diff/plan-diff.ts
 * `planDiffWith`): the base parsed and its Service creates recorded, the head parsed sharing the
 * base's documents and replaying those creates. For tests of what the head takes from its base.
 */
import { newServiceMemo } from '../../src/core/apiserver/service/reuse.ts'
import { parseHeadTracked } from '../../src/core/diff/shared-parse.ts'
import { apiserverStage, parseStage, type PlanCommon } from '../../src/core/plan/index.ts'
import type { Pair } from './seeded-pairs.ts'

export function sharedCommons(p: Pair): { readonly baseCommon: PlanCommon; readonly headCommon: PlanCommon } {
  const baseFiles = [...p.cluster, ...p.base]
  const headFiles = [...p.cluster, ...p.head]
  const baseParsed = parseStage({ files: baseFiles, options: {} })
  const memo = newServiceMemo()
  const baseCommon = apiserverStage(baseParsed, { record: memo })
  const head = parseHeadTracked(baseFiles, { value: baseParsed.inventory, issues: baseParsed.parseIssues }, headFiles)
  const headCommon = apiserverStage({ inventory: head.parsed.value, parseIssues: head.parsed.issues, options: {} }, { reuse: { memo, baseOf: head.baseOf } })
  return { baseCommon, headCommon }
}
